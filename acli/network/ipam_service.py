"""net.add_dhcp_pool / delete_dhcp_pool / update_dhcp_dns / clear_dhcp_dns /
add_to_ip_blacklist / delete_from_ip_blacklist, net.get's ip_config block,
and freeing a deleted VM's addresses (BEFORE_DELETE hook).

Each command checks everything first (acli/network/ipam_rules.py) and then
stores the network once: a refused command leaves its XML as it was.
"""

from __future__ import annotations

from dataclasses import replace

from acli.errors import UsageError
from acli.hosts.libvirt_errors import libvirt_call
from acli.network import ipam_leases, ipam_rules, networks
from acli.network import nics as nicmod
from acli.vms.events import VmEvent


def _store(host, net, ipam) -> networks.Network:
    new = replace(net, ipam=ipam)
    networks.redefine(host, net, new)
    return new


@libvirt_call
def add_pool(host, ref: str, start: str, end: str) -> networks.Network:
    net, _ = networks.lookup(host, ref)
    ipam_rules.require_managed(net, "net.add_dhcp_pool")
    ipam_rules.check_pool(net, start, end)
    return _store(host, net, replace(net.ipam, pools=net.ipam.pools + [(start, end)]))


@libvirt_call
def delete_pool(host, ref: str, start: str, end: str | None) -> networks.Network:
    """Addresses NICs already hold from the pool stay theirs."""
    net, _ = networks.lookup(host, ref)
    ipam_rules.require_managed(net, "net.delete_dhcp_pool")
    pool = ipam_rules.find_pool(net, start, end)
    return _store(host, net, replace(net.ipam, pools=[p for p in net.ipam.pools if p != pool]))


@libvirt_call
def update_dns(host, ref: str, servers: list[str] | None,
               domains: list[str] | None) -> networks.Network:
    """servers= and domains= each replace their list; one left out stays."""
    net, _ = networks.lookup(host, ref)
    ipam_rules.require_managed(net, "net.update_dhcp_dns")
    if servers is None and domains is None:
        raise UsageError("net.update_dhcp_dns: nothing to change (give servers, domains or both)")
    ipam_rules.check_domains(domains or [])
    return _store(host, net, replace(
        net.ipam, dns_servers=net.ipam.dns_servers if servers is None else list(servers),
        domains=net.ipam.domains if domains is None else list(domains)))


@libvirt_call
def clear_dns(host, ref: str) -> networks.Network:
    net, _ = networks.lookup(host, ref)
    ipam_rules.require_managed(net, "net.clear_dhcp_dns")
    if not net.ipam.dns_servers and not net.ipam.domains:
        return net
    return _store(host, net, replace(net.ipam, dns_servers=[], domains=[]))


@libvirt_call
def add_blacklist(host, ref: str, ips: list[str]) -> networks.Network:
    net, _ = networks.lookup(host, ref)
    ipam_rules.require_managed(net, "net.add_to_ip_blacklist")
    ipam_rules.check_blacklist_add(net, ips, ipam_leases.describe(host))
    blacklist = sorted(net.ipam.blacklist + list(ips), key=ipam_leases.sort_key)
    return _store(host, net, replace(net.ipam, blacklist=blacklist))


@libvirt_call
def delete_blacklist(host, ref: str, ips: list[str]) -> networks.Network:
    net, _ = networks.lookup(host, ref)
    ipam_rules.require_managed(net, "net.delete_from_ip_blacklist")
    ipam_rules.check_blacklist_delete(net, ips)
    return _store(host, net, replace(net.ipam, blacklist=[ip for ip in net.ipam.blacklist
                                                          if ip not in ips]))


def ip_config_fields(net: networks.Network) -> dict:
    """net.get's ip_config block (field names of aCLI's / the v2 API's IpConfig)."""
    iface = net.interface
    fields = {"default_gateway_ip": str(iface.ip),
              "network_address": str(iface.network.network_address),
              "prefix_length": iface.network.prefixlen,
              "dhcp_server_address": net.dhcp_server,
              "pool": [{"range": f"{start} {end}"} for start, end in net.ipam.pools],
              "ip_blacklist": list(net.ipam.blacklist)}
    options = {}
    if net.ipam.dns_servers:
        options["domain_name_servers"] = ",".join(net.ipam.dns_servers)
    if net.ipam.domains:
        options["domain_search"] = ",".join(net.ipam.domains)
    if options:
        fields["dhcp_options"] = options
    return fields


@libvirt_call
def before_vm_delete(event: VmEvent) -> None:
    """BEFORE_DELETE hook (for VMs with NICs): the VM's addresses go back to
    their networks, a trunked NIC's on the networks it carries too."""
    host, dom = event.host, event.dom
    root = event.definition.root
    by_net: dict[str, list[str]] = {}
    trunked = False
    for el in nicmod.interfaces(root):
        nic = nicmod.parse(el)
        if nic.network:
            by_net.setdefault(nic.network, []).append(nic.mac)
            trunked = trunked or nic.vlan_mode == nicmod.TRUNKED
    if not by_net:
        return
    uuid = dom.UUIDString()
    macs = [mac for found in by_net.values() for mac in found]
    if trunked:  # its addresses may be on any managed network of its bridges
        nets = list(networks.by_name(host).values())
    else:  # on its NICs' networks only (no network of others)
        nets = [found[0] for found in (networks.find(host, name) for name in by_net) if found]
    for net in nets:
        new = ipam_leases.release_vm(net, uuid, macs)
        if new is not net:
            networks.redefine(host, net, new)
