"""net.create / get / list / update / delete / list_vms with aCLI's meaning."""

from __future__ import annotations

import copy
import xml.etree.ElementTree as ET
from dataclasses import replace

from acli.errors import AcliError, Conflict, InvalidState, UsageError
from acli.hosts.libvirt_errors import libvirt_call
from acli.network import networks, nicops, values
from acli.network import nics as nicmod


def resolve_bridge(host, vswitch_name: str | None, virtual_switch: str | None) -> str:
    """The OVS bridge a new network goes on: vswitch_name=brN (any OVS
    bridge), virtual_switch=vsN, or vs0."""
    from acli.network import vswitch
    db = host.ovsdb()
    db.refresh()
    if vswitch_name is not None and virtual_switch is not None:
        vs = vswitch.find(db, virtual_switch)
        if vs.bridge != vswitch_name:
            raise UsageError(f"vswitch_name={vswitch_name} and virtual_switch={virtual_switch} "
                             f"disagree ({virtual_switch} is {vs.bridge})")
        return vs.bridge
    if vswitch_name is not None:
        return vswitch.find_bridge(db, vswitch_name).name
    return vswitch.find(db, virtual_switch or "vs0").bridge


def create(host, name, vlan, bridge, ip_config, dhcp_address, annotation) -> networks.Network:
    values.vlan(vlan)
    if dhcp_address is not None and ip_config is None:
        raise UsageError("dhcp_address needs ip_config (a managed network)")
    if ip_config is not None:
        networks.check_ip_config(ip_config, dhcp_address)
    net = networks.Network(name=name, bridge=bridge, vlan=vlan, annotation=annotation,
                           ip_config=str(ip_config) if ip_config is not None else None,
                           dhcp_address=dhcp_address)
    networks.check_definition(net)
    return networks.create(host, net)


def network_fields(host, net: networks.Network) -> dict:
    """net.get's fields of one network."""
    fields = {"name": net.name, "uuid": net.uuid, "type": "kBridged", "identifier": net.vlan,
              "vswitch_name": net.bridge, "annotation": net.annotation}
    vs = _switch_of(host, net.bridge)
    if vs:
        fields["virtual_switch"] = vs
    if net.retag_pending:  # a re-tag was cut off: `net.update NAME` finishes it
        fields["retag_pending"] = True
    if net.ip_config:
        from acli.network.ipam_service import ip_config_fields

        fields["ip_config"] = ip_config_fields(net)
        fields["dhcp_server"] = dhcp_fields(host, net)
    return fields


def dhcp_fields(host, net: networks.Network) -> dict:
    """net.get's dhcp_server block: the server's configuration, the same on
    every kind of host, and its state where acli runs it."""
    from acli.network import dhcp_config

    fields = {}
    if host.caps.dhcp_servers:
        from acli.network import dhcp_server

        fields.update(dhcp_server.state(host, net))
    else:
        fields["state"] = "not run on this host (configuration only)"
    fields.update(dhcp_config.view(dhcp_config.plan(net)))
    return fields


def _switch_of(host, bridge: str) -> str | None:
    from acli.network.vswitch import VS_KEY

    db = host.ovsdb()
    db.refresh()
    row = db.bridge(bridge)
    return row.external_ids.get(VS_KEY) if row is not None else None


@libvirt_call
def nics_on(host, net: networks.Network) -> list[tuple[str, str, str, str | None]]:
    """(VM UUID, VM name, MAC, address) of every NIC on the network and, on
    a managed one, of every trunked NIC holding one of its addresses (as
    it carries its VLAN, acli/network/ipam_trunks.py); the address is the
    NIC's lease on a managed network ("" without one), None on an
    unmanaged one."""
    held = {lease.mac for lease in net.ipam.leases} if net.managed else set()

    def on_it(el):
        source = el.find("source")
        if source is not None and source.get("network") == net.name:
            return True
        return bool(held) and nicmod.parse(el).mac in held

    rows = []
    for dom, _root, els in nicops.users_by(host, on_it):
        for el in els:
            mac = nicmod.parse(el).mac
            ip = None
            if net.managed:
                lease = net.ipam.lease_of(mac)
                ip = lease.ip if lease else ""
            rows.append((dom.UUIDString(), dom.name(), mac, ip))
    return rows


