"""A VM's serial ports as aCLI sees them: vm.serial_port_create and
vm.serial_port_delete, and vm.get's serial_port_list.

aCLI's port `index` is libvirt's `<serial><target port='N'/>` (COM1..COM4 of
the guest are 0..3). `type=kServer` is a pty (`<serial type='pty'>`): the
host serves the port's console, `virsh console VM` connects to it;
`type=kNull` is `<serial type='null'>`, a port the guest sees with nothing
behind it. libvirt keeps a `<console>` as an alias of the first serial
port (it adds one when the VM is defined); removing a port removes the
console on it too, or libvirt would make the port again for it, and the
next definition puts the console on the new first port.

QEMU cannot hot-plug an ISA serial port, so the VM must be off to change
its ports, on every host.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from acli.errors import Conflict, InvalidState, NotFound
from acli.hosts.libvirt_errors import libvirt_call
from acli.vms import logical_timestamp
from acli.vms.domxml import inactive_root

LIBVIRT_TYPE = {"kServer": "pty", "kNull": "null"}
ACLI_TYPE = {v: k for k, v in LIBVIRT_TYPE.items()}
MAX_INDEX = 3  # the guest's COM1..COM4


def ports(root) -> list[tuple[int, str, ET.Element]]:
    """(index, aCLI type, element) of each serial port, by index. A port
    with no target port is numbered as libvirt numbers it, in order; a type
    aCLI has no name for (tcp, file, ...) shows libvirt's."""
    out = []
    for i, el in enumerate(root.findall("devices/serial")):
        target = el.find("target")
        port = target.get("port") if target is not None else None
        index = int(port) if port is not None and port.isdigit() else i
        kind = el.get("type", "pty")
        out.append((index, ACLI_TYPE.get(kind, kind), el))
    return sorted(out, key=lambda p: p[0])


def config_fields(root) -> dict:
    """vm.get's serial_port_list (no key for a VM without ports, as aCLI)."""
    found = [{"index": index, "type": kind} for index, kind, _ in ports(root)]
    return {"serial_port_list": found} if found else {}


def _check_off(dom, verb: str) -> None:
    if dom.isActive():
        raise InvalidState(f"VM is on; power it off to {verb} a serial port "
                           "(QEMU cannot hot-plug one)")


def _store(host, dom, root) -> None:
    logical_timestamp.advance(host, dom, root)
    host.conn.defineXML(ET.tostring(root, encoding="unicode"))


@libvirt_call
def create(host, dom, kind: str, index: int) -> None:
    """Add a serial port of aCLI type `kind` at `index`."""
    root = inactive_root(dom)
    if any(i == index for i, _, _ in ports(root)):
        raise Conflict(f"{dom.name()} already has serial port {index}")
    _check_off(dom, "add")
    el = ET.Element("serial", type=LIBVIRT_TYPE[kind])
    ET.SubElement(el, "target", port=str(index))
    devices = root.find("devices")
    if devices is None:
        devices = ET.SubElement(root, "devices")
    existing = devices.findall("serial")
    # beside the other serial ports, where libvirt writes them
    at = list(devices).index(existing[-1]) + 1 if existing else len(devices)
    devices.insert(at, el)
    _store(host, dom, root)


@libvirt_call
def delete(host, dom, index: int) -> None:
    """Remove the serial port at `index` (and the console on it)."""
    root = inactive_root(dom)
    found = [el for i, _, el in ports(root) if i == index]
    if not found:
        have = ", ".join(str(i) for i, _, _ in ports(root)) or "none"
        raise NotFound(f"{dom.name()} has no serial port {index} (its ports: {have})")
    _check_off(dom, "remove")
    devices = root.find("devices")
    devices.remove(found[0])
    for console in devices.findall("console"):
        target = console.find("target")
        if target is not None and target.get("type", "serial") == "serial" \
                and target.get("port", "0") == str(index):
            devices.remove(console)  # else libvirt makes the port again for it
    _store(host, dom, root)
