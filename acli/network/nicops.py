"""Changing VM NICs: on a running VM of a real host through libvirt's live
device calls (attach / detach / update with AFFECT_LIVE|AFFECT_CONFIG, which
hot-plug, unplug and re-tag the OVS port); on a stopped VM, and always in
the sandbox (whose test driver has no device calls), by redefining the
domain's inactive XML. In the sandbox a running VM's ports are then brought
in line in the private OVSDB (sandbox_ports.sync), as libvirt would.
"""

from __future__ import annotations

import copy
import contextlib
import xml.etree.ElementTree as ET

from acli.errors import EXIT_INTERRUPTED, AcliError, InvalidState
from acli.network import dhcp_ports
from acli.network import nics as nicmod
from acli.vms import logical_timestamp
from acli.vms.domxml import inactive_root


def _flags():
    import libvirt

    return libvirt.VIR_DOMAIN_AFFECT_LIVE | libvirt.VIR_DOMAIN_AFFECT_CONFIG


def is_live(host, dom) -> bool:
    return host.caps.live_devices and bool(dom.isActive())


def _text(el: ET.Element) -> str:
    return ET.tostring(el, encoding="unicode")


def redefine(host, dom, root: ET.Element):
    """Store the VM's whole new definition; the change is counted in it
    (logical_timestamp), so it costs one write, not three calls."""
    logical_timestamp.advance(host, dom, root)
    return host.conn.defineXML(_text(root))


def after_change(host, dom, counted: bool = False) -> None:
    """What follows every change of a VM's NICs: it counts as a change of
    the VM (unless `counted` in a definition stored whole), and in the
    sandbox a running VM's ports follow its definition."""
    if not counted:
        logical_timestamp.bump(host, dom)
    if not host.caps.vswitchd and dom.isActive():
        from acli.network.sandbox_ports import sync

        sync(host, dom)


@contextlib.contextmanager
def _meta_stored(host, dom, edit_meta):
    """On a running VM of a real host (device calls, no redefinition): store
    the NIC metadata `edit_meta(root)` makes before the device change, and
    put the old back if the change fails. Elsewhere the metadata goes into
    the one redefinition."""
    if edit_meta is None or not is_live(host, dom):
        yield
        return
    import libvirt

    root = inactive_root(dom)
    old = nicmod.meta_xml(root)
    edit_meta(root)
    new = nicmod.meta_xml(root)
    if new == old:
        yield
        return
    flags = _flags()

    def store(xml):
        dom.setMetadata(libvirt.VIR_DOMAIN_METADATA_ELEMENT, xml,
                        nicmod.META_PREFIX if xml else None, nicmod.META_NS, flags)

    store(new)
    try:
        yield
    except BaseException:
        try:
            store(old)
        except Exception:  # noqa: BLE001 - the device change's error is the one to report
            pass
        raise


def attach(host, dom, el: ET.Element, edit_meta=None) -> None:
    """`edit_meta(root)`, when given, changes the NIC metadata of the
    domain's definition along with the device (nics.set_stored_trunks)."""
    live = is_live(host, dom)
    if live:
        with _meta_stored(host, dom, edit_meta):
            dom.attachDeviceFlags(_text(el), _flags())
        dhcp_ports.note(host, [el])  # a new port: managed networks' DHCP rules follow
    else:
        root = inactive_root(dom)
        root.find("devices").append(el)
        if edit_meta is not None:
            edit_meta(root)
        redefine(host, dom, root)
    after_change(host, dom, counted=not live)


def update(host, dom, new_el: ET.Element, edit_meta=None) -> None:
    """Replace the NIC with new_el's MAC by new_el (the NIC's current XML with
    only the changed parts altered, as libvirt's live update wants)."""
    live = is_live(host, dom)
    if live:
        with _meta_stored(host, dom, edit_meta):
            _update_live(dom, new_el)
        dhcp_ports.note(host, [new_el])  # a re-tagged port: the DHCP rules follow
    else:
        root = inactive_root(dom)
        _replace(root, new_el)
        if edit_meta is not None:
            edit_meta(root)
        redefine(host, dom, root)
    after_change(host, dom, counted=not live)


def _update_live(dom, new_el: ET.Element) -> None:
    """libvirt cannot move a running OVS NIC to another network. When the
    running NIC's network differs from new_el's (a move between networks of
    one bridge), the live port is re-tagged under its running network and
    the definition gets the new one; the VM's next start uses it."""
    import libvirt

    mac = new_el.find("mac").get("address")
    live = nicmod.find(ET.fromstring(dom.XMLDesc(0)), mac)
    live_net = live.find("source").get("network") if live is not None and live.find("source") is not None else None
    new_net = new_el.find("source").get("network")
    if live is None or live_net in (None, new_net):
        dom.updateDeviceFlags(_text(new_el), _flags())
        return
    live_el = copy.deepcopy(new_el)
    nicmod.set_network(live_el, live_net)
    old = nicmod.find(inactive_root(dom), mac)
    old_live = copy.deepcopy(old)
    nicmod.set_network(old_live, live_net)
    dom.updateDeviceFlags(_text(live_el), libvirt.VIR_DOMAIN_AFFECT_LIVE)
    try:
        dom.updateDeviceFlags(_text(new_el), libvirt.VIR_DOMAIN_AFFECT_CONFIG)
    except libvirt.libvirtError:
        dom.updateDeviceFlags(_text(old_live), libvirt.VIR_DOMAIN_AFFECT_LIVE)
        raise


