"""Reading a VM's domain XML: its stored definition, the definition a
snapshot holds, and `Definition`, one VM's XML shared by every hook around
one command (read at most once, parsed only if asked)."""

from __future__ import annotations

import libvirt

# acli's own element in a VM's <metadata> (vms/logical_timestamp.py), and the
# prefix a definition parsed here and written again keeps for it.
VM_NS = "http://acli.dev/xmlns/vm/1.0"
VM_PREFIX = "aclivm"
_registered = False


def parse(xml: str):
    """A domain's XML as an ElementTree element, ready to be edited and
    written back with acli's metadata element as libvirt wrote it (not as
    ns0:vm)."""
    import xml.etree.ElementTree as ET

    global _registered
    if not _registered:
        ET.register_namespace(VM_PREFIX, VM_NS)
        _registered = True
    return ET.fromstring(xml)


def metadata_element(root, ns: str, tag: str):
    """acli's element `tag` of namespace `ns` in `root`'s <metadata>, made
    (with the <metadata>) when missing: for a definition about to be
    stored whole."""
    import xml.etree.ElementTree as ET

    metadata = root.find("metadata")
    if metadata is None:
        metadata = ET.SubElement(root, "metadata")
    el = metadata.find(f"{{{ns}}}{tag}")
    if el is None:
        el = ET.SubElement(metadata, f"{{{ns}}}{tag}")
    return el


def xml_of(dom, inactive: bool = True) -> str:
    flags = libvirt.VIR_DOMAIN_XML_SECURE
    if inactive:
        flags |= libvirt.VIR_DOMAIN_XML_INACTIVE
    return dom.XMLDesc(flags)


def inactive_root(dom):
    """The VM's stored definition, parsed: what every change edits."""
    return parse(xml_of(dom))


def snapshot_domain(snap):
    """The definition a snapshot holds (the VM as it was), parsed; None if it holds none."""
    return parse(snap.getXMLDesc(0)).find("domain")


def scan(host, read) -> list:
    """[(domain, read(domain))] for every VM of the host. A VM deleted while
    the scan runs (by another acli, or virsh) is left out, not an error:
    a command that reads every VM must not fail because of one it does not
    care about."""
    out = []
    for dom in host.conn.listAllDomains():
        try:
            out.append((dom, read(dom)))
        except libvirt.libvirtError as err:
            if err.get_error_code() != libvirt.VIR_ERR_NO_DOMAIN:
                raise
    return out


def xml_or_none(dom) -> str | None:
    """The stored definition, or None for a VM deleted meanwhile (a scan's)."""
    try:
        return xml_of(dom)
    except libvirt.libvirtError as err:
        if err.get_error_code() != libvirt.VIR_ERR_NO_DOMAIN:
            raise
        return None


def both_xmls(dom) -> list[str]:
    """A VM's stored definition and, when it runs, its live one."""
    xml = xml_of(dom)
    return [xml, dom.XMLDesc(0)] if dom.isActive() else [xml]


class Definition:
    """One VM's stored domain XML, shared by the hooks around one command:
    read at most once, parsed into a tree only if a hook asks for it."""

    __slots__ = ("dom", "_xml", "_root", "_has")

    def __init__(self, dom, root=None, xml: str | None = None):
        self.dom = dom
        self._xml = xml  # the stored definition, if the caller read it already
        self._root = root  # a tree the caller parsed already
        self._has = {}

    @property
    def xml(self) -> str:
        if self._xml is None:
            self._xml = xml_of(self.dom)
        return self._xml

    @property
    def root(self):
        if self._root is None:
            self._root = parse(self.xml)
        return self._root

    def has(self, tag: str) -> bool:
        """Whether an element `tag` appears anywhere in the definition."""
        found = self._has.get(tag)
        if found is None:
            found = self._has[tag] = _has_element(self.xml, tag)
        return found


_AFTER_TAG = (" ", "\t", "\n", "\r", "/", ">")


def _has_element(xml: str, tag: str) -> bool:
    """`<tag` followed by a blank, `/` or `>` (so <disk is not <diskfoo).
    str.find, not a regex: it runs on the XML of every VM a batch deletes."""
    opening = "<" + tag
    at = xml.find(opening)
    while at >= 0:
        if xml[at + len(opening):at + len(opening) + 1] in _AFTER_TAG:
            return True
        at = xml.find(opening, at + 1)
    return False
