"""A VM's disks as aCLI sees them, read from and written into domain XML.

aCLI addresses a disk as `bus.index` (scsi.0, ide.1, sata.2, pci.0). In
libvirt that is the disk's <target bus> and its drive <address>:

| aCLI | libvirt target | address | indexes |
|---|---|---|---|
| scsi.N | bus='scsi', dev sdX | drive controller 0, bus 0, target 0, unit N (virtio-scsi) | 0..255 |
| sata.N | bus='sata', dev sdX | drive controller 0, bus 0, unit N | 0..5 |
| ide.N  | bus='ide', dev hdX | drive controller 0, bus N//2, unit N%2 | 0..3 |
| pci.N  | bus='virtio', dev vdX | (PCI slot; the index is the dev letter) | 0..25 |

Disks acli creates are volumes named `acli-vmdisk-<vmdisk uuid>.qcow2`:
the VM that uses one owns it. Images are `acli-image-<uuid>.<fmt>` and are
never owned by a VM.
"""

from __future__ import annotations

import re
import uuid as uuidlib
import xml.etree.ElementTree as ET
from acli.errors import InvalidState, UsageError
from acli.plain import Plain

BUSES = ("scsi", "ide", "sata", "pci")
MAX_INDEX = {"scsi": 255, "ide": 3, "sata": 5, "pci": 25}
LIBVIRT_BUS = {"scsi": "scsi", "ide": "ide", "sata": "sata", "pci": "virtio"}
ACLI_BUS = {v: k for k, v in LIBVIRT_BUS.items()}
DEV_PREFIX = {"scsi": "sd", "sata": "sd", "ide": "hd", "pci": "vd"}
HOTPLUG_BUSES = ("scsi", "pci")  # QEMU cannot hot-plug IDE or AHCI (SATA) disks

VMDISK_PREFIX = "acli-vmdisk-"
IMAGE_PREFIX = "acli-image-"
VG_DISK_PREFIX = "acli-vgdisk-"  # a volume group's shared disk (volume_groups.py)
_UUID_IN_NAME = re.compile(r"acli-(vmdisk|image)-([0-9a-f-]{36})")


class Disk(Plain):
    __slots__ = ("bus", "index", "target", "cdrom", "path", "fmt", "element")

    def __init__(self, bus: str, index: int, target: str, cdrom: bool, path: str | None,
                 fmt: str, element: ET.Element):
        self.bus = bus
        self.index = index
        self.target = target
        self.cdrom = cdrom
        self.path = path  # None: an empty CD-ROM
        self.fmt = fmt
        self.element = element  # the <disk> element, for detach/update

    @property
    def addr(self) -> str:
        return f"{self.bus}.{self.index}"

    @property
    def owned_volume(self) -> bool:
        """A disk volume acli made for this VM (not an image, not a foreign file)."""
        return bool(self.path) and _basename(self.path).startswith(VMDISK_PREFIX) and not self.cdrom

    @property
    def vmdisk_uuid(self) -> str | None:
        if not self.path:
            return None
        m = _UUID_IN_NAME.match(_basename(self.path))
        if m:
            return m.group(2)
        return str(uuidlib.uuid5(uuidlib.NAMESPACE_URL, "file://" + self.path))


def _basename(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def is_vg_disk(path: str | None) -> bool:
    """Whether `path` is a volume group's disk (shared, never a VM's own)."""
    return bool(path) and _basename(path).startswith(VG_DISK_PREFIX)


def uuid_in_volume_name(name: str) -> str | None:
    m = _UUID_IN_NAME.match(name)
    return m.group(2) if m else None


def parse_addr(text: str, param: str = "disk_addr") -> tuple[str, int]:
    """'scsi.0' -> ('scsi', 0), or a UsageError naming the word."""
    bus, dot, index = text.partition(".")
    if not dot or bus not in BUSES or not index.isdigit():
        raise UsageError(f"Bad value for {param}: '{text}' is not a disk address like scsi.0 "
                         f"(bus {', '.join(BUSES)})")
    return bus, check_index(bus, int(index), param)


def check_index(bus: str, index: int, param: str = "index") -> int:
    if index > MAX_INDEX[bus]:
        raise UsageError(f"Bad value for {param}: {bus} indexes go from 0 to {MAX_INDEX[bus]}")
    return index


def _dev_index(dev: str) -> int:
    letters = re.sub(r"^(sd|hd|vd|xvd)", "", dev)
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - ord("a") + 1)
    return max(n - 1, 0)


def _dev_name(prefix: str, n: int) -> str:
    letters = ""
    n += 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(ord("a") + rem) + letters
    return prefix + letters


