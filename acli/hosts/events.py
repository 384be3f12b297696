"""The hook points of the hosts (the sandbox's, and one every host runs),
and the event each one passes.

What a fresh sandbox starts with (a default container, host NICs, vs0 in
its OVSDB, sample media) and the port work it defers belong to storage and
networking; they register here (acli/wiring.py), and the sandbox runs them.
"""

from __future__ import annotations

from acli.hooks import HookPoint
from acli.plain import Plain


class SandboxEvent(Plain):
    __slots__ = ("host",)

    def __init__(self, host):
        self.host = host  # the SandboxHost


class OvsdbEvent(Plain):
    __slots__ = ("remote",)

    def __init__(self, remote: str):
        self.remote = remote  # a fresh sandbox's private OVSDB


class NetworksEvent(Plain):
    __slots__ = ("host", "uuids")

    def __init__(self, host, uuids: list):
        self.host = host
        self.uuids = uuids  # networks stored or deleted by the command or batch


NETWORKS_CHANGED = HookPoint("networks changed", NetworksEvent)
"""When a command or batch that stored or deleted networks ends, on a host
that runs DHCP servers (caps.dhcp_servers): their servers follow."""

NODE_PARTS = HookPoint("sandbox node parts", SandboxEvent)
"""-> node-file XML for a fresh sandbox (pools, host NICs)."""

SETUP = HookPoint("sandbox setup", SandboxEvent)
"""Once, when a sandbox is made (its sample media)."""

FRESH_OVSDB = HookPoint("sandbox fresh ovsdb", OvsdbEvent)
"""Once, when a sandbox's private OVSDB is made (vs0 = br0 with its bond)."""

SETTLE = HookPoint("sandbox settle", SandboxEvent)
"""Before a command or batch lets the sandbox go: deferred work done."""

RESYNC = HookPoint("sandbox resync", SandboxEvent)
"""An acli died (or was interrupted writing) half-way through a change: what
follows from the node file (VM ports) is made to match it again."""
