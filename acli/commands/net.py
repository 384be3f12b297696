"""net.*: networks and managed networks (IPAM).

Virtual switches are in net_virtual_switch.py, host NICs in net_host_nic.py,
VM NICs in vm_nic.py.
Handlers resolve, call acli/network's services and return plain results;
the services import libvirt/ovs only when a command needs them.
"""

from __future__ import annotations

from acli.commands.table import REQUIRED, command, keyword, positional
from acli.commands.types import Cidr, EntityRef, Int, IPv4, ListOf, Name, Selector, Str
from acli.output.results import Record, Records, Table, Task, Tasks

VLAN = Int(0, 4094)
NETS = Selector("network")

# A deleted VM's addresses go back to their managed networks.


def _net():
    from acli.network import netservice

    return netservice


def _select_networks(host, patterns):
    from acli.network import networks

    return networks.select(host, patterns)


# networks ------------------------------------------------------------------

@command("net.create", "Create a network: a VLAN on a virtual switch.",
         positional("name", Name(), "the new network's name, e.g. vlan.10"),
         keyword("vlan", VLAN, "VLAN id (0 = untagged)", REQUIRED),
         keyword("vswitch_name", Str(), "the OVS bridge to put it on, e.g. br1"),
         keyword("virtual_switch", Str(), "the virtual switch to put it on, e.g. vs1 (default vs0)"),
         keyword("ip_config", Cidr(), "gateway/prefix, e.g. 10.1.1.1/24: a managed network"),
         keyword("dhcp_address", IPv4(), "the DHCP server's address (default: the last usable one)"),
         keyword("annotation", Str(), "free text shown by net.get"),
         mutates=True)
def net_create(ctx, name, vlan, vswitch_name, virtual_switch, ip_config, dhcp_address, annotation):
    svc = _net()
    bridge = svc.resolve_bridge(ctx.host, vswitch_name, virtual_switch)
    net = svc.create(ctx.host, name, vlan, bridge, ip_config, dhcp_address, annotation)
    return Tasks([Task(net.name, uuid=net.uuid)])


@command("net.list", "List networks.")
def net_list(ctx):
    from acli.network import networks

    rows = [[n.name, n.uuid, "kBridged", n.vlan, n.subnet] for n, _ in networks.all_networks(ctx.host)]
    return Table(["Network name", "Network UUID", "Type", "Identifier", "Subnet"],
                 ["name", "uuid", "type", "id", "subnet"], rows)


@command("net.get", "Show networks.",
         positional("network_list", NETS, "networks by name, UUID or glob"))
def net_get(ctx, network_list):
    svc = _net()
    return Records([Record(net.name, svc.network_fields(ctx.host, net), net.uuid)
                    for net, _ in _select_networks(ctx.host, network_list)])


@command("net.update", "Change a network's name, VLAN (re-tags its NICs) or annotation.",
         positional("network", EntityRef("network"), "the network, by name or UUID"),
         keyword("name", Name(), "new name"),
         keyword("vlan", VLAN, "new VLAN id: every NIC on the network follows, live ones too"),
         keyword("annotation", Str(), "new annotation"),
         mutates=True, scope="each")
def net_update(ctx, network, name, vlan, annotation):
    net = _net().update(ctx.host, network, name=name, vlan=vlan, annotation=annotation)
    return Tasks([Task(net.name, uuid=net.uuid)])


@command("net.delete", "Delete networks no NIC uses (asks first; -y skips the question).",
         positional("network_list", NETS, "networks by name, UUID or glob"),
         mutates=True)
def net_delete(ctx, network_list):
    from acli.network import networks

    chosen = _select_networks(ctx.host, network_list)
    every_host = [ctx.host] if ctx.cluster.single else [m.host for m in ctx.cluster.answering()]
    for net, _ in chosen:  # no VM of any host may use it (the others follow: cluster/objects.py)
        for host in every_host:
            _net().delete_check(host, net.uuid)
    ctx.confirm(f"Delete {len(chosen)} networks?")
    return ctx.each(chosen, lambda pair: networks.delete(ctx.host, pair[1]),
                    label=lambda pair: pair[0].name, uuid=lambda pair: pair[0].uuid)


