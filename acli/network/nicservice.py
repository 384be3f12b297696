"""vm.nic_create / get / update / delete, vm.get's nic_list, and fresh NIC
identities for clones.

On a managed network a NIC holds an address (acli/network/ipam_leases.py):
the lease is written to the network first and taken back when the NIC
change fails, so a refused or failed command leaves both XMLs as they were.
"""

from __future__ import annotations

import copy
import uuid as uuidlib
import xml.etree.ElementTree as ET

from acli.errors import Conflict, InvalidState, NotFound, UsageError
from acli.hosts.libvirt_errors import libvirt_call
from acli.network import ipam_leases, networks, nicops
from acli.network import nics as nicmod
from acli.network.nics import ACCESS, TRUNKED
from acli.vms.boot import first_device
from acli.vms.domxml import both_xmls, inactive_root, scan
from acli.vms.events import CloneEvent, ConfigEvent, RestoreEvent, VmEvent


def _check_mac(host, mac: str) -> str:
    if int(mac[:2], 16) & 1:
        raise UsageError(f"Bad value for mac: {mac} is a multicast address")
    if mac in nicmod.macs_in_use(host):
        raise Conflict(f"MAC address already in use on this host: {mac}")
    return mac


def _trunk_list(vlan_mode: str, native: int, trunked: list[int] | None) -> list[int]:
    """The trunk's tags: the explicit list plus the native VLAN."""
    if vlan_mode == ACCESS:
        if trunked:
            raise UsageError("trunked_networks needs vlan_mode=kTrunked")
        return []
    if trunked is None:
        raise UsageError("vlan_mode=kTrunked needs trunked_networks (the VLAN ids the NIC "
                         "carries tagged), e.g. trunked_networks=10,20,30")
    return nicmod.trunks_for(trunked, native)


def _meta_edit(mac: str, explicit: list[int] | None):
    """An edit_meta for nicops: store (None: forget) the NIC's explicit trunks."""
    return lambda root: nicmod.set_stored_trunks(root, mac, explicit)


@libvirt_call
def create(host, dom, *, network, vlan_mode, trunked, mac, device: dict, ip=None,
           request_ip=None) -> nicmod.Nic:
    """Add one NIC; `device` holds its device settings (nics.Nic's fields
    from `model` on)."""
    if network is None:
        raise UsageError("Missing argument: network (a NIC other than "
                         "type=kNetworkFunctionNic is on a network)")
    net, _ = networks.lookup(host, network)
    ipam_leases.refuse_unmanaged(net, ip, request_ip)
    trunks = _trunk_list(vlan_mode, net.vlan, trunked)
    nic = nicmod.Nic(mac="", network=net.name, uuid=str(uuidlib.uuid4()), vlan_mode=vlan_mode,
                     vlan=net.vlan or None, trunks=trunks, **device)
    nicmod.check_device(nic)
    nic.mac = mac = _check_mac(host, mac) if mac else nicmod.new_mac(host)
    leased, _ip = ipam_leases.assign(host, net, mac, dom.UUIDString(), ip=ip,
                                     request_ip=request_ip)
    explicit = sorted(set(trunked)) if vlan_mode == TRUNKED else None
    with _networks_changed(host, [(net, leased)]):
        nicops.attach(host, dom, nicmod.build(nic),
                      _meta_edit(mac, explicit) if explicit is not None else None)
    nicmod.note_mac(host, mac)
    return nic


@libvirt_call
def create_nf(host, dom, *, nf_type: str, mac, device: dict) -> nicmod.Nic:
    """Add one network-function NIC: a port on the chain bridge br.nf, made
    first if the host has none (network/nfchain.py)."""
    from acli.network import nfchain

    nic = nicmod.Nic(mac="", bridge=nfchain.NF_BRIDGE, uuid=str(uuidlib.uuid4()),
                     nf_type=nf_type, **device)
    nicmod.check_device(nic)
    nic.mac = mac = _check_mac(host, mac) if mac else nicmod.new_mac(host)
    nfchain.ensure_bridge(host)
    nicops.attach(host, dom, nicmod.build(nic))
    nicmod.note_mac(host, mac)
    return nic


