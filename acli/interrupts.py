"""Interruptions: Ctrl-C, SIGTERM and SIGHUP all stop a command the same way.

SIGINT raises KeyboardInterrupt; SIGTERM and SIGHUP raise Terminated, a
KeyboardInterrupt too, so every undo path that handles one handles all
three: whatever acli made part-way is removed, or named in the message.
A terminated shell or batch then leaves; an interrupted one (Ctrl-C) goes
on to the next line in the shell.

Undoing is itself interruptible: `undo_all` stops at a second interrupt
and returns what it did not get to, so the message can name it.
"""

from __future__ import annotations

import signal

from acli.errors import Interrupted

terminated: str | None = None  # the signal's name once SIGTERM or SIGHUP arrived


class Terminated(KeyboardInterrupt):
    """SIGTERM or SIGHUP, raised where the program was."""


def install() -> None:
    """Turn SIGTERM and SIGHUP into Terminated (once, at start-up)."""
    signal.signal(signal.SIGTERM, _raise)
    signal.signal(signal.SIGHUP, _raise)


def _raise(signum, _frame):
    global terminated
    terminated = signal.Signals(signum).name
    raise Terminated(terminated)


def what(err: KeyboardInterrupt) -> str:
    """'interrupted' or 'terminated by SIGTERM', for messages."""
    return f"terminated by {err.args[0]}" if isinstance(err, Terminated) and err.args else "interrupted"


def undo_all(items, undo, describe) -> list[str]:
    """Undo `items` (last made first); the descriptions of what is left: the
    ones whose undo failed and, after another interrupt, the ones not reached."""
    left = []
    todo = list(reversed(items))
    while todo:
        item = todo.pop(0)
        try:
            undo(item)
        except KeyboardInterrupt:
            return left + [describe(item)] + [describe(i) for i in todo]
        except Exception:  # noqa: BLE001 - the first failure is the one reported
            left.append(describe(item))
    return left


def interrupted(err: KeyboardInterrupt, nothing: str, left: list[str], kind: str,
                clean_up: str) -> Interrupted:
    """The error for a command stopped part-way: `nothing` when it undid
    everything ("no VM was created"); else which `kind` remain and how to
    remove them."""
    if not left:
        return Interrupted(f"{what(err)}; {nothing}")
    shown = ", ".join(left[:10]) + (f" and {len(left) - 10} more" if len(left) > 10 else "")
    return Interrupted(f"{what(err)} while undoing; these {kind} remain: {shown} ({clean_up})")
