"""vg.*: volume groups, disks shared by several VMs (volume_groups.py)."""

from __future__ import annotations

from acli.commands.common import MIB, VM, vm_of
from acli.commands.table import REQUIRED, command, keyword, positional
from acli.commands.types import EntityRef, Int, Selector, Size, Str
from acli.output.results import Record, Records, Table, Task, Tasks

VG = EntityRef("volume_group")
VGS = Selector("volume_group")


def _vg(ctx, ref):
    from acli.storage import volume_groups

    return volume_groups.lookup(ctx.host, ref)


@command("vg.create", "Create a volume group: disks that several VMs share.",
         positional("name", Str(), "the new volume group's name"),
         keyword("container", EntityRef("container"), "container for its disks (default: default-container)"),
         mutates=True)
def vg_create(ctx, name, container):
    from acli.names import check_name
    from acli.storage import volume_groups

    check_name("name", name, None)  # it becomes part of a volume's file name
    vg = volume_groups.create(ctx.host, name, container)
    return Tasks([Task(name, uuid=vg.uuid)])


@command("vg.list", "List volume groups.")
def vg_list(ctx):
    from acli.storage import volume_groups

    rows = [[vg.name, vg.uuid] for vg in volume_groups.list_vgs(ctx.host)]
    return Table(["Volume Group name", "Volume Group UUID"], ["name", "uuid"], rows)


@command("vg.get", "Show volume groups: their disks and the VMs they are attached to.",
         positional("vg_list", VGS, "volume groups by name, UUID or glob"))
def vg_get(ctx, vg_list):
    from acli.storage import volume_groups

    out = []
    for vg in volume_groups.select(ctx.host, vg_list):
        attached = volume_groups.attached_vms(ctx.host, vg)
        out.append(Record(vg.name, volume_groups.record_fields(ctx.host, vg, attached), vg.uuid))
    return Records(out)


@command("vg.update", "Rename a volume group.",
         positional("vg", VG, "the volume group's name or UUID"),
         keyword("name", Str(), "its new name", REQUIRED),
         mutates=True)
def vg_update(ctx, vg, name):
    from acli.names import check_name
    from acli.storage import volume_groups

    found = _vg(ctx, vg)
    check_name("name", name, None)
    volume_groups.rename(ctx.host, found, name)
    return Tasks([Task(name, uuid=found.uuid)])


@command("vg.delete", "Delete volume groups no VM has, with their disks (asks first).",
         positional("vg_list", VGS, "volume groups by name, UUID or glob"),
         mutates=True)
def vg_delete(ctx, vg_list):
    from acli.storage import volume_groups

    chosen = volume_groups.select(ctx.host, vg_list)
    ctx.confirm(f"Delete {len(chosen)} volume groups?")
    return ctx.each(chosen, lambda vg: volume_groups.delete(ctx.host, vg),
                    label=lambda vg: vg.name, uuid=lambda vg: vg.uuid)


@command("vg.disk_create", "Add a disk to a volume group (and to the VMs that have it).",
         positional("vg", VG, "the volume group's name or UUID"),
         keyword("create_size", Size(minimum=MIB), "the disk's size, e.g. 10G", REQUIRED),
         keyword("container", EntityRef("container"), "container for the disk (default: the volume group's)"),
         keyword("index", Int(0, 255), "the disk's index in the group (default: the lowest free)"),
         mutates=True)
def vg_disk_create(ctx, vg, create_size, container, index):
    from acli.storage import vg_attach

    found = _vg(ctx, vg)
    vg_attach.disk_create(ctx.host, found, create_size, container, index)
    return Tasks([Task("VolumeGroupDiskCreate", uuid=found.uuid)])


@command("vg.attach_to_vm", "Attach a volume group's disks to a VM (shared SCSI disks).",
         positional("vg", VG, "the volume group's name or UUID"),
         positional("vm", VM, "the VM's name or UUID"),
         mutates=True)
def vg_attach_to_vm(ctx, vg, vm):
    from acli.storage import vg_attach

    found = _vg(ctx, vg)
    vg_attach.attach(ctx.host, found, vm_of(ctx, vm))
    return Tasks([Task(found.name, uuid=found.uuid)])


@command("vg.detach_from_vm", "Detach a volume group's disks from a VM (the disks stay).",
         positional("vg", VG, "the volume group's name or UUID"),
         positional("vm", VM, "the VM's name or UUID"),
         mutates=True)
def vg_detach_from_vm(ctx, vg, vm):
    from acli.storage import vg_attach

    found = _vg(ctx, vg)
    vg_attach.detach(ctx.host, found, vm_of(ctx, vm))
    return Tasks([Task(found.name, uuid=found.uuid)])
