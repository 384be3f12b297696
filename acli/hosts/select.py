"""Which host a run talks to: an explicit URI, the sandbox, or the system host
when its libvirt socket answers."""

from __future__ import annotations

import os

SYSTEM_SOCKETS = ("/run/libvirt/libvirt-sock", "/var/run/libvirt/libvirt-sock")
SYSTEM_URI = "qemu:///system"


def open_host(connect: str | None, ovsdb: str | None, sandbox: str | None):
    from acli.hosts.base import Host
    from acli.hosts.sandbox import SandboxHost, default_dir, socket_answers

    if sandbox is not None:
        return SandboxHost(sandbox or default_dir())
    if connect:
        return Host(connect, ovsdb)
    if any(os.path.exists(p) and socket_answers(p) for p in SYSTEM_SOCKETS):
        return Host(SYSTEM_URI, ovsdb)
    return SandboxHost(default_dir())