def _replace(root: ET.Element, new_el: ET.Element) -> None:
    mac = new_el.find("mac").get("address")
    old = nicmod.find(root, mac)
    devices = root.find("devices")
    index = list(devices).index(old)
    devices.remove(old)
    devices.insert(index, new_el)


def detach(host, dom, el: ET.Element, edit_meta=None) -> None:
    """Remove a NIC. On a running VM of a real host libvirt drops it from the
    definition at once and asks the guest to release the PCI device; acli
    waits (bounded) until the device has left the live XML, which is when
    libvirt has also removed its OVS port. A guest that does not answer (no
    OS, no PCI hot-unplug) is a one-line failure: the NIC is gone from the
    definition, and stays in the running VM (and on the switch) until the
    guest releases it or the VM powers off."""
    mac = el.find("mac").get("address")
    live = is_live(host, dom)
    if live:
        with _meta_stored(host, dom, edit_meta):
            dom.detachDeviceFlags(_text(el), _flags())
        dhcp_ports.note(host, [el])  # its port goes: the DHCP rules follow
        if not _gone_live(dom, mac):
            after_change(host, dom)  # the definition has changed all the same
            raise InvalidState(
                "the guest did not release the NIC (no OS, or no PCI hot-unplug support); it is "
                "gone from the VM's configuration and leaves the switch when the guest releases "
                "it or the VM powers off")
    else:
        root = inactive_root(dom)
        root.find("devices").remove(nicmod.find(root, mac))
        if edit_meta is not None:
            edit_meta(root)
        redefine(host, dom, root)
    after_change(host, dom, counted=not live)


def _gone_live(dom, mac: str) -> bool:
    """Whether the NIC has left the live XML within the unplug wait (a VM that
    powered off meanwhile shows its definition: gone too)."""
    from acli.hosts.unplug import wait_until_gone

    return wait_until_gone(lambda: nicmod.find(ET.fromstring(dom.XMLDesc(0)), mac) is not None)


# many VMs at once: a network's NICs ----------------------------------------

def users(host, network: str) -> list[tuple[object, ET.Element, list[ET.Element]]]:
    """(domain, inactive XML root, its interfaces on `network`) for every VM using it."""
    def on_it(el):
        source = el.find("source")
        return source is not None and source.get("network") == network
    return users_by(host, on_it)


def users_by(host, pick) -> list[tuple[object, ET.Element, list[ET.Element]]]:
    """(domain, inactive XML root, its interfaces `pick(el)` is true of) for
    every VM with such a NIC on some network, in natural order of names.

    libvirt 9.0 has no call that answers this for many VMs: it is one
    listing and one definition read a VM (overlapped on a real host); only
    definitions with a NIC on some network are parsed. A VM deleted during
    the reads is left out."""
    from acli.names import natural_key
    from acli.vms.domxml import xml_or_none

    doms = sorted(host.conn.listAllDomains(), key=lambda d: natural_key(d.name()))
    out = []
    for dom, xml in zip(doms, host.call_each(xml_or_none, doms)):
        if xml is None or "network=" not in xml:  # gone, or no NIC on any network
            continue
        root = ET.fromstring(xml)
        els = [el for el in nicmod.interfaces(root) if pick(el)]
        if els:
            out.append((dom, root, els))
    return out


class PartlyUndone(AcliError):
    """rewrite_all failed and could not put every VM back: `stuck` names them."""

    def __init__(self, cause: BaseException, stuck: list[str]):
        from acli.interrupts import what

        if isinstance(cause, KeyboardInterrupt):
            said, self.status = what(cause), EXIT_INTERRUPTED
        else:
            said = getattr(cause, "message", None) or str(cause)
        super().__init__(said)
        self.stuck = stuck


def rewrite_all(host, changes) -> None:
    """Apply [(dom, root, [(old_el, new_el)], edit_meta or None)] VM by VM
    (`edit_meta(root)` changes the NIC metadata with the new elements). On a
    failure, an interrupt too, put back what was done (in reverse: old
    elements, `root`'s metadata) and raise the failure; PartlyUndone when
    some VMs could not be put back (a daemon died, another interrupt)."""
    from acli.interrupts import undo_all

    done = []  # with the VM being changed: a VM of several NICs may be half-way
    try:
        for dom, root, pairs, edit_meta in changes:
            done.append((dom, root, pairs))
            _rewrite_one(host, dom, root, [new for _, new in pairs], edit_meta)
    except BaseException as err:
        def put_back(item):
            dom, root, pairs = item
            _rewrite_one(host, dom, root, [old for old, _ in pairs], _put_back_meta(root))

        stuck = undo_all(done, put_back, lambda item: item[0].name())
        if stuck:
            raise PartlyUndone(err, stuck) from None
        raise


def _put_back_meta(old_root):
    def edit(root):
        md = root.find("metadata")
        mine = md.find(nicmod._M + "nics") if md is not None else None
        if mine is not None:
            md.remove(mine)
        old = old_root.find("metadata/" + nicmod._M + "nics")
        if old is not None:
            if md is None:
                md = ET.SubElement(root, "metadata")
            md.append(copy.deepcopy(old))
    return edit


def _rewrite_one(host, dom, root, new_els, edit_meta=None) -> None:
    live = is_live(host, dom)
    if live:
        with _meta_stored(host, dom, edit_meta):
            for el in new_els:
                _update_live(dom, el)
    else:
        fresh = copy.deepcopy(root)
        for el in new_els:
            _replace(fresh, copy.deepcopy(el))
        if edit_meta is not None:
            edit_meta(fresh)
        redefine(host, dom, fresh)
    after_change(host, dom, counted=not live)
