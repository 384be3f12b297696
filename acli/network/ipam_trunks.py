"""Addresses of trunked NICs on the managed networks they carry tagged.

A trunked NIC's DHCP request tagged with a managed network's VLAN reaches
that network's server (dhcp_config.flows), which answers only MACs the
network holds a lease for. So a trunked NIC holds a lease on every managed
network of its bridge whose VLAN it carries, other than its own network
(whose address follows ip= / request_ip= as any NIC's) and the networks of
its native VLAN or of VLAN 0 (whose requests arrive untagged, for its own
network's server).

Such a lease is stored as any other (ip, mac, vm: acli/network/ipam.py):
a lease of MAC M on a network that is not the network of M's NIC is a
trunk's. MACs are unique in the cluster, so that tells them apart without
a mark, and the reservation reaches the DHCP server through the same code.
Addresses come from the network's pools (none when it has none); full
pools refuse the change, as for a NIC on the network.

Nothing here writes: `changes` returns (old, new) network pairs that the
caller stores with its NIC or network change (networks.redefined). The
result depends only on the networks and the NICs given, in a fixed order,
so every host of a cluster that works it out (net.update runs on each)
comes to the same leases, and copying the networks afterwards agrees.
"""

from __future__ import annotations

from dataclasses import dataclass

from acli.network import ipam_leases, nicops
from acli.network import nics as nicmod


@dataclass(frozen=True)
class Trunk:
    """What decides a NIC's trunk leases."""
    mac: str
    vm: str                      # the VM's UUID, named by its leases
    network: str | None          # its own network; None: the NIC is going
    tags: frozenset = frozenset()  # every VLAN it carries (empty: not a trunk)


def of(nic: nicmod.Nic, vm: str, root=None, nets=None) -> Trunk:
    """A parsed NIC as a Trunk. With `nets` and the VM's definition `root`,
    its tags are those it carries once it follows its network's VLAN in
    `nets` (the user's list plus that native VLAN), whatever its XML has
    now: a net.update decides the leases before the NICs are re-tagged."""
    if nic.vlan_mode != nicmod.TRUNKED or not nic.network:
        return Trunk(nic.mac, vm, nic.network)
    tags = nic.trunks
    own = (nets or {}).get(nic.network)
    if root is not None and own is not None:
        tags = nicmod.trunks_for(nicmod.explicit_trunks(root, nic), own.vlan)
    return Trunk(nic.mac, vm, nic.network, frozenset(tags))


def going(mac: str, vm: str) -> Trunk:
    """A NIC being deleted: it keeps no address anywhere."""
    return Trunk(mac.lower(), vm, None)


def carried(nets: dict, trunk: Trunk) -> list:
    """The managed networks (of `nets`, name -> Network) the NIC holds a
    trunk lease on."""
    own = nets.get(trunk.network) if trunk.network else None
    if own is None or not trunk.tags:
        return []
    return [net for net in nets.values()
            if net.managed and net.name != own.name and net.bridge == own.bridge
            and net.vlan and net.vlan != (own.vlan or 0) and net.vlan in trunk.tags]


def changes(host, nets: dict, trunks, keep_vms=()) -> list[tuple]:
    """(old, new) pairs of the managed networks whose leases change so that
    each NIC of `trunks` holds a lease on exactly the networks it carries
    (besides its own): leases it no longer needs go back to the pools,
    and a NIC that needs one and holds none takes the first free pool
    address. `keep_vms`: VMs being made, whose leases are not stale."""
    by_mac = {t.mac.lower(): t for t in trunks}
    wanted: dict[str, list[Trunk]] = {}
    for mac in sorted(by_mac):
        for net in carried(nets, by_mac[mac]):
            wanted.setdefault(net.name, []).append(by_mac[mac])
    pairs = []
    for name in sorted(nets):
        net = nets[name]
        if not net.managed:
            continue
        keep = {t.mac for t in wanted.get(name, [])}
        drop = [lease.mac for lease in net.ipam.leases if lease.mac in by_mac
                and lease.mac not in keep and by_mac[lease.mac].network != name]
        new = ipam_leases.release(net, drop)
        needing = [(t.mac, t.vm) for t in wanted.get(name, []) if new.ipam.lease_of(t.mac) is None]
        new = ipam_leases.assign_from_pools(host, new, needing, keep_vms)
        if new is not net:
            pairs.append((net, new))
    return pairs


def applied(nets: dict, pairs) -> dict:
    """`nets` with the new definitions of `pairs`."""
    out = dict(nets)
    for _old, new in pairs:
        out[new.name] = new
    return out


def merged(*lists) -> list[tuple]:
    """Pairs of several steps worked out one after the other (each on the
    networks as the steps before left them) as one (first old, last new)
    pair a network."""
    first: dict[str, object] = {}
    last: dict[str, object] = {}
    for pairs in lists:
        for old, new in pairs:
            first.setdefault(old.uuid, old)
            last[old.uuid] = new
    return [(first[uuid], last[uuid]) for uuid in first if last[uuid] is not first[uuid]]


def addresses(nets: dict, nic: nicmod.Nic) -> list[tuple]:
    """(network, address) of the trunk leases a NIC holds, for vm.get and
    vm.nic_get."""
    trunk = of(nic, "")
    out = []
    for net in carried(nets, trunk):
        lease = net.ipam.lease_of(nic.mac)
        if lease is not None:
            out.append((net, lease.ip))
    return out


def on_bridge(hosts, nets: dict, bridge: str, renamed: dict | None = None) -> list[Trunk]:
    """Every trunked NIC whose network is on `bridge`, of the VMs of
    `hosts` (a cluster's: this one and its peers), its tags as it carries
    them once it follows `nets`. `renamed` (old name -> new) counts NICs
    still naming a network by its old name as on the new one."""
    renamed = renamed or {}
    names = {name for name, net in nets.items() if net.bridge == bridge} | {
        old for old, new in renamed.items() if new in nets and nets[new].bridge == bridge}

    def pick(el):
        source = el.find("source")
        vlan = el.find("vlan")
        return (source is not None and source.get("network") in names and vlan is not None
                and (vlan.get("trunk") == "yes" or len(vlan.findall("tag")) > 1))

    vlans = {name: net.vlan for name, net in nets.items()}
    out = []
    for host in hosts:
        for dom, root, els in nicops.users_by(host, pick):
            for el in els:
                nic = nicmod.parse(el, vlans)
                nic.network = renamed.get(nic.network, nic.network)
                out.append(of(nic, dom.UUIDString(), root, nets))
    return sorted(out, key=lambda t: t.mac)

