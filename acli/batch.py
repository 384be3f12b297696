"""Batch mode: one command per line from a file or a pipe; no prompt, no
terminal control codes. Stops at the first failing line unless keep_going."""

from __future__ import annotations

import contextlib
import gc

from acli.errors import EXIT_FAILED, EXIT_INTERRUPTED, AcliError
from acli.session import Where


def run_batch(session, stream, source: str, keep_going: bool = False) -> int:
    """Run every line; the host is held for the whole batch, so the sandbox
    takes its lock once and writes its state once, at the end."""
    try:
        with session.hold(), _few_collections():
            return _run_lines(session, stream, source, keep_going)
    except AcliError as err:  # opening or letting go of the host (the sandbox's write)
        session.sink.error(f"{source}: {err.message}")
        return err.status


def _run_lines(session, stream, source: str, keep_going: bool) -> int:
    where = Where(source, 0)  # one, moved along: errors are reported as they happen
    try:
        return _each_line(session, stream, where, keep_going)
    except KeyboardInterrupt as err:  # between two lines: none is half-done
        from acli.interrupts import what

        session.sink.error(f"{source}:{where.line + 1}: {what(err)} before this line; "
                           "the lines before it were done")
        return EXIT_INTERRUPTED


def _each_line(session, stream, where: Where, keep_going: bool) -> int:
    failed = False
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
