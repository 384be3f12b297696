"""vm.disk_*, image.*, vm.snapshot_*, snapshot.*, vm.restore and container.*:
the storage commands. The work is in acli/storage; these entries bind
aCLI's parameters to it and shape the results."""

from __future__ import annotations

from acli.commands.table import REQUIRED, command, keyword, positional
from acli.commands.types import Bool, EntityRef, Enum, Int, ListOf, Selector, Size, Str
from acli.output.results import Record, Records, Table, Task, Tasks, Text
import acli.storage.hooks  # noqa: F401  registers storage's hooks

MIB = 1 << 20
VM = EntityRef("vm")
VMS = Selector("vm")
BUS = Enum("scsi", "ide", "sata", "pci")
IMAGE_TYPE = Enum("kDiskImage", "kIsoImage")
DISK_ADDR = Str()
DISK_ADDR.shape = "BUS.INDEX"


def _vm(ctx, ref):
    from acli.vms import service

    return service.lookup(ctx.host, ref)


def _addr(text):
    from acli.storage.disks import parse_addr

    return parse_addr(text)


# containers ----------------------------------------------------------------

@command("container.list", "List storage containers (libvirt storage pools) with capacity and free space.")
def container_list(ctx):
    from acli.storage import pools

    rows = []
    for pool in pools.all_containers(ctx.host):
        f = pools.container_fields(pool)
        rows.append([f["name"], f["capacity_bytes"], f["free_bytes"], f["path"], f["uuid"]])
    return Table(["Container name", "Max capacity (bytes)", "Free space (bytes)", "Path",
                  "Container UUID"], ["name", "capacity_bytes", "free_bytes", "path", "uuid"], rows)


@command("container.get", "Show storage containers.",
         positional("container_list", Selector("container"), "containers by name, UUID or glob"))
def container_get(ctx, container_list):
    import fnmatch

    from acli.errors import NotFound
    from acli.storage import pools

    every = pools.all_containers(ctx.host)
    chosen = []
    for pat in container_list:
        if pat.glob:
            found = [p for p in every if fnmatch.fnmatchcase(p.name(), pat.glob)]
            if not found:
                raise NotFound(f"no container matches {pat.text}", pat.column)
        else:
            found = [p for p in every if pat.text in (p.name(), p.UUIDString())]
            if not found:
                raise NotFound(f"container not found: {pat.text}", pat.column)
        chosen += [p for p in found if p not in chosen]
    out = []
    for pool in chosen:
        f = pools.container_fields(pool)
        out.append(Record(f["name"], f, f["uuid"]))
    return Records(out)


@command("container.create", "Create a storage container: a libvirt dir pool.",
         positional("name", Str(), "the new container's name"),
         keyword("path", Str(), "its directory (default: under /var/lib/acli/containers)"),
         mutates=True)
def container_create(ctx, name, path):
    from acli.commands.types import check_name
    from acli.storage import pools

    check_name("name", name, None)
    pool = pools.create_container(ctx.host, name, path)
    return Tasks([Task(name, uuid=pool.UUIDString())])


@command("container.delete", "Delete empty storage containers (asks first).",
         positional("container", Str(), "the container's name or UUID"),
         mutates=True)
def container_delete(ctx, container):
    from acli.storage import pools

    pool = pools.container(ctx.host, container)
    ctx.confirm("Delete 1 containers?")
    name = pool.name()
    pools.delete_container(ctx.host, pool)
    return Tasks([Task(name)])


# disks ---------------------------------------------------------------------

@command("vm.disk_create", "Add a disk or CD-ROM to VMs (hot-plug when on: SCSI and PCI only).",
         positional("vm_list", VMS, "VMs by name, UUID or glob"),
         keyword("create_size", Size(minimum=MIB), "size of a new empty disk, e.g. 10G"),
         keyword("container", EntityRef("container"), "container for the new volume (default: default-container)"),
         keyword("bus", BUS, "bus (default scsi; CD-ROMs ide, sata on q35)"),
         keyword("index", Int(0, 255), "index on the bus (default: the lowest free)"),
         keyword("clone_from_image", EntityRef("image"), "image to clone (copy-on-write)"),
         keyword("clone_from_vmdisk", Str(), "disk to copy: vm:VMNAME:scsi.0 or a vmdisk UUID"),
         keyword("cdrom", Bool(), "a CD-ROM drive", False),
         keyword("empty", Bool(), "an empty CD-ROM drive (with cdrom=true)", False),
         mutates=True)
def vm_disk_create(ctx, vm_list, create_size, container, bus, index, clone_from_image,
                   clone_from_vmdisk, cdrom, empty):
    from acli.storage import diskops
    from acli.vms import service

    doms = service.select(ctx.host, vm_list)
    kwargs = dict(bus=bus, index=index, create_size=create_size, container=container,
                  clone_from_image=clone_from_image, clone_from_vmdisk=clone_from_vmdisk,
                  cdrom=cdrom, empty=empty)
    if len(doms) == 1:  # one VM: a bad argument is the command's error, not a task's
        diskops.create(ctx.host, doms[0], **kwargs)
        return Tasks([Task("DiskCreate", uuid=doms[0].UUIDString())])
    # several VMs: all or nothing, as vm.create and vm.clone are
    diskops.create_on_all(ctx.host, doms, **kwargs)
    return Tasks([Task("DiskCreate", uuid=dom.UUIDString()) for dom in doms])


