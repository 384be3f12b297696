"""vm.disk_*: a VM's disks and CD-ROMs (volumes in containers)."""

from __future__ import annotations

from acli.commands.common import MIB, VM, VMS, vm_of, vms_of
from acli.commands.table import REQUIRED, command, keyword, positional
from acli.commands.types import Bool, EntityRef, Enum, Int, Size, Str
from acli.output.results import Record, Records, Table, Task, Tasks

BUS = Enum("scsi", "ide", "sata", "pci")
DISK_ADDR = Str()
DISK_ADDR.shape = "BUS.INDEX"
ADSF_PATH = Str()
ADSF_PATH.shape = "/CONTAINER/PATH"


def _addr(text):
    from acli.storage.disks import parse_addr

    return parse_addr(text)


@command("vm.disk_create", "Add a disk or CD-ROM to VMs (hot-plug when on: SCSI and PCI only).",
         positional("vm_list", VMS, "VMs by name, UUID or glob"),
         keyword("create_size", Size(minimum=MIB), "size of a new empty disk, e.g. 10G"),
         keyword("container", EntityRef("container"), "container for the new volume (default: default-container)"),
         keyword("bus", BUS, "bus (default scsi; CD-ROMs ide, sata on q35)"),
         keyword("index", Int(0, 255), "index on the bus (default: the lowest free)"),
         keyword("clone_from_image", EntityRef("image"), "image to clone (copy-on-write)"),
         keyword("clone_from_vmdisk", Str(), "disk to copy: vm:VMNAME:scsi.0 or a vmdisk UUID"),
         keyword("clone_from_adsf_file", ADSF_PATH, "file to copy, by its path in a container: "
                 "/CONTAINER/dir/file"),
         keyword("cdrom", Bool(), "a CD-ROM drive", False),
         keyword("empty", Bool(), "an empty CD-ROM drive (with cdrom=true)", False),
         mutates=True)
def vm_disk_create(ctx, vm_list, create_size, container, bus, index, clone_from_image,
                   clone_from_vmdisk, clone_from_adsf_file, cdrom, empty):
    from acli.storage import diskops

    doms = vms_of(ctx, vm_list)
    kwargs = dict(bus=bus, index=index, create_size=create_size, container=container,
                  clone_from_image=clone_from_image, clone_from_vmdisk=clone_from_vmdisk,
                  clone_from_adsf_file=clone_from_adsf_file, cdrom=cdrom, empty=empty)
    if len(doms) == 1:  # one VM: a bad argument is the command's error, not a task's
        diskops.create(ctx.host, doms[0], **kwargs)
        return Tasks([Task("DiskCreate", uuid=doms[0].UUIDString())])
    # several VMs: all or nothing, as vm.create and vm.clone are
    diskops.create_on_all(ctx.host, doms, **kwargs)
    return Tasks([Task("DiskCreate", uuid=dom.UUIDString()) for dom in doms])


@command("vm.disk_list", "List a VM's disks and CD-ROMs.",
         positional("vm", VM, "the VM's name or UUID"))
def vm_disk_list(ctx, vm):
    from acli.vms.domxml import inactive_root
    from acli.storage.disks import disks_of

    rows = [[d.bus, d.index] for d in disks_of(inactive_root(vm_of(ctx, vm)))]
    return Table(["Device bus", "Device index"], ["bus", "index"], rows)


@command("vm.disk_get", "Show a VM's disks (all, or the one at disk_addr).",
         positional("vm", VM, "the VM's name or UUID"),
         keyword("disk_addr", DISK_ADDR, "the disk's address, e.g. scsi.0"))
def vm_disk_get(ctx, vm, disk_addr):
    from acli.vms.domxml import inactive_root
    from acli.storage.disks import disks_of, find_disk
    from acli.storage.records import disk_fields

    dom = vm_of(ctx, vm)
    root = inactive_root(dom)
    chosen = [find_disk(root, *_addr(disk_addr), dom.name())] if disk_addr else disks_of(root)
    vm_uuid = dom.UUIDString()
    return Records([Record(d.addr, disk_fields(ctx.host, d, vm_uuid), d.vmdisk_uuid or d.addr)
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

    dom = vm_of(ctx, vm)
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
    from acli.vms.domxml import inactive_root

    dom = vm_of(ctx, vm)
    bus, index = _addr(disk_addr)
    find_disk(inactive_root(dom), bus, index, dom.name())
    ctx.confirm("Delete existing disk?")
    diskops.delete(ctx.host, dom, bus, index)
    return Tasks([Task("DiskDelete", uuid=dom.UUIDString())])
