"""Which managed networks' DHCP rules follow a VM's switch ports.

A managed network's OpenFlow rules name the bridge's ports by number
(dhcp_config.flows): a VM that starts or stops, or a NIC plugged into or
out of a running VM, makes or removes ports, so the servers of the managed
networks on those ports' bridges are noted, and brought in line when the
command or batch ends (Host.network_changed, NETWORKS_CHANGED).
"""

from __future__ import annotations

from acli.network import networks
from acli.network import nics as nicmod


def note(host, elements) -> None:
    """Note the managed networks on the bridges of the NICs whose
    <interface> elements are given, on a host that runs DHCP servers."""
    if not host.caps.dhcp_servers:
        return
    named, bridges = set(), set()
    for el in elements:
        nic = nicmod.parse(el)
        if nic.network:
            named.add(nic.network)
        if nic.bridge:
            bridges.add(nic.bridge)
    if not named and not bridges:
        return
    every = [net for net, _ in networks.all_networks(host)]
    bridges |= {net.bridge for net in every if net.name in named}
    for net in every:
        if net.managed and net.bridge in bridges:
            host.network_changed(net.uuid)
