"""A VM NIC as the domain XML holds it, and back.

    <interface type='network'>
      <mac address='50:6b:8d:..'/>
      <source network='vlan.10'/>
      <vlan trunk='yes'><tag id='10' nativeMode='untagged'/><tag id='20'/></vlan>
      <virtualport type='openvswitch'><parameters interfaceid='NIC UUID'/></virtualport>
      <model type='virtio'/> <driver queues='2'/> <link state='down'/>
    </interface>

The NIC names its network (so `virsh domiflist` and libvirt's port
bookkeeping agree with acli) and carries its own <vlan>, which beats the
network's: access = one tag (none on VLAN 0), trunked = trunk='yes' with the
network's VLAN as the untagged native tag plus the trunked VLANs. libvirt
turns that into the OVS port's tag / vlan_mode=native-untagged / trunks.

A trunked NIC's <vlan> is the user's trunked_networks plus the native VLAN.
So that a change of the native VLAN (a network's VLAN, a move) can tell
which tags the user asked for, the explicit list is kept in the domain's
<metadata>, keyed by MAC (unique on the host; vm.nic_* name NICs by it):

    <acli:nics xmlns:acli="http://acli.dev/xmlns/net/1.0">
      <acli:nic mac="50:6b:8d:.." trunked_networks="10,20"/>
    </acli:nics>

A NIC without an entry (made before acli kept it, or whose tags were
changed behind acli's back so that the entry no longer matches) counts its
current tags except the native one as explicit.
"""

from __future__ import annotations

import copy
import random
import time
import uuid as uuidlib
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from acli.network import values

META_NS = "http://acli.dev/xmlns/net/1.0"   # as acli/network/networks.py NET_NS
META_PREFIX = "aclinet"                     # as networks.NET_PREFIX
ET.register_namespace(META_PREFIX, META_NS)  # meta_xml() must not depend on import order
_M = "{%s}" % META_NS
MAC_PREFIX = "50:6b:8d"
ACCESS, TRUNKED = "kAccess", "kTrunked"


@dataclass
class Nic:
    """A NIC's attachment (network, VLANs), identity (MAC, UUID) and device
    settings (model and below: what the guest sees). A device setting is a
    field here, its XML in build() and parse(), its check in check_device()
    and its vm.get field in device_fields(); the commands pass them through
    as one dict."""

    mac: str
    network: str | None = None       # libvirt network name
    bridge: str | None = None        # for plain bridge interfaces made by others
    uuid: str | None = None          # virtualport interfaceid = OVS iface-id
    vlan_mode: str = ACCESS
    vlan: int | None = None          # access tag, or the trunk's native tag
    trunks: list[int] = field(default_factory=list)
    model: str = "virtio"
    connected: bool = True
    queues: int | None = None
    nf_type: str | None = None       # a network-function NIC's kind (network/nfchain.py)

    def port_columns(self) -> dict:
        """The OVS Port columns libvirt sets for this NIC."""
        if self.vlan_mode == TRUNKED:
            return {"tag": [self.vlan or 0], "trunks": sorted(set(self.trunks)),
                    "vlan_mode": ["native-untagged"]}
        return {"tag": [self.vlan] if self.vlan else [], "trunks": [], "vlan_mode": []}


def check_device(nic: Nic) -> None:
    """Refuse device settings that do not go together."""
    if nic.queues is not None and nic.model != "virtio":
        from acli.errors import UsageError

        raise UsageError(f"queues needs model=virtio (not {nic.model})")


def device_fields(nic: Nic) -> dict:
    """The device settings as vm.get and vm.nic_get show them."""
    fields = {"connected": nic.connected, "model": nic.model}
    if nic.queues:
        fields["queues"] = nic.queues
    return fields


