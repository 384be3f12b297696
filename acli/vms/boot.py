"""A VM's boot order with aCLI's meaning: vm.update_boot_device, and the
boot block of vm.get.

aCLI has a boot device (one disk, CD-ROM or NIC, tried first) and a
boot_device_order of device classes (kCdrom, kDisk, kNetwork, AHV's default
in that order) tried after it. libvirt has two ways to say it, which it
refuses to mix:

* without a boot device, the class order is `<os><boot dev='cdrom|hd|network'/>`,
  which also covers disks and NICs added later;
* with one, every bootable device gets a per-device `<boot order='N'/>`: the
  boot device 1, then the disks, CD-ROMs and NICs class by class as
  boot_device_order says, each class in the definition's order. A device
  added afterwards has no order of its own, and is booted from only after
  vm.update_boot_device is given again.

The class order the user chose is kept in acli's settings element
(acli/vms/settings.py), since per-device orders lose the classes a VM has
no device of. Which device is the boot device is read back from the
definition (the one with the lowest order): this module names no device;
storage names a disk by its address and networking a NIC by its MAC in
vm.get (their CONFIG_PARTS hooks call first_device()).

Boot order matters only when the VM starts: a running VM's definition
changes, and its next start uses it.
"""

from __future__ import annotations

from acli.hosts.libvirt_errors import libvirt_call
from acli.vms import logical_timestamp, settings
from acli.vms.domxml import inactive_root

CLASSES = ("kCdrom", "kDisk", "kNetwork")
DEFAULT_ORDER = CLASSES  # AHV's
OS_DEV = {"kCdrom": "cdrom", "kDisk": "hd", "kNetwork": "network"}


def class_of(el) -> str | None:
    """kDisk, kCdrom or kNetwork for a bootable device element, else None."""
    if el.tag == "interface":
        return "kNetwork"
    if el.tag == "disk":
        return {"disk": "kDisk", "cdrom": "kCdrom"}.get(el.get("device", "disk"))
    return None


def bootable(root) -> list:
    """The disks, CD-ROMs and NICs of a definition, in its order."""
    devices = root.find("devices")
    return [el for el in (devices if devices is not None else ()) if class_of(el)]


def _order_of(el) -> int | None:
    boot = el.find("boot")
    order = boot.get("order") if boot is not None else None
    return int(order) if order is not None and order.isdigit() else None


def first_device(root):
    """The device with the lowest per-device boot order (the boot device
    vm.update_boot_device chose), or None when the VM boots by class."""
    ordered = [(order, el) for el in bootable(root) if (order := _order_of(el)) is not None]
    return min(ordered, key=lambda pair: pair[0])[1] if ordered else None


def order_fields(root) -> dict:
    """vm.get's boot_device_order, when the user set a boot order (a VM
    acli never changed shows none, as before)."""
    order = settings.boot_order(root)
    return {"boot_device_order": list(order)} if order else {}


@libvirt_call
def update(host, dom, pick, order: list[str] | None) -> None:
    """Make the device `pick(root)` returns (None: keep the boot device the
    VM has, if any) the boot device, and `order` (None: keep the VM's, else
    AHV's default) the class order after it."""
    root = inactive_root(dom)
    target = pick(root) if pick is not None else first_device(root)
    order = list(order or settings.boot_order(root) or DEFAULT_ORDER)
    _clear(root)
    if target is None:
        import xml.etree.ElementTree as ET

        os_el = root.find("os")
        at = _after_os_type(os_el)
        for i, cls in enumerate(order):
            os_el.insert(at + i, ET.Element("boot", dev=OS_DEV[cls]))
    else:
        _number(root, target, order)
    settings.set_boot_order(root, order)
    logical_timestamp.advance(host, dom, root)
    import xml.etree.ElementTree as ET

    host.conn.defineXML(ET.tostring(root, encoding="unicode"))


def _clear(root) -> None:
    """Drop both kinds of boot order: libvirt refuses a definition with both."""
    os_el = root.find("os")
    for old in os_el.findall("boot"):
        os_el.remove(old)
    for el in bootable(root):
        for old in el.findall("boot"):
            el.remove(old)


def _after_os_type(os_el) -> int:
    """Where <boot> goes in <os>: after <type>, <loader> and <nvram>, as
    libvirt's schema orders them."""
    children = list(os_el)
    at = 0
    for i, child in enumerate(children):
        if child.tag in ("type", "firmware", "loader", "nvram"):
            at = i + 1
    return at


def _number(root, target, order: list[str]) -> None:
    """<boot order='N'/>: the target 1, then each class of `order` in turn;
    classes left out of `order` are not booted from."""
    import xml.etree.ElementTree as ET

    ranked = [target] + [el for cls in order for el in bootable(root)
                         if class_of(el) == cls and el is not target]
    for n, el in enumerate(ranked, 1):
        boot = ET.Element("boot", order=str(n))
        # libvirt writes <boot> before <address> (and <alias>); put it there
        index = next((i for i, child in enumerate(el) if child.tag in ("alias", "address")),
                     len(el))
        el.insert(index, boot)
