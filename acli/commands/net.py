"""net.* and vm.nic_*: networks, virtual switches, host NICs and VM NICs.

Handlers resolve, call acli/network's services and return plain results;
the services import libvirt/ovs only when a command needs them.
"""

from __future__ import annotations

import acli.network.hooks  # noqa: F401  (registers vm.get's nic_list, clone and sandbox hooks)
from acli import hooks
from acli.commands.table import REQUIRED, command, keyword, positional
from acli.commands.types import (Bool, Cidr, EntityRef, Enum, Int, IPv4, ListOf, Mac, MapType,
                                 Name, ParamType, Selector, Str)
from acli.errors import UsageError
from acli.output.results import Records, Table, Task, Tasks
from acli.syntax.words import MapValue

VLAN = Int(0, 4094)
NETS = Selector("network")
VMS = Selector("vm")
BOND_TYPE = Enum("kActiveBackup", "kBalanceSlb", "kBalanceTcp", "kNone")
LACP_TIMEOUT = Enum("kFast", "kSlow")
VLAN_MODE = Enum("kAccess", "kTrunked")
MODEL = Enum("virtio", "e1000", "rtl8139")

# A deleted VM's addresses go back to their managed networks.
hooks.add(hooks.BEFORE_DELETE, "acli.network.ipam_service:before_vm_delete")


class NicOrMap(ParamType):
    """active_uplink=eth2, or aCLI's per-host map {HOST:eth2}."""

    shape = "NIC or {HOST:NIC}"

    def convert(self, param, value):
        if len(value.items) == 1 and isinstance(value.items[0], MapValue):
            return dict(value.items[0].pairs)
        if value.text.strip().startswith("{"):
            return MapType().convert(param, value)
        return super().convert(param, value)

    def convert_word(self, param, word):
        return word.text


def _net():
    from acli.network import netservice

    return netservice


def _sw():
    from acli.network import switchservice

    return switchservice


def _select_networks(host, patterns):
    """Networks named by a Selector (names, UUIDs, globs), each once."""
    import fnmatch

    from acli.errors import NotFound
    from acli.network import networks

    chosen, seen = [], set()
    everything = None
    for pat in patterns:
        if pat.glob is None:
            try:
                found = [networks.lookup(host, pat.text)]
            except NotFound as err:
                err.column = pat.column
                raise
        else:
            everything = everything if everything is not None else networks.all_networks(host)
            found = [p for p in everything if fnmatch.fnmatchcase(p[0].name, pat.glob)]
            if not found:
                raise NotFound(f"no network matches {pat.text}", pat.column)
        for net, virnet in found:
            if net.uuid not in seen:
                seen.add(net.uuid)
                chosen.append((net, virnet))
    return chosen


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
    return _net().table(ctx.host)


@command("net.get", "Show networks.",
         positional("network_list", NETS, "networks by name, UUID or glob"))
def net_get(ctx, network_list):
    svc = _net()
    return Records([svc.record(ctx.host, net) for net, _ in _select_networks(ctx.host, network_list)])


@command("net.update", "Change a network's name, VLAN (re-tags its NICs) or annotation.",
         positional("network", EntityRef("network"), "the network, by name or UUID"),
         keyword("name", Name(), "new name"),
         keyword("vlan", VLAN, "new VLAN id: every NIC on the network follows, live ones too"),
         keyword("annotation", Str(), "new annotation"),
         mutates=True)
def net_update(ctx, network, name, vlan, annotation):
    net = _net().update(ctx.host, network, name=name, vlan=vlan, annotation=annotation)
    return Tasks([Task(net.name, uuid=net.uuid)])


@command("net.delete", "Delete networks no NIC uses (asks first; -y skips the question).",
         positional("network_list", NETS, "networks by name, UUID or glob"),
         mutates=True)
def net_delete(ctx, network_list):
    from acli.network import networks

    chosen = _select_networks(ctx.host, network_list)
    for net, _ in chosen:
        _net().delete_check(ctx.host, net.uuid)
    ctx.confirm(f"Delete {len(chosen)} networks?")
    return Tasks([_task(net.name, net.uuid, lambda v=virnet: networks.delete(ctx.host, v))
                  for net, virnet in chosen])


def _task(label, uuid, action) -> Task:
    from acli.errors import AcliError

    try:
        action()
        return Task(label, uuid=uuid)
    except AcliError as err:
        return Task(label, error=err.message)


@command("net.list_vms", "List the VMs with NICs on a network.",
         positional("network", EntityRef("network"), "the network, by name or UUID"))
def net_list_vms(ctx, network):
    from acli.network import networks

    net, _ = networks.lookup(ctx.host, network)
    return _net().list_vms(ctx.host, net)


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


