"""Which NIC holds which address of a managed network: choosing, reserving
and freeing addresses. The leases live in the network's <metadata> (see
acli/network/ipam.py); nothing here writes: each function returns the
network as it should become and the caller stores it (networks.redefine)
together with the NIC change, putting the old one back if the NIC change
fails. Concurrent acli processes are serialized by the host's lock (the sandbox's
file lock, a real host's OVSDB lock "acli"), and read the network after
taking it.

A lease names its VM's UUID. Leases of VMs that no longer exist (deleted
with virsh, or a clone that failed after its addresses were chosen), and
leases whose MAC no NIC on the host has (an acli killed between writing the
lease and plugging the NIC in), are freed whenever the network's leases are
next written.
"""

from __future__ import annotations

import ipaddress
from dataclasses import replace

from acli.errors import Conflict, UsageError
from acli.network import ipam_rules
from acli.network.ipam import Lease


def describe(host):
    """lease -> 'NIC 50:6b:8d:.. of VM web1', for error messages."""
    def text(lease: Lease) -> str:
        name = lease.vm or "an unknown VM"
        if lease.vm:
            try:
                name = host.conn.lookupByUUIDString(lease.vm).name()
            except Exception:  # noqa: BLE001 - a vanished VM still names its UUID
                pass
        return f"NIC {lease.mac} of VM {name}"
    return text


def _alive(host) -> set[str]:
    """The UUIDs of the VMs of the host and, in a cluster, of the other
    hosts the command holds (a lease of a VM elsewhere is not stale)."""
    return {dom.UUIDString() for h in (host, *host.peers) for dom in h.conn.listAllDomains()}


def _swept(host, net, keep_vms) -> list[Lease]:
    """The network's leases minus those of VMs that no longer exist (but
    `keep_vms`, being made) and those whose MAC is on no NIC of the host
    (the host's MAC set is read once while acli holds the host, so this
    costs no read a lease)."""
    if not net.ipam.leases:
        return []
    from acli.network.nics import macs_in_use

    alive = _alive(host) | set(keep_vms)
    present = macs_in_use(host)
    return [lease for lease in net.ipam.leases
            if (not lease.vm or lease.vm in alive) and lease.mac in present]


def first_free(net, leases: list[Lease]) -> str | None:
    """The first pool address that is not the gateway, the DHCP server,
    blacklisted or held by a NIC."""
    taken = {lease.ip for lease in leases} | set(net.ipam.blacklist)
    taken |= {str(net.interface.ip), net.dhcp_server}
    for ip in net.ipam.pool_addresses():
        if ip not in taken:
            return ip
    return None


def refuse_unmanaged(net, ip, request_ip) -> None:
    if not net.managed and (ip is not None or request_ip):
        word = "ip" if ip is not None else "request_ip"
        raise UsageError(f"{word} needs IP address management: {net.name} is an unmanaged "
                         "network (made without ip_config=)")


def assign(host, net, mac: str, vm_uuid: str, *, ip=None, request_ip=None):
    """(network as it becomes, the NIC's address or None) for the NIC `mac`
    of VM `vm_uuid` on `net`.

    ip= reserves that address; request_ip=true takes the first free pool
    address (an error when there is none); neither takes one from the
    pools when the network has pools (as AHV assigns one), else none;
    request_ip=false takes none. Unmanaged networks refuse ip/request_ip.
    """
    refuse_unmanaged(net, ip, request_ip)
    if not net.managed:
        return net, None
    mac = mac.lower()
    if ip is None and (request_ip is False or (request_ip is None and not net.ipam.pools)):
        return net, None
    leases = [lease for lease in _swept(host, net, {vm_uuid}) if lease.mac != mac]
    if ip is not None:
        ipam_rules.check_reservation(net, ip, mac, describe(host), leases)
        chosen = ip
    else:
        chosen = first_free(net, leases)
        if not net.ipam.pools:
            raise Conflict(f"request_ip=true: {net.name} has no DHCP pools; add one with "
                           "net.add_dhcp_pool or give ip=")
        if chosen is None:
            pools = ", ".join(f"{s}-{e}" for s, e in net.ipam.pools)
            raise Conflict(f"no free address in {net.name}'s DHCP pools ({pools}); add a pool "
                           "with net.add_dhcp_pool or give ip=")
    leases.append(Lease(chosen, mac, vm_uuid))
    return replace(net, ipam=replace(net.ipam, leases=leases)), chosen


def assign_from_pools(host, net, nics, keep_vms=()):
    """The network with a pool address for each (MAC, VM UUID) of `nics`,
    in order (trunked NICs carrying its VLAN, acli/network/ipam_trunks.py).
    The leases are swept once for all of them. A network without pools
    gives none (as to a NIC on it with neither ip nor request_ip); full
    pools are a Conflict naming the network and the first NIC left out."""
    if not nics or not net.ipam.pools:
        return net
    macs = {mac.lower() for mac, _ in nics}
    leases = [lease for lease in _swept(host, net, {vm for _, vm in nics} | set(keep_vms))
              if lease.mac not in macs]
    for mac, vm in nics:
        chosen = first_free(net, leases)
        if chosen is None:
            pools = ", ".join(f"{s}-{e}" for s, e in net.ipam.pools)
            raise Conflict(f"no free address in {net.name}'s DHCP pools ({pools}) for trunked "
                           f"NIC {mac}, which carries its VLAN {net.vlan}; add a pool with "
                           "net.add_dhcp_pool")
        leases.append(Lease(chosen, mac.lower(), vm))
    return replace(net, ipam=replace(net.ipam, leases=leases))


def release(net, macs) -> object:
    """The network without the leases of these MACs (the same object when it
    holds none of them)."""
    macs = {mac.lower() for mac in macs}
    kept = [lease for lease in net.ipam.leases if lease.mac not in macs]
    if len(kept) == len(net.ipam.leases):
        return net
    return replace(net, ipam=replace(net.ipam, leases=kept))


def release_vm(net, vm_uuid: str, macs) -> object:
    """The network without the leases of this VM's NICs."""
    macs = {mac.lower() for mac in macs}
    kept = [lease for lease in net.ipam.leases if lease.mac not in macs and lease.vm != vm_uuid]
    if len(kept) == len(net.ipam.leases):
        return net
    return replace(net, ipam=replace(net.ipam, leases=kept))


def sort_key(ip: str) -> int:
    return int(ipaddress.IPv4Address(ip))
