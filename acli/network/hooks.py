"""Networking's hooks on a VM's life that belong to no one service: the
sandbox's VM ports follow power actions (deferred to settle()) and go with
a deleted VM; managed networks' DHCP rules follow a real host's ports.
Wired in acli/wiring.py."""

from __future__ import annotations

from acli.vms.events import PowerEvent, VmEvent


def note_power_change(event: PowerEvent) -> None:
    """AFTER_POWER: the ports follow the VM's power state. A host that defers
    them (the sandbox) brings them in line when the command or batch ends
    (see SandboxHost.settle); another host without ovs-vswitchd does it at
    once."""
    host = event.host
    if host.caps.dhcp_servers and event.definition.has("interface"):
        from acli.network import dhcp_ports
        from acli.network import nics

        dhcp_ports.note(host, nics.interfaces(event.definition.root))  # DHCP rules name ports
    if host.caps.vswitchd:
        return  # libvirt and ovs-vswitchd do this on a real host
    pending = host.pending_ports
    if pending is not None:
        pending[event.dom] = None
    elif event.definition.has("interface"):
        from acli.network.sandbox_ports import sync

        sync(host, event.dom)


def forget_power_change(event: VmEvent) -> None:
    """BEFORE_DELETE: a deleted VM's ports go with it (sandbox_ports.before_delete)."""
    pending = event.host.pending_ports
    if pending:
        pending.pop(event.dom, None)
