"""Virtual switches as OVSDB holds them: bridge brN, its internal port brN and
its uplink (bond) port brN-up over host NICs; acli's fields in external_ids.

A bridge is a virtual switch when its external_ids say `acli-vswitch=NAME`
(net.create_virtual_switch writes vsN for bridge brN;
net.migrate_br_to_virtual_switch any valid name for the bridge it adopts);
`acli-uplink` names the uplink port when it is not brN-up (adopted bridges).
Every function here stages changes in one transaction (see ovsdb.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from operator import attrgetter

from acli.errors import Conflict, InvalidState, NotFound, UsageError
from acli.names import natural_key
from acli.network import values
from acli.selection import Kind, select_one

VS_KEY, UPLINK_KEY = "acli-vswitch", "acli-uplink"


@dataclass
class VirtualSwitch:
    name: str
    bridge: str
    uplink_port: str
    uuid: str
    uplinks: list[str] = field(default_factory=list)
    bond_type: str = "kActiveBackup"
    lacp_timeout: str = "kSlow"
    lacp_fallback: bool = False
    mtu: int = 1500
    active_uplink: str | None = None
    datapath_type: str = ""
    vm_ports: int = 0


def _port_of(bridge, name):
    return next((p for p in bridge.ports if p.name == name), None)


def _first(column, default=None):
    return column[0] if column else default


def from_bridge(bridge) -> VirtualSwitch:
    uplink_name = bridge.external_ids.get(UPLINK_KEY, values.bond_of(bridge.name))
    port = _port_of(bridge, uplink_name)
    vs = VirtualSwitch(name=bridge.external_ids[VS_KEY], bridge=bridge.name, uplink_port=uplink_name,
                       uuid=str(bridge.uuid), datapath_type=bridge.datapath_type or "")
    vs.vm_ports = sum(1 for p in bridge.ports if is_vm_port(p))
    internal = _port_of(bridge, bridge.name)
    mtu_from = list(port.interfaces) if port else []
    if internal is not None:
        mtu_from += list(internal.interfaces)
    for iface in mtu_from:
        found = _first(iface.mtu_request) or _first(iface.mtu)
        if found:
            vs.mtu = found
            break
    if port is None:
        vs.bond_type = "kNone"
        return vs
    vs.uplinks = sorted(i.name for i in port.interfaces)
    mode = _first(port.bond_mode)
    vs.bond_type = values.BOND_MODES.get(mode, "kNone")
    other = port.other_config
    vs.lacp_timeout = "kFast" if other.get("lacp-time") == "fast" else "kSlow"
    vs.lacp_fallback = other.get("lacp-fallback-ab") == "true"
    vs.active_uplink = other.get("bond-primary")
    return vs


def is_vm_port(port) -> bool:
    return any("iface-id" in i.external_ids for i in port.interfaces)


def switches(db) -> list[VirtualSwitch]:
    found = [from_bridge(b) for b in db.rows("Bridge") if VS_KEY in b.external_ids]
    # natural order: vs2 before vs10; an adopted bridge's own name among them
    return sorted(found, key=lambda vs: natural_key(vs.name))


def _by_any(db, text: str):
    return next((vs for vs in switches(db) if text in (vs.name, vs.uuid, vs.bridge)), None)


# How selection finds virtual switches and bridges in an OVSDB (the scope).
SWITCHES = Kind("virtual switch", lambda db: switches(db), name=attrgetter("name"),
                uuid=attrgetter("uuid"), lookup=_by_any)
BRIDGES = Kind("bridge", lambda db: db.rows("Bridge"), name=attrgetter("name"),
               uuid=lambda row: str(row.uuid))


def find(db, ref: str) -> VirtualSwitch:
    """A virtual switch by name (vs1), UUID, name:uuid, or bridge name (br1)."""
    return select_one(SWITCHES, db, ref)


def find_bridge(db, name: str):
    """An OVS bridge row by name (or UUID, name:uuid)."""
    return select_one(BRIDGES, db, name)


def nic_owners(db) -> dict[str, tuple[str, str]]:
    """Interface name -> (bridge, port) for every port on every bridge."""
    owners = {}
    for bridge in db.rows("Bridge"):
        for port in bridge.ports:
            for iface in port.interfaces:
                owners[iface.name] = (bridge.name, port.name)
    return owners


# planning: checks that need only reads ------------------------------------

@dataclass
class BondSettings:
    """What net.create/update_virtual_switch may set; None = leave as is."""

    uplinks: list[str] | None = None
    bond_type: str | None = None
    lacp_timeout: str | None = None
    lacp_fallback: bool | None = None
    mtu: int | None = None
    active_uplink: str | None = None


def check_settings(db, s: BondSettings, host_nics: dict, bridge: str,
                   current: VirtualSwitch | None) -> None:
    """Refuse what OVS would refuse or drop, before anything is written."""
    if s.mtu is not None:
        values.mtu(s.mtu)
    if s.uplinks is not None:
        owners = nic_owners(db)
        for nic in s.uplinks:
            values.ifname(nic, "uplinks")
            if nic not in host_nics:
                from acli.network.hostnics import find as find_host_nic

                find_host_nic(host_nics, nic)  # says which, in the one wording
            owner = owners.get(nic)
            if owner and owner[0] != bridge:
                raise Conflict(f"{nic} is already an uplink of {owner[0]} ({owner[1]}); "
                               "take it off that switch first")
    uplinks = s.uplinks if s.uplinks is not None else (current.uplinks if current else [])
    bond_type = s.bond_type or (current.bond_type if current else "kActiveBackup")
    if bond_type == "kNone" and len(uplinks) > 1:
        raise UsageError(f"bond_type=kNone takes one uplink; {len(uplinks)} given "
                         f"({','.join(uplinks)})")
    lacp = bond_type == "kBalanceTcp"
    if not lacp and (s.lacp_timeout is not None or s.lacp_fallback is not None):
        raise UsageError("lacp_timeout and lacp_fallback need bond_type=kBalanceTcp (LACP)")
    if s.active_uplink is not None:
        if s.active_uplink not in uplinks:
            raise UsageError(f"Bad value for active_uplink: {s.active_uplink} is not an uplink "
                             f"of this switch ({','.join(uplinks) or 'none'})")
        if bond_type != "kActiveBackup":
            raise UsageError("active_uplink needs bond_type=kActiveBackup")


# staging: writes inside a transaction -------------------------------------

def _insert(txn, db, table: str):
    return txn.insert(db.idl.tables[table])


def _new_interface(txn, db, name: str, type_: str = "", status: dict | None = None):
    iface = _insert(txn, db, "Interface")
    iface.name = name
    iface.type = type_
    for column, value in (status or {}).items():
        setattr(iface, column, value)
    return iface


def _new_port(txn, db, name: str, ifaces: list):
    port = _insert(txn, db, "Port")
    port.name = name
    port.interfaces = ifaces
    return port


def _apply_bond(port, s: BondSettings, current: VirtualSwitch | None, new: bool = False):
    bond_type = s.bond_type or (current.bond_type if current else "kActiveBackup")
    mode, lacp = values.BOND_TYPES[bond_type]
    if not new:
        port.verify("other_config")
    port.bond_mode = [mode] if mode else []
    port.lacp = [lacp]
    other = {} if new else dict(port.other_config)
    if lacp == "active":
        if s.lacp_timeout is not None:
            other["lacp-time"] = values.LACP_TIMEOUTS[s.lacp_timeout]
        if s.lacp_fallback is not None:
            other["lacp-fallback-ab"] = "true" if s.lacp_fallback else "false"
    else:
        other.pop("lacp-time", None)
        other.pop("lacp-fallback-ab", None)
    if s.active_uplink is not None:
        other["bond-primary"] = s.active_uplink
    elif bond_type != "kActiveBackup":
        other.pop("bond-primary", None)
    elif s.uplinks is not None and other.get("bond-primary") not in s.uplinks:
        other.pop("bond-primary", None)  # the preferred NIC has left the bond
    port.other_config = other


def _set_uplinks(txn, db, bridge, port_name: str, uplinks: list[str], status_of,
                 new: bool = False):
    """Make the uplink port hold exactly `uplinks`; returns the port (or None).
    `new`: the bridge was inserted by this transaction (nothing to read)."""
    port = None if new else _port_of(bridge, port_name)
    if not uplinks:
        if port is not None:
            bridge.verify("ports")
            bridge.ports = [p for p in bridge.ports if p.name != port_name]
        return None
    kept = {i.name: i for i in port.interfaces} if port is not None else {}
    ifaces = [kept.get(n) or _new_interface(txn, db, n, "", status_of(n)) for n in uplinks]
    if port is None:
        port = _new_port(txn, db, port_name, ifaces)
        if not new:
            bridge.verify("ports")
        bridge.ports = list(bridge.ports) + [port]
    else:
        port.verify("interfaces")
        port.interfaces = ifaces
    return port


def _set_mtu(bridge, port_name: str, mtu: int):
    for port in bridge.ports:
        if port.name in (port_name, bridge.name):
            for iface in port.interfaces:
                iface.mtu_request = [mtu]


def stage_create(txn, db, vs_name: str, s: BondSettings, datapath_type: str, status_of):
    """A new bridge brN with its internal port and uplink port brN-up."""
    name = values.bridge_of(vs_name)
    bridge, internal = stage_plain_bridge(txn, db, name, datapath_type, status_of,
                                          {VS_KEY: vs_name})
    port = _set_uplinks(txn, db, bridge, values.bond_of(name), s.uplinks or [], status_of,
                        new=True)
    if port is not None:
        _apply_bond(port, s, None, new=True)
    if s.mtu is not None:
        _set_mtu_new(internal, port, s.mtu)
    return name


def stage_plain_bridge(txn, db, name: str, datapath_type: str, status_of, external_ids: dict):
    """A new bridge `name` with only its internal port: a switch's before its
    uplink, or a chain bridge such as br.nf. Returns (bridge, internal
    interface)."""
    root = db.root()
    root.verify("bridges")
    internal = _new_interface(txn, db, name, "internal", status_of(name))
    bridge = _insert(txn, db, "Bridge")
    bridge.name = name
    bridge.datapath_type = datapath_type
    bridge.external_ids = external_ids
    bridge.ports = [_new_port(txn, db, name, [internal])]
    root.bridges = list(root.bridges) + [bridge]
    return bridge, internal


def _set_mtu_new(internal, port, mtu):
    internal.mtu_request = [mtu]
    for iface in (port.interfaces if port is not None else []):
        iface.mtu_request = [mtu]


def stage_update(txn, db, vs: VirtualSwitch, s: BondSettings, status_of):
    bridge = db.bridge(vs.bridge)
    if bridge is None:
        raise NotFound(f"bridge {vs.bridge} of {vs.name} is gone")
    uplinks = s.uplinks if s.uplinks is not None else vs.uplinks
    created = _port_of(bridge, vs.uplink_port) is None
    port = _set_uplinks(txn, db, bridge, vs.uplink_port, uplinks, status_of)
    if port is not None:
        _apply_bond(port, s, vs, new=created)
    if s.mtu is not None:
        if port is not None and s.uplinks is not None:
            for iface in port.interfaces:
                iface.mtu_request = [s.mtu]
        _set_mtu(bridge, vs.uplink_port, s.mtu)


def stage_delete(txn, db, vs: VirtualSwitch):
    bridge = db.bridge(vs.bridge)
    if bridge is None:
        return
    others = [p.name for p in bridge.ports if p.name not in (vs.bridge, vs.uplink_port)]
    if others:
        raise InvalidState(f"{vs.name}: bridge {vs.bridge} still has ports "
                           f"({', '.join(sorted(others)[:5])}); power off or move their VMs first")
    root = db.root()
    root.verify("bridges")
    root.bridges = [b for b in root.bridges if b.name != vs.bridge]
    bridge.delete()


def stage_adopt(txn, db, bridge_name: str, vs_name: str, host_nics: dict):
    """Mark an existing bridge as virtual switch vs_name; find its uplink port."""
    bridge = find_bridge(db, bridge_name)
    if VS_KEY in bridge.external_ids:
        raise Conflict(f"{bridge_name} is already virtual switch {bridge.external_ids[VS_KEY]}")
    taken = {vs.name for vs in switches(db)}
    if vs_name in taken:
        raise Conflict(f"virtual switch name already exists: {vs_name}")
    if vs_name != bridge_name and any(b.name == vs_name for b in db.rows("Bridge")):
        # a switch is also found by its bridge's name: one word must not name two
        raise Conflict(f"vs_name {vs_name} is the name of another bridge")
    uplink = find_uplink_port(bridge, host_nics)
    bridge.verify("external_ids")
    ids = dict(bridge.external_ids)
    ids[VS_KEY] = vs_name
    if uplink != values.bond_of(bridge_name):
        ids[UPLINK_KEY] = uplink
    bridge.external_ids = ids
    return uplink


def find_uplink_port(bridge, host_nics: dict) -> str:
    """brN-up if it exists, else bond0, else the one port made of host NICs."""
    names = {p.name for p in bridge.ports}
    for candidate in (values.bond_of(bridge.name), "bond0"):
        if candidate in names:
            return candidate
    nic_ports = [p.name for p in bridge.ports
                 if p.name != bridge.name and p.interfaces
                 and all(i.name in host_nics for i in p.interfaces)]
    if len(nic_ports) == 1:
        return nic_ports[0]
    return values.bond_of(bridge.name)
