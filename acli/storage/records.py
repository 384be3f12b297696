"""What vm.get's disk_list and vm.disk_get print for a disk, and the hooks
that plug storage into the VM commands (registered by register())."""

from __future__ import annotations

from acli.storage import disks as D
from acli.storage import pools
from acli.vms.events import ConfigEvent


def disk_fields(host, disk: D.Disk) -> dict:
    fields: dict = {"addr": {"bus": disk.bus, "index": disk.index}}
    if disk.cdrom:
        fields["cdrom"] = True
        fields["empty"] = disk.path is None
    vol = pools.volume_by_path(host, disk.path) if disk.path else None
    if disk.path:
        fields["vmdisk_uuid"] = disk.vmdisk_uuid
    if vol is not None:
        pool = pools.pool_of(vol)
        fields["vmdisk_size"] = vol.info()[1]
        fields["container_name"] = pool.name()
        fields["container_uuid"] = pool.UUIDString()
        backing = pools.backing_path(vol)
        if backing:
            image_uuid = D.uuid_in_volume_name(backing.rsplit("/", 1)[-1])
            if image_uuid:
                fields["source_image_uuid"] = image_uuid
    if disk.cdrom and disk.path and disk.path.rsplit("/", 1)[-1].startswith(D.IMAGE_PREFIX):
        fields["source_image_uuid"] = disk.vmdisk_uuid
    return fields


def vm_config_parts(event: ConfigEvent) -> list[dict]:
    """CONFIG_PARTS hook: each VM's `disk_list` in vm.get, sizes in bytes."""
    out = []
    for definition in event.definitions:
        found = [disk_fields(event.host, d) for d in D.disks_of(definition.root)]
        out.append({"disk_list": found} if found else {})  # as aCLI: no key without disks
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
