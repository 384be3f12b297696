"""Which host a run talks to: an explicit URI, the sandbox, or the system host
when its libvirt socket answers."""

from __future__ import annotations

import os

SYSTEM_SOCKETS = ("/run/libvirt/libvirt-sock", "/var/run/libvirt/libvirt-sock")
SYSTEM_URI = "qemu:///system"


def open_host(connect: str | None, ovsdb: str | None, sandbox: str | None):
    from acli.hosts.libvirt_host import LibvirtHost
    from acli.hosts.sandbox import SandboxHost, default_dir
    from acli.hosts.sockets import socket_answers

    if sandbox is not None:
        return SandboxHost(sandbox or default_dir())
    if connect:
        return LibvirtHost(connect, ovsdb)
    if any(os.path.exists(p) and socket_answers(p) for p in SYSTEM_SOCKETS):
        return LibvirtHost(SYSTEM_URI, ovsdb)
    return SandboxHost(default_dir())