def parse(el: ET.Element, network_vlans: dict | None = None) -> Nic:
    """`network_vlans` (name -> VLAN) fills in the VLAN of NICs with no <vlan>."""
    mac_el = el.find("mac")
    source = el.find("source")
    nic = Nic(mac=(mac_el.get("address") if mac_el is not None else "").lower())
    if source is not None:
        nic.network = source.get("network")
        nic.bridge = source.get("bridge")
    params = el.find("virtualport/parameters")
    if params is not None:
        nic.uuid = params.get("interfaceid")
        if params.get("profileid"):
            from acli.network.nfchain import type_of

            nic.nf_type = type_of(params.get("profileid"))
    model = el.find("model")
    if model is not None:
        nic.model = model.get("type") or "virtio"
    link = el.find("link")
    nic.connected = link is None or link.get("state") != "down"
    driver = el.find("driver")
    if driver is not None and driver.get("queues"):
        nic.queues = int(driver.get("queues"))
    vlan = el.find("vlan")
    if vlan is None:
        nic.vlan = (network_vlans or {}).get(nic.network) or None
        return nic
    tags = [(int(t.get("id")), t.get("nativeMode")) for t in vlan.findall("tag")]
    if vlan.get("trunk") == "yes" or len(tags) > 1:
        nic.vlan_mode = TRUNKED
        nic.trunks = sorted({t for t, _ in tags})
        native = [t for t, mode in tags if mode]
        nic.vlan = native[0] if native else None
    elif tags:
        nic.vlan = tags[0][0] or None
    return nic


def build(nic: Nic) -> ET.Element:
    """A NIC on its network; a network-function NIC on its chain bridge,
    its kind as the virtualport's profileid (network/nfchain.py)."""
    el = ET.Element("interface", type="bridge" if nic.nf_type else "network")
    ET.SubElement(el, "mac", address=nic.mac)
    if nic.nf_type:
        ET.SubElement(el, "source", bridge=nic.bridge)
    else:
        ET.SubElement(el, "source", network=nic.network)
        set_vlan(el, nic)
    port = ET.SubElement(el, "virtualport", type="openvswitch")
    params = ET.SubElement(port, "parameters", interfaceid=nic.uuid or str(uuidlib.uuid4()))
    if nic.nf_type:
        from acli.network.nfchain import profile_of

        params.set("profileid", profile_of(nic.nf_type))
    ET.SubElement(el, "model", type=nic.model)
    if nic.queues:
        ET.SubElement(el, "driver", queues=str(nic.queues))
    set_link(el, nic.connected)
    return el


def set_vlan(el: ET.Element, nic: Nic) -> None:
    """Replace the element's <vlan> with the NIC's (checked first)."""
    old = el.find("vlan")
    index = list(el).index(old) if old is not None else _after(el, "source")
    if old is not None:
        el.remove(old)
    if nic.vlan_mode == TRUNKED:
        vlan = ET.Element("vlan", trunk="yes")
        native = values.vlan(nic.vlan or 0, "vlan of the native network")
        ET.SubElement(vlan, "tag", id=str(native), nativeMode="untagged")
        for tag in sorted(set(nic.trunks) - {native}):
            ET.SubElement(vlan, "tag", id=str(values.vlan(tag, "trunked_networks")))
    elif nic.vlan:
        vlan = ET.Element("vlan")
        ET.SubElement(vlan, "tag", id=str(values.vlan(nic.vlan)))
    else:
        return
    el.insert(index, vlan)


def set_link(el: ET.Element, connected: bool) -> None:
    link = el.find("link")
    if link is None:
        link = ET.SubElement(el, "link")
    link.set("state", "up" if connected else "down")


def set_queues(el: ET.Element, queues: int) -> None:
    """virtio multiqueue: <driver queues='N'/> (1 is QEMU's default, one queue)."""
    driver = el.find("driver")
    if driver is None:
        driver = ET.SubElement(el, "driver")
    driver.set("queues", str(queues))


def set_network(el: ET.Element, network: str) -> None:
    el.set("type", "network")
    source = el.find("source")
    if source is None:
        source = ET.Element("source")
        el.insert(_after(el, "mac"), source)
    source.attrib.clear()
    source.set("network", network)


def _after(el: ET.Element, tag: str) -> int:
    children = list(el)
    for i, child in enumerate(children):
        if child.tag == tag:
            return i + 1
    return 0


def interfaces(root: ET.Element) -> list[ET.Element]:
    return root.findall("devices/interface")


def find(root: ET.Element, mac: str) -> ET.Element | None:
    mac = mac.lower()
    for el in interfaces(root):
        found = el.find("mac")
        if found is not None and (found.get("address") or "").lower() == mac:
            return el
    return None


# the user's explicit trunk lists (domain <metadata>) ---------------------

def _meta(root: ET.Element, create: bool = False) -> ET.Element | None:
    md = root.find("metadata")
    if md is None:
        if not create:
            return None
        md = ET.SubElement(root, "metadata")
    nics = md.find(_M + "nics")
    if nics is None and create:
        nics = ET.SubElement(md, _M + "nics")
    return nics


