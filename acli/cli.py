"""Entry point: read acli's options, pick the mode once, run, exit with a status.

Modes: a command on argv -> one-shot; `-f FILE` or stdin not a terminal ->
batch; stdin a terminal -> the REPL (prompt_toolkit is imported only then).
"""

from __future__ import annotations

import gc
import os
import sys

from acli.errors import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_USAGE, AcliError


def entry() -> None:
    """The `acli` command: main(), then out of the process at once.

    By the time main() returns, acli has written and closed what it writes
    (the sandbox's files, a recorded transcript) and stopped what it
    started; what is left is output to flush. Tearing the interpreter down
    would only free memory the kernel takes back anyway, and takes longer
    than parsing a hundred lines.

    Start-up loads thousands of objects that all live to the end, so the
    garbage collector has nothing to find in them: it is off until a mode
    that runs long (a batch, the shell, a replay) turns it back on. A
    one-shot command leaves before garbage could matter."""
    gc.disable()
    status = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # the reader went away: nothing more can be said
        pass
    os._exit(status)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    from acli.options import USAGE, parse_options

    try:
        opts = parse_options(argv, is_command=_is_command)
    except AcliError as err:
        sys.stderr.write(f"Error: {err.message}\n")
        return EXIT_USAGE
    if opts.help:
        print(USAGE)
        return 0
    if opts.version:
        from acli import __version__

        print(f"acli {__version__}")
        return 0
    from acli import interrupts

    interrupts.install()
    if not opts.debug:
        # An interrupt that lands inside a library's constructor leaves a
        # half-made object whose __del__ then fails; Python would print that
        # as a traceback. Nothing in it is the user's to act on.
        sys.unraisablehook = _ignore_unraisable
    try:
        return _run(opts)
    except KeyboardInterrupt as err:
        sys.stderr.write(f"{interrupts.what(err)}\n")
        return EXIT_INTERRUPTED
    except AcliError as err:
        if opts.debug:
            raise
        sys.stderr.write(f"Error: {err.message}\n")
        return err.status
    except BrokenPipeError:
        # The reader went away (`acli ... | head`). Point stdout at /dev/null
        # so that Python's own flush at exit has nowhere to fail.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILED


def _ignore_unraisable(_unraisable) -> None:
    pass


def _is_command(word: str) -> bool:
    """Whether `word` (after --sandbox) is the command rather than a
    directory: `namespace.verb`, even mistyped, or a known command; a path
    (`/tmp/x`, `~/.local/...`) never is."""
    import re

    import acli.commands

    head = (word.split() or [word])[0]
    if re.fullmatch(r"[A-Za-z_]+\.[A-Za-z_]+", head):
        return True
    return "/" not in head and acli.commands.lookup(head) is not None


def _takes_list(command: str, key: str | int) -> bool:
    """Whether `command`'s `key=` parameter (or its positional number `key`)
    is a comma list (for join_words)."""
    import acli.commands
    from acli.commands.types import ListOf, NewNames, Selector

    cmd = acli.commands.lookup(command)
    if cmd is None:
        return False
    if isinstance(key, int):
        param = cmd.positionals[key] if key < len(cmd.positionals) else None
    else:
        param = cmd.keywords.get(key)
    return param is not None and isinstance(param.type, (ListOf, NewNames, Selector))


def _terminal_ask(question: str, json_output: bool) -> str | None:
    try:
        with open("/dev/tty", "r+") as tty:
            tty.write(question)
            tty.flush()
            return tty.readline() or None
    except OSError:
        return None


def _piped_ask(question: str, json_output: bool) -> str | None:
    """The answer of a one-shot command whose stdin is not a terminal, read
    from stdin, as `echo yes | acli vm.delete x` and `yes yes | acli ...`
    expect. The question goes where aCLI prints it, stdout (stderr when
    stdout carries JSON); the answer is echoed after it, since no terminal
    shows what was typed. None when stdin ends first."""
    stream = sys.stderr if json_output else sys.stdout
    stream.write(question.rstrip())
    stream.flush()
    try:
        line = sys.stdin.buffer.readline().decode("utf-8", "replace")
    except (AttributeError, OSError, ValueError):  # stdin closed (`<&-`) or unreadable
        line = ""
    answer = line.rstrip("\r\n") if line else None
    shown = "".join(c for c in (answer or "")[:40] if c.isprintable())
    stream.write(f" {shown}\n" if shown else "\n")
    stream.flush()
    return answer


def _run(opts) -> int:
    if not opts.words:
        gc.enable()  # the modes that may run long (see entry())
    if opts.replay:
        from acli.transcript.replay import replay_files

        return replay_files(opts)
    if opts.words:
        from acli.options import join_words
        from acli.session import make_session

        ask = _terminal_ask if sys.stdin.isatty() else _piped_ask
        session = make_session(opts, ask=ask)
        try:
            return session.run_line(join_words(opts.words, _takes_list))
        finally:
            session.close()
    if opts.file or not sys.stdin.isatty():
        from acli.batch import run_batch
        from acli.session import make_session

        session = make_session(opts)
        try:
            if opts.file:
                try:
                    # Undecodable bytes reach the parser as lone surrogates,
                    # which it reports as a one-line error for that line.
                    stream = open(opts.file, encoding="utf-8", errors="surrogateescape")
                except OSError as err:
                    sys.stderr.write(f"Error: cannot read {opts.file}: {err.strerror}\n")
                    return EXIT_USAGE
                with stream:
                    return run_batch(session, stream, opts.file, opts.keep_going)
            stdin = open(sys.stdin.fileno(), encoding="utf-8", errors="surrogateescape",
                         closefd=False)
            return run_batch(session, stdin, "<stdin>", opts.keep_going)
        finally:
            session.close()
    from acli.repl.app import run_repl

    return run_repl(opts)
