"""What a managed network's addresses may be: every check raises a one-line
typed error naming the offending value before anything is written.

A value that cannot be right on this network (outside the subnet, the
gateway, start after end) is a UsageError, like any bad value; a value that
clashes with what the network already holds (an overlapping pool, an
address another NIC has) is a Conflict; asking an unmanaged network for
IPAM is an InvalidState.
"""

from __future__ import annotations

import ipaddress
import re

from acli.errors import Conflict, InvalidState, NotFound, UsageError

_DOMAIN_RE = re.compile(r"(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*"
                        r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.?")


def _ip(text: str) -> ipaddress.IPv4Address:
    return ipaddress.IPv4Address(text)


def require_managed(net, command: str) -> None:
    if not net.managed:
        raise InvalidState(f"network {net.name} is not managed (it has no ip_config): "
                           f"{command} needs a network made with ip_config=GATEWAY/PREFIX")


def host_address(net, ip: str, param: str) -> ipaddress.IPv4Address:
    """`ip` as an address VMs could use on `net`: inside the subnet, not its
    network or broadcast address."""
    subnet = net.interface.network
    addr = _ip(ip)
    if addr not in subnet:
        raise UsageError(f"Bad value for {param}: {ip} is not in {net.name}'s subnet {subnet}")
    if addr in (subnet.network_address, subnet.broadcast_address):
        kind = "network" if addr == subnet.network_address else "broadcast"
        raise UsageError(f"Bad value for {param}: {ip} is {net.name}'s {kind} address")
    return addr


def _reserved(net, addr: ipaddress.IPv4Address) -> str | None:
    """'the gateway' / 'the DHCP server address' when `addr` is one of them."""
    if addr == net.interface.ip:
        return "the gateway"
    if addr == _ip(net.dhcp_server):
        return "the DHCP server address"
    return None


def check_pool(net, start: str, end: str) -> None:
    first, last = host_address(net, start, "start"), host_address(net, end, "end")
    if first > last:
        raise UsageError(f"Bad value for end: {end} is before start {start}")
    for addr in (net.interface.ip, _ip(net.dhcp_server)):
        if first <= addr <= last:
            raise UsageError(f"Bad pool {start}-{end}: it holds {net.name}'s "
                             f"{_reserved(net, addr).split(' ', 1)[1]} {addr}")
    for pool_start, pool_end in net.ipam.pools:
        if first <= _ip(pool_end) and _ip(pool_start) <= last:
            raise Conflict(f"DHCP pool {start}-{end} overlaps pool {pool_start}-{pool_end} "
                           f"of {net.name}")


def find_pool(net, start: str, end: str | None) -> tuple[str, str]:
    for pool in net.ipam.pools:
        if pool[0] == start and (end is None or pool[1] == end):
            return pool
    have = ", ".join(f"{s}-{e}" for s, e in net.ipam.pools) or "none"
    wanted = f"{start}-{end}" if end else f"starting at {start}"
    raise NotFound(f"{net.name} has no DHCP pool {wanted} (its pools: {have})")


def check_domains(domains: list[str]) -> None:
    for domain in domains:
        if not _DOMAIN_RE.fullmatch(domain):
            raise UsageError(f"Bad value for domains: '{domain}' is not a domain name")


def check_blacklist_add(net, ips: list[str], describe) -> None:
    """`describe(lease)` says whose NIC holds an address."""
    for ip in ips:
        host_address(net, ip, "ip_list")
        if ip in net.ipam.blacklist:
            raise Conflict(f"{ip} is already in {net.name}'s IP blacklist")
        lease = net.ipam.holder_of(ip)
        if lease is not None:
            raise Conflict(f"{ip} is assigned to {describe(lease)}; change or delete that NIC "
                           "first")


def check_blacklist_delete(net, ips: list[str]) -> None:
    for ip in ips:
        if ip not in net.ipam.blacklist:
            listed = ", ".join(net.ipam.blacklist) or "it is empty"
            raise NotFound(f"{ip} is not in {net.name}'s IP blacklist ({listed})")


def check_reservation(net, ip: str, mac: str, describe, leases=None) -> None:
    """A fixed address for the NIC with this MAC (ip=); `leases` are the
    network's live leases (default: all it stores)."""
    addr = host_address(net, ip, "ip")
    reserved = _reserved(net, addr)
    if reserved:
        raise UsageError(f"Bad value for ip: {ip} is {net.name}'s {reserved.split(' ', 1)[1]}")
    if ip in net.ipam.blacklist:
        raise UsageError(f"Bad value for ip: {ip} is in {net.name}'s IP blacklist")
    held = net.ipam.leases if leases is None else leases
    lease = next((lease for lease in held if lease.ip == ip), None)
    if lease is not None and lease.mac != mac.lower():
        raise Conflict(f"IP address already in use on {net.name}: {ip} ({describe(lease)})")
