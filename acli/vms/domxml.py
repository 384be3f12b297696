"""Reading a VM's domain XML: its stored definition, the definition a
snapshot holds, and `Definition`, one VM's XML shared by every hook around
one command (read at most once, parsed only if asked)."""

from __future__ import annotations

import libvirt


def xml_of(dom, inactive: bool = True) -> str:
    flags = libvirt.VIR_DOMAIN_XML_SECURE
    if inactive:
        flags |= libvirt.VIR_DOMAIN_XML_INACTIVE
    return dom.XMLDesc(flags)


def inactive_root(dom):
    """The VM's stored definition, parsed: what every change edits."""
    import xml.etree.ElementTree as ET

    return ET.fromstring(xml_of(dom))


def snapshot_domain(snap):
    """The definition a snapshot holds (the VM as it was), parsed; None if it holds none."""
    import xml.etree.ElementTree as ET

    return ET.fromstring(snap.getXMLDesc(0)).find("domain")


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
            import xml.etree.ElementTree as ET

            self._root = ET.fromstring(self.xml)
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
