"""The interactive shell: prompt `<acropolis> `, completion, history, colours.

Thin on purpose: parsing, execution and output are the Session's; the pure
parts (completer, lexer) live in their own modules with their own tests.
"""

from __future__ import annotations

import sys

from acli import interrupts
from acli.errors import EXIT_INTERRUPTED
from acli.interrupts import Terminated
from acli.session import Where

PROMPT = "<acropolis> "
LEAVE_WORDS = ("exit", "quit")


def run_repl(opts) -> int:
    from prompt_toolkit import PromptSession
    from prompt_toolkit.auto_suggest import AutoSuggestFromHistory
    from prompt_toolkit.styles import Style

    from acli import __version__
    from acli.session import host_opener, make_session
    from acli.output.sink import Sink
    from acli.repl.completer import AcliCompleter
    from acli.repl.history import PrivateHistory, history_path
    from acli.repl.lexer import AcliLexer
    from acli.repl.names import NameCache

    recorder = _Recorder(opts.record) if opts.record else None
    sink = Sink()
    if recorder:
        sink = recorder.wrap(sink)
    names = NameCache(host_opener(opts))  # reads on a thread and a host of its own
    pasted_rest: list[str] = []
    prompt = PromptSession(history=PrivateHistory(history_path()),
                           auto_suggest=AutoSuggestFromHistory(),
                           completer=AcliCompleter(names), lexer=AcliLexer(),
                           complete_while_typing=True, style=Style.from_dict({}),
                           key_bindings=paste_bindings(pasted_rest))

    def ask(question: str, json_output: bool = False) -> str:
        try:
            answer = prompt.prompt(question, completer=None, auto_suggest=None, lexer=None)
        except (EOFError, KeyboardInterrupt):
            answer = "no"
        if recorder:
            recorder.answer(question, answer)
        return answer

    session = make_session(opts, sink=sink, ask=ask)
    try:
        try:
            cluster = session.cluster
            if cluster.single:
                label = session.host.label()
            else:
                answering = cluster.answering()
                label = (f"cluster of {len(cluster.members)} hosts "
                         f"({', '.join(m.name for m in cluster.members)}; "
                         f"{len(answering)} answering)")
        except Exception as err:  # still open the shell; commands will say why
            label = f"no host ({getattr(err, 'message', err)})"
        print(f"acli {__version__} on the {label}. Type help for commands, exit to leave.")
        names.changed()
        while True:
            try:
                text = prompt.prompt(PROMPT, default=pasted_rest.pop() if pasted_rest else "")
            except Terminated:
                break  # SIGTERM, SIGHUP (the terminal went away)
            except KeyboardInterrupt:
                continue  # Ctrl-C drops the line being typed
            except EOFError:
                break  # Ctrl-D
            if not _run_lines(session, text.split("\n"), recorder):
                break
            names.changed()  # read again in the background; the prompt does not wait
    finally:
        names.close()
        session.close()
        if recorder:
            recorder.close()
    return EXIT_INTERRUPTED if interrupts.terminated else 0


def _run_lines(session, lines, recorder) -> bool:
    """Run what was entered (several lines when they were pasted); False
    when one of them says to leave, or SIGTERM or SIGHUP came."""
    for line in lines:
        if line.strip() in LEAVE_WORDS:
            return False
        if not line.strip():
            continue
        if recorder:
            recorder.begin(line)
        status = session.run_line(line, Where(interactive=True))
        if interrupts.terminated:
            return False
        if recorder:
            recorder.end(status)
    return True


def paste_bindings(pasted_rest: list):
    """A bracketed paste of several lines runs them, as a plain paste does
    (each newline an Enter): the lines up to the last newline are accepted
    at once, and what follows it waits in the next prompt (`pasted_rest`).
    Without this, prompt_toolkit puts the newlines into one line."""
    from prompt_toolkit.key_binding import KeyBindings
    from prompt_toolkit.keys import Keys

    bindings = KeyBindings()

    @bindings.add(Keys.BracketedPaste)
    def _paste(event):
        data = event.data.replace("\r\n", "\n").replace("\r", "\n")
        buffer = event.current_buffer
        if "\n" not in data:
            buffer.insert_text(data)
            return
        cursor = buffer.cursor_position
        text = buffer.text[:cursor] + data + buffer.text[cursor:]
        lines, _, rest = text.rpartition("\n")
        pasted_rest[:] = [rest]
        buffer.text = lines
        buffer.validate_and_handle()

    return bindings


class _Recorder:
    """Writes the session as a transcript (acli --record FILE), normalized
    the same way replays are, so the file replays as it stands."""

    def __init__(self, path: str):
        from acli.transcript.normalize import Normalizer

        self.path = path
        self.norm = Normalizer()
        self.lines: list[str] = ["# recorded with acli --record"]
        self.buffer: list[str] = []

    def wrap(self, sink):
        recorder = self

        class Tee:
            def __init__(self, stream):
                self.stream = stream

            def write(self, text):
                recorder.buffer.append(text)
                return self.stream.write(text)

            def flush(self):
                self.stream.flush()

            def isatty(self):
                return self.stream.isatty()

        sink.out, sink.err = Tee(sink.out), Tee(sink.err)
        return sink

    def begin(self, line: str):
        from acli.echo import without_credentials
        from acli.transcript.format import PROMPT as T_PROMPT

        self.buffer = []
        self.lines.append(T_PROMPT + without_credentials(line))

    def answer(self, question: str, answer: str):
        self.buffer.append(f"{question}{answer}\n")

    def end(self, status: int):
        text = self.norm.normalize("".join(self.buffer))
        # colour codes never belong in a transcript
        import re

        text = re.sub(r"\x1b\[[0-9;]*m", "", text)
        self.lines.extend(text.splitlines())
        if status:
            self.lines.append(f"[exit {status}]")
        self.flush()

    def flush(self):
        with open(self.path, "w") as f:
            f.write("\n".join(self.lines) + "\n")

    def close(self):
        self.flush()
        sys.stderr.write(f"transcript written to {self.path}\n")