class _networks_changed:
    """Store the networks' new definitions (old, new pairs; unchanged pairs
    are skipped) around a NIC change; put the old ones back if it fails."""

    def __init__(self, host, pairs):
        self.host = host
        self.pairs = [(old, new) for old, new in pairs if new is not old]

    def __enter__(self):
        done = []
        try:
            for old, new in self.pairs:
                networks.redefine(self.host, old, new)
                done.append((old, new))
        except Exception:
            self._undo(done)
            raise
        return self

    def __exit__(self, kind, err, tb):
        if kind is not None:
            self._undo(self.pairs)
        return False

    def _undo(self, pairs):
        for old, new in reversed(pairs):
            try:
                networks.redefine(self.host, new, old)
            except Exception:  # noqa: BLE001 - the NIC change's error is the one to report
                pass


def _find(dom, root, mac: str) -> ET.Element:
    el = nicmod.find(root, mac)
    if el is None:
        have = [nicmod.parse(e).mac for e in nicmod.interfaces(root)]
        listed = f" (it has {', '.join(have)})" if have else " (it has no NICs)"
        raise NotFound(f"{dom.name()} has no NIC {mac}{listed}")
    return el


@libvirt_call
def update(host, dom, mac, *, network, vlan_mode, trunked, update_trunk, connected,
           ip=None, queues=None) -> None:
    if trunked is not None and not update_trunk:
        raise UsageError("trunked_networks changes only with update_vlan_trunk_info=true")
    if all(v is None for v in (network, vlan_mode, trunked, connected, ip, queues)):
        raise UsageError("vm.nic_update: nothing to change "
                         "(give network, vlan_mode, trunked_networks, connected, ip or queues)")
    root = inactive_root(dom)
    el = _find(dom, root, mac)
    nets = networks.by_name(host)
    nic = nicmod.parse(el, {name: n.vlan for name, n in nets.items()})
    if nic.nf_type and any(v is not None for v in (network, vlan_mode, trunked, ip)):
        raise UsageError("a network-function NIC is on the chain bridge, with no network, "
                         "VLAN or address: only connected and queues change")
    new_el = copy.deepcopy(el)
    if queues is not None and queues != nic.queues:
        nic.queues = queues
        nicmod.check_device(nic)
        if dom.isActive():
            # QEMU sets a NIC's queues when it starts the device; libvirt
            # refuses to change them live
            raise InvalidState("VM is on; power it off to change queues")
        nicmod.set_queues(new_el, queues)
    old_network = nic.network
    old_explicit = nicmod.explicit_trunks(root, nic) if nic.vlan_mode == TRUNKED else None
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
    base = sorted(set(trunked)) if trunked is not None else None
    if base is None and mode == TRUNKED and nic.vlan_mode == TRUNKED:
        base = old_explicit  # the user's list stays; the native follows the network
    nic.trunks = _trunk_list(mode, nic.vlan or 0, base)
    nic.vlan_mode = mode
    nicmod.set_vlan(new_el, nic)
    if connected is not None:
        nicmod.set_link(new_el, connected)
    changes = _address_changes(host, dom, nic, nets.get(old_network), nets.get(nic.network),
                               moved, ip)
    with _networks_changed(host, changes):
        nicops.update(host, dom, new_el, _meta_edit(nic.mac, base if mode == TRUNKED else None))


def _address_changes(host, dom, nic, old_net, target, moved: bool, ip) -> list:
    """(old, new) network definitions for the NIC's address: a move frees
    the old network's address and takes one on the new network (ip=, else
    from its pools); ip= alone changes the address on the same network."""
    if target is None:  # a bridge NIC made by others, not on an acli network
        if ip is not None:
            raise UsageError(f"ip needs IP address management: the NIC is on "
                             f"{nic.network or nic.bridge}, which is not an acli network")
        return []
    if not moved:
        if ip is None:
            return []
        new, _ = ipam_leases.assign(host, target, nic.mac, dom.UUIDString(), ip=ip)
        return [(target, new)]
    changes = []
    if old_net is not None:
        changes.append((old_net, ipam_leases.release(old_net, [nic.mac])))
    new, _ = ipam_leases.assign(host, target, nic.mac, dom.UUIDString(), ip=ip)
    changes.append((target, new))
    return changes


