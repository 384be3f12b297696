"""aCLI networks as libvirt networks: `<forward mode='bridge'/>` onto an OVS
bridge with `<virtualport type='openvswitch'/>` and the VLAN as `<vlan><tag>`.

IPAM settings (ip_config, dhcp_address, and the pools, DNS options,
blacklist and leases of acli/network/ipam.py) and the annotation live in the
network's <metadata> under acli's namespace: libvirt's network driver refuses
<ip> on bridge-mode networks, and 9.0 has no API to set a network's metadata,
so a change redefines the XML with the same <uuid>. Networks of other kinds
(NAT, isolated, Linux bridges) are not aCLI networks and are not listed.
"""

from __future__ import annotations

import ipaddress
import uuid as uuidlib
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field, replace

from acli.errors import Conflict, UsageError
from acli.hosts.libvirt_errors import libvirt_call
from acli.names import is_uuid
from acli.selection import Kind, select_one
from acli.selection import select as select_entities
from acli.network import ipam as ipammod
from acli.network import values

NET_NS = "http://acli.dev/xmlns/net/1.0"
# Its own prefix: "acli" is the VM namespace's (acli/vms/spec.py), and
# ElementTree keeps one URI per prefix, process-wide.
NET_PREFIX = "aclinet"
ET.register_namespace(NET_PREFIX, NET_NS)
_Q = "{%s}" % NET_NS


@dataclass
class Network:
    name: str
    bridge: str
    vlan: int = 0
    uuid: str = ""
    annotation: str | None = None
    ip_config: str | None = None     # gateway/prefix, e.g. 10.1.1.1/24
    dhcp_address: str | None = None
    ipam: ipammod.Ipam = field(default_factory=ipammod.Ipam)   # managed networks only
    # A net.update that re-tags the network's NICs is under way, or was cut
    # off (killed, or its undo failed): the NICs may not all carry `vlan`.
    retag_pending: bool = False

    @property
    def managed(self) -> bool:
        return self.ip_config is not None

    @property
    def interface(self):
        return ipaddress.IPv4Interface(self.ip_config) if self.ip_config else None

    @property
    def subnet(self) -> str:
        return str(self.interface.network) if self.ip_config else ""

    @property
    def dhcp_server(self) -> str | None:
        """The DHCP server's address: as given, else the last usable one (as AHV)."""
        if not self.ip_config:
            return None
        return self.dhcp_address or str(self.interface.network.broadcast_address - 1)


def check_ip_config(iface: ipaddress.IPv4Interface, dhcp_address: str | None) -> None:
    net = iface.network
    if net.prefixlen > 30:
        raise UsageError(f"Bad value for ip_config: /{net.prefixlen} leaves no room for VMs "
                         "(use a prefix of 30 or less)")
    if iface.ip in (net.network_address, net.broadcast_address):
        raise UsageError(f"Bad value for ip_config: {iface.ip} is the network's "
                         f"{'network' if iface.ip == net.network_address else 'broadcast'} address, "
                         "not a gateway")
    if dhcp_address is not None:
        dhcp = ipaddress.IPv4Address(dhcp_address)
        if dhcp not in net or dhcp in (net.network_address, net.broadcast_address):
            raise UsageError(f"Bad value for dhcp_address: {dhcp} is not a host address in {net}")
        if dhcp == iface.ip:
            raise UsageError(f"Bad value for dhcp_address: {dhcp} is the gateway")


def parse(xml: str) -> Network | None:
    root = ET.fromstring(xml)
    forward = root.find("forward")
    bridge = root.find("bridge")
    port = root.find("virtualport")
    if (forward is None or forward.get("mode") != "bridge" or bridge is None
            or port is None or port.get("type") != "openvswitch"):
        return None
    tag = root.find("vlan/tag")
    meta = root.find(f"metadata/{_Q}network")

    def text(key):
        return meta.findtext(_Q + key) if meta is not None else None

    return Network(name=root.findtext("name"), uuid=root.findtext("uuid") or "",
                   bridge=bridge.get("name"), vlan=int(tag.get("id")) if tag is not None else 0,
                   annotation=text("annotation"), ip_config=text("ip_config"),
                   dhcp_address=text("dhcp_address"), ipam=ipammod.parse(meta, _Q),
                   retag_pending=text("retag_pending") == "yes")


