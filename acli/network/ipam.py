"""A managed network's address book: DHCP pools, DNS options, the blacklist
and the addresses held by VM NICs (leases), as stored in the network's
<metadata> next to ip_config:

    <acli:network xmlns:acli="http://acli.dev/xmlns/net/1.0">
      <acli:ip_config>10.1.1.1/24</acli:ip_config>
      <acli:pool start='10.1.1.100' end='10.1.1.199'/>
      <acli:dns_server>10.1.1.2</acli:dns_server>
      <acli:domain_search>lab.example</acli:domain_search>
      <acli:blacklist>10.1.1.150</acli:blacklist>
      <acli:lease ip='10.1.1.100' mac='50:6b:8d:..' vm='VM UUID'/>
    </acli:network>

A trunked NIC's lease on a managed network it carries (not its own) is
stored the same way (acli/network/ipam_trunks.py).

Values here are plain strings in the order the user gave them (pools are
kept sorted by start address). Checking them is ipam_rules' job; choosing
and freeing addresses is ipam_leases'.
"""

from __future__ import annotations

import ipaddress
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Lease:
    ip: str
    mac: str
    vm: str = ""         # the VM's UUID: leases of VMs that no longer exist are freed


@dataclass
class Ipam:
    pools: list[tuple[str, str]] = field(default_factory=list)    # (start, end), inclusive
    dns_servers: list[str] = field(default_factory=list)
    domains: list[str] = field(default_factory=list)
    blacklist: list[str] = field(default_factory=list)
    leases: list[Lease] = field(default_factory=list)

    def lease_of(self, mac: str) -> Lease | None:
        mac = mac.lower()
        return next((lease for lease in self.leases if lease.mac == mac), None)

    def holder_of(self, ip: str) -> Lease | None:
        return next((lease for lease in self.leases if lease.ip == ip), None)

    def pool_addresses(self):
        """Every pool address in order (pools are sorted by start)."""
        for start, end in self.pools:
            first, last = int(ipaddress.IPv4Address(start)), int(ipaddress.IPv4Address(end))
            for number in range(first, last + 1):
                yield str(ipaddress.IPv4Address(number))


def _addr_key(ip: str) -> int:
    return int(ipaddress.IPv4Address(ip))


def sorted_pools(pools) -> list[tuple[str, str]]:
    return sorted(pools, key=lambda p: _addr_key(p[0]))


def parse(meta: ET.Element | None, q: str) -> Ipam:
    """The Ipam held under the <acli:network> metadata element (q = '{ns}')."""
    if meta is None:
        return Ipam()
    return Ipam(
        pools=sorted_pools((el.get("start"), el.get("end")) for el in meta.findall(q + "pool")),
        dns_servers=[el.text for el in meta.findall(q + "dns_server") if el.text],
        domains=[el.text for el in meta.findall(q + "domain_search") if el.text],
        blacklist=[el.text for el in meta.findall(q + "blacklist") if el.text],
        leases=[Lease(el.get("ip"), (el.get("mac") or "").lower(), el.get("vm") or "")
                for el in meta.findall(q + "lease")])


def is_empty(ipam: Ipam) -> bool:
    return not (ipam.pools or ipam.dns_servers or ipam.domains or ipam.blacklist or ipam.leases)


def write(meta: ET.Element, ipam: Ipam, q: str) -> None:
    """Append the Ipam's elements to the <acli:network> metadata element."""
    for start, end in sorted_pools(ipam.pools):
        ET.SubElement(meta, q + "pool", start=start, end=end)
    for server in ipam.dns_servers:
        ET.SubElement(meta, q + "dns_server").text = server
    for domain in ipam.domains:
        ET.SubElement(meta, q + "domain_search").text = domain
    for ip in ipam.blacklist:
        ET.SubElement(meta, q + "blacklist").text = ip
    for lease in sorted(ipam.leases, key=lambda lease: _addr_key(lease.ip)):
        attrs = {"ip": lease.ip, "mac": lease.mac}
        if lease.vm:
            attrs["vm"] = lease.vm
        ET.SubElement(meta, q + "lease", attrs)
