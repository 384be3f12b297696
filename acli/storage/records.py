"""What vm.get's disk_list and vm.disk_get print for a disk, and the hooks
that plug storage into the VM commands (registered by register())."""

from __future__ import annotations

import uuid as uuidlib

from acli.storage import disks as D
from acli.storage import pools
from acli.vms.events import ConfigEvent

DEVICE_NS = uuidlib.UUID("3f0c2d1e-8b4a-4e6f-9c7d-5a1b2c3d4e60")


def disk_fields(host, disk: D.Disk, vm_uuid: str) -> dict:
    """The keys aCLI prints for a disk, in its (alphabetical) order. A
    disk's source is `source_vmdisk_uuid`, the vmdisk it was cloned from
    (an image's: scripts find the image whose vmdisk_uuid it is)."""
    fields: dict = {"addr": {"bus": disk.bus, "index": disk.index}}
    if disk.cdrom:
        fields["cdrom"] = True
    vol = pools.volume_by_path(host, disk.path) if disk.path else None
    if vol is not None:
        pool = pools.pool_of(vol)
        fields["container_id"] = container_id(pool.name())
        fields["container_uuid"] = pool.UUIDString()
    fields["device_uuid"] = device_uuid(vm_uuid, disk)
    if disk.cdrom:
        fields["empty"] = disk.path is None
    source = _source_vmdisk(disk, vol)
    if source:
        fields["source_vmdisk_uuid"] = source
    if vol is not None:
        fields["vmdisk_size"] = vol.info()[1]
    if disk.path:
        fields["vmdisk_uuid"] = disk.vmdisk_uuid
    return fields


def _source_vmdisk(disk: D.Disk, vol) -> str | None:
    if disk.cdrom:  # an ISO image in the drive
        if disk.path and disk.path.rsplit("/", 1)[-1].startswith(D.IMAGE_PREFIX):
            return disk.vmdisk_uuid
        return None
    backing = pools.backing_path(vol) if vol is not None else None
    return D.uuid_in_volume_name(backing.rsplit("/", 1)[-1]) if backing else None


def container_id(name: str) -> int:
    """aCLI's number of a container. A libvirt pool has none: the CRC-32 of
    its name stands in, the same in every listing and on every host, where
    a container is one by name (pool UUIDs differ from host to host)."""
    import zlib

    return zlib.crc32(name.encode())


def device_uuid(vm_uuid: str, disk: D.Disk) -> str:
    """The disk device's UUID (aCLI's device_uuid, not the vmdisk's). libvirt
    keeps none; it is derived from the VM, the address and the vmdisk, so it
    needs no storage and stays the same while the device does (a CD-ROM's
    keeps across media)."""
    held = "cdrom" if disk.cdrom else (disk.vmdisk_uuid or "")
    return str(uuidlib.uuid5(DEVICE_NS, f"{vm_uuid}/{disk.addr}/{held}"))


def vm_config_parts(event: ConfigEvent) -> list[dict]:
    """CONFIG_PARTS hook: each VM's `disk_list` in vm.get, sizes in bytes,
    and its boot device's address when that is a disk or CD-ROM."""
    from acli.vms.boot import first_device

    out = []
    for definition in event.definitions:
        vm_uuid = definition.dom.UUIDString()
        disks = D.disks_of(definition.root)
        found = [disk_fields(event.host, d, vm_uuid) for d in disks]
        part = {"disk_list": found} if found else {}  # as aCLI: no key without disks
        first = first_device(definition.root) if disks else None
        for disk in disks:
            if disk.element is first:  # the boot device vm.update_boot_device chose
                part["boot"] = {"boot_device": {"disk_addr": {"bus": disk.bus,
                                                              "index": disk.index}}}
        out.append(part)
    return out


def add_vmdisk_paths(root, fields: dict) -> None:
    """vm.get include_vmdisk_paths=true: each disk's file, under the key aCLI
    prints it with (vmdisk_nfs_path; here a path on the host, not NFS).
    `root` is the VM's definition the fields were read from."""
    paths = {(d.bus, d.index): d.path for d in D.disks_of(root) if d.path}
    for entry in fields["config"].get("disk_list", []):
        path = paths.get((entry["addr"]["bus"], entry["addr"]["index"]))
        if path:
            entry["vmdisk_nfs_path"] = path
