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
    hooks.add(hooks.AFTER_POWER, "acli.network.hooks:note_power_change")
    hooks.add(hooks.BEFORE_DELETE, "acli.network.hooks:forget_power_change")
    hooks.add(hooks.BEFORE_DELETE, "acli.network.sandbox_ports:before_delete", needs="interface")
    hooks.add(hooks.SANDBOX_SETTLE, "acli.network.sandbox_ports:settle")
    hooks.add(hooks.BEFORE_DELETE, "acli.network.ipam_service:before_vm_delete", needs="interface")
    hooks.add(hooks.BEFORE_RESTORE, "acli.network.nicservice:before_restore")
    hooks.add(hooks.AFTER_RESTORE, "acli.network.nicservice:after_restore")
    hooks.add(hooks.SANDBOX_NODE_PARTS, "acli.network.sandbox_setup:node_part")


def note_power_change(host, dom, definition, action) -> None:
    """AFTER_POWER: the sandbox's ports follow the VM's power state. The
    sandbox host brings them in line when the command or batch ends (see
    SandboxHost.settle); another test-driver host does it at once."""
    if not host.is_test_driver:
        return  # libvirt and ovs-vswitchd do this on a real host
    stale = getattr(host, "stale_ports", None)
    if stale is not None:
        stale[dom] = None
    elif definition.has("interface"):
        from acli.network.sandbox_ports import sync

        sync(host, dom)


def forget_power_change(host, dom, definition) -> None:
    """BEFORE_DELETE: a deleted VM's ports go with it (sandbox_ports.before_delete)."""
    stale = getattr(host, "stale_ports", None)
    if stale:
        stale.pop(dom, None)


register()
