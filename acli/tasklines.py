"""The `NAME: pending` line of a task that takes time: who prints it.

A handler returns its result when it ends, and that result holds the
`NAME: complete` lines. A task that takes time (a migration, an upload)
must say `NAME: pending` when it starts, from deep inside the domain code
that knows it has started (one VM of an evacuation). That code calls
started(); the session, around a command that changes something, sets the
listener that writes the line and flushes it (listening()). With no
listener (JSON output, the background upload worker, a test calling a
service) nothing is printed.

A context variable, not a global: each thread (the shell's name refresher)
and each session in one process sees its own listener.

Imports nothing of acli: the domain layers call it.
"""

from __future__ import annotations

import contextlib
from contextvars import ContextVar

_listener: ContextVar = ContextVar("acli_task_listener", default=None)


def started(label: str) -> None:
    """Tell whoever listens that the task `label` has started."""
    listener = _listener.get()
    if listener is not None:
        listener(label)


@contextlib.contextmanager
def listening(listener):
    """Around a command: `listener(label)` is called as each task starts."""
    token = _listener.set(listener)
    try:
        yield
    finally:
        _listener.reset(token)