def disks_of(root: ET.Element) -> list[Disk]:
    """The disks and CD-ROMs of a domain, in aCLI address order."""
    out = []
    for el in root.findall("devices/disk"):
        if el.get("device") not in ("disk", "cdrom"):
            continue
        target = el.find("target")
        if target is None:
            continue
        lbus = target.get("bus") or "ide"
        bus = ACLI_BUS.get(lbus, lbus)
        dev = target.get("dev", "")
        addr = el.find("address")
        if addr is not None and addr.get("type") == "drive":
            unit = int(addr.get("unit", 0))
            index = int(addr.get("bus", 0)) * 2 + unit if bus == "ide" else unit
        else:
            index = _dev_index(dev)
        src = el.find("source")
        path = None
        if src is not None:
            path = src.get("file") or src.get("dev") or src.get("volume")
        driver = el.find("driver")
        fmt = driver.get("type", "raw") if driver is not None else "raw"
        out.append(Disk(bus, index, dev, el.get("device") == "cdrom", path, fmt, el))
    out.sort(key=lambda d: (BUSES.index(d.bus) if d.bus in BUSES else 9, d.index))
    return out


def find_disk(root: ET.Element, bus: str, index: int, vm_name: str) -> Disk:
    for disk in disks_of(root):
        if disk.bus == bus and disk.index == index:
            return disk
    from acli.errors import NotFound

    raise NotFound(f"{vm_name} has no disk at {bus}.{index}")


def machine_of(root: ET.Element) -> str:
    t = root.find("os/type")
    return (t.get("machine") if t is not None else "") or "pc"


def default_bus(root: ET.Element, cdrom: bool) -> str:
    """AHV's defaults: disks on SCSI; CD-ROMs on IDE (SATA on q35, which has no IDE)."""
    if not cdrom:
        return "scsi"
    return "sata" if "q35" in machine_of(root) else "ide"


def next_index(root: ET.Element, bus: str) -> int:
    """The lowest free index on `bus`, as AHV assigns them."""
    used = {d.index for d in disks_of(root) if d.bus == bus}
    for index in range(MAX_INDEX[bus] + 1):
        if index not in used:
            return index
    raise InvalidState(f"no free {bus} index: the bus holds {MAX_INDEX[bus] + 1} disks")


def check_bus_allowed(root: ET.Element, bus: str) -> None:
    if bus == "ide" and "q35" in machine_of(root):
        raise UsageError("Bad value for bus: q35 VMs have no IDE bus; use bus=sata")


def disk_element(root: ET.Element, bus: str, index: int, *, path: str | None, fmt: str,
                 cdrom: bool) -> ET.Element:
    """A new <disk> for `root` at bus.index (a target dev name that is free)."""
    used_devs = {t.get("dev") for t in root.findall("devices/disk/target")}
    prefix = DEV_PREFIX[bus]
    if bus == "pci":
        dev = _dev_name(prefix, index)
        if dev in used_devs:
            raise InvalidState(f"target {dev} is already used")
    else:
        n = 0
        while _dev_name(prefix, n) in used_devs:
            n += 1
        dev = _dev_name(prefix, n)
    el = ET.Element("disk", type="file", device="cdrom" if cdrom else "disk")
    ET.SubElement(el, "driver", name="qemu", type=fmt)
    if path:
        ET.SubElement(el, "source", file=path)
    ET.SubElement(el, "target", dev=dev, bus=LIBVIRT_BUS[bus])
    if cdrom:
        ET.SubElement(el, "readonly")
    if bus != "pci":
        ide_bus, unit = (index // 2, index % 2) if bus == "ide" else (0, index)
        ET.SubElement(el, "address", type="drive", controller="0", bus=str(ide_bus),
                      target="0", unit=str(unit))
    return el


def needs_scsi_controller(root: ET.Element) -> bool:
    return not any(c.get("type") == "scsi" for c in root.findall("devices/controller"))


def scsi_controller() -> ET.Element:
    return ET.Element("controller", type="scsi", index="0", model="virtio-scsi")


def add_device(root: ET.Element, el: ET.Element) -> None:
    devices = root.find("devices")
    if devices is None:
        devices = ET.SubElement(root, "devices")
    # disks first, in the order libvirt keeps them
    last_disk = None
    for i, child in enumerate(list(devices)):
        if child.tag == "disk":
            last_disk = i
    if el.tag == "disk":
        devices.insert(0 if last_disk is None else last_disk + 1, el)
    else:
        devices.append(el)


def remove_device(root: ET.Element, el: ET.Element) -> None:
    root.find("devices").remove(el)


def to_xml(el: ET.Element) -> str:
    return ET.tostring(el, encoding="unicode")