@command("net.list_vms", "List the VMs with NICs on a network.",
         positional("network", EntityRef("network"), "the network, by name or UUID"),
         scope="each")
def net_list_vms(ctx, network):
    from acli.network import networks

    net, _ = networks.lookup(ctx.host, network)
    nics = _net().nics_on(ctx.host, net)
    if net.managed:  # with each NIC's address (empty when it has none)
        return Table(["VM UUID", "VM name", "MAC address", "IP address"],
                     ["vm_uuid", "vm_name", "mac_addr", "ip_address"], [list(n) for n in nics])
    return Table(["VM UUID", "VM name", "MAC address"], ["vm_uuid", "vm_name", "mac_addr"],
                 [list(n[:3]) for n in nics])


# managed networks (IPAM) ----------------------------------------------------

def _ipam():
    from acli.network import ipam_service

    return ipam_service


def _net_task(net) -> Tasks:
    return Tasks([Task(net.name, uuid=net.uuid)])


@command("net.add_dhcp_pool", "Add a range of addresses a managed network hands out.",
         positional("network", EntityRef("network"), "the managed network, by name or UUID"),
         keyword("start", IPv4(), "the pool's first address", REQUIRED),
         keyword("end", IPv4(), "the pool's last address", REQUIRED),
         mutates=True)
def net_add_dhcp_pool(ctx, network, start, end):
    return _net_task(_ipam().add_pool(ctx.host, network, start, end))


@command("net.delete_dhcp_pool", "Remove a DHCP pool (addresses NICs hold stay theirs).",
         positional("network", EntityRef("network"), "the managed network, by name or UUID"),
         keyword("start", IPv4(), "the pool's first address", REQUIRED),
         keyword("end", IPv4(), "the pool's last address (checked when given)"),
         mutates=True)
def net_delete_dhcp_pool(ctx, network, start, end):
    return _net_task(_ipam().delete_pool(ctx.host, network, start, end))


@command("net.update_dhcp_dns", "Set the DNS servers and search domains DHCP hands out.",
         positional("network", EntityRef("network"), "the managed network, by name or UUID"),
         keyword("servers", ListOf(IPv4()), "DNS server addresses, e.g. 10.1.1.2,10.1.1.3"),
         keyword("domains", ListOf(Str()), "search domains, e.g. lab.example,example.com"),
         mutates=True)
def net_update_dhcp_dns(ctx, network, servers, domains):
    return _net_task(_ipam().update_dns(ctx.host, network, servers, domains))


@command("net.clear_dhcp_dns", "Remove the DNS servers and search domains of a managed network.",
         positional("network", EntityRef("network"), "the managed network, by name or UUID"),
         mutates=True)
def net_clear_dhcp_dns(ctx, network):
    return _net_task(_ipam().clear_dns(ctx.host, network))


@command("net.add_to_ip_blacklist", "Keep addresses of a managed network from being handed out.",
         positional("network", EntityRef("network"), "the managed network, by name or UUID"),
         keyword("ip_list", ListOf(IPv4()), "addresses, e.g. 10.1.1.7,10.1.1.8", REQUIRED),
         mutates=True)
def net_add_to_ip_blacklist(ctx, network, ip_list):
    return _net_task(_ipam().add_blacklist(ctx.host, network, ip_list))


@command("net.delete_from_ip_blacklist", "Let blacklisted addresses be handed out again.",
         positional("network", EntityRef("network"), "the managed network, by name or UUID"),
         keyword("ip_list", ListOf(IPv4()), "addresses, e.g. 10.1.1.7,10.1.1.8", REQUIRED),
         mutates=True)
def net_delete_from_ip_blacklist(ctx, network, ip_list):
    return _net_task(_ipam().delete_blacklist(ctx.host, network, ip_list))
