"""vm.update_container: move a VM's disks to another container.

Each disk in a container other than the target is copied there (a full,
flattened qcow2 copy, as vm.clone makes; under the same volume name, so
its vmdisk_uuid stays), the VM's definition is pointed at
the copies in one defineXML, and then the old volumes the VM owned are
removed (never an image, another VM's volume, or a file acli did not make).

All or nothing: until the definition changes, a failure or an interrupt
deletes the copies made so far and leaves the VM as it was. Once it has
changed the move has happened; an interrupt while the old volumes are
removed names those left (container.list_orphans finds them too).

Refused, before anything is copied:
* a VM that is on: its disks change while they are copied. The rule is
  acli's, the same on the sandbox and on a real host (libvirt's blockCopy
  could move a running disk, but not one of a VM with snapshots, nor on
  the sandbox's test driver);
* a VM with snapshots: they live inside its qcow2 disks (internal
  snapshots), which a copy leaves behind, and their stored definitions name
  the old files;
* a disk that is not a volume of a container (nothing to copy it from).
CD-ROMs keep their ISO image and volume groups' disks stay where the group
keeps them: both are shared, not the VM's own.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from acli.errors import AcliError, InvalidState, Interrupted
from acli.hosts.libvirt_errors import libvirt_call, translate
from acli.interrupts import what
from acli.storage import disks as D
from acli.storage import pools
from acli.storage.diskcopy import full_copy, new_vmdisk_name
from acli.storage.ownership import drop_unused
from acli.vms import logical_timestamp
from acli.vms.domxml import inactive_root, xml_of


@libvirt_call
def update_container(host, dom, container_ref: str) -> int:
    """Move `dom`'s disks to the container `container_ref`; how many moved."""
    target = pools.container(host, container_ref)
    _refuse(dom)
    root = inactive_root(dom)
    moves = _to_move(host, dom, root, target)
    if not moves:
        return 0
    before = xml_of(dom)
    made = _copy_all(host, dom, moves, target)
    for (disk, _), vol in zip(moves, made):
        disk.element.find("source").set("file", vol.path())
        driver = disk.element.find("driver")
        if driver is not None:
            driver.set("type", "qcow2")
    try:
        host.conn.defineXML(D.to_xml(root))
    except BaseException as err:
        _put_back(host, dom, before, made, err)
        raise
    logical_timestamp.bump(host, dom)
    _drop_old(host, dom, {disk.path for disk, _ in moves if disk.owned_volume})
    return len(moves)


def _refuse(dom) -> None:
    if dom.isActive():
        raise InvalidState(f"{dom.name()} is on; power it off to move its disks (a running VM's "
                           "disks change while they are copied)")
    count = dom.snapshotNum(0)
    if count:
        raise InvalidState(f"{dom.name()} has {count} snapshots, kept inside its disks, which a copy "
                           "leaves behind; delete them first (snapshot.delete)")


def _to_move(host, dom, root: ET.Element, target) -> list:
    """(disk, its volume) of each disk not yet in `target`, in address order."""
    moves = []
    for disk in D.disks_of(root):
        if disk.cdrom or not disk.path or D.is_vg_disk(disk.path):
            continue
        vol = pools.volume_by_path(host, disk.path)
        if vol is None:
            raise InvalidState(f"disk {disk.addr} of {dom.name()} is not in a container; "
                               "acli cannot move it")
        if pools.pool_of(vol).UUIDString() != target.UUIDString():
            moves.append((disk, vol))
    return moves


def _copy_all(host, dom, moves, target) -> list:
    """A copy in `target` of each volume of `moves`; on a failure or an
    interrupt, those made are deleted first. The names are chosen before
    each copy starts, so a copy that an interrupt cut off is found too."""
    names, made = [], []
    try:
        pools.check_room(target, sum(src.info()[2] for _, src in moves))
        for disk, src in moves:
            names.append(_copy_name(target, disk))
            made.append(full_copy(host, src, target, names[-1]))
    except BaseException as err:
        left = _delete_named(target, names)
        if isinstance(err, KeyboardInterrupt):
            raise _interrupted(err, dom, target, left) from None
        if hasattr(err, "get_error_code"):
            err = translate(err)
        if isinstance(err, AcliError):
            raise type(err)(f"{err.message} (no disk of {dom.name()} was moved)") from None
        raise
    return made


def _copy_name(target, disk) -> str:
    """The copy of a disk the VM owns keeps its volume's name, and so its
    vmdisk_uuid and device_uuid (a name is unique per container only); a
    new name if the target holds that name already, or for a volume acli
    did not make."""
    name = disk.path.rsplit("/", 1)[-1]
    if disk.owned_volume:
        try:
            target.storageVolLookupByName(name)
        except Exception:  # noqa: BLE001 - libvirt's "no such volume": the name is free
            return name
    return new_vmdisk_name()


def _put_back(host, dom, before_xml: str, made, err: BaseException) -> None:
    """The new definition failed, or an interrupt came while libvirt made
    it: the old definition again (libvirt's own text, which reads as
    before), then the copies deleted."""
    try:
        host.conn.defineXML(before_xml)
    except Exception:  # noqa: BLE001 - then the copies may be what the VM uses
        raise InvalidState(f"{dom.name()}: its new definition failed and the old one could not be "
                           f"put back; check its disks (vm.disk_get {dom.name()})") from None
    target = pools.pool_of(made[0])
    left = _delete_named(target, [vol.name() for vol in made])
    if isinstance(err, KeyboardInterrupt):
        raise _interrupted(err, dom, target, left) from None


def _delete_named(pool, names) -> list[str]:
    """Delete the volumes `names` of `pool` (those that exist); the names of
    those still there (a second interrupt, or a failure)."""
    from acli.interrupts import undo_all

    def delete(name):
        try:
            vol = pool.storageVolLookupByName(name)
        except Exception:  # noqa: BLE001 - never made
            return
        pools.delete_volume(vol)

    return undo_all(names, delete, lambda name: name)


def _interrupted(err, dom, target, left) -> Interrupted:
    if not left:
        return Interrupted(f"{what(err)}; no disk of {dom.name()} was moved")
    return Interrupted(f"{what(err)} while undoing; these copies remain in container "
                       f"{target.name()}: {', '.join(left)} (container.list_orphans lists them)")


def _drop_old(host, dom, old_paths: set[str]) -> None:
    """Remove the volumes the VM owned before the move. The move is done:
    an interrupt here says which old volumes are left."""
    try:
        drop_unused(host, dom, old_paths)
    except KeyboardInterrupt as err:
        left = sorted(p for p in old_paths if pools.volume_by_path(host, p) is not None)
        raise Interrupted(f"{what(err)} after the move: {dom.name()} uses its new disks; these old "
                          f"volumes remain: {', '.join(left)} (container.list_orphans lists "
                          "them)") from None
