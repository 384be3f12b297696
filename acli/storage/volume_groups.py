"""Volume groups: disks shared by several VMs (as clustered databases use
them), kept on the host with no database of acli's own.

A VG is volumes in containers, found by their names:

* its marker, `acli-vg-<vg uuid>-<name>`: an empty raw volume in the VG's
  container. It is what makes an empty VG exist and holds its name (a
  rename makes the new marker before the old one goes).
* its disks, `acli-vgdisk-<vg uuid>-<index>.raw`: raw, sparse volumes in
  any container (QEMU shares only raw disks between VMs).

A VM a VG is attached to has each of the VG's disks as a SCSI disk marked
`<shareable/>` (libvirt then lets several QEMUs write the file). So `virsh
vol-list` shows the VGs and `virsh dumpxml` the attachments; a VG's list
of VMs is read from the VMs' definitions.
"""

from __future__ import annotations

import re
import uuid as uuidlib
from dataclasses import dataclass, field
from operator import attrgetter

from acli.errors import Conflict, InvalidState
from acli.hosts.libvirt_errors import libvirt_call
from acli.selection import Kind, select_one
from acli.selection import select as select_entities
from acli.storage import pools
from acli.storage.disks import VG_DISK_PREFIX as DISK_PREFIX

MARKER_PREFIX = "acli-vg-"
_UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
_MARKER = re.compile(rf"acli-vg-({_UUID})-(.+)")
_DISK = re.compile(rf"acli-vgdisk-({_UUID})-(\d+)\.raw")
MAX_DISKS = 256  # a VM's SCSI bus holds 256 disks


@dataclass
class VolumeGroup:
    uuid: str
    name: str
    marker: object  # the marker volume
    container: str
    disks: dict = field(default_factory=dict)  # index -> volume

    def disk_paths(self) -> dict[str, int]:
        """path -> index of each disk."""
        return {vol.path(): index for index, vol in self.disks.items()}


@libvirt_call
def list_vgs(host) -> list[VolumeGroup]:
    """Every VG, by name: one listing of the active pools and one of each
    pool's volumes. Disks whose marker is gone are not a VG (see orphans)."""
    import libvirt

    found, disks = {}, []
    for pool in host.conn.listAllStoragePools(libvirt.VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE):
        for vol in pool.listAllVolumes():
            name = vol.name()
            if name.startswith(DISK_PREFIX):
                m = _DISK.fullmatch(name)
                if m:
                    disks.append((m.group(1), int(m.group(2)), vol))
            elif name.startswith(MARKER_PREFIX):
                m = _MARKER.fullmatch(name)
                if m:
                    found[m.group(1)] = VolumeGroup(m.group(1), m.group(2), vol, pool.name())
    for uuid, index, vol in disks:
        if uuid in found:
            found[uuid].disks[index] = vol
    return sorted(found.values(), key=lambda vg: (vg.name, vg.uuid))


# How selection finds VGs: by a listing of the volumes.
VGS = Kind("volume group", list_vgs, name=attrgetter("name"), uuid=attrgetter("uuid"))


def lookup(host, ref: str) -> VolumeGroup:
    return select_one(VGS, host, ref)


def select(host, patterns) -> list[VolumeGroup]:
    return select_entities(VGS, host, patterns)


def _marker_name(uuid: str, name: str) -> str:
    return f"{MARKER_PREFIX}{uuid}-{name}"


def _check_free(host, name: str, uuid: str | None = None) -> None:
    if any(vg.name == name and vg.uuid != uuid for vg in list_vgs(host)):
        raise Conflict(f"volume group already exists: {name}")


@libvirt_call
def create(host, name: str, container: str | None) -> VolumeGroup:
    _check_free(host, name)
    pool = pools.container(host, container)
    uuid = str(uuidlib.uuid4())
    pools.make_volume(host, pool, _marker_name(uuid, name), 0, "raw")
    return lookup(host, uuid)


@libvirt_call
def rename(host, vg: VolumeGroup, name: str) -> None:
    """A new marker first, then the old one goes: a failure leaves the old name."""
    if name == vg.name:
        return
    _check_free(host, name, vg.uuid)
    pool = pools.pool_of(vg.marker)
    pools.make_volume(host, pool, _marker_name(vg.uuid, name), 0, "raw")
    pools.delete_volume(vg.marker)


@libvirt_call
def delete(host, vg: VolumeGroup) -> None:
    """Delete a VG that no VM uses: its disks, then its marker (so a cut-off
    delete leaves a VG that can be deleted again)."""
    users = attached_vms(host, vg)
    if users:
        raise InvalidState(f"volume group {vg.name} is attached to {', '.join(sorted(users))}; "
                           "detach it first (vg.detach_from_vm)")
    for index in sorted(vg.disks):
        pools.delete_volume(vg.disks[index])
    pools.delete_volume(vg.marker)


def attached_vms(host, vg: VolumeGroup) -> dict[str, str]:
    """name -> UUID of the VMs the VG is attached to (their definitions)."""
    from acli.storage import disks as D
    from acli.vms.domxml import inactive_root, scan

    paths = set(vg.disk_paths())
    return {dom.name(): dom.UUIDString() for dom, root in scan(host, inactive_root)
            if any(d.path in paths for d in D.disks_of(root))}


@libvirt_call
def new_disk(host, vg: VolumeGroup, size: int, container: str | None, index: int | None):
    """A new raw, sparse disk volume of the VG (in `container`, default the
    VG's); vg_attach.disk_create gives it to the VMs that have the VG."""
    from acli.errors import UsageError

    if index is None:
        index = next(i for i in range(MAX_DISKS + 1) if i not in vg.disks)
    if index >= MAX_DISKS:
        raise UsageError(f"Bad value for index: a volume group holds at most {MAX_DISKS} disks")
    if index in vg.disks:
        raise Conflict(f"volume group {vg.name} already has a disk at index {index}")
    pool = pools.container(host, container or vg.container)
    return pools.make_volume(host, pool, f"{DISK_PREFIX}{vg.uuid}-{index}.raw", size, "raw")


def record_fields(host, vg: VolumeGroup, attached: dict[str, str]) -> dict:
    """aCLI's keys for a VG, in its (alphabetical) order."""
    from acli.storage.records import container_id

    fields: dict = {}
    if attached:
        fields["attachment_list"] = [{"vm_name": n, "vm_uuid": u} for n, u in sorted(attached.items())]
    fields["container_name"] = vg.container
    disk_list = []
    for index in sorted(vg.disks):
        vol = vg.disks[index]
        pool = pools.pool_of(vol)
        disk_list.append({"container_id": container_id(pool.name()),
                          "container_uuid": pool.UUIDString(), "index": index,
                          "vmdisk_size": vol.info()[1],
                          "vmdisk_uuid": str(uuidlib.uuid5(uuidlib.NAMESPACE_URL,
                                                           "file://" + vol.path()))})
    if disk_list:
        fields["disk_list"] = disk_list
    fields["name"] = vg.name
    fields["shared"] = True
    fields["uuid"] = vg.uuid
    return fields