# virtual switches ----------------------------------------------------------

_VS_SETTINGS = (
    keyword("uplinks", ListOf(Str()), "host NICs of the uplink bond, e.g. eth2,eth3"),
    keyword("host_uplink_config", MapType(), "aCLI's per-host form: {HOST:eth2,eth3}"),
    keyword("bond_type", BOND_TYPE, "kActiveBackup, kBalanceSlb, kBalanceTcp (LACP) or kNone"),
    keyword("lacp_timeout", LACP_TIMEOUT, "LACP rate (kBalanceTcp only)"),
    keyword("lacp_fallback", Bool(), "fall back to active-backup without an LACP partner"),
    keyword("mtu", Int(68, 9216), "MTU of the uplinks and the bridge"),
    keyword("active_uplink", NicOrMap(), "the preferred NIC of an active-backup bond"),
    keyword("quick_mode", Bool(), "accepted for aCLI scripts; changes always apply at once"),
)


def _settings(ctx, uplinks, host_uplink_config, bond_type, lacp_timeout, lacp_fallback, mtu,
              active_uplink):
    return _sw().settings_from(ctx.host, uplinks=uplinks, host_uplink_config=host_uplink_config,
                               bond_type=bond_type, lacp_timeout=lacp_timeout,
                               lacp_fallback=lacp_fallback, mtu=mtu, active_uplink=active_uplink)


@command("net.create_virtual_switch", "Create virtual switch vsN: bridge brN with bond brN-up.",
         positional("name", Str(), "vs1, vs2, ..."),
         *_VS_SETTINGS,
         mutates=True)
def net_create_virtual_switch(ctx, name, uplinks, host_uplink_config, bond_type, lacp_timeout,
                              lacp_fallback, mtu, active_uplink, quick_mode):
    s = _settings(ctx, uplinks, host_uplink_config, bond_type or "kActiveBackup", lacp_timeout,
                  lacp_fallback, mtu, active_uplink)
    uuid = _sw().create_switch(ctx.host, name, s)
    return Tasks([Task(name, uuid=uuid)])


@command("net.update_virtual_switch", "Change a virtual switch's bond, LACP, MTU or uplinks.",
         positional("name", Str(), "the virtual switch: vsN, its bridge brN or its UUID"),
         *_VS_SETTINGS,
         mutates=True)
def net_update_virtual_switch(ctx, name, uplinks, host_uplink_config, bond_type, lacp_timeout,
                              lacp_fallback, mtu, active_uplink, quick_mode):
    s = _settings(ctx, uplinks, host_uplink_config, bond_type, lacp_timeout, lacp_fallback, mtu,
                  active_uplink)
    vs = _sw().update_switch(ctx.host, name, s)
    return Tasks([Task(vs.name, uuid=vs.uuid)])


@command("net.delete_virtual_switch", "Delete a virtual switch no network uses (asks first).",
         positional("name", Str(), "the virtual switch: vsN, its bridge brN or its UUID"),
         mutates=True)
def net_delete_virtual_switch(ctx, name):
    sw = _sw()
    vs = sw.delete_check(ctx.host, name)
    ctx.confirm("Delete 1 virtual switches?")
    sw.delete_switch(ctx.host, vs)
    return Tasks([Task(vs.name, uuid=vs.uuid)])


@command("net.get_virtual_switch", "Show virtual switches.",
         positional("name", ListOf(Str()), "virtual switches: vsN, bridge brN or UUID"))
def net_get_virtual_switch(ctx, name):
    return _sw().get_switches(ctx.host, name)


@command("net.list_virtual_switch", "List virtual switches.")
def net_list_virtual_switch(ctx):
    return _sw().list_switches(ctx.host)


@command("net.migrate_br_to_virtual_switch", "Adopt an existing OVS bridge as a virtual switch.",
         positional("bridge", Str(), "the bridge, e.g. br1"),
         keyword("vs_name", Str(), "its virtual switch name (default: vsN for brN)"),
         mutates=True)
def net_migrate_br_to_virtual_switch(ctx, bridge, vs_name):
    name = _sw().migrate_bridge(ctx.host, bridge, vs_name)
    return Tasks([Task(name)])


@command("net.list_host_nic", "List a host's physical NICs.",
         positional("host", Str(), "the host: name, UUID or address"))
def net_list_host_nic(ctx, host):
    return _sw().host_nic_table(ctx.host, host)


@command("net.get_host_nic", "Show a host's physical NICs.",
         positional("host", Str(), "the host: name, UUID or address"),
         positional("nic", ListOf(Str()), "NIC names, e.g. eth0"))
