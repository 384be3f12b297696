"""Attaching volume groups to VMs: each of the VG's disks becomes a SCSI
disk of the VM marked <shareable/> (libvirt then lets several QEMUs open
the raw file for writing), at the VM's lowest free SCSI indexes. The host's
page cache is left on: the VMs of one host share it, so each sees the
others' writes (and cache='none' needs O_DIRECT, which tmpfs lacks). A VM
that runs on a real host gets the disks hot-plugged.

An attach or a detach that fails half-way puts back the disks it had
already changed on that VM.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from acli.errors import Conflict, InvalidState, NotFound
from acli.hosts.libvirt_errors import libvirt_call
from acli.storage import diskops
from acli.storage import disks as D
from acli.vms import logical_timestamp
from acli.vms.domxml import inactive_root


def _vg_disks_of(root, vg) -> list:
    paths = vg.disk_paths()
    return [d for d in D.disks_of(root) if d.path in paths]


def _shared_element(root, path: str) -> ET.Element:
    el = D.disk_element(root, "scsi", D.next_index(root, "scsi"), path=path, fmt="raw", cdrom=False)
    ET.SubElement(el, "shareable")
    return el


def _add(host, dom, path: str) -> None:
    root = inactive_root(dom)
    diskops.attach_device(host, dom, root, _shared_element(root, path), "scsi")


def _remove(host, dom, path: str) -> None:
    root = inactive_root(dom)
    for disk in D.disks_of(root):
        if disk.path == path:
            diskops.detach_device(host, dom, root, disk)


@libvirt_call
def attach(host, vg, dom) -> None:
    """Attach every disk of `vg` to `dom`; all or nothing."""
    if not vg.disks:
        # an attachment is the VM's use of the group's disks: with none,
        # there would be nothing on the host to say the VM has the group
        raise InvalidState(f"volume group {vg.name} has no disks; add one first (vg.disk_create)")
    if _vg_disks_of(inactive_root(dom), vg):
        raise Conflict(f"volume group {vg.name} is already attached to {dom.name()}")
    diskops.refuse_unplug(dom, "scsi", "hot-plug")
    done = []
    try:
        for index in sorted(vg.disks):
            path = vg.disks[index].path()
            _add(host, dom, path)
            done.append(path)
    except BaseException:
        for path in reversed(done):
            try:
                _remove(host, dom, path)
            except Exception:
                pass
        raise
    logical_timestamp.bump(host, dom)


@libvirt_call
def detach(host, vg, dom) -> None:
    """Take every disk of `vg` off `dom`; the volumes stay (they are the VG's)."""
    found = _vg_disks_of(inactive_root(dom), vg)
    if not found:
        raise NotFound(f"volume group {vg.name} is not attached to {dom.name()}")
    done = []
    try:
        for disk in found:
            _remove(host, dom, disk.path)
            done.append(disk.path)
    except BaseException:
        for path in reversed(done):
            try:
                _add(host, dom, path)
            except Exception:
                pass
        raise
    logical_timestamp.bump(host, dom)


@libvirt_call
def disk_create(host, vg, size: int, container: str | None, index: int | None) -> None:
    """A new disk of the VG, given at once to every VM that has the VG; if
    one cannot take it, those that did give it back and the volume goes."""
    from acli.storage import pools, volume_groups
    from acli.vms import service

    doms = [service.lookup(host, uuid) for uuid in volume_groups.attached_vms(host, vg).values()]
    vol = volume_groups.new_disk(host, vg, size, container, index)
    done = []
    try:
        for dom in doms:
            _add(host, dom, vol.path())
            done.append(dom)
    except BaseException:
        for dom in reversed(done):
            try:
                _remove(host, dom, vol.path())
            except Exception:
                pass
        pools.delete_volume(vol)
        raise
    for dom in done:
        logical_timestamp.bump(host, dom)
