"""The sandbox's stand-in for what libvirt and ovs-vswitchd do on a real host
when a VM's NICs go live: one OVS port per NIC of a running VM, named vnetN,
on its network's bridge, with tag / trunks / vlan_mode and the Interface
external_ids libvirt writes (iface-id, attached-mac, vm-id, iface-status,
and port-profile for a virtualport with a profileid).

`sync(host, dom)` makes the private OVSDB match the domain: all its NICs'
ports when it runs, none when it does not. Power actions, hot-plug, unplug
and re-tagging all come down to it.
"""

from __future__ import annotations

from acli.hosts.events import SandboxEvent
from acli.network import nics as nicmod
from acli.vms.events import VmEvent


def _desired(host, dom) -> dict[str, tuple[str, nicmod.Nic]]:
    """iface-id -> (bridge, NIC) for a running domain's NICs."""
    from acli.network.networks import by_name
    from acli.vms.domxml import inactive_root

    if not dom.isActive():
        return {}
    root = inactive_root(dom)
    nets = by_name(host)
    out = {}
    for el in nicmod.interfaces(root):
        nic = nicmod.parse(el, {n: net.vlan for n, net in nets.items()})
        bridge = nets[nic.network].bridge if nic.network in nets else nic.bridge
        if bridge:
            out[nic.uuid or nic.mac] = (bridge, nic)
    return out


def sync(host, dom) -> None:
    want = _desired(host, dom)
    vm_id = dom.UUIDString()
    db = host.ovsdb()
    db.transact(lambda txn, d: _stage(txn, d, vm_id, want), expect_change=False)


def _stage(txn, db, vm_id: str, want: dict) -> None:
    bridges = {b.name: b for b in db.rows("Bridge")}
    have = {}  # iface-id -> (bridge row, port row, interface row)
    names = set()
    for bridge in bridges.values():
        for port in bridge.ports:
            names.add(port.name)
            for iface in port.interfaces:
                if iface.external_ids.get("vm-id") == vm_id:
                    have[iface.external_ids.get("iface-id")] = (bridge, port, iface)
    for key, (bridge, port, iface) in have.items():
        if key not in want or want[key][0] != bridge.name:
            bridge.verify("ports")
            bridge.ports = [p for p in bridge.ports if p.uuid != port.uuid]
    for key, (bridge_name, nic) in want.items():
        bridge = bridges.get(bridge_name)
        if bridge is None:
            continue  # libvirt would refuse to start the VM; the sandbox shrugs
        found = have.get(key)
        new = not (found and found[0].name == bridge_name)
        if not new:
            port, iface = found[1], found[2]
        else:
            name = _free_name(names)
            names.add(name)
            iface = txn.insert(db.idl.tables["Interface"])
            iface.name = name
            port = txn.insert(db.idl.tables["Port"])
            port.name = name
            port.interfaces = [iface]
            bridge.verify("ports")
            bridge.ports = list(bridge.ports) + [port]
        for column, value in nic.port_columns().items():
            if new or list(getattr(port, column)) != value:
                setattr(port, column, value)
        ids = {"iface-id": key, "attached-mac": nic.mac, "vm-id": vm_id, "iface-status": "active"}
        if nic.nf_type:  # libvirt writes a virtualport's profileid so
            from acli.network.nfchain import profile_of

            ids["port-profile"] = profile_of(nic.nf_type)
        if new or dict(iface.external_ids) != ids:
            iface.external_ids = ids
        state = ["up" if nic.connected else "down"]
        if new or list(iface.link_state) != state:
            iface.link_state = state
            iface.admin_state = state


def _free_name(names: set[str]) -> str:
    n = 0
    while f"vnet{n}" in names:
        n += 1
    return f"vnet{n}"


def settle(event: SandboxEvent) -> None:
    """sandbox SETTLE: the ports of every VM whose power changed follow its
    state now (the sandbox defers them to the end of a command or batch)."""
    import libvirt

    from acli.vms.domxml import Definition

    host = event.host
    pending, host.pending_ports = host.pending_ports, {}
    for dom in pending:
        try:
            if Definition(dom).has("interface"):
                sync(host, dom)
        except libvirt.libvirtError as err:
            if err.get_error_code() != libvirt.VIR_ERR_NO_DOMAIN:
                raise


def resync(event: SandboxEvent) -> None:
    """sandbox RESYNC: every VM's ports as its state in the node file says,
    and no port of a VM the file does not hold (one a killed batch made)."""
    import libvirt

    host = event.host
    host.pending_ports = {}
    doms = host.conn.listAllDomains()
    for dom in doms:
        try:
            sync(host, dom)
        except libvirt.libvirtError as err:
            if err.get_error_code() != libvirt.VIR_ERR_NO_DOMAIN:
                raise
    known = {dom.UUIDString() for dom in doms}
    host.ovsdb().transact(lambda txn, db: _drop_unknown(db, known), expect_change=False)


def _drop_unknown(db, known: set[str]) -> None:
    for bridge in db.rows("Bridge"):
        gone = [port for port in bridge.ports
                if any(iface.external_ids.get("vm-id") not in (None, *known)
                       for iface in port.interfaces)]
        if gone:
            bridge.verify("ports")
            bridge.ports = [p for p in bridge.ports if p not in gone]


def before_delete(event: VmEvent) -> None:
    """BEFORE_DELETE: a VM's ports go with it (an off VM may still have some
    that settling was yet to remove)."""
    host, dom = event.host, event.dom
    if not host.caps.vswitchd and not dom.isActive():
        sync(host, dom)