def _entry(root: ET.Element, mac: str) -> ET.Element | None:
    nics = _meta(root)
    if nics is None:
        return None
    for el in nics.findall(_M + "nic"):
        if (el.get("mac") or "").lower() == mac.lower():
            return el
    return None


def stored_trunks(root: ET.Element, mac: str) -> list[int] | None:
    el = _entry(root, mac)
    if el is None:
        return None
    try:
        return sorted({int(t) for t in (el.get("trunked_networks") or "").split(",") if t.strip()})
    except ValueError:
        return None


def explicit_trunks(root: ET.Element, nic: Nic) -> list[int]:
    """The VLANs the user asked a trunked NIC to carry (its tags are these
    plus the native VLAN). Without a stored list that agrees with the NIC's
    tags: its tags except the native one."""
    if nic.vlan_mode != TRUNKED:
        return []
    native = nic.vlan or 0
    stored = stored_trunks(root, nic.mac)
    if stored is not None and set(stored) | {native} == set(nic.trunks) | {native}:
        return stored
    return sorted(set(nic.trunks) - {native})


def set_stored_trunks(root: ET.Element, mac: str, tags: list[int] | None) -> None:
    """Store (None: forget) a NIC's explicit trunk list in `root`'s metadata."""
    old = _entry(root, mac)
    if tags is None:
        if old is not None:
            nics = _meta(root)
            nics.remove(old)
            if not len(nics):
                md = root.find("metadata")
                md.remove(nics)
                if not len(md):
                    root.remove(md)
        return
    el = old if old is not None else ET.SubElement(_meta(root, create=True), _M + "nic")
    el.set("mac", mac.lower())
    el.set("trunked_networks", ",".join(str(t) for t in sorted(set(tags))))


def meta_xml(root: ET.Element) -> str | None:
    """The <nics> metadata element as text for virDomainSetMetadata (None when
    there is none): without its namespace, which libvirt adds itself under
    the key it is given (an element that already carries it is refused with
    "failed to create a new XML namespace")."""
    nics = _meta(root)
    if nics is None:
        return None
    plain = copy.deepcopy(nics)
    for el in plain.iter():
        el.tag = el.tag.rpartition("}")[2]
    return ET.tostring(plain, encoding="unicode")


def trunks_for(explicit: list[int], native: int | None) -> list[int]:
    return sorted(set(explicit) | {native or 0})


# MAC addresses -------------------------------------------------------------

_MAC_TTL = 10.0  # seconds a host's MAC set is trusted before it is read again


def macs_in_use(host) -> set[str]:
    """Every NIC MAC of every VM on the host, and in a cluster on the other
    hosts the command holds (`host.peers`): a MAC is the cluster's, or a VM
    migrating would meet its twin. Cached briefly per host: a batch of 500
    nic_creates must not read 500 domains 500 times."""
    own = _own_macs(host)
    if not host.peers:
        return own
    every = set(own)
    for peer in host.peers:
        every |= _own_macs(peer)
    return every


def _own_macs(host) -> set[str]:
    cached = host.mac_cache
    if cached and time.monotonic() - cached[0] < _MAC_TTL:
        return cached[1]
    from acli.vms.domxml import both_xmls, scan

    found = set()
    for _dom, xmls in scan(host, both_xmls):
        for xml in xmls:
            for el in ET.fromstring(xml).findall("devices/interface/mac"):
                found.add((el.get("address") or "").lower())
    host.mac_cache = (time.monotonic(), found)
    return found


def new_mac(host, taken: set[str] | None = None) -> str:
    """A random 50:6b:8d MAC no VM on the host uses; noted as used."""
    used = macs_in_use(host)
    rng = random.SystemRandom()
    for _ in range(1000):
        mac = MAC_PREFIX + "".join(f":{rng.randrange(256):02x}" for _ in range(3))
        if mac not in used and mac not in (taken or ()):
            note_mac(host, mac)
            return mac
    raise RuntimeError("no free MAC address found")


def note_mac(host, mac: str) -> None:
    _own_macs(host).add(mac.lower())


def forget_mac(host, mac: str) -> None:
    """A deleted NIC's MAC is free again (for this process's cache too)."""
    cached = host.mac_cache
    if cached:
        cached[1].discard(mac.lower())