def net_get_host_nic(ctx, host, nic):
    return _sw().host_nic_records(ctx.host, host, nic)


# VM NICs -------------------------------------------------------------------

def _vm_select(ctx, patterns):
    from acli.vms import service

    return service.select(ctx.host, patterns)


@command("vm.nic_create", "Add a NIC to VMs (hot-plugged into running ones).",
         positional("vm_list", VMS, "VMs by name, UUID or glob"),
         keyword("network", EntityRef("network"), "the network, by name or UUID", REQUIRED),
         keyword("vlan_mode", VLAN_MODE, "kAccess, or kTrunked: the network's VLAN untagged, "
                 "trunked_networks tagged", "kAccess"),
         keyword("trunked_networks", ListOf(VLAN), "VLAN ids a kTrunked NIC carries tagged"),
         keyword("mac", Mac(), "MAC address (default: a free 50:6b:8d:xx:xx:xx)"),
         keyword("model", MODEL, "virtual NIC model", "virtio"),
         keyword("connected", Bool(), "link up", True),
         keyword("queues", Int(1, 256), "virtio queues"),
         keyword("ip", IPv4(), "fixed address on a managed network"),
         keyword("request_ip", Bool(), "take a free pool address of the managed network "
                 "(the default there when it has pools; false: none)"),
         mutates=True)
def vm_nic_create(ctx, vm_list, network, vlan_mode, trunked_networks, mac, model, connected,
                  queues, ip, request_ip):
    from acli.network import nicservice

    doms = _vm_select(ctx, vm_list)
    if mac and len(doms) > 1:
        raise UsageError("mac= names one NIC; the selection matched several VMs")
    if ip and len(doms) > 1:
        raise UsageError("ip= names one address; the selection matched several VMs")

    def create(dom):
        return nicservice.create(ctx.host, dom, network=network, vlan_mode=vlan_mode,
                                 trunked=trunked_networks, mac=mac, model=model,
                                 connected=connected, queues=queues, ip=ip,
                                 request_ip=request_ip)

    if len(doms) == 1:  # one VM: its error is the command's error
        create(doms[0])
        return Tasks([Task("NicCreate", uuid=doms[0].UUIDString())])
    return ctx.each(doms, create, label=lambda dom: "NicCreate")


@command("vm.nic_get", "Show a VM's NICs.",
         positional("vm", EntityRef("vm"), "the VM, by name or UUID"))
def vm_nic_get(ctx, vm):
    from acli.network import nicops, nicservice
    from acli.output.results import Record
    from acli.vms import service

    dom = service.lookup(ctx.host, vm)
    nics = nicservice.nic_list(ctx.host, nicops.inactive_root(dom))
    return Records([Record(n["mac_addr"], n, n["mac_addr"]) for n in nics])


@command("vm.nic_update", "Change a VM's NIC: network, VLAN mode, trunks, link (live when on).",
         positional("vm", EntityRef("vm"), "the VM, by name or UUID"),
         positional("mac", Mac(), "the NIC's MAC address"),
         keyword("network", EntityRef("network"), "move the NIC to this network"),
         keyword("vlan_mode", VLAN_MODE, "kAccess or kTrunked"),
         keyword("trunked_networks", ListOf(VLAN), "new trunk VLANs (with update_vlan_trunk_info=true)"),
         keyword("update_vlan_trunk_info", Bool(), "apply trunked_networks", False),
         keyword("connected", Bool(), "link up (true) or down (false)"),
         keyword("ip", IPv4(), "fixed address on a managed network"),
         mutates=True)
def vm_nic_update(ctx, vm, mac, network, vlan_mode, trunked_networks, update_vlan_trunk_info,
                  connected, ip):
    from acli.network import nicservice
    from acli.vms import service

    dom = service.lookup(ctx.host, vm)
    nicservice.update(ctx.host, dom, mac, network=network, vlan_mode=vlan_mode,
                      trunked=trunked_networks, update_trunk=update_vlan_trunk_info,
                      connected=connected, ip=ip)
    return Tasks([Task("NicUpdate", uuid=dom.UUIDString())])


@command("vm.nic_delete", "Remove a NIC from a VM (hot-unplugged from a running one).",
         positional("vm", EntityRef("vm"), "the VM, by name or UUID"),
         positional("mac", Mac(), "the NIC's MAC address"),
         mutates=True)
def vm_nic_delete(ctx, vm, mac):
    from acli.network import nicservice
    from acli.vms import service

    dom = service.lookup(ctx.host, vm)
    nicservice.delete(ctx.host, dom, mac)
    return Tasks([Task("NicDelete", uuid=dom.UUIDString())])
