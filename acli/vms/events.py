"""The hook points of a VM's life, and the event each one passes.

Networking and storage add to what the VM code does (vm.get's device
lists, freeing ports, addresses and volumes, copying devices for a clone,
checks around a restore) through these points; their registrations are in
acli/wiring.py. The VM code runs them and knows nothing of NICs or disks.
"""

from __future__ import annotations

from typing import NamedTuple

from acli.hooks import HookPoint


class VmEvent(NamedTuple):
    host: object
    dom: object
    definition: object  # acli.vms.domxml.Definition of the VM


class PowerEvent(NamedTuple):
    host: object
    dom: object
    definition: object
    action: str  # "on", "off", "shutdown", ... (acli.vms.power)


class CloneEvent(NamedTuple):
    host: object
    source: object  # the VM copied (for a snapshot, the snapshot's VM)
    root: object  # the new VM's definition, an ElementTree element, to edit in place
    name: str  # the new VM's name
    from_snapshot: bool  # the disks are copied as the snapshot holds them, by storage itself


class ConfigEvent(NamedTuple):
    host: object
    definitions: list  # acli.vms.domxml.Definition of each VM vm.get shows, in order


class RestoreEvent(NamedTuple):
    host: object
    dom: object
    definition: object
    snapshot_root: object  # the definition the snapshot holds (ElementTree), or None


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
