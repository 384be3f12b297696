"""The host's physical NICs: what libvirt's interface driver reports (udev on
a real host, the node file's <interface>s in the sandbox), joined with the
OVS bridge and bond each one is an uplink of.

Virtual devices (loopback, taps, veth peers made for tests, OVS internal
ports, libvirt bridges) are not host NICs.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from operator import attrgetter

from acli.hosts.libvirt_errors import libvirt_call
from acli.selection import Kind, select_one

VIRTUAL_PREFIXES = ("lo", "vnet", "tap", "virbr", "ifb", "peer-", "ovs-", "docker", "veth")
UNKNOWN_SPEED = 4294967295  # what the kernel reports when a link has no speed


@dataclass
class HostNic:
    name: str
    mac: str
    link: bool
    speed_mbps: int | None
    mtu: int | None
    bridge: str | None = None
    bond: str | None = None


def _parse(xml: str) -> HostNic | None:
    root = ET.fromstring(xml)
    if root.get("type") != "ethernet":
        return None
    name = root.get("name") or ""
    mac = root.find("mac")
    link = root.find("link")
    mtu = root.find("mtu")
    speed = int(link.get("speed")) if link is not None and link.get("speed") else None
    if speed in (UNKNOWN_SPEED, -1, 0):
        speed = None
    return HostNic(name=name, mac=(mac.get("address") if mac is not None else "").lower(),
                   link=link is not None and link.get("state") == "up", speed_mbps=speed,
                   mtu=int(mtu.get("size")) if mtu is not None else None)


@libvirt_call
def _libvirt_nics(host) -> list[HostNic]:
    out = []
    for iface in host.conn.listAllInterfaces():
        nic = _parse(iface.XMLDesc(0))
        if nic is not None and nic.name and not nic.name.startswith(VIRTUAL_PREFIXES):
            out.append(nic)
    return out


def inventory(host, db=None) -> dict[str, HostNic]:
    """name -> HostNic, sorted by name; with `db`, bridge/bond filled in and
    OVS-made devices (internal ports, VM taps) left out."""
    nics = {n.name: n for n in sorted(_libvirt_nics(host), key=lambda n: n.name)}
    if db is None:
        return nics
    for bridge in db.rows("Bridge"):
        nics.pop(bridge.name, None)
        for port in bridge.ports:
            for iface in port.interfaces:
                nic = nics.get(iface.name)
                if nic is None:
                    continue
                if iface.type not in ("", "system") or "iface-id" in iface.external_ids:
                    del nics[iface.name]
                    continue
                nic.bridge, nic.bond = bridge.name, port.name
                if iface.mtu_request:  # what acli asked for; ovs-vswitchd applies it
                    nic.mtu = iface.mtu_request[0]
    return nics


# How selection finds host NICs in an inventory (the scope; they have no UUID)
# and the host in its description.
HOST_NICS = Kind("host NIC", lambda nics: nics.values(), name=attrgetter("name"), uuid=None,
                 lookup=lambda nics, name: nics.get(name))
THIS_HOST = Kind("host", lambda info: [info], name=attrgetter("name"), uuid=attrgetter("uuid"),
                 lookup=lambda info, text: info if text in (info.name, info.uuid, info.address)
                 else None)


def find(nics: dict, name: str) -> HostNic:
    """A host NIC by name."""
    return select_one(HOST_NICS, nics, name)


def check_host(host, ref: str | None, info=None) -> None:
    """aCLI names the host first; acli drives one host: accept its name,
    UUID, name:uuid or address. `info`: host.info(), if read already."""
    if ref is None:
        return
    select_one(THIS_HOST, info or host.info(), ref)
