"""Images: volumes named acli-image-<uuid>.<fmt> in a container, with their
name, type and annotation in the catalog (catalog.py).

An image is never written after its upload: disks cloned from a disk image
are qcow2 overlays with the image as their read-only backing file, and an
ISO image is attached to CD-ROMs read-only. So an image may not be deleted
while a disk or CD-ROM uses it.
"""

from __future__ import annotations

import os
import time
import uuid as uuidlib
from dataclasses import dataclass
from operator import attrgetter

from acli.echo import without_credentials
from acli.errors import Conflict, InvalidState, UsageError
from acli.hosts import tasks
from acli.hosts.libvirt_errors import libvirt_call
from acli.names import check_display_name
from acli.selection import Kind, select_one
from acli.selection import select as select_entities
from acli.storage import catalog, pools, sources, upload
from acli.storage.disks import IMAGE_PREFIX, disks_of, uuid_in_volume_name
from acli.vms.domxml import inactive_root, scan, snapshot_domain

DISK_IMAGE, ISO_IMAGE = "kDiskImage", "kIsoImage"


@dataclass
class Image:
    uuid: str
    name: str
    image_type: str
    annotation: str
    vol: object
    container: str
    container_uuid: str
    fmt: str
    source_url: str | None
    create_time: float | None

    @property
    def path(self) -> str:
        return self.vol.path()

    def size(self) -> int:
        return self.vol.info()[1]


def _fmt_of_name(volname: str) -> str:
    ext = volname.rsplit(".", 1)[-1]
    return {"qcow2": "qcow2", "iso": "raw"}.get(ext, "raw")


@libvirt_call
def list_images(host) -> list[Image]:
    """Every image on the host, sorted by name: one listing of the active
    pools and one of each pool's volumes, however many images there are."""
    import libvirt

    entries = catalog.load(host)
    out = []
    for pool in host.conn.listAllStoragePools(libvirt.VIR_CONNECT_LIST_STORAGE_POOLS_ACTIVE):
        for vol in pool.listAllVolumes():
            if not vol.name().startswith(IMAGE_PREFIX):
                continue
            uuid = uuid_in_volume_name(vol.name())
            if uuid is None:
                continue
            entry = entries.get(uuid, {})
            if entry.get("uploading"):
                if _upload_running(entry):
                    continue  # not an image until its upload has finished
                entry = {}  # its uploader died: show the volume by name, to be deleted
            kind = entry.get("image_type") or (ISO_IMAGE if vol.name().endswith(".iso") else DISK_IMAGE)
            out.append(Image(uuid, entry.get("name", vol.name()), kind, entry.get("annotation", ""),
                             vol, pool.name(), pool.UUIDString(), _fmt_of_name(vol.name()),
                             entry.get("source_url"), entry.get("create_time")))
    out.sort(key=lambda i: (i.name, i.uuid))
    return out


# How selection finds images: by a listing (their names are in the catalog).
IMAGES = Kind("image", list_images, name=attrgetter("name"),
              uuid=attrgetter("uuid"))


def lookup(host, ref: str) -> Image:
    """An image by name or UUID; a name two images share must be a UUID."""
    return select_one(IMAGES, host, ref)


def select(host, patterns) -> list[Image]:
    """Images named by a Selector's patterns, in order, each once."""
    return select_entities(IMAGES, host, patterns)


def _taken(host, name: str) -> bool:
    uploading = any(e.get("name") == name and e.get("uploading") and _upload_running(e)
                    for e in catalog.load(host).values())
    return uploading or any(i.name == name for i in list_images(host))


def reserve(host, name: str, pid: int | None = None, log: str | None = None) -> str:
    """Hold `name` for an upload about to start (by process `pid`, this one
    by default): a catalog entry marked uploading, which image.list hides
    and _taken counts. Checked and written under the catalog's lock, so two
    uploads of one name cannot both start. Returns the new image's UUID."""
    names = {i.name for i in list_images(host)}
    with catalog.editing(host) as entries:
        busy = any(e.get("name") == name and e.get("uploading") and _upload_running(e)
                   for e in entries.values())
        if busy or name in names:
            raise Conflict(f"image name already exists: {name}")
        uuid = str(uuidlib.uuid4())
        entries[uuid] = {"name": name, "uploading": True, "pid": pid or os.getpid()}
        if log:
            entries[uuid]["log"] = log
        _drop_old_failures(entries, name)
    return uuid