@libvirt_call
def delete(host, dom, mac) -> None:
    """The NIC's address goes back to its network once the NIC is gone from
    the definition (also when a running guest keeps the device a while)."""
    root = inactive_root(dom)
    el = _find(dom, root, mac)
    nic = nicmod.parse(el)
    try:
        nicops.detach(host, dom, el, _meta_edit(nic.mac, None))
    except InvalidState:
        _release(host, nic)
        raise
    _release(host, nic)
    nicmod.forget_mac(host, nic.mac)


def _release(host, nic: nicmod.Nic) -> None:
    if not nic.network:
        return
    net = networks.by_name(host).get(nic.network)
    if net is not None:
        new = ipam_leases.release(net, [nic.mac])
        if new is not net:
            networks.redefine(host, net, new)


def nic_fields(nic: nicmod.Nic, nets: dict) -> dict:
    if nic.nf_type:  # on the chain bridge: no network, VLAN or address
        fields = {"mac_addr": nic.mac, "network_function_nic_type": nic.nf_type,
                  "type": "kNetworkFunctionNic", "uuid": nic.uuid}
        fields.update(nicmod.device_fields(nic))
        return fields
    net = nets.get(nic.network)
    fields = {"mac_addr": nic.mac, "network_name": nic.network or nic.bridge,
              "network_uuid": net.uuid if net else None, "network_type": "kNativeNetwork",
              "type": "kNormalNic", "uuid": nic.uuid, "vlan_mode": nic.vlan_mode}
    fields.update(nicmod.device_fields(nic))
    if nic.vlan_mode == TRUNKED:
        fields["trunked_networks"] = list(nic.trunks)
    lease = net.ipam.lease_of(nic.mac) if net is not None and net.managed else None
    if lease is not None:
        fields["ip_address"] = lease.ip
    return fields


def nic_list(host, root: ET.Element, nets: dict | None = None) -> list[dict]:
    """The NICs of the VM defined by `root`; `nets` (networks.by_name) if read already."""
    els = nicmod.interfaces(root)
    if not els:
        return []
    if nets is None:
        nets = networks.by_name(host)
    vlans = {name: net.vlan for name, net in nets.items()}
    return [nic_fields(nicmod.parse(el, vlans), nets) for el in els]


def config_parts(event: ConfigEvent) -> list[dict]:
    """CONFIG_PARTS hook: each VM's nic_list in vm.get, and its boot device's
    MAC when that is a NIC; the networks are read once for all the VMs, and
    not at all when none has a NIC."""
    roots = [definition.root for definition in event.definitions]
    nets = networks.by_name(event.host) if any(nicmod.interfaces(r) for r in roots) else {}
    out = []
    for root in roots:
        found = nic_list(event.host, root, nets)
        part = {"nic_list": found} if found else {}
        first = first_device(root) if found else None
        if first is not None and first.tag == "interface":  # PXE: vm.update_boot_device's
            part["boot"] = {"boot_device": {"mac_addr": nicmod.parse(first).mac}}
        out.append(part)
    return out


def clone_hook(event: CloneEvent) -> None:
    """CLONE_DEVICES hook: a clone's NICs get fresh MACs and NIC UUIDs, and
    on managed networks with pools a pool address each (as AHV assigns one)."""
    host, root = event.host, event.root
    renames = []
    for el in nicmod.interfaces(root):
        mac = nicmod.new_mac(host)
        mac_el = el.find("mac")
        if mac_el is None:
            mac_el = ET.SubElement(el, "mac")
        if mac_el.get("address"):
            renames.append((mac_el.get("address"), mac))
        mac_el.set("address", mac)
        params = el.find("virtualport/parameters")
        if params is not None:
            params.set("interfaceid", str(uuidlib.uuid4()))
        target = el.find("target")
        if target is not None:
            el.remove(target)
    _rename_meta(root, renames)
    _clone_addresses(host, root)


