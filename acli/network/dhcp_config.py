"""What a managed network's DHCP server is, derived from its IPAM alone: the
names of its namespace and switch port, the dnsmasq configuration (host
reservations and options), and the OpenFlow rules that keep the network's
DHCP on the host. Pure: the sandbox shows this (net.get), a real host runs
it (dhcp_server.py); both from the same functions.

Nothing a user typed becomes a name, a path or an option unchecked: names
and paths come from the network's UUID (checked as a UUID), and every value
written into dnsmasq's files is an address, a MAC or a domain name that
IPAM already checked, and is checked again here against a strict pattern,
so that no value can carry a newline, a comma or an option of its own.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

from acli.errors import UsageError
from acli.names import is_uuid

# The lease time every reservation is handed out with. aCLI has no setting
# for it; an hour keeps a moved address from lingering in a guest for long
# (a guest renews at half of it) while costing the server nothing.
LEASE_SECONDS = 3600

# OpenFlow: acli's rules sit above the bridge's NORMAL rule (priority 0) and
# carry a cookie per network, so that one network's rules are replaced or
# removed without touching anything else on the bridge.
COOKIE_PREFIX = 0xACD1
PRIORITY_REDIRECT = 40000
PRIORITY_FENCE = 40010

_MAC = re.compile(r"[0-9a-f]{2}(:[0-9a-f]{2}){5}")
_DOMAIN = re.compile(r"[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*")


@dataclass(frozen=True)
class DhcpPlan:
    network: str              # the network's name (for messages only, never in a file)
    uuid: str
    bridge: str
    vlan: int
    namespace: str            # the network namespace dnsmasq runs in
    port: str                 # the OVS internal port (and its device) in that namespace
    address: str              # the server's address/prefix on the port
    cookie: int               # the OpenFlow cookie of this network's rules
    hosts: tuple[str, ...]    # dnsmasq dhcp-hostsfile lines: "MAC,IP"
    options: tuple[str, ...]  # dnsmasq dhcp-optsfile lines
    range_line: str           # dnsmasq dhcp-range: static, answers reserved MACs only


def names(uuid: str) -> tuple[str, str, int]:
    """(namespace, port, cookie) of a network's DHCP server, from its UUID.
    A device name holds 15 characters: 'dhcp' + 11 hex digits of the UUID."""
    if not is_uuid(uuid):
        raise UsageError(f"not a network UUID: {uuid!r}")
    hexes = uuid.replace("-", "").lower()
    return f"acli-dhcp-{uuid.lower()}", f"dhcp{hexes[:11]}", (COOKIE_PREFIX << 48) | int(hexes[:12], 16)


def server_mac(uuid: str) -> str:
    """The MAC of a network's DHCP server: the same on every host (a locally
    administered address from the network's UUID), so that a guest's
    unicast renewal reaches the server of whichever host it runs on after a
    live migration; no two hosts' servers ever meet (their ports forward
    nothing to the uplink)."""
    names(uuid)  # refuses anything but a UUID
    hexes = uuid.replace("-", "").lower()
    return "02:" + ":".join(hexes[i:i + 2] for i in range(0, 10, 2))


def _mac(mac: str) -> str:
    mac = mac.lower()
    if not _MAC.fullmatch(mac):
        raise UsageError(f"not a MAC address: {mac!r}")
    return mac


def _ip(ip: str) -> str:
    return str(ipaddress.IPv4Address(ip))  # refuses anything else


def _domain(name: str) -> str:
    if not _DOMAIN.fullmatch(name) or len(name) > 253:
        raise UsageError(f"not a domain name: {name!r}")
    return name


def plan(net) -> DhcpPlan:
    """The DHCP server of a managed network (acli.network.networks.Network)."""
    if not net.managed:
        raise UsageError(f"{net.name} is an unmanaged network: it has no DHCP server")
    namespace, port, cookie = names(net.uuid)
    iface = net.interface
    subnet = iface.network
    leases = sorted(net.ipam.leases, key=lambda lease: int(ipaddress.IPv4Address(lease.ip)))
    hosts = tuple(f"{_mac(lease.mac)},{_ip(lease.ip)}" for lease in leases)
    options = [f"option:router,{_ip(str(iface.ip))}"]
    # Always stated, even empty: dnsmasq would otherwise offer itself as the
    # DNS server, and it serves no DNS here.
    options.append("option:dns-server" + "".join("," + _ip(s) for s in net.ipam.dns_servers))
    if net.ipam.domains:
        domains = [_domain(d) for d in net.ipam.domains]
        options.append(f"option:domain-name,{domains[0]}")
        options.append("option:domain-search," + ",".join(domains))
    return DhcpPlan(
        network=net.name, uuid=net.uuid.lower(), bridge=net.bridge, vlan=net.vlan or 0,
        namespace=namespace, port=port,
        address=f"{_ip(net.dhcp_server)}/{subnet.prefixlen}", cookie=cookie,
        hosts=hosts, options=tuple(options),
        range_line=f"{subnet.network_address},static,{subnet.netmask},{LEASE_SECONDS}")


def dnsmasq_conf(p: DhcpPlan, rundir: str) -> str:
    """dnsmasq's main configuration. `rundir` is the server's own directory
    (made by acli from the UUID). DHCP only (port=0: no DNS), on the one
    port, answering reserved MACs only; reservations and options are in
    their own files, which dnsmasq reads again on SIGHUP without dropping
    its leases."""
    return "\n".join([
        "# made by acli from the network's IPAM; rewritten on every change",
        "port=0",
        f"interface={p.port}",
        "bind-interfaces",
        "except-interface=lo",
        "no-resolv",
        "no-hosts",
        "dhcp-authoritative",
        f"dhcp-range={p.range_line}",
        "dhcp-ignore=tag:!known",
        f"dhcp-hostsfile={rundir}/hosts",
        f"dhcp-optsfile={rundir}/opts",
        f"dhcp-leasefile={rundir}/leases",
        f"pid-file={rundir}/pid",
        f"log-facility={rundir}/log",
        "log-dhcp",
        "",
    ])


def hosts_file(p: DhcpPlan) -> str:
    return "".join(line + "\n" for line in p.hosts)


def opts_file(p: DhcpPlan) -> str:
    return "".join(line + "\n" for line in p.options)


def _vlan_match(vlan: int) -> str:
    return f"dl_vlan={vlan}" if vlan else "vlan_tci=0x0000/0x1fff"


@dataclass(frozen=True)
class SwitchPort:
    """One port of the bridge as its VLAN settings make OVS treat a frame
    arriving on it. OpenFlow sees a frame before the NORMAL action tags it,
    so an access port's frames look untagged whatever its VLAN: the rules
    must know which port a frame came from to know its VLAN."""
    ofport: int                      # its OpenFlow port number
    native: int | None               # the VLAN of an untagged frame; None: dropped
    carried: frozenset[int] | None   # VLANs accepted tagged; None: every VLAN


def switch_port(ofport: int, tag: int | None, trunks, vlan_mode: str) -> SwitchPort:
    """A Port row's VLAN settings, with OVS's meaning (ovs-vswitchd.conf.db(5)):
    an empty vlan_mode is access with a tag, trunk without; a trunk's untagged
    frames are VLAN 0 and an empty trunks list carries every VLAN."""
    mode = vlan_mode or ("access" if tag is not None else "trunk")
    carried = frozenset(trunks) if trunks else None
    if mode == "access":
        return SwitchPort(ofport, tag or 0, frozenset())
    if mode == "trunk":
        return SwitchPort(ofport, 0 if carried is None or 0 in carried else None, carried)
    # native-untagged / native-tagged: untagged frames are the native VLAN's
    return SwitchPort(ofport, tag or 0, None if carried is None else carried | {tag or 0})


def flows(p: DhcpPlan, uplinks: list[str], ports: list[SwitchPort]) -> list[str]:
    """The OpenFlow rules (ovs-ofctl syntax) that keep this network's DHCP
    on the host.

    `uplinks`: the interfaces of the bridge's uplink port (OpenFlow sees a
    bond's members, each its own port). `ports`: every other port of the
    bridge but the DHCP servers' (their VLAN settings as OVS reads them).

    * from the uplink, on the network's VLAN: DHCP replies are dropped (no
      server outside answers a guest here) and DHCP requests are dropped
      (acli's server answers nobody outside);
    * a DHCP request arriving untagged on a port whose untagged frames are
      the network's VLAN (an access port, a trunk's native VLAN) goes to the
      server's port and nowhere else, whatever its MAC: the server answers
      the MACs IPAM knows and ignores others, and no request of this VLAN
      floods to the uplink;
    * a DHCP request tagged with the network's VLAN on a port that carries
      it tagged (a trunked NIC) goes, untagged, to the server's port and
      nowhere else.

    Rules name the ports by OpenFlow number, so a port made after them
    (libvirt starts a VM) has none until the server is brought in line
    again (acli does at the end of a command that powers a VM on or plugs
    a NIC; `acli-dhcp watch` every few seconds). The server's own frames
    never reach the uplink because both ports are `protected`
    (dhcp_server.py): OVS forwards nothing between two protected ports.
    Unmanaged networks get no rules: their DHCP passes."""
    c = f"cookie={p.cookie:#x}"
    request = "udp,tp_src=68,tp_dst=67"
    out = []
    for uplink in uplinks:
        for direction in ("tp_src=67,tp_dst=68", "tp_src=68,tp_dst=67"):
            out.append(f"{c},priority={PRIORITY_FENCE},in_port={uplink},udp,{direction},"
                       f"{_vlan_match(p.vlan)},actions=drop")
    for port in sorted(ports, key=lambda x: x.ofport):
        if port.native == p.vlan:
            out.append(f"{c},priority={PRIORITY_REDIRECT},in_port={port.ofport},"
                       f"vlan_tci=0x0000/0x1fff,{request},actions=output:{p.port}")
        if p.vlan and (port.carried is None or p.vlan in port.carried):
            out.append(f"{c},priority={PRIORITY_REDIRECT},in_port={port.ofport},"
                       f"dl_vlan={p.vlan},{request},actions=strip_vlan,output:{p.port}")
    return out


def view(p: DhcpPlan) -> dict:
    """net.get's dhcp_server block (without the state, and the port, which
    only a host that runs the server has)."""
    return {"namespace": p.namespace, "address": p.address,
            "lease_time": LEASE_SECONDS, "option": list(p.options),
            "reservation": list(p.hosts)}