@libvirt_call
def create(host, name: str, source_url: str, image_type: str | None, container: str | None,
           annotation: str | None, progress_stream=None, reserved: str | None = None) -> Image:
    """Upload `source_url` into a new image; all or nothing. `name` was
    checked by image.create (before a background upload is started), which
    may have reserved it already (`reserved`: the UUID reserve() gave)."""
    pool = pools.container(host, container)
    room = pools.free_bytes(pool)
    uuid = reserved or reserve(host, name)
    try:
        # the sandbox lets other acli processes in while a source is read
        with host.unlocked():
            source = sources.open_source(source_url, room)
        try:
            image_type = _image_type(source, image_type)
            # the task starts once the source has answered and is known to
            # fit: a bad one is refused before it, and leaves no task
            with tasks.run(host, tasks.IMAGE_CREATE, name, "kImage", name, uuid,
                           percentage=True) as task:
                _fill(host, container, uuid, source, name, progress_stream, task)
                _catalog_upload(host, uuid, name, image_type, annotation, source_url)
        finally:
            source.close()
    except BaseException:
        forget(host, uuid)
        raise
    return lookup(host, uuid)


def _catalog_upload(host, uuid, name, image_type, annotation, source_url) -> None:
    with catalog.editing(host) as entries:
        entries[uuid] = {"name": name, "image_type": image_type,
                         "annotation": annotation or "",
                         "source_url": without_credentials(source_url),
                         "create_time": time.time()}


@libvirt_call
def create_from_vmdisk(host, name: str, vmdisk_ref: str, image_type: str | None,
                       container: str | None, annotation: str | None) -> Image:
    """An image holding a full copy of a VM's disk (`vm:VM:scsi.0` or a
    vmdisk UUID), flattened: it depends on nothing, not even on an image
    the disk was cloned from. All or nothing."""
    from acli.storage.diskcopy import source_volume

    if image_type == ISO_IMAGE:
        raise UsageError("Bad value for image_type: a VM's disk is a disk image, not an ISO")
    src = source_volume(host, vmdisk_ref)
    pool = pools.container(host, container)
    uuid = reserve(host, name)
    try:
        with tasks.run(host, tasks.IMAGE_CREATE, name, "kImage", name, uuid):
            _, capacity, allocation = src.info()
            pools.make_volume(host, pool, f"{IMAGE_PREFIX}{uuid}.qcow2", capacity, "qcow2",
                              src=src, allocation=allocation)
            with catalog.editing(host) as entries:
                entries[uuid] = {"name": name, "image_type": DISK_IMAGE,
                                 "annotation": annotation or "", "create_time": time.time()}
    except BaseException:
        forget(host, uuid)
        raise
    return lookup(host, uuid)


def _image_type(source, image_type: str | None) -> str:
    if image_type is None:
        return ISO_IMAGE if source.fmt == "iso" else DISK_IMAGE
    if image_type == ISO_IMAGE and source.fmt == "qcow2":
        raise UsageError("Bad value for image_type: the source is a qcow2 disk image, not an ISO")
    return image_type


def _fill(host, container, uuid: str, source, name: str, progress_stream, task) -> str:
    """A volume holding the source's bytes (an accounting entry of their
    size in the sandbox); returns its name. Nothing is left if it fails.
    The task (hosts/tasks.py) is told how far the upload is."""
    import libvirt

    ext = {"qcow2": "qcow2", "iso": "iso"}.get(source.fmt, "raw")
    volname = f"{IMAGE_PREFIX}{uuid}.{ext}"
    progress = upload.Progress(f"Uploading {name}", source.length, progress_stream,
                               on_percent=task.progress)
    if not host.caps.volume_data:
        # read (and count) every byte first, with the sandbox let go; then
        # an accounting entry: the virtual size, what was read
        try:
            with host.unlocked():
                upload.count(source, progress)
        finally:
            progress.end()
        pool = pools.container(host, container)  # looked up again after the wait
        vol_fmt = "qcow2" if source.fmt == "qcow2" else "raw"
        xml = pools.volume_xml(volname, source.virtual_size, vol_fmt, allocation=source.length)
        pools.create_volume(host, pool, xml, source.length)
        return volname
    pool = pools.container(host, container)
    pools.check_room(pool, source.length)
    # the uploaded bytes replace the whole file, header and all
    vol = pool.createXML(pools.volume_xml(volname, source.length, "raw", allocation=0), 0)
    try:
        try:
            upload.upload(host, vol, source, progress)
        finally:
            progress.end()
        pool.refresh(0)
    except BaseException as err:
        pools.delete_volume(vol)
        if isinstance(err, libvirt.libvirtError) and pools.is_out_of_space(err):
            raise pools.out_of_space(pool, source.length) from None
        raise
    return volname


