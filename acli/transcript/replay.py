"""Replay transcripts against a host and compare exactly; also `--replay`."""

from __future__ import annotations

import difflib
import io
import shutil
import sys
import tempfile

from acli.transcript.format import Step, parse, render
from acli.transcript.normalize import Normalizer


class _Merged(io.StringIO):
    """stdout and stderr of a step, interleaved as a terminal shows them."""

    def isatty(self):
        return False


def run_steps(steps: list[Step], open_host, sandbox_dir: str | None = None) -> list[Step]:
    """Run the steps' commands; return the steps with the output they really gave."""
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
            buffer.seek(0)
            buffer.truncate()
            status = session.run_line(norm.expand(step.command), Where(interactive=True))
            output = norm.normalize(buffer.getvalue())
            lines = output.splitlines()
            actual.append(Step(list(step.preamble), step.command, lines + _blank_tail(step), status))
    finally:
        session.close()
    return actual


def _blank_tail(step: Step) -> list[str]:
    tail = []
    for line in reversed(step.output):
        if line != "":
            break
        tail.append("")
    return tail


def replay_text(text: str, open_host, sandbox_dir: str | None = None) -> str:
    return render(run_steps(parse(text), open_host, sandbox_dir))


def replay_in_fresh_sandbox(text: str) -> str:
    """Replay against a new sandbox host that is removed afterwards."""
    from acli.hosts.sandbox import SandboxHost

    folder = tempfile.mkdtemp(prefix="acli-replay-")
    try:
        return replay_text(text, lambda: SandboxHost(folder), folder)
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
            actual = replay_text(expected, lambda: open_host(opts.connect, opts.ovsdb, opts.sandbox))
        else:
            actual = replay_in_fresh_sandbox(expected)
        if actual == expected:
            print(f"{path}: ok")
        else:
            sys.stdout.write(diff(expected, actual, path))
            print(f"{path}: FAILED")
            status = max(status, 1)
    return status
