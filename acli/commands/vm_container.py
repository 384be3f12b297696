"""vm.update_container: a VM's disks moved to another container."""

from __future__ import annotations

from acli.commands.common import VM, vm_of
from acli.commands.table import REQUIRED, command, keyword, positional
from acli.commands.types import EntityRef
from acli.output.results import Task, Tasks


@command("vm.update_container", "Move a VM's disks to another container (VM off, no snapshots).",
         positional("vm", VM, "the VM's name or UUID"),
         keyword("container", EntityRef("container"), "the container to move the disks to", REQUIRED),
         mutates=True)
def vm_update_container(ctx, vm, container):
    from acli.storage.move import update_container

    dom = vm_of(ctx, vm)
    update_container(ctx.host, dom, container)
    return Tasks([Task(dom.name(), uuid=dom.UUIDString())])
