"""Batch mode: one command per line from a file or a pipe; no prompt, no
terminal control codes. Stops at the first failing line unless keep_going."""

from __future__ import annotations

import contextlib
import gc

from acli.errors import EXIT_FAILED, EXIT_INTERRUPTED
from acli.session import Where


def run_batch(session, stream, source: str, keep_going: bool = False) -> int:
    """Run every line; the host is held for the whole batch, so the sandbox
    takes its lock once and writes its state once, at the end."""
    with session.host.hold(), _few_collections():
        return _run_lines(session, stream, source, keep_going)


def _run_lines(session, stream, source: str, keep_going: bool) -> int:
    failed = False
    where = Where(source, 0)  # one, moved along: errors are reported as they happen
    for number, line in enumerate(stream, start=1):
        if number == 1:
            line = line.removeprefix("\ufeff")  # a byte-order mark from a Windows editor
        where.line = number
        status = session.run_line(line, where)
        if status == EXIT_INTERRUPTED:
            return EXIT_INTERRUPTED
        if status:
            failed = True
            if not keep_going:
                return EXIT_FAILED
    return EXIT_FAILED if failed else 0


@contextlib.contextmanager
def _few_collections():
    """What is loaded by now (acli, libvirt) lives until the end: out of the
    garbage collector's sight, its rounds over a long batch stay short. The
    lines leave little garbage in cycles, so the rounds can be rarer too."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(10_000, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()
