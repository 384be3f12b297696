"""Storage's hook on a VM's delete, kept apart from the code it calls so
that deleting a VM without disks or snapshots loads no storage code.
Wired in acli/wiring.py."""

from __future__ import annotations

from acli.vms.events import VmEvent


def before_vm_delete(event: VmEvent) -> None:
    """BEFORE_DELETE: a VM owns volumes only through the disks of its
    definition and of its snapshots: without either there is nothing to
    remove, and the storage code is not even loaded (a batch deleting plain
    VMs never needs it)."""
    if not event.definition.has("disk") and not event.dom.snapshotNum(0):
        return
    from acli.storage import ownership

    ownership.before_vm_delete(event.host, event.dom, event.definition)
