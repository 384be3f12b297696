"""Where storage plugs into the VM and sandbox code (acli/hooks.py): vm.get's
disk_list, the volumes vm.delete removes, the disks vm.clone copies, and the
fresh sandbox's container and media. Each hook is a lazy `module:function`
reference, so loading the command table imports no storage code."""

from __future__ import annotations

from acli import hooks


def register() -> None:
    hooks.add(hooks.VM_CONFIG_PARTS, "acli.storage.records:vm_config_part")
    hooks.add(hooks.BEFORE_DELETE, "acli.storage.hooks:before_vm_delete")
    hooks.add(hooks.CLONE_DEVICE_HOOKS, "acli.storage.diskops:clone_disks")
    hooks.add(hooks.SANDBOX_NODE_PARTS, "acli.storage.pools:sandbox_initial_pool")
    hooks.add(hooks.SANDBOX_SETUP_STEPS, "acli.storage.sandbox_media:write_media")


def before_vm_delete(host, dom, definition) -> None:
    """A VM owns volumes only through the disks of its definition and of its
    snapshots: without either there is nothing to remove, and the storage
    code is not even loaded (a batch deleting plain VMs never needs it)."""
    if not definition.has("disk") and not dom.snapshotNum(0):
        return
    from acli.storage import ownership

    ownership.before_vm_delete(host, dom, definition)


register()