@command("vm.disk_list", "List a VM's disks and CD-ROMs.",
         positional("vm", VM, "the VM's name or UUID"))
def vm_disk_list(ctx, vm):
    from acli.storage.diskops import inactive_root
    from acli.storage.disks import disks_of

    rows = [[d.bus, d.index] for d in disks_of(inactive_root(_vm(ctx, vm)))]
    return Table(["Device bus", "Device index"], ["bus", "index"], rows)


@command("vm.disk_get", "Show a VM's disks (all, or the one at disk_addr).",
         positional("vm", VM, "the VM's name or UUID"),
         keyword("disk_addr", DISK_ADDR, "the disk's address, e.g. scsi.0"))
def vm_disk_get(ctx, vm, disk_addr):
    from acli.storage.diskops import inactive_root
    from acli.storage.disks import disks_of, find_disk
    from acli.storage.records import disk_fields

    dom = _vm(ctx, vm)
    root = inactive_root(dom)
    chosen = [find_disk(root, *_addr(disk_addr), dom.name())] if disk_addr else disks_of(root)
    return Records([Record(d.addr, disk_fields(ctx.host, d), d.vmdisk_uuid or d.addr)
                    for d in chosen])


@command("vm.disk_update", "Grow a disk (new_size), or change a CD-ROM's medium.",
         positional("vm", VM, "the VM's name or UUID"),
         keyword("disk_addr", DISK_ADDR, "the disk's address, e.g. scsi.0", REQUIRED),
         keyword("new_size", Size(minimum=MIB), "the disk's new, larger size, e.g. 20G"),
         keyword("clone_from_image", EntityRef("image"), "ISO image to insert into a CD-ROM"),
         keyword("empty", Bool(), "eject the CD-ROM's medium"),
         mutates=True)
def vm_disk_update(ctx, vm, disk_addr, new_size, clone_from_image, empty):
    from acli.storage import diskops

    dom = _vm(ctx, vm)
    bus, index = _addr(disk_addr)
    diskops.update(ctx.host, dom, bus, index, new_size=new_size,
                   clone_from_image=clone_from_image, empty=empty)
    return Tasks([Task("DiskUpdate", uuid=dom.UUIDString())])


@command("vm.disk_delete", "Remove a disk from a VM, and its volume (asks first).",
         positional("vm", VM, "the VM's name or UUID"),
         keyword("disk_addr", DISK_ADDR, "the disk's address, e.g. scsi.0", REQUIRED),
         mutates=True)
def vm_disk_delete(ctx, vm, disk_addr):
    from acli.storage import diskops
    from acli.storage.disks import find_disk

    dom = _vm(ctx, vm)
    bus, index = _addr(disk_addr)
    find_disk(diskops.inactive_root(dom), bus, index, dom.name())
    ctx.confirm("Delete existing disk?")
    diskops.delete(ctx.host, dom, bus, index)
    return Tasks([Task("DiskDelete", uuid=dom.UUIDString())])


# images --------------------------------------------------------------------

@command("image.create", "Create an image from a file or an http(s) URL (uploaded through libvirt).",
         positional("name", Str(), "the new image's name"),
         keyword("source_url", Str(), "a path, file:///path, or http(s)://...", REQUIRED),
         keyword("image_type", IMAGE_TYPE, "kDiskImage or kIsoImage (default: from the contents)"),
         keyword("container", EntityRef("container"), "container to hold it (default: default-container)"),
         keyword("annotation", Str(), "free text"),
         keyword("wait", Bool(), "wait for the upload (false: upload in the background)", True),
         mutates=True)
def image_create(ctx, name, source_url, image_type, container, annotation, wait):
    import sys

    from acli.commands.types import check_display_name
    from acli.storage import images

    check_display_name("name", name, None)  # before either path: a background upload too
    if not wait and not ctx.host.is_test_driver:
        from acli.storage.background import start_upload

        log = start_upload(ctx.host, name, source_url, image_type, container, annotation)
        return Text(f"{name}: pending", data={"label": name, "status": "pending", "log": log})
    image = images.create(ctx.host, name, source_url, image_type, container, annotation,
                          progress_stream=sys.stderr)
    return Tasks([Task(name, uuid=image.uuid)])


@command("image.list", "List images.")
def image_list(ctx):
    from acli.storage import images

    rows = [[i.name, i.image_type, i.uuid] for i in images.list_images(ctx.host)]
    return Table(["Image name", "Image type", "Image UUID"], ["name", "image_type", "uuid"], rows)


