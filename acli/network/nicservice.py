"""vm.nic_create / get / update / delete, vm.get's nic_list, and fresh NIC
identities for clones."""

from __future__ import annotations

import copy
import uuid as uuidlib
import xml.etree.ElementTree as ET

from acli.errors import Conflict, InvalidState, NotFound, UsageError
from acli.hosts.libvirt_errors import libvirt_call
from acli.network import networks, nicops
from acli.network import nics as nicmod
from acli.network.nics import ACCESS, TRUNKED


def _check_mac(host, mac: str) -> str:
    if int(mac[:2], 16) & 1:
        raise UsageError(f"Bad value for mac: {mac} is a multicast address")
    if mac in nicmod.macs_in_use(host):
        raise Conflict(f"MAC address already in use on this host: {mac}")
    return mac


def _trunk_list(vlan_mode: str, native: int, trunked: list[int] | None) -> list[int]:
    if vlan_mode == ACCESS:
        if trunked:
            raise UsageError("trunked_networks needs vlan_mode=kTrunked")
        return []
    if trunked is None:
        raise UsageError("vlan_mode=kTrunked needs trunked_networks (the VLAN ids the NIC "
                         "carries tagged), e.g. trunked_networks=10,20,30")
    return sorted(set(trunked) | {native})


@libvirt_call
def create(host, dom, *, network, vlan_mode, trunked, mac, model, connected, queues) -> nicmod.Nic:
    net, _ = networks.lookup(host, network)
    trunks = _trunk_list(vlan_mode, net.vlan, trunked)
    if queues is not None and model != "virtio":
        raise UsageError(f"queues needs model=virtio (not {model})")
    mac = _check_mac(host, mac) if mac else nicmod.new_mac(host)
    nic = nicmod.Nic(mac=mac, network=net.name, uuid=str(uuidlib.uuid4()), vlan_mode=vlan_mode,
                     vlan=net.vlan or None, trunks=trunks, model=model, connected=connected,
                     queues=queues)
    nicops.attach(host, dom, nicmod.build(nic))
    nicmod.note_mac(host, mac)
    return nic


def _find(dom, root, mac: str) -> ET.Element:
    el = nicmod.find(root, mac)
    if el is None:
        have = [nicmod.parse(e).mac for e in nicmod.interfaces(root)]
        listed = f" (it has {', '.join(have)})" if have else " (it has no NICs)"
        raise NotFound(f"NIC not found: VM {dom.name()} has no NIC {mac}{listed}")
    return el


def _vlans(host) -> dict:
    return {name: net.vlan for name, net in networks.by_name(host).items()}


@libvirt_call
def update(host, dom, mac, *, network, vlan_mode, trunked, update_trunk, connected) -> None:
    if trunked is not None and not update_trunk:
        raise UsageError("trunked_networks changes only with update_vlan_trunk_info=true")
    if all(v is None for v in (network, vlan_mode, trunked, connected)):
        raise UsageError("vm.nic_update: nothing to change "
                         "(give network, vlan_mode, trunked_networks or connected)")
    root = nicops.inactive_root(dom)
    el = _find(dom, root, mac)
    nets = networks.by_name(host)
    nic = nicmod.parse(el, {name: n.vlan for name, n in nets.items()})
    new_el = copy.deepcopy(el)
    old_native, old_network = nic.vlan or 0, nic.network
    moved = False
    if network is not None:
        net, _ = networks.lookup(host, network)
        moved = net.name != nic.network
        old_bridge = nets[old_network].bridge if old_network in nets else nic.bridge
        if moved and nicops.is_live(host, dom) and old_bridge != net.bridge:
            raise InvalidState(f"{net.name} is on bridge {net.bridge}, the NIC's network on "
                               f"{old_bridge}: a running VM's NIC cannot change bridge "
                               "(libvirt cannot move it); power the VM off first")
        nic.network, nic.vlan = net.name, net.vlan or None
        nicmod.set_network(new_el, net.name)
    mode = vlan_mode or nic.vlan_mode
    base = trunked
    if base is None and mode == TRUNKED and nic.vlan_mode == TRUNKED:
        base = sorted(set(nic.trunks) - {old_native})
    nic.trunks = _trunk_list(mode, nic.vlan or 0, base)
    nic.vlan_mode = mode
    nicmod.set_vlan(new_el, nic)
    if connected is not None:
        nicmod.set_link(new_el, connected)
    nicops.update(host, dom, new_el)


@libvirt_call
def delete(host, dom, mac) -> None:
    root = nicops.inactive_root(dom)
    nicops.detach(host, dom, _find(dom, root, mac))


def nic_fields(nic: nicmod.Nic, nets: dict) -> dict:
    net = nets.get(nic.network)
    fields = {"mac_addr": nic.mac, "network_name": nic.network or nic.bridge,
              "network_uuid": net.uuid if net else None, "network_type": "kNativeNetwork",
              "type": "kNormalNic", "uuid": nic.uuid, "vlan_mode": nic.vlan_mode,
              "connected": nic.connected, "model": nic.model}
    if nic.vlan_mode == TRUNKED:
        fields["trunked_networks"] = list(nic.trunks)
    if nic.queues:
        fields["queues"] = nic.queues
    return fields


def nic_list(host, root: ET.Element) -> list[dict]:
    els = nicmod.interfaces(root)
    if not els:
        return []
    nets = networks.by_name(host)
    vlans = {name: net.vlan for name, net in nets.items()}
    return [nic_fields(nicmod.parse(el, vlans), nets) for el in els]


def config_part(host, dom, root) -> dict:
    """CONFIG_PARTS hook: vm.get's nic_list."""
    found = nic_list(host, root)
    return {"nic_list": found} if found else {}


def clone_hook(host, source_dom, root, new_name) -> None:
    """CLONE_DEVICE_HOOKS: a clone's NICs get fresh MACs and NIC UUIDs."""
    for el in nicmod.interfaces(root):
        mac = nicmod.new_mac(host)
        mac_el = el.find("mac")
        if mac_el is None:
            mac_el = ET.SubElement(el, "mac")
        mac_el.set("address", mac)
        params = el.find("virtualport/parameters")
        if params is not None:
            params.set("interfaceid", str(uuidlib.uuid4()))
        target = el.find("target")
        if target is not None:
            el.remove(target)
