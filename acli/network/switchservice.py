"""net.*_virtual_switch and net.*_host_nic with aCLI's meaning: resolve
names, check everything, then change OVSDB in one transaction."""

from __future__ import annotations

import os

from acli.errors import Conflict, InvalidState, UsageError
from acli.network import hostnics, values, vswitch
from acli.network.sandbox_setup import status_of_factory

DATAPATH_KEY = "acli-datapath-type"


def _db(host):
    db = host.ovsdb()
    db.refresh()
    return db


def _status_of(host, nics):
    return status_of_factory(None if host.caps.vswitchd else nics)


def datapath_type(host, db) -> str:
    """For a new bridge: what the host says (Open_vSwitch external_ids
    acli-datapath-type), else what its other bridges use, else netdev (the
    userspace datapath) on a local host without the OVS kernel module."""
    chosen = db.root().external_ids.get(DATAPATH_KEY)
    if chosen is not None:
        return chosen
    for bridge in db.rows("Bridge"):
        return bridge.datapath_type or ""
    if not host.caps.vswitchd:
        return ""  # no datapath to choose: nothing forwards packets
    local = not host.address_is_remote()
    return "netdev" if local and not os.path.exists("/sys/module/openvswitch") else ""


def switches(host) -> list[vswitch.VirtualSwitch]:
    return vswitch.switches(_db(host))


def find_switches(host, refs: list[str]) -> list[vswitch.VirtualSwitch]:
    db = _db(host)
    return [vswitch.find(db, ref) for ref in refs]


def switch_fields(host, vs: vswitch.VirtualSwitch) -> dict:
    """net.get_virtual_switch's fields of one switch."""
    info = host.info()
    host_config = {"host_name": info.name, "host_uuid": info.uuid, "bridge_name": vs.bridge,
                   "bond_name": vs.uplink_port, "host_nic_list": list(vs.uplinks)}
    if vs.active_uplink:
        host_config["active_uplink"] = vs.active_uplink
    fields = {"name": vs.name, "uuid": vs.uuid, "bond_type": vs.bond_type, "mtu": vs.mtu,
              "bridge_name": vs.bridge, "is_default": vs.name == "vs0",
              "host_config_list": host_config, "num_vm_ports": vs.vm_ports}
    if vs.bond_type == "kBalanceTcp":
        fields["lacp_config"] = {"lacp_timeout": vs.lacp_timeout,
                                 "lacp_fallback": vs.lacp_fallback}
    return fields


def settings_from(host, *, uplinks, host_uplink_config, bond_type, lacp_timeout, lacp_fallback,
                  mtu, active_uplink) -> vswitch.BondSettings:
    """One BondSettings from the keyword forms aCLI has (uplinks=a,b or
    host_uplink_config={HOST:a,b}; active_uplink=eth2 or {HOST:eth2})."""
    if uplinks is not None and host_uplink_config is not None:
        raise UsageError("give uplinks or host_uplink_config, not both")
    if host_uplink_config is not None:
        uplinks = _this_host_value(host, host_uplink_config, "host_uplink_config").split(",")
        uplinks = [u.strip() for u in uplinks if u.strip()]
    if isinstance(active_uplink, dict):
        active_uplink = _this_host_value(host, active_uplink, "active_uplink")
    if uplinks is not None and len(set(uplinks)) != len(uplinks):
        raise UsageError("Bad value for uplinks: a NIC is listed twice")
    return vswitch.BondSettings(uplinks=uplinks, bond_type=bond_type, lacp_timeout=lacp_timeout,
                                lacp_fallback=lacp_fallback, mtu=mtu, active_uplink=active_uplink)


def _this_host_value(host, mapping: dict, what: str) -> str:
    """This host's entry of a {HOST: value} map; the other entries must name
    the other hosts of the cluster the command holds (`host.peers`)."""
    info = host.info()
    mine = {info.name, info.uuid, info.address}
    others = set()
    for peer in host.peers:
        theirs = peer.info()
        others |= {theirs.name, theirs.uuid, theirs.address}
    for key, value in mapping.items():
        if key in mine:
            extra = set(mapping) - {key} - others
            if extra:
                raise UsageError(f"Bad value for {what}: unknown host {sorted(extra)[0]}")
            return value
    raise UsageError(f"Bad value for {what}: no entry for this host "
                     f"({info.name} or {info.address}); got {', '.join(mapping)}")