def _select_images(ctx, patterns):
    import fnmatch

    from acli.errors import NotFound
    from acli.storage import images

    chosen = []
    for pat in patterns:
        if pat.glob:
            found = [i for i in images.list_images(ctx.host) if fnmatch.fnmatchcase(i.name, pat.glob)]
            if not found:
                raise NotFound(f"no image matches {pat.text}", pat.column)
        else:
            try:
                found = [images.lookup(ctx.host, pat.text)]
            except NotFound as err:
                err.column = pat.column
                raise
        chosen += [i for i in found if i.uuid not in {c.uuid for c in chosen}]
    return chosen


@command("image.get", "Show images.",
         positional("image_list", Selector("image"), "images by name, UUID or glob"))
def image_get(ctx, image_list):
    from acli.storage.images import record_fields

    return Records([Record(i.name, record_fields(i), i.uuid) for i in _select_images(ctx, image_list)])


@command("image.update", "Change an image's name, type or annotation.",
         positional("image", EntityRef("image"), "the image's name or UUID"),
         keyword("name", Str(), "new name"),
         keyword("image_type", IMAGE_TYPE, "new type"),
         keyword("annotation", Str(), "new annotation"),
         mutates=True)
def image_update(ctx, image, name, image_type, annotation):
    from acli.errors import UsageError
    from acli.storage import images

    found = images.lookup(ctx.host, image)
    if name is None and image_type is None and annotation is None:
        raise UsageError("image.update: nothing to change (give name, image_type or annotation)")
    images.update(ctx.host, found, name=name, image_type=image_type, annotation=annotation)
    return Tasks([Task(name or found.name, uuid=found.uuid)])


@command("image.delete", "Delete images no disk uses (asks first).",
         positional("image_list", Selector("image"), "images by name, UUID or glob"),
         mutates=True)
def image_delete(ctx, image_list):
    from acli.storage import images

    chosen = _select_images(ctx, image_list)
    ctx.confirm(f"Delete {len(chosen)} images?")
    return ctx.each(chosen, lambda image: images.delete(ctx.host, image),
                    label=lambda image: image.name, uuid=lambda image: image.uuid)


# snapshots -----------------------------------------------------------------

SNAPSHOT_COLUMNS = ["Snapshot Name", "Snapshot ID", "Creation Time", "VM Name"]
SNAPSHOT_KEYS = ["name", "uuid", "creation_time", "vm_name"]


@command("vm.snapshot_create", "Take snapshots of a VM (libvirt internal snapshots).",
         positional("vm", VM, "the VM's name or UUID"),
         keyword("snapshot_name_list", ListOf(Str()), "names of the new snapshots", REQUIRED),
         mutates=True)
def vm_snapshot_create(ctx, vm, snapshot_name_list):
    from acli.storage import snapshots

    made = snapshots.create(ctx.host, _vm(ctx, vm), snapshot_name_list)
    return Tasks([Task("SnapshotCreate", uuid=s.uuid) for s in made])


@command("vm.snapshot_list", "List a VM's snapshots.",
         positional("vm", VM, "the VM's name or UUID"))
def vm_snapshot_list(ctx, vm):
    from acli.storage import snapshots

    rows = [[s.name, s.uuid, s.creation_time] for s in snapshots.of_vm(_vm(ctx, vm))]
    return Table(SNAPSHOT_COLUMNS[:3], SNAPSHOT_KEYS[:3], rows)


@command("snapshot.list", "List the snapshots of every VM.")
def snapshot_list(ctx):
    from acli.storage import snapshots

    rows = [[s.name, s.uuid, s.creation_time, s.dom.name()]
            for s in snapshots.all_snapshots(ctx.host)]
    return Table(SNAPSHOT_COLUMNS, SNAPSHOT_KEYS, rows)


@command("snapshot.get", "Show snapshots.",
         positional("snapshot_list", Selector("snapshot"), "snapshots by name, ID or glob"))
def snapshot_get(ctx, snapshot_list):
    from acli.storage import snapshots

    return Records([Record(s.name, snapshots.record_fields(s), s.uuid)
                    for s in snapshots.select(ctx.host, snapshot_list)])


@command("snapshot.delete", "Delete snapshots (asks first).",
         positional("snapshot_list", Selector("snapshot"), "snapshots by name, ID or glob"),
         mutates=True)
def snapshot_delete(ctx, snapshot_list):
    from acli.storage import snapshots

    chosen = snapshots.select(ctx.host, snapshot_list)
    ctx.confirm(f"Delete {len(chosen)} snapshots?")
    return ctx.each(chosen, lambda snap: snapshots.delete(ctx.host, snap),
                    label=lambda snap: snap.name, uuid=lambda snap: snap.uuid)


@command("vm.restore", "Bring a VM back to one of its snapshots.",
         positional("vm", VM, "the VM's name or UUID"),
         keyword("snapshot_name", EntityRef("snapshot"), "the snapshot's name or ID", REQUIRED),
         mutates=True)
def vm_restore(ctx, vm, snapshot_name):
    from acli.commands.types import Pattern
    from acli.storage import snapshots

    dom = _vm(ctx, vm)
    snap = snapshots.select(ctx.host, [Pattern(None, snapshot_name, None)], dom)[0]
    snapshots.restore(ctx.host, dom, snap)
    return Tasks([Task(dom.name(), uuid=dom.UUIDString())])