@libvirt_call
def delete_check(host, ref: str):
    net, virnet = networks.lookup(host, ref)
    using = nicops.users(host, net.name)
    if using:
        count = sum(len(els) for _, _, els in using)
        names = ", ".join(dom.name() for dom, _, _ in using[:5])
        raise Conflict(f"network {net.name} is used by {count} NICs of {len(using)} VMs "
                       f"({names}); delete or move those NICs first")
    return net, virnet


@libvirt_call
def update(host, ref: str, *, name=None, vlan=None, annotation=None) -> networks.Network:
    """Change a network; a new VLAN re-tags every NIC on it (definitions and
    live ports), a new name follows into every NIC. All or nothing.

    While the NICs are re-tagged the network's definition carries
    `retag_pending`. If acli is killed meanwhile, or a failure cannot be
    undone everywhere (a daemon died), it stays: net.get shows it, and the
    next net.update of the network first brings every NIC (and live port)
    in line with the network's VLAN."""
    net, _ = networks.lookup(host, ref)
    if net.retag_pending:
        net = finish_retag(host, net)
        if name is None and vlan is None and annotation is None:
            return net
    if name is None and vlan is None and annotation is None:
        raise UsageError("net.update: nothing to change (give name, vlan or annotation)")
    if vlan is not None:
        values.vlan(vlan)
    new = replace(net, name=name or net.name, vlan=net.vlan if vlan is None else vlan,
                  annotation=net.annotation if annotation is None else annotation)
    networks.check_definition(new)
    # trunked NICs' addresses follow the VLAN: decided first (full pools
    # refuse the update), stored with it, put back with it
    carried = _trunk_leases(host, net, new) if new.vlan != net.vlan else []
    new = next((leased for old, leased in carried if old is new), new)
    carried = [(old, leased) for old, leased in carried if old.uuid != new.uuid]
    using = nicops.users(host, net.name) if (new.vlan != net.vlan or new.name != net.name) else []
    if new.name != net.name:
        running = [dom.name() for dom, _, _ in using if dom.isActive()]
        if running:
            raise InvalidState(f"cannot rename {net.name} while running VMs use it "
                               f"({', '.join(running[:5])}); power them off first")
    changes = [_changes_of(dom, root, els, net, new) for dom, root, els in using]
    with networks.redefined(host, carried):
        if not changes:
            networks.redefine(host, net, new)
            return new
        marked = replace(new, retag_pending=True)
        networks.redefine(host, net, marked, restart=False)
        try:
            nicops.rewrite_all(host, changes)
        except nicops.PartlyUndone as err:
            raise _left_mixed(host, net, marked, err) from None
        except BaseException:
            networks.redefine(host, marked, net)  # every NIC is back: so is the network
            raise
        networks.redefine(host, marked, new)
    return new


def _trunk_leases(host, old: networks.Network, new: networks.Network) -> list:
    """(old, new) pairs of the managed networks whose trunk addresses change
    when `old` becomes `new` (another VLAN): trunked NICs that now carry a
    managed network's VLAN take an address on it, those that no longer do
    give theirs back. The NICs of every host the command holds count, and
    each host of a cluster comes to the same leases (ipam_trunks)."""
    from acli.network import ipam_trunks

    nets = networks.by_name(host)
    nets.pop(old.name, None)
    nets[new.name] = new
    if not any(net.managed for net in nets.values() if net.bridge == new.bridge):
        return []
    renamed = {old.name: new.name} if old.name != new.name else None
    trunks = ipam_trunks.on_bridge((host, *host.peers), nets, new.bridge, renamed)
    return ipam_trunks.changes(host, nets, trunks)


