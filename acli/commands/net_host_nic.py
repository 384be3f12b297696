"""net.list_host_nic and net.get_host_nic: a host's physical NICs."""

from __future__ import annotations

from acli.commands.table import command, positional
from acli.commands.types import ListOf, Str
from acli.output.results import Record, Records, Table


def _sw():
    from acli.network import switchservice

    return switchservice


def _on(ctx, host: str):
    """(the Host whose NICs are asked for, the name to check it by): in a
    cluster the host named, among the cluster's."""
    if ctx.cluster.single:
        return ctx.host, host
    member = ctx.cluster.named(host)
    return member.host, None


@command("net.list_host_nic", "List a host's physical NICs.",
         positional("host", Str(), "the host: name, UUID or address"), scope="cluster")
def net_list_host_nic(ctx, host):
    rows = [[n.name, n.mac, "up" if n.link else "down", n.speed_mbps, n.mtu, n.bridge, n.bond]
            for n in _sw().host_nics(*_on(ctx, host))]
    return Table(["Name", "MAC address", "Link", "Speed (Mbps)", "MTU", "Bridge", "Bond"],
                 ["name", "mac_addr", "link", "speed_mbps", "mtu", "bridge", "bond"], rows)


@command("net.get_host_nic", "Show a host's physical NICs.",
         positional("host", Str(), "the host: name, UUID or address"),
         positional("nic", ListOf(Str()), "NIC names, e.g. eth0"), scope="cluster")
def net_get_host_nic(ctx, host, nic):
    on, ref = _on(ctx, host)
    return Records([Record(f["name"], f, f["name"])
                    for f in _sw().host_nic_fields(on, ref, nic)])