def to_xml(net: Network) -> str:
    root = ET.Element("network")
    ET.SubElement(root, "name").text = net.name
    ET.SubElement(root, "uuid").text = net.uuid
    fields = {"annotation": net.annotation, "ip_config": net.ip_config,
              "dhcp_address": net.dhcp_address,
              "retag_pending": "yes" if net.retag_pending else None}
    if any(v is not None for v in fields.values()) or not ipammod.is_empty(net.ipam):
        meta = ET.SubElement(ET.SubElement(root, "metadata"), _Q + "network")
        for key, value in fields.items():
            if value is not None:
                ET.SubElement(meta, _Q + key).text = value
        ipammod.write(meta, net.ipam, _Q)
    ET.SubElement(root, "forward", mode="bridge")
    ET.SubElement(root, "bridge", name=net.bridge)
    ET.SubElement(root, "virtualport", type="openvswitch")
    if net.vlan:
        ET.SubElement(ET.SubElement(root, "vlan"), "tag", id=str(values.vlan(net.vlan)))
    return ET.tostring(root, encoding="unicode")


def _inactive_xml(virnet) -> str:
    """The stored definition; the test driver has only one and takes no flags."""
    import libvirt

    try:
        return virnet.XMLDesc(libvirt.VIR_NETWORK_XML_INACTIVE)
    except libvirt.libvirtError as err:
        if err.get_error_code() != libvirt.VIR_ERR_INVALID_ARG:
            raise
        return virnet.XMLDesc(0)


@libvirt_call
def all_networks(host) -> list[tuple[Network, object]]:
    out = []
    for virnet in host.conn.listAllNetworks():
        net = parse(_inactive_xml(virnet))
        if net is not None:
            out.append((net, virnet))
    from acli.names import natural_key

    return sorted(out, key=lambda pair: natural_key(pair[0].name))


def _find(host, ref: str):
    """(Network, libvirt network) by name or UUID, or None."""
    import libvirt

    conn = host.conn
    try:
        virnet = conn.networkLookupByUUIDString(ref) if is_uuid(ref) else conn.networkLookupByName(ref)
    except libvirt.libvirtError:
        return None
    net = parse(_inactive_xml(virnet))
    return None if net is None else (net, virnet)


def find(host, ref: str):
    """(Network, libvirt network) by name or UUID, or None (no suggestions)."""
    return _find(host, ref)


# How selection finds networks: (Network, libvirt network) pairs.
NETWORKS = Kind("network", all_networks, lookup=_find,
                name=lambda pair: pair[0].name, uuid=lambda pair: pair[0].uuid)


def lookup(host, ref: str) -> tuple[Network, object]:
    """A network by name or UUID, or NotFound with the nearest name."""
    return select_one(NETWORKS, host, ref)


def select(host, patterns) -> list[tuple[Network, object]]:
    """Networks named by a Selector's patterns, in order, each once."""
    return select_entities(NETWORKS, host, patterns)


def by_name(host) -> dict[str, Network]:
    return {net.name: net for net, _ in all_networks(host)}


@libvirt_call
def create(host, net: Network) -> Network:
    import libvirt

    try:
        host.conn.networkLookupByName(net.name)
        raise Conflict(f"network name already exists: {net.name}")
    except libvirt.libvirtError:
        pass
    net = replace(net, uuid=net.uuid or str(uuidlib.uuid4()))
    virnet = host.conn.networkDefineXML(to_xml(net))
    try:
        virnet.create()
        virnet.setAutostart(1)
    except libvirt.libvirtError:
        virnet.undefine()
        raise
    host.network_changed(net.uuid)
    return net


