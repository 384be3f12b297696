"""vm.nic_*: a VM's NICs (access and trunked), hot-plugged into running VMs."""

from __future__ import annotations

from acli.commands.common import VM, VMS, vm_of, vms_of
from acli.commands.net import VLAN
from acli.commands.table import command, keyword, positional
from acli.commands.types import Bool, EntityRef, Enum, Int, IPv4, ListOf, Mac
from acli.errors import UsageError
from acli.output.results import Record, Records, Task, Tasks

VLAN_MODE = Enum("kAccess", "kTrunked")
MODEL = Enum("virtio", "e1000", "rtl8139")
# acli.network.nfchain's, written here: the command table loads no networking code
NF_NIC, NF_TYPES = "kNetworkFunctionNic", ("kIngress", "kEgress", "kTap")
QUEUES = Int(1, 256)  # QEMU's virtio-net takes at most 256 queue pairs


@command("vm.nic_create", "Add a NIC to VMs (hot-plugged into running ones).",
         positional("vm_list", VMS, "VMs by name, UUID or glob"),
         keyword("network", EntityRef("network"), "the network, by name or UUID "
                 "(required, but for type=kNetworkFunctionNic)"),
         keyword("vlan_mode", VLAN_MODE, "kAccess, or kTrunked: the network's VLAN untagged, "
                 "trunked_networks tagged", "kAccess"),
         keyword("trunked_networks", ListOf(VLAN), "VLAN ids a kTrunked NIC carries tagged"),
         keyword("mac", Mac(), "MAC address (default: a free 50:6b:8d:xx:xx:xx)"),
         keyword("model", MODEL, "virtual NIC model", "virtio"),
         keyword("connected", Bool(), "link up", True),
         keyword("queues", QUEUES, "virtio queues (multiqueue: one per vCPU helps most)"),
         keyword("ip", IPv4(), "fixed address on a managed network"),
         keyword("request_ip", Bool(), "take a free pool address of the managed network "
                 "(the default there when it has pools; false: none)"),
         keyword("type", Enum("kNormalNic", NF_NIC), "kNetworkFunctionNic: a service-chain "
                 "NIC on the network-function bridge br.nf, not on a network", "kNormalNic"),
         keyword("network_function_nic_type", Enum(*NF_TYPES),
                 "the service-chain NIC's kind (with type=kNetworkFunctionNic)"),
         mutates=True)
def vm_nic_create(ctx, vm_list, network, vlan_mode, trunked_networks, mac, model, connected,
                  queues, ip, request_ip, type, network_function_nic_type):  # noqa: A002
    from acli.network import nicservice

    doms = vms_of(ctx, vm_list)
    device = dict(model=model, connected=connected, queues=queues)
    if mac and len(doms) > 1:
        raise UsageError("mac= names one NIC; the selection matched several VMs")
    if ip and len(doms) > 1:
        raise UsageError("ip= names one address; the selection matched several VMs")
    nf = type == NF_NIC
    _check_nf(nf, network, vlan_mode, trunked_networks, ip, request_ip,
              network_function_nic_type)

    def create(dom):
        if nf:
            return nicservice.create_nf(ctx.host, dom, nf_type=network_function_nic_type,
                                        mac=mac, device=device)
        return nicservice.create(ctx.host, dom, network=network, vlan_mode=vlan_mode,
                                 trunked=trunked_networks, mac=mac, device=device, ip=ip,
                                 request_ip=request_ip)

    if len(doms) == 1:  # one VM: its error is the command's error
        create(doms[0])
        return Tasks([Task("NicCreate", uuid=doms[0].UUIDString())])
    return ctx.each(doms, create, label=lambda dom: "NicCreate")


def _check_nf(nf: bool, network, vlan_mode, trunked, ip, request_ip, nf_type) -> None:
    """Which keywords go with which kind of NIC: one line before anything changes."""
    if not nf:
        if nf_type is not None:
            raise UsageError("network_function_nic_type needs type=kNetworkFunctionNic")
        return
    if nf_type is None:
        raise UsageError("type=kNetworkFunctionNic needs network_function_nic_type="
                         f"{'|'.join(NF_TYPES)}")
    given = [name for name, value in (
        ("network", network), ("vlan_mode", None if vlan_mode == "kAccess" else vlan_mode),
        ("trunked_networks", trunked), ("ip", ip), ("request_ip", request_ip))
        if value is not None]
    if given:
        raise UsageError(f"{given[0]} does not go with type=kNetworkFunctionNic: the NIC is on "
                         "the network-function bridge, with no network, VLAN or address")


@command("vm.nic_get", "Show a VM's NICs.",
         positional("vm", VM, "the VM, by name or UUID"))
def vm_nic_get(ctx, vm):
    from acli.network import nicservice
    from acli.vms.domxml import inactive_root

    dom = vm_of(ctx, vm)
    nics = nicservice.nic_list(ctx.host, inactive_root(dom))
    return Records([Record(n["mac_addr"], n, n["mac_addr"]) for n in nics])


@command("vm.nic_update", "Change a VM's NIC: network, VLAN mode, trunks, link (live when on).",
         positional("vm", VM, "the VM, by name or UUID"),
         positional("mac", Mac(), "the NIC's MAC address"),
         keyword("network", EntityRef("network"), "move the NIC to this network"),
         keyword("vlan_mode", VLAN_MODE, "kAccess or kTrunked"),
         keyword("trunked_networks", ListOf(VLAN), "new trunk VLANs (with update_vlan_trunk_info=true)"),
         keyword("update_vlan_trunk_info", Bool(), "apply trunked_networks", False),
         keyword("connected", Bool(), "link up (true) or down (false)"),
         keyword("ip", IPv4(), "fixed address on a managed network"),
         keyword("queues", QUEUES, "virtio queues (multiqueue; the VM must be off)"),
         mutates=True)
def vm_nic_update(ctx, vm, mac, network, vlan_mode, trunked_networks, update_vlan_trunk_info,
                  connected, ip, queues):
    from acli.network import nicservice

    dom = vm_of(ctx, vm)
    nicservice.update(ctx.host, dom, mac, network=network, vlan_mode=vlan_mode,
                      trunked=trunked_networks, update_trunk=update_vlan_trunk_info,
                      connected=connected, ip=ip, queues=queues)
    return Tasks([Task("NicUpdate", uuid=dom.UUIDString())])


@command("vm.nic_delete", "Remove a NIC from a VM (hot-unplugged from a running one).",
         positional("vm", VM, "the VM, by name or UUID"),
         positional("mac", Mac(), "the NIC's MAC address"),
         mutates=True)
def vm_nic_delete(ctx, vm, mac):
    from acli.network import nicservice

    dom = vm_of(ctx, vm)
    nicservice.delete(ctx.host, dom, mac)
    return Tasks([Task("NicDelete", uuid=dom.UUIDString())])