def _left_mixed(host, old, marked, err) -> AcliError:
    """A failed net.update whose undo did not reach every VM: the network
    goes back to its old definition, still marked, and the message says
    which VMs keep the new VLAN and how to finish."""
    stuck = ", ".join(err.stuck)
    kept = replace(old, retag_pending=True)
    try:
        networks.redefine(host, marked, kept)
        where = f"{old.name} is back on VLAN {old.vlan or 0}"
    except Exception as undo_err:  # noqa: BLE001 - say where things are
        where = (f"{marked.name} could not be put back either "
                 f"({getattr(undo_err, 'message', undo_err)}) and has VLAN {marked.vlan or 0}")
    finish = f"`net.update {old.name}` brings them in line with the network"
    err.message = (f"{err.message}; undoing failed for VMs {stuck}, whose NICs may keep the "
                   f"new VLAN {marked.vlan or 0}: {where}; {finish}")
    return err


@libvirt_call
def finish_retag(host, net: networks.Network) -> networks.Network:
    """Every NIC on `net`, in its definition and on the switch, made to carry
    the network's VLAN; then the mark is cleared. For a net.update that was
    cut off (see update)."""
    changes = []
    for dom, root, els in nicops.users(host, net.name):
        stale = [el for el in els if (nicmod.parse(el).vlan or 0) != (net.vlan or 0)]
        if stale:
            changes.append(_changes_of(dom, root, stale, None, net))
    nicops.rewrite_all(host, changes)
    if host.caps.vswitchd:
        _live_ports_in_line(host, net)
    done = replace(net, retag_pending=False)
    networks.redefine(host, net, done)
    return done


def _live_ports_in_line(host, net: networks.Network) -> None:
    """The OVS ports of running VMs' NICs on `net` carry the VLANs their
    definitions give (libvirt may have recorded a change that the switch
    never got, when OVSDB was down)."""
    want = {}
    for dom, _root, els in nicops.users(host, net.name):
        if dom.isActive():
            live = nicmod.interfaces(ET.fromstring(dom.XMLDesc(0)))
            for el in live:
                nic = nicmod.parse(el, {net.name: net.vlan})
                if nic.network == net.name and nic.uuid:
                    want[nic.uuid] = nic.port_columns()
    if not want:
        return

    def stage(txn, db):
        for port in db.rows("Port"):
            for iface in port.interfaces:
                columns = want.get(iface.external_ids.get("iface-id"))
                if columns is None:
                    continue
                for column, value in columns.items():
                    if list(getattr(port, column)) != value:
                        port.verify(column)
                        setattr(port, column, value)

    db = host.ovsdb()
    db.refresh()
    db.transact(stage, expect_change=False, wait_vswitchd=True)


def _changes_of(dom, root, els, old: networks.Network | None, new: networks.Network):
    """rewrite_all's change for one VM: its NICs on the network, moved, and
    the explicit trunk lists of NICs that had none stored (made before acli
    kept them) written down, so later changes keep them. `old` None: each
    NIC's own VLAN is the old one (finishing a cut-off re-tag)."""
    pairs, metas = [], []
    for el in els:
        was = old or replace(new, vlan=nicmod.parse(el).vlan or 0)
        moved, store = _moved(root, el, was, new)
        pairs.append((el, moved))
        if store is not None:
            metas.append(store)

    def edit(r):
        for mac, tags in metas:
            nicmod.set_stored_trunks(r, mac, tags)

    return dom, root, pairs, (edit if metas else None)


def _moved(root, el, old: networks.Network, new: networks.Network):
    """The NIC element with the network's new name and VLAN, and (mac,
    explicit trunks) when those are to be stored. A trunked NIC keeps the
    VLANs the user listed; the old native VLAN leaves unless listed."""
    nic = nicmod.parse(el, {old.name: old.vlan})
    out = copy.deepcopy(el)
    store = None
    if new.name != old.name:
        nicmod.set_network(out, new.name)
    if new.vlan != old.vlan:
        if nic.vlan_mode == nicmod.TRUNKED:
            explicit = nicmod.explicit_trunks(root, nic)
            if nicmod.stored_trunks(root, nic.mac) != explicit:
                store = (nic.mac, explicit)
            nic.trunks = nicmod.trunks_for(explicit, new.vlan)
        nic.vlan = new.vlan
        nicmod.set_vlan(out, nic)
    return out, store