def _rename_meta(root, renames) -> None:
    """The explicit trunk lists follow the NICs to their new MACs; entries
    of NICs no longer in the VM are dropped."""
    kept = []
    for old, new in renames:
        stored = nicmod.stored_trunks(root, old)
        if stored is not None:
            kept.append((new, stored))
    for old, _ in renames:
        nicmod.set_stored_trunks(root, old, None)
    nics = root.find("metadata/" + nicmod._M + "nics")
    if nics is not None:
        for stale in list(nics):
            nicmod.set_stored_trunks(root, stale.get("mac") or "", None)
    for new, stored in kept:
        nicmod.set_stored_trunks(root, new, stored)


def _clone_addresses(host, root) -> None:
    """Pool addresses for the clone's NICs on managed networks. Stored at
    once: if the clone then fails, its leases name a VM that does not exist
    and are freed at the network's next allocation."""
    nets = None
    uuid = root.findtext("uuid")
    for el in nicmod.interfaces(root):
        nic = nicmod.parse(el)
        if not nic.network:
            continue
        nets = nets if nets is not None else networks.by_name(host)
        net = nets.get(nic.network)
        if net is None or not net.managed or not net.ipam.pools:
            continue
        new, _ = ipam_leases.assign(host, net, nic.mac, uuid)
        networks.redefine(host, net, new)
        nets[net.name] = new


# vm.restore ------------------------------------------------------------------

def before_restore(event: RestoreEvent) -> None:
    """BEFORE_RESTORE hook: refuse to bring back a NIC whose MAC another VM
    now uses, or whose network is gone (its VLAN would be a guess). Runs
    before anything changes."""
    host, dom, snap_root = event.host, event.dom, event.snapshot_root
    els = nicmod.interfaces(snap_root) if snap_root is not None else []
    if not els:
        return
    nets = networks.by_name(host)
    mine = dom.UUIDString()
    others: dict[str, str] = {}
    for other, xmls in scan(host, both_xmls):
        if other.UUIDString() == mine:
            continue
        for xml in xmls:
            for mac_el in ET.fromstring(xml).findall("devices/interface/mac"):
                others.setdefault((mac_el.get("address") or "").lower(), other.name())
    for el in els:
        nic = nicmod.parse(el)
        if nic.mac in others:
            raise Conflict(f"cannot restore {dom.name()}: the snapshot's NIC {nic.mac} has a MAC "
                           f"address VM {others[nic.mac]} now uses; delete or change that NIC first")
        if nic.network and nic.network not in nets:
            raise InvalidState(f"cannot restore {dom.name()}: the snapshot's NIC {nic.mac} is on "
                               f"network {nic.network}, which no longer exists; create it again "
                               "(with the VLAN it should have) first")


def after_restore(event: VmEvent) -> None:
    """AFTER_RESTORE hook: a restored NIC's VLAN follows its network's
    current VLAN (access tag; trunk's native tag, the explicit trunks kept),
    in the definition and on the live port, as net.update re-tags."""
    host, dom = event.host, event.dom
    root = event.definition.root
    nets = networks.by_name(host)
    pairs, metas = [], []
    for el in nicmod.interfaces(root):
        nic = nicmod.parse(el)
        net = nets.get(nic.network) if nic.network else None
        if net is None:
            continue
        want = copy.deepcopy(nic)
        want.vlan = net.vlan or None
        if nic.vlan_mode == TRUNKED:
            explicit = nicmod.explicit_trunks(root, nic)
            want.trunks = nicmod.trunks_for(explicit, net.vlan)
            if nicmod.stored_trunks(root, nic.mac) != explicit:
                metas.append((nic.mac, explicit))
        if (want.vlan or 0, want.trunks) != (nic.vlan or 0, nic.trunks) or el.find("vlan") is None:
            new_el = copy.deepcopy(el)
            nicmod.set_vlan(new_el, want)
            pairs.append((el, new_el))

    def edit(r):
        for mac, explicit in metas:
            nicmod.set_stored_trunks(r, mac, explicit)

    if pairs or metas:
        nicops.rewrite_all(host, [(dom, root, pairs, edit if metas else None)])
    if not host.caps.vswitchd:
        from acli.network.sandbox_ports import sync

        sync(host, dom)  # the ports match the restored VM (none if it is off), as on a real host
