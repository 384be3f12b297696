"""Copies of disks: the volumes vm.clone gives its new VMs, and the volume
behind `clone_from_vmdisk=` (a vmdisk UUID or vm:VMNAME:bus.index).

A clone's copies are noted while `undo_on_failure` is open and deleted if
the clone fails, so a failed clone leaves no volume behind.
"""

from __future__ import annotations

import uuid as uuidlib
import xml.etree.ElementTree as ET

from acli.errors import AcliError, InvalidState, UsageError
from acli.selection import Kind, select_one
from acli.storage import disks as D
from acli.storage import pools
from acli.vms.domxml import inactive_root, scan
from acli.vms.events import CloneEvent

_journal: list | None = None  # volumes made during a vm.clone, removed if it fails


def _created(vol) -> None:
    if _journal is not None:
        _journal.append(vol)


class undo_on_failure:
    """Around vm.clone: the volumes the clone hooks made are deleted if it fails."""

    def __enter__(self):
        global _journal
        self._outer, _journal = _journal, []
        return self

    def __exit__(self, kind, value, tb):
        global _journal
        made, _journal = _journal, self._outer
        if kind is not None:
            for vol in reversed(made):
                try:
                    pools.delete_volume(vol)
                except AcliError:
                    pass
        return False


def new_vmdisk_name() -> str:
    return f"{D.VMDISK_PREFIX}{uuidlib.uuid4()}.qcow2"


def full_copy(host, src, pool, name: str):
    """A new qcow2 volume `name` in `pool` holding the data of volume `src`
    (flattened: it depends on nothing but itself), made by libvirt
    (createXMLFrom, i.e. qemu-img convert)."""
    _, capacity, allocation = src.info()
    # a full copy: what the source holds is written again
    return pools.make_volume(host, pool, name, capacity, "qcow2", src=src, allocation=allocation)


# copying another VM's disk ------------------------------------------------

def _vmdisks(host) -> list:
    """(VM, disk) of every disk (not CD-ROM) of every VM that has a vmdisk UUID."""
    return [(dom, disk) for dom, root in scan(host, inactive_root)
            for disk in D.disks_of(root) if disk.vmdisk_uuid and not disk.cdrom]


def _vmdisk_uuid(pair) -> str:
    return pair[1].vmdisk_uuid


# How selection finds vmdisks (by UUID: they have no name of their own).
VMDISKS = Kind("vmdisk", _vmdisks, name=_vmdisk_uuid, uuid=_vmdisk_uuid)


def source_volume(host, ref: str):
    """The volume behind `vm:VMNAME:bus.index` (or a vmdisk UUID), for copying."""
    from acli.names import is_uuid
    from acli.vms import service

    if is_uuid(ref):
        dom, disk = select_one(VMDISKS, host, ref)
        return _copyable(host, dom, disk)
    kind, _, rest = ref.partition(":")
    vm_name, _, addr = rest.rpartition(":")
    if kind != "vm" or not vm_name or not addr:
        raise UsageError(f"Bad value for clone_from_vmdisk: '{ref}' is not vm:VMNAME:bus.index "
                         "or a vmdisk UUID")
    bus, index = D.parse_addr(addr, "clone_from_vmdisk")
    dom = service.lookup(host, vm_name)
    disk = D.find_disk(inactive_root(dom), bus, index, dom.name())
    if disk.cdrom:
        raise UsageError(f"Bad value for clone_from_vmdisk: {addr} of {dom.name()} is a CD-ROM")
    return _copyable(host, dom, disk)


def _copyable(host, dom, disk):
    if host.caps.volume_data and dom.isActive():
        raise InvalidState(f"{dom.name()} is on; power it off to copy its disk {disk.addr}")
    vol = pools.volume_by_path(host, disk.path) if disk.path else None
    if vol is None:
        raise InvalidState(f"disk {disk.addr} of {dom.name()} is not in a container; acli cannot copy it")
    return vol


# hook for vm.clone ---------------------------------------------------------

def clone_disks(event: CloneEvent) -> None:
    """CLONE_DEVICES hook: give the new VM (its XML in `root`) its own copy of
    every disk; CD-ROMs keep their ISO (read-only, shared). A clone from a
    snapshot copies its disks as the snapshot holds them (snapshots.clone)."""
    if event.from_snapshot:
        return
    try:
        copy_disks(event.host, event.source, event.root)
    except pools.OutOfSpace as err:
        raise pools.OutOfSpace(f"{event.name}: {err.message} (no VM was created)") from None


def copy_disks(host, source_dom, root: ET.Element, volume_for=None) -> None:
    """Replace each writable disk's source in `root` by a new volume.

    `volume_for(disk)` makes the copy (default: a full copy of the disk's
    volume as it is now, in the same container). A volume group's shared
    disks are not copied: the clone does not have the group, as on AHV."""
    for disk in D.disks_of(root):
        if disk.cdrom or not disk.path:
            continue
        if D.is_vg_disk(disk.path):
            D.remove_device(root, disk.element)
            continue
        if volume_for is None:
            src = _copyable(host, source_dom, disk)
            vol = full_copy(host, src, pools.pool_of(src), new_vmdisk_name())
        else:
            vol = volume_for(disk)
        _created(vol)
        disk.element.find("source").set("file", vol.path())
        driver = disk.element.find("driver")
        if driver is not None:
            driver.set("type", "qcow2")
