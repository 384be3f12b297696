"""Who runs a task, and whether it still does.

A task record names its owner: the machine (its machine id), the boot
(the kernel's boot id) and the process (pid and its start time, so that a
pid used again by another process after the owner died does not pass for
the owner). On the owner's machine that is checked exactly; from another
machine only the record's age can tell (tasks.STALE_SECONDS).
"""

from __future__ import annotations

import functools
import os
import socket


@functools.lru_cache(maxsize=1)
def machine_id() -> str:
    """This machine's identity: /etc/machine-id, else its host name."""
    for path in ("/etc/machine-id", "/var/lib/dbus/machine-id"):
        try:
            with open(path) as f:
                text = f.read().strip()
        except OSError:
            continue
        if text:
            return text
    return socket.gethostname()


@functools.lru_cache(maxsize=1)
def boot_id() -> str:
    try:
        with open("/proc/sys/kernel/random/boot_id") as f:
            return f.read().strip()
    except OSError:
        return ""


def start_ticks(pid: int) -> int | None:
    """When process `pid` started (clock ticks since boot), or None if
    there is no such process."""
    try:
        with open(f"/proc/{int(pid)}/stat") as f:
            stat = f.read()
    except (OSError, ValueError):
        return None
    # the command name (field 2) may hold blanks and brackets: count from the last ')'
    fields = stat[stat.rfind(")") + 2:].split()
    try:
        return int(fields[19])  # field 22 of the whole line
    except (IndexError, ValueError):
        return None


def me() -> dict:
    """The owner record of this process."""
    pid = os.getpid()
    return {"machine": machine_id(), "host": socket.gethostname(), "boot": boot_id(),
            "pid": pid, "start": start_ticks(pid)}


def gone(owner: dict) -> bool | None:
    """True if the owner is known to have ended (its process, or the boot
    it ran in), False if it is known to run, None when this machine cannot
    tell (the owner is another machine)."""
    if owner.get("machine") != machine_id():
        return None
    if owner.get("boot") != boot_id():
        return True
    return start_ticks(owner.get("pid", 0)) != owner.get("start")
