"""vm_group.*: named sets of VMs, and their anti-affinity (no two running
members on one host), kept on every host of the cluster
(acli/cluster/groups.py)."""

from __future__ import annotations

from acli.commands.common import VMS
from acli.commands.table import REQUIRED, command, keyword, positional
from acli.commands.types import EntityRef, Name, Selector
from acli.output.results import Table, Task, Tasks

GROUP = EntityRef("vm_group")


def _groups():
    from acli.cluster import groups

    return groups


@command("vm_group.create", "Create a VM group.",
         positional("name", Name(), "the group's name", REQUIRED),
         mutates=True, scope="cluster")
def vm_group_create(ctx, name):
    group = _groups().create(ctx.cluster, name)
    return Tasks([Task(group.name, uuid=group.uuid)])


@command("vm_group.list", "List VM groups.", scope="cluster")
def vm_group_list(ctx):
    rows = [[g.name, g.uuid, g.anti_affinity, len(g.vms)] for g in _groups().all_groups(ctx.cluster)]
    return Table(["VM group name", "VM group UUID", "Anti-affinity", "VMs"],
                 ["name", "uuid", "anti_affinity", "num_vms"], rows)


@command("vm_group.list_vms", "List the VMs of a VM group.",
         positional("group", GROUP, "the group's name or UUID", REQUIRED),
         scope="cluster")
def vm_group_list_vms(ctx, group):
    from acli.cluster.vms import every

    found = _groups().lookup(ctx.cluster, group)
    names = {vm.uuid: vm.name for vm in every(ctx.cluster)}
    rows = [[names.get(uuid, "(deleted)"), uuid] for uuid in found.vms]
    return Table(["VM name", "VM UUID"], ["name", "uuid"], rows)


def _change(ctx, group, change):
    groups = _groups()
    found = groups.lookup(ctx.cluster, group)
    change(found)
    groups.store(ctx.cluster, found)
    return Tasks([Task(found.name, uuid=found.uuid)])


@command("vm_group.add_vms", "Add VMs to a VM group.",
         positional("group", GROUP, "the group's name or UUID", REQUIRED),
         keyword("vm_list", VMS, "the VMs to add", REQUIRED),
         mutates=True, scope="cluster")
def vm_group_add_vms(ctx, group, vm_list):
    from acli.cluster.vms import locate

    uuids = [vm.uuid for vm in locate(ctx.cluster, vm_list)]
    return _change(ctx, group, lambda g: g.vms.extend(u for u in uuids if u not in g.vms))


@command("vm_group.remove_vms", "Take VMs out of a VM group.",
         positional("group", GROUP, "the group's name or UUID", REQUIRED),
         keyword("vm_list", VMS, "the VMs to take out", REQUIRED),
         mutates=True, scope="cluster")
def vm_group_remove_vms(ctx, group, vm_list):
    from acli.cluster.vms import locate

    uuids = {vm.uuid for vm in locate(ctx.cluster, vm_list)}

    def remove(g):
        g.vms[:] = [u for u in g.vms if u not in uuids]

    return _change(ctx, group, remove)


@command("vm_group.antiaffinity_set", "Keep the group's running VMs on different hosts.",
         positional("group", GROUP, "the group's name or UUID", REQUIRED),
         mutates=True, scope="cluster")
def vm_group_antiaffinity_set(ctx, group):
    return _change(ctx, group, lambda g: setattr(g, "anti_affinity", True))


@command("vm_group.antiaffinity_unset", "Let the group's VMs share hosts again.",
         positional("group", GROUP, "the group's name or UUID", REQUIRED),
         mutates=True, scope="cluster")
def vm_group_antiaffinity_unset(ctx, group):
    return _change(ctx, group, lambda g: setattr(g, "anti_affinity", False))


@command("vm_group.delete", "Delete VM groups (their VMs stay).",
         positional("group_list", Selector("vm_group"), "groups by name, UUID or glob", REQUIRED),
         mutates=True, scope="cluster")
def vm_group_delete(ctx, group_list):
    groups = _groups()
    found = groups.select(ctx.cluster, group_list)
    ctx.confirm(f"Delete {len(found)} VM groups?")
    tasks = []
    for group in found:
        groups.store(ctx.cluster, None, group.uuid)
        tasks.append(Task(group.name, uuid=group.uuid))
    return Tasks(tasks)