def check_create(host, name: str, s: vswitch.BondSettings) -> None:
    """What create_switch refuses, checked without changing anything (a
    cluster checks every host before it changes the first)."""
    values.vswitch_index(name)
    db = _db(host)
    bridge = values.bridge_of(name)
    if any(vs.name == name for vs in vswitch.switches(db)):
        raise Conflict(f"virtual switch already exists: {name}")
    if db.bridge(bridge) is not None:
        raise Conflict(f"bridge {bridge} already exists; adopt it with "
                       f"net.migrate_br_to_virtual_switch {bridge} vs_name={name}")
    if not s.uplinks:
        raise UsageError(f"{name} needs uplinks: give uplinks=NIC[,NIC...] (see net.list_host_nic)")
    vswitch.check_settings(db, s, hostnics.inventory(host), bridge, None)


def check_update(host, ref: str, s: vswitch.BondSettings) -> None:
    db = _db(host)
    vs = vswitch.find(db, ref)
    if all(v is None for v in vars(s).values()):
        raise UsageError("net.update_virtual_switch: nothing to change "
                         "(give bond_type, uplinks, mtu, lacp_timeout, ...)")
    vswitch.check_settings(db, s, hostnics.inventory(host), vs.bridge, vs)


def create_switch(host, name: str, s: vswitch.BondSettings) -> str:
    check_create(host, name, s)
    db = _db(host)
    nics = hostnics.inventory(host)
    dp = datapath_type(host, db)
    status_of = _status_of(host, nics)
    db.transact(lambda txn, d: vswitch.stage_create(txn, d, name, s, dp, status_of),
                wait_vswitchd=host.caps.vswitchd)
    return vswitch.find(db, name).uuid


def update_switch(host, ref: str, s: vswitch.BondSettings) -> vswitch.VirtualSwitch:
    db = _db(host)
    vs = vswitch.find(db, ref)
    if all(v is None for v in vars(s).values()):
        raise UsageError("net.update_virtual_switch: nothing to change "
                         "(give bond_type, uplinks, mtu, lacp_timeout, ...)")
    nics = hostnics.inventory(host)
    vswitch.check_settings(db, s, nics, vs.bridge, vs)
    status_of = _status_of(host, nics)
    db.transact(lambda txn, d: vswitch.stage_update(txn, d, vswitch.find(d, vs.name), s, status_of),
                wait_vswitchd=host.caps.vswitchd)
    return vs


def delete_check(host, ref: str) -> vswitch.VirtualSwitch:
    from acli.network.networks import all_networks

    vs = vswitch.find(_db(host), ref)
    if vs.name == "vs0":
        raise InvalidState("vs0 is the default virtual switch and cannot be deleted")
    using = [net.name for net, _ in all_networks(host) if net.bridge == vs.bridge]
    if using:
        raise Conflict(f"{vs.name} is used by {len(using)} networks ({', '.join(using[:5])}); "
                       "delete them first")
    return vs


def delete_switch(host, vs: vswitch.VirtualSwitch) -> None:
    db = _db(host)
    db.transact(lambda txn, d: vswitch.stage_delete(txn, d, vs), wait_vswitchd=host.caps.vswitchd)


def migrate_bridge(host, bridge: str, vs_name: str | None) -> str:
    if vs_name is None:
        m = values.BRIDGE_RE.fullmatch(bridge)
        if not m:
            raise UsageError(f"{bridge} is not named brN: give it a name with vs_name=NAME")
        vs_name = f"vs{int(m.group(1))}"
    values.vswitch_name(vs_name)
    db = _db(host)
    nics = hostnics.inventory(host)
    db.transact(lambda txn, d: vswitch.stage_adopt(txn, d, bridge, vs_name, nics))
    return vs_name


# host NICs -----------------------------------------------------------------

def host_nics(host, ref) -> list:
    """The physical NICs (hostnics.HostNic) of host `ref` (it must be this one)."""
    hostnics.check_host(host, ref)
    return list(hostnics.inventory(host, _db(host)).values())


def host_nic_fields(host, ref, names: list[str]) -> list[dict]:
    """net.get_host_nic's fields of each NIC named."""
    hostnics.check_host(host, ref)
    info = host.info()
    nics = hostnics.inventory(host, _db(host))
    out = []
    for name in names:
        nic = hostnics.find(nics, name)
        out.append({"name": nic.name, "mac_addr": nic.mac, "link": "up" if nic.link else "down",
                    "speed_mbps": nic.speed_mbps, "mtu": nic.mtu, "bridge_name": nic.bridge,
                    "bond_name": nic.bond, "host_uuid": info.uuid})
    return out
