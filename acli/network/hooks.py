"""Where networking plugs into the VM and sandbox code (acli/hooks.py): vm.get's
nic_list, fresh NIC identities for clones, the sandbox's port emulation around
power actions and deletes, addresses freed with a VM, a restore's NIC checks
and re-tagging, and the fresh sandbox's host NICs. Each hook is a
lazy `module:function` reference: loading the command table imports none of
the code behind it (no ovs, no libvirt)."""

from __future__ import annotations

from acli import hooks


def register() -> None:
    hooks.add(hooks.VM_CONFIG_PARTS, "acli.network.nicservice:config_part")
    hooks.add(hooks.CLONE_DEVICE_HOOKS, "acli.network.nicservice:clone_hook")
    hooks.add(hooks.AFTER_POWER, "acli.network.sandbox_ports:after_power", needs="interface")
    hooks.add(hooks.BEFORE_DELETE, "acli.network.sandbox_ports:before_delete", needs="interface")
    hooks.add(hooks.BEFORE_DELETE, "acli.network.ipam_service:before_vm_delete", needs="interface")
    hooks.add(hooks.BEFORE_RESTORE, "acli.network.nicservice:before_restore")
    hooks.add(hooks.AFTER_RESTORE, "acli.network.nicservice:after_restore")
    hooks.add(hooks.SANDBOX_NODE_PARTS, "acli.network.sandbox_setup:node_part")


register()
