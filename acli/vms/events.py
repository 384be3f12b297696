"""The hook points of a VM's life, and the event each one passes.

Networking and storage add to what the VM code does (vm.get's device
lists, freeing ports, addresses and volumes, copying devices for a clone,
checks around a restore) through these points; their registrations are in
acli/wiring.py. The VM code runs them and knows nothing of NICs or disks.

Events are Plain records, not NamedTuples: this module loads with the
command table, and a NamedTuple class costs a few tenths of a millisecond
to make.
"""

from __future__ import annotations

from acli.hooks import HookPoint
from acli.plain import Plain


class VmEvent(Plain):
    __slots__ = ("host", "dom", "definition")

    def __init__(self, host, dom, definition):
        self.host = host
        self.dom = dom
        self.definition = definition  # acli.vms.domxml.Definition of the VM


class PowerEvent(Plain):
    __slots__ = ("host", "dom", "definition", "action")

    def __init__(self, host, dom, definition, action: str):
        self.host = host
        self.dom = dom
        self.definition = definition
        self.action = action  # "on", "off", "shutdown", ... (acli.vms.power)


class CloneEvent(Plain):
    __slots__ = ("host", "source", "root", "name", "from_snapshot")

    def __init__(self, host, source, root, name: str, from_snapshot: bool):
        self.host = host
        self.source = source  # the VM copied (for a snapshot, the snapshot's VM)
        self.root = root  # the new VM's definition, an ElementTree element, to edit in place
        self.name = name  # the new VM's name
        # the disks are copied as the snapshot holds them, by storage itself
        self.from_snapshot = from_snapshot


class ConfigEvent(Plain):
    __slots__ = ("host", "definitions")

    def __init__(self, host, definitions: list):
        self.host = host
        self.definitions = definitions  # acli.vms.domxml.Definition of each VM vm.get shows


class RestoreEvent(Plain):
    __slots__ = ("host", "dom", "definition", "snapshot_root")

    def __init__(self, host, dom, definition, snapshot_root):
        self.host = host
        self.dom = dom
        self.definition = definition
        self.snapshot_root = snapshot_root  # the definition the snapshot holds, or None


CONFIG_PARTS = HookPoint("vm config parts", ConfigEvent)
"""-> one dict per VM, in order, merged into its vm.get `config` block
(nic_list, disk_list). All the VMs at once: what every VM's part needs (the
networks, say) is read once, not once a VM."""

AFTER_POWER = HookPoint("after power", PowerEvent)
"""After a power action succeeded."""

BEFORE_DELETE = HookPoint("before delete", VmEvent)
"""Before a VM's domain is undefined: free what it holds."""

CLONE_DEVICES = HookPoint("clone devices", CloneEvent)
"""Before a clone is defined: give its devices identities (and disks) of their own."""

BEFORE_RESTORE = HookPoint("before restore", RestoreEvent)
"""Before a snapshot is reverted to: raise to refuse; nothing has changed yet."""

AFTER_RESTORE = HookPoint("after restore", VmEvent)
"""After a snapshot was reverted to."""
