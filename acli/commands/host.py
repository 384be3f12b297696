"""host.*: the hypervisor host acli is connected to."""

from __future__ import annotations

from acli.commands.table import command, positional
from acli.commands.types import Str
from acli.hosts.libvirt_errors import libvirt_call
from acli.output.results import Record, Records, Table

NODE_STATE = "kAcropolisNormal"


@libvirt_call
def _describe(host):
    """The host's description and its VM count."""
    return host.info(), len(host.conn.listAllDomains())


@command("host.list", "List hypervisor hosts (the one acli is connected to).")
def host_list(ctx):
    info, vms = _describe(ctx.host)
    columns = ["Hypervisor IP", "Hypervisor DNS Name", "Host UUID", "Node state", "Schedulable",
               "Hypervisor Type", "CPUs", "Memory MB", "VMs", "Connection"]
    keys = ["hypervisor_address", "name", "uuid", "node_state", "schedulable", "hypervisor_type",
            "num_cpus", "memory_mb", "num_vms", "connection"]
    row = [info.address, info.name, info.uuid, NODE_STATE[1:], True, "kKvm", info.cpus,
           info.memory_mb, vms, info.kind]
    return Table(columns, keys, [row])


@command("host.get", "Show the hypervisor host.",
         positional("host", Str(), "host name, UUID or address (default: the connected host)", None))
def host_get(ctx, host):
    from acli.network.hostnics import check_host

    info, vms = _describe(ctx.host)
    check_host(ctx.host, host, info)
    fields = {
        "name": info.name, "uuid": info.uuid, "hypervisor_address": info.address,
        "hypervisor_type": "kKvm", "hypervisor_uri": info.uri, "node_state": NODE_STATE,
        "schedulable": True, "cpu_model": info.cpu_model, "cpu_frequency_mhz": info.cpu_mhz,
        "num_cpu_sockets": info.sockets, "num_cpu_cores": info.sockets * info.cores,
        "num_cpu_threads": info.cpus, "memory_mb": info.memory_mb, "num_vms": vms,
        "sandbox": info.kind == "sandbox",
    }
    return Records([Record(info.name, fields, info.uuid)])
