"""What a freshly installed host has, for the sandbox: four 10G NICs (as
libvirt <interface>s in the node file) and virtual switch vs0 = bridge br0
with bond br0-up over all of them (in the private OVSDB).

The sandbox has no ovs-vswitchd, so the status columns it would fill in
(mac_in_use, link_state, link_speed, mtu) are written here instead.
"""

from __future__ import annotations

from acli.hosts.events import OvsdbEvent, SandboxEvent

SANDBOX_NICS = (  # name, MAC, speed in Mb/s
    ("eth0", "0c:c4:7a:5e:00:10", 10000),
    ("eth1", "0c:c4:7a:5e:00:11", 10000),
    ("eth2", "0c:c4:7a:5e:00:12", 10000),
    ("eth3", "0c:c4:7a:5e:00:13", 10000),
)
BRIDGE_MAC = "0c:c4:7a:5e:00:10"


def node_part(event: SandboxEvent) -> str:
    """sandbox NODE_PARTS hook: the node file's host NICs."""
    return "\n".join(
        f"<interface type='ethernet' name='{name}'><start mode='onboot'/><mtu size='1500'/>"
        f"<link speed='{speed}' state='up'/><mac address='{mac}'/></interface>"
        for name, mac, speed in SANDBOX_NICS)


def status_of_factory(host_nics: dict | None):
    """fn(interface name) -> the status columns ovs-vswitchd would set, for
    the sandbox; None on a real host, where ovs-vswitchd sets them."""
    if host_nics is None:
        return lambda name: None

    def status_of(name):
        nic = host_nics.get(name)
        if nic is None:  # an internal port
            return {"mac_in_use": [BRIDGE_MAC], "link_state": ["up"], "mtu": [1500],
                    "admin_state": ["up"]}
        return {"mac_in_use": [nic.mac], "link_state": ["up" if nic.link else "down"],
                "link_speed": [(nic.speed_mbps or 0) * 1000000] if nic.speed_mbps else [],
                "mtu": [nic.mtu or 1500], "admin_state": ["up"]}

    return status_of


def fresh_ovsdb(event: OvsdbEvent) -> None:
    """sandbox FRESH_OVSDB hook: give a new sandbox OVSDB the default virtual
    switch vs0 (br0, br0-up)."""
    remote = event.remote
    from acli.network import vswitch
    from acli.network.hostnics import HostNic
    from acli.hosts.ovsdb import Ovsdb

    nics = {name: HostNic(name, mac, True, speed, 1500) for name, mac, speed in SANDBOX_NICS}
    settings = vswitch.BondSettings(uplinks=list(nics), bond_type="kActiveBackup")
    db = Ovsdb(remote)
    try:
        db.transact(lambda txn, d: vswitch.stage_create(txn, d, "vs0", settings, "",
                                                        status_of_factory(nics)))
    finally:
        db.close()