def check_definition(net: Network) -> None:
    """Refuse, before anything changes, a network that libvirt could not
    store: text with characters XML cannot hold (control characters)."""
    import re

    for key in ("name", "annotation"):
        value = getattr(net, key) or ""
        bad = re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]", value)
        if bad:
            raise UsageError(f"Bad value for {key}: it holds a control character "
                             f"(U+{ord(bad.group()):04X}), which a definition cannot hold")


@libvirt_call
def redefine(host, old: Network, new: Network, *, restart: bool = True) -> None:
    """Store `new` (same UUID); a new name means a new libvirt network.

    Never without a network: a renamed (or, on the test driver, any)
    network is undefined before the new definition can be made, and the old
    one is put back if the new one is refused. On a real host the running
    definition follows a new VLAN at once (`restart`), so that what libvirt
    hands a NIC plugged in later, by acli or virsh, is the new tag."""
    import libvirt

    check_definition(new)
    # Every change to a network's IPAM (leases included) is stored here:
    # its DHCP server follows from this one place (dhcp_server.py).
    host.network_changed(new.uuid)
    if new.name == old.name and host.caps.redefine_active_network:
        virnet = host.conn.networkDefineXML(to_xml(new))
        if restart and virnet.isActive() and _running_vlan(virnet) != (new.vlan or 0):
            _restart_keeping_ports(virnet)
        return
    # A new name, or the test driver (which keeps an active network's old
    # definition): replace the network, putting the old one back on failure.
    if new.name != old.name:
        try:
            host.conn.networkLookupByName(new.name)
            raise Conflict(f"network name already exists: {new.name}")
        except libvirt.libvirtError:
            pass
    delete(host, host.conn.networkLookupByName(old.name))
    try:
        _define_and_start(host, new)
    except BaseException:
        try:
            _define_and_start(host, old)
        except Exception:  # noqa: BLE001 - the refusal of `new` is the error to report
            pass
        raise


class redefined:
    """`with redefined(host, pairs): change()`: store the networks' new
    definitions (old, new pairs; unchanged pairs are skipped) before a
    change that goes with them (a NIC's, a network's re-tag), and put the
    old ones back if it fails (an interrupt too)."""

    def __init__(self, host, pairs):
        self.host = host
        self.pairs = [(old, new) for old, new in pairs if new is not old]

    def __enter__(self):
        done = []
        try:
            for old, new in self.pairs:
                redefine(self.host, old, new)
                done.append((old, new))
        except BaseException:
            self._undo(done)
            raise
        return self

    def __exit__(self, kind, err, tb):
        if kind is not None:
            self._undo(self.pairs)
        return False

    def _undo(self, pairs):
        for old, new in reversed(pairs):
            try:
                redefine(self.host, new, old)
            except Exception:  # noqa: BLE001 - the NIC change's error is the one to report
                pass


def _running_vlan(virnet) -> int:
    tag = ET.fromstring(virnet.XMLDesc(0)).find("vlan/tag")
    return int(tag.get("id")) if tag is not None else 0


def _define_and_start(host, net: Network) -> None:
    virnet = host.conn.networkDefineXML(to_xml(net))
    virnet.create()
    virnet.setAutostart(1)


def _restart_keeping_ports(virnet) -> None:
    """Make an active network run its stored definition. libvirt keeps the
    old one until the network restarts, and forgets the ports of running
    VMs when it does: they are registered again (RECLAIM), so `virsh
    net-port-list` and the network's connection count stay whole. The VMs'
    ports on the switch are not touched."""
    import libvirt

    ports = [port.XMLDesc(0) for port in virnet.listAllPorts()]
    virnet.destroy()
    virnet.create()
    for xml in ports:
        try:
            virnet.portCreateXML(xml, libvirt.VIR_NETWORK_PORT_CREATE_RECLAIM)
        except libvirt.libvirtError:
            pass  # bookkeeping only: the port itself carries on


@libvirt_call
def delete(host, virnet) -> None:
    host.network_changed(virnet.UUIDString())
    if virnet.isActive():
        virnet.destroy()
    virnet.undefine()
