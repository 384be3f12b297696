"""vm.snapshot_*: one VM's snapshots (vm.restore is with the vm.* commands)."""

from __future__ import annotations

from acli.commands.common import VM, vm_of
from acli.commands.snapshot import SNAPSHOT_COLUMNS, SNAPSHOT_KEYS, creation_time
from acli.commands.table import REQUIRED, command, keyword, positional
from acli.commands.types import ListOf, SnapshotName
from acli.limits import MAX_SNAPSHOTS_PER_VM
from acli.output.results import Table, Task, Tasks


@command("vm.snapshot_create", "Take snapshots of a VM (libvirt internal snapshots).",
         positional("vm", VM, "the VM's name or UUID"),
         keyword("snapshot_name_list", ListOf(SnapshotName(), most=MAX_SNAPSHOTS_PER_VM),
                 f"names of the new snapshots (a VM has at most {MAX_SNAPSHOTS_PER_VM})", REQUIRED),
         mutates=True)
def vm_snapshot_create(ctx, vm, snapshot_name_list):
    from acli.storage import snapshots

    made = snapshots.create(ctx.host, vm_of(ctx, vm), snapshot_name_list)
    return Tasks([Task("SnapshotCreate", uuid=s.uuid) for s in made])


@command("vm.snapshot_list", "List a VM's snapshots.",
         positional("vm", VM, "the VM's name or UUID"))
def vm_snapshot_list(ctx, vm):
    from acli.storage import snapshots

    rows = [[s.name, s.uuid, creation_time(s.created)] for s in snapshots.of_vm(vm_of(ctx, vm))]
    return Table(SNAPSHOT_COLUMNS[:3], SNAPSHOT_KEYS[:3], rows)
