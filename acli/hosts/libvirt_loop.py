"""libvirt's event loop, run in a daemon thread, so that a connection
notices at once when libvirtd goes away (a restart, a crash) and can be
opened again before the next command, instead of failing it.

Without a loop, the client learns that the daemon closed the socket only
when the next call fails. The loop reads the socket's end and keepalive
probes find a daemon that stopped answering; `isAlive()` then says so.
One loop serves every connection of the process (libvirt allows one).
"""

from __future__ import annotations

import threading

_started = False
_lock = threading.Lock()


def ensure_running() -> None:
    """Register libvirt's default event loop and run it, once a process;
    must come before the connections it should watch are opened."""
    global _started
    with _lock:
        if _started:
            return
        import libvirt

        libvirt.virEventRegisterDefaultImpl()
        threading.Thread(target=_run, name="libvirt-events", daemon=True).start()
        _started = True


def _run() -> None:
    import libvirt

    while True:
        libvirt.virEventRunDefaultImpl()