# failed background uploads --------------------------------------------------

FAILURE_KEPT_SECONDS = 7 * 24 * 3600


def record_failure(host, uuid: str, name: str, message: str, log: str | None) -> None:
    """Keep a failed background upload's reason where image.list and
    image.get will show it (see failures())."""
    with catalog.editing(host) as entries:
        entries[uuid] = {"name": name, "failed": without_credentials(message),
                         "failed_time": time.time()}
        if log:
            entries[uuid]["log"] = log


def failures(host, name: str | None = None) -> list[dict]:
    """Failed background uploads (of `name`, or all) of the last
    FAILURE_KEPT_SECONDS, oldest first: dicts with name, failed (the
    reason), failed_time and log."""
    now = time.time()
    found = [e for e in catalog.load(host).values()
             if e.get("failed") and now - e.get("failed_time", 0) < FAILURE_KEPT_SECONDS
             and (name is None or e.get("name") == name)]
    return sorted(found, key=lambda e: e["failed_time"])


def _drop_old_failures(entries: dict, name: str) -> None:
    """A new upload of a name replaces its failure; old failures go."""
    now = time.time()
    for uuid, entry in list(entries.items()):
        if entry.get("failed") and (entry.get("name") == name or
                                    now - entry.get("failed_time", 0) >= FAILURE_KEPT_SECONDS):
            del entries[uuid]


def _upload_running(entry: dict) -> bool:
    """Whether the acli process uploading this entry is still alive."""
    try:
        os.kill(int(entry.get("pid", 0)), 0)
    except (OSError, ValueError):
        return False
    return bool(entry.get("pid"))


def forget(host, uuid: str) -> None:
    with catalog.editing(host) as entries:
        entries.pop(uuid, None)


@libvirt_call
def update(host, image: Image, *, name=None, image_type=None, annotation=None) -> None:
    if name is not None and name != image.name:
        check_display_name("name", name, None)
        if _taken(host, name):
            raise Conflict(f"image name already exists: {name}")
    if image_type == ISO_IMAGE and image.fmt == "qcow2":
        raise UsageError("Bad value for image_type: a qcow2 image cannot be an ISO image")
    with catalog.editing(host) as entries:
        entry = entries.setdefault(image.uuid, {"name": image.name, "image_type": image.image_type,
                                                "annotation": image.annotation})
        if name is not None:
            entry["name"] = name
        if image_type is not None:
            entry["image_type"] = image_type
        if annotation is not None:
            entry["annotation"] = annotation


def users(host, image: Image) -> list[str]:
    """What depends on the image: 'VM bus.index' for CD-ROMs and overlay
    disks, 'snapshot S of VM' for overlays only a snapshot still holds, and
    volume names for overlays nothing else names."""
    path = image.path
    overlays = set()
    for vol in pools.all_volumes(host):
        if vol.name() != image.vol.name() and pools.backing_path(vol) == path:
            overlays.add(vol.path())
    found, named = [], set()
    for dom, (root, snaps) in scan(host, lambda d: (inactive_root(d), d.listAllSnapshots(0))):
        for disk in disks_of(root):
            if disk.path == path or disk.path in overlays:
                found.append(f"{dom.name()} {disk.addr}")
                named.add(disk.path)
        for snap in snaps:
            dom_el = snapshot_domain(snap)
            paths = {d.path for d in disks_of(dom_el)} if dom_el is not None else set()
            if (path in paths or paths & overlays) and not paths & named:
                found.append(f"snapshot {snap.getName()} of {dom.name()}")
                named |= paths
    found += sorted(p.rsplit("/", 1)[-1] for p in overlays - named)
    return found


@libvirt_call
def delete(host, image: Image) -> None:
    used = users(host, image)
    if used:
        more = f" and {len(used) - 3} more" if len(used) > 3 else ""
        raise InvalidState(f"in use by {', '.join(used[:3])}{more}; delete those disks "
                           "(or snapshots) first")
    pools.delete_volume(image.vol)
    with catalog.editing(host) as entries:
        entries.pop(image.uuid, None)


def record_fields(image: Image) -> dict:
    fields = {"name": image.name, "uuid": image.uuid, "image_type": image.image_type,
              "image_state": "kActive", "container_name": image.container,
              "container_uuid": image.container_uuid, "vmdisk_size": image.size(),
              "vmdisk_uuid": image.uuid, "file_format": "iso" if image.vol.name().endswith(".iso")
              else image.fmt}
    if image.annotation:
        fields["annotation"] = image.annotation
    if image.source_url:
        fields["image_source"] = {"source_url": image.source_url}
    return fields
