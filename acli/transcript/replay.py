"""Replay transcripts against a host and compare exactly; also `--replay`."""

from __future__ import annotations

import difflib
import io
import re
import shutil
import sys
import tempfile

from acli.transcript.format import Step, parse, render
from acli.transcript.normalize import Normalizer


class _Merged(io.StringIO):
    """stdout and stderr of a step, interleaved as a terminal shows them."""

    def isatty(self):
        return False


def run_steps(steps: list[Step], open_host, sandbox_dir: str | None = None,
              host_options: list[str] | None = None) -> list[Step]:
    """Run the steps' commands; return the steps with the output they really gave.

    `host_options` are the acli options that open the same host as
    `open_host` (`--sandbox=DIR`, `-c URI`): shell steps' `acli` gets them."""
    from acli.output.sink import Sink
    from acli.session import Session, Where

    import acli.commands  # noqa: F401

    paths = {sandbox_dir: "<sandbox>"} if sandbox_dir else {}
    norm = Normalizer(paths)
    buffer = _Merged()
    session = Session(open_host, Sink(out=buffer, err=buffer, colour=False))
    actual = []
    try:
        for step in steps:
            if step.command is None:
                actual.append(Step(preamble=list(step.preamble)))
                continue
            if step.shell:
                status, output = run_shell(norm.expand(step.command), host_options or [])
            else:
                buffer.seek(0)
                buffer.truncate()
                status = session.run_line(norm.expand(step.command), Where(interactive=True))
                output = buffer.getvalue()
            lines = norm.normalize(output).splitlines()
            actual.append(Step(list(step.preamble), step.command, lines + _blank_tail(step), status,
                               step.shell))
    finally:
        session.close()
    return actual


SHELL_TIMEOUT = 120  # seconds; a step that waits for input it never gets fails, not hangs


def run_shell(command: str, host_options: list[str]) -> tuple[int, str]:
    """Run a `$ ` step with /bin/sh: `acli` there is the acli under test
    (the console script beside this Python) with the host's options. Its
    stdin is empty unless the line pipes something in; stdout and stderr
    are read as one stream, as a terminal shows them."""
    import os
    import shlex
    import subprocess

    script = os.path.join(os.path.dirname(sys.executable), "acli")
    program = [script] if os.path.exists(script) else [sys.executable, "-m", "acli"]
    words = " ".join(shlex.quote(word) for word in program + host_options)
    # acli's companion commands (acli-ha, acli-dhcp) are found beside it
    path = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")
    try:
        done = subprocess.run(["/bin/sh", "-c", f'acli() {{ {words} "$@"; }}\n{command}'],
                              stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=SHELL_TIMEOUT,
                              env={**os.environ, "PATH": path})
    except subprocess.TimeoutExpired:
        return 124, f"[no end after {SHELL_TIMEOUT} s]\n"
    return done.returncode, done.stdout.decode("utf-8", "replace")


def _blank_tail(step: Step) -> list[str]:
    tail = []
    for line in reversed(step.output):
        if line != "":
            break
        tail.append("")
    return tail


def replay_text(text: str, open_host, sandbox_dir: str | None = None,
                host_options: list[str] | None = None) -> str:
    return render(run_steps(parse(text), open_host, sandbox_dir, host_options))


HOSTS_LINE = re.compile(r"^# hosts: (\d+)$", re.M)  # a transcript of a sandbox cluster


def replay_in_fresh_sandbox(text: str) -> str:
    """Replay against a new sandbox host that is removed afterwards; a
    transcript with a `# hosts: N` line, against a new sandbox cluster of N
    hosts (`acli --sandbox DIR --hosts N`)."""
    from acli.hosts.sandbox import SandboxHost
    from acli.hosts.select import open_cluster

    folder = tempfile.mkdtemp(prefix="acli-replay-")
    hosts = HOSTS_LINE.search(text)
    try:
        if hosts:
            count = int(hosts.group(1))
            return replay_text(text, lambda: open_cluster(None, None, folder, None, count), folder,
                               [f"--sandbox={folder}"])
        return replay_text(text, lambda: SandboxHost(folder), folder, [f"--sandbox={folder}"])
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def diff(expected: str, actual: str, name: str) -> str:
    return "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                        f"{name} (expected)", f"{name} (actual)"))


def replay_files(opts) -> int:
    """`acli --replay FILE...`: exit 1 if any transcript's output differs."""
    from acli.hosts.select import open_host

    status = 0
    for path in opts.replay:
        try:
            with open(path) as f:
                expected = f.read()
        except OSError as err:
            sys.stderr.write(f"Error: cannot read {path}: {err.strerror}\n")
            status = 2
            continue
        if opts.connect or opts.sandbox:
            actual = replay_text(expected, lambda: open_host(opts.connect, opts.ovsdb, opts.sandbox),
                                 host_options=_host_options(opts))
        else:
            actual = replay_in_fresh_sandbox(expected)
        if actual == expected:
            print(f"{path}: ok")
        else:
            sys.stdout.write(diff(expected, actual, path))
            print(f"{path}: FAILED")
            status = max(status, 1)
    return status


def _host_options(opts) -> list[str]:
    """The acli options that open the host `opts` name, for shell steps."""
    if opts.connect:
        return ["-c", opts.connect] + (["--ovsdb", opts.ovsdb] if opts.ovsdb else [])
    return [f"--sandbox={opts.sandbox}"]
