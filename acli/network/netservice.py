"""net.create / get / list / update / delete / list_vms with aCLI's meaning."""

from __future__ import annotations

import copy
from dataclasses import replace

from acli.errors import Conflict, InvalidState, UsageError
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
    return networks.create(host, net)


def network_fields(host, net: networks.Network) -> dict:
    """net.get's fields of one network."""
    fields = {"name": net.name, "uuid": net.uuid, "type": "kBridged", "identifier": net.vlan,
              "vswitch_name": net.bridge, "annotation": net.annotation}
    vs = _switch_of(host, net.bridge)
    if vs:
        fields["virtual_switch"] = vs
    if net.ip_config:
        from acli.network.ipam_service import ip_config_fields

        fields["ip_config"] = ip_config_fields(net)
    return fields


def _switch_of(host, bridge: str) -> str | None:
    from acli.network.vswitch import VS_KEY

    db = host.ovsdb()
    db.refresh()
    row = db.bridge(bridge)
    return row.external_ids.get(VS_KEY) if row is not None else None


@libvirt_call
def nics_on(host, net: networks.Network) -> list[tuple[str, str, str, str | None]]:
    """(VM UUID, VM name, MAC, address) of every NIC on the network; the
    address is the NIC's lease on a managed network ("" without one), None
    on an unmanaged one."""
    rows = []
    for dom, _root, els in nicops.users(host, net.name):
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
    live ports), a new name follows into every NIC. All or nothing."""
    net, _ = networks.lookup(host, ref)
    if name is None and vlan is None and annotation is None:
        raise UsageError("net.update: nothing to change (give name, vlan or annotation)")
    if vlan is not None:
        values.vlan(vlan)
    new = replace(net, name=name or net.name, vlan=net.vlan if vlan is None else vlan,
                  annotation=net.annotation if annotation is None else annotation)
    using = nicops.users(host, net.name) if (new.vlan != net.vlan or new.name != net.name) else []
    if new.name != net.name:
        running = [dom.name() for dom, _, _ in using if dom.isActive()]
        if running:
            raise InvalidState(f"cannot rename {net.name} while running VMs use it "
                               f"({', '.join(running[:5])}); power them off first")
    changes = [_changes_of(dom, root, els, net, new) for dom, root, els in using]
    networks.redefine(host, net, new)
    try:
        nicops.rewrite_all(host, changes)
    except Exception:
        networks.redefine(host, new, net)
        raise
    return new


def _changes_of(dom, root, els, old: networks.Network, new: networks.Network):
    """rewrite_all's change for one VM: its NICs on the network, moved, and
    the explicit trunk lists of NICs that had none stored (made before acli
    kept them) written down, so later changes keep them."""
    pairs, metas = [], []
    for el in els:
        moved, store = _moved(root, el, old, new)
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
