"""A VM's aCLI settings and the libvirt domain XML that holds them.

aCLI's num_vcpus is the socket count and num_cores_per_vcpu the cores per
socket; libvirt's <vcpu> is their product (times threads), with the split
kept in <cpu><topology>. Memory is whole MiB. `machine_type` pc/q35 is
stored as libvirt's machine name, which QEMU expands (pc-i440fx-7.2), so it
is read back by family.
"""

from __future__ import annotations

from acli.plain import Plain

# ElementTree is imported where a function reads XML: creating VMs needs none.


class VmSpec(Plain):
    __slots__ = ("name", "memory_mb", "num_vcpus", "num_cores_per_vcpu", "num_threads_per_core",
                 "machine_type", "uefi_boot", "description", "uuid", "cpu_passthrough",
                 "cpu_model")

    def __init__(self, name: str, memory_mb: int = 2048, num_vcpus: int = 1,
                 num_cores_per_vcpu: int = 1, num_threads_per_core: int = 1,
                 machine_type: str = "pc", uefi_boot: bool = False,
                 description: str | None = None, uuid: str = "", cpu_passthrough: bool = False,
                 cpu_model: str = ""):
        # the host's own CPU (<cpu mode='host-passthrough'>): fastest, but
        # the VM cannot live-migrate to a host with another CPU
        self.cpu_passthrough = cpu_passthrough
        # libvirt's XML inside a custom <cpu> (model, vendor, features): a
        # cluster's baseline CPU (acli/cluster/cpu.py), so VMs migrate
        # between hosts of different CPU generations; "" is QEMU's default
        self.cpu_model = cpu_model
        self.name = name
        self.memory_mb = memory_mb
        self.num_vcpus = num_vcpus
        self.num_cores_per_vcpu = num_cores_per_vcpu
        self.num_threads_per_core = num_threads_per_core
        self.machine_type = machine_type
        self.uefi_boot = uefi_boot
        self.description = description
        self.uuid = uuid

    @property
    def total_vcpus(self) -> int:
        return self.num_vcpus * self.num_cores_per_vcpu * self.num_threads_per_core


# A new VM's domain XML is a fixed shape, so it is filled in as text (an
# f-string: no format string to read on every VM): a batch of creates
# spends a tenth of the time ElementTree would take to build it.
def new_domain_xml(spec: VmSpec, domain_type: str, name: str | None = None,
                   uuid: str | None = None) -> str:
    """The domain XML for `spec`; `name` and `uuid`, when given, stand in
    for the spec's (one spec serves every VM of a `vm.create web[01..12]`)."""
    name = _escape(name or spec.name)
    uuid = _escape(uuid or spec.uuid or _new_uuid())
    description = (f"<description>{_escape(spec.description)}</description>"
                    if spec.description else "")
    firmware = " firmware='efi'" if spec.uefi_boot else ""
    return (
        f"<domain type='{_escape(domain_type)}'><name>{name}</name><uuid>{uuid}</uuid>{description}"
        f"<memory unit='MiB'>{int(spec.memory_mb)}</memory>"
        f"<vcpu placement='static'>{int(spec.total_vcpus)}</vcpu>"
        f"<os{firmware}><type arch='x86_64' machine='{_escape(spec.machine_type)}'>hvm</type></os>"
        "<features><acpi/><apic/></features>"
        f"{_cpu_open(spec)}<topology sockets='{int(spec.num_vcpus)}' dies='1' "
        f"cores='{int(spec.num_cores_per_vcpu)}' threads='{int(spec.num_threads_per_core)}'/></cpu>"
        "<on_poweroff>destroy</on_poweroff><on_reboot>restart</on_reboot>"
        "<on_crash>destroy</on_crash><devices/></domain>")


def _cpu_open(spec: VmSpec) -> str:
    """The <cpu> element's start and model (its topology follows)."""
    if spec.cpu_passthrough:
        return "<cpu mode='host-passthrough'>"
    if spec.cpu_model:  # libvirt's own XML (a baseline it computed): no user text
        return f"<cpu mode='custom' match='exact'>{spec.cpu_model}"
    return "<cpu>"


def _new_uuid() -> str:
    import uuid as uuidlib  # here: it loads `platform`, a few ms no listing needs

    return str(uuidlib.uuid4())


_MARKUP = frozenset("&<>'\"")


def _escape(text: str) -> str:
    """Text safe inside an element or a single-quoted attribute."""
    if _MARKUP.isdisjoint(text):  # names and types: nearly always
        return text
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("'", "&apos;").replace('"', "&quot;"))


def _set_topology(cpu: ET.Element, spec: VmSpec) -> None:
    import xml.etree.ElementTree as ET

    topo = cpu.find("topology")
    if topo is None:
        topo = ET.SubElement(cpu, "topology")
    topo.attrib.clear()
    topo.set("sockets", str(spec.num_vcpus))
    topo.set("dies", "1")
    topo.set("cores", str(spec.num_cores_per_vcpu))
    topo.set("threads", str(spec.num_threads_per_core))


# libvirt's memory units, in MiB
MIB_PER_UNIT = {"b": 1 / 1048576, "bytes": 1 / 1048576, "kib": 1 / 1024, "k": 1 / 1024,
                "mib": 1, "m": 1, "gib": 1024, "g": 1024, "tib": 1048576, "t": 1048576}


def _memory_mb(root: ET.Element) -> int:
    mem = root.find("memory")
    if mem is None:
        return 0
    unit = mem.get("unit", "KiB").lower()
    return int(int(mem.text) * MIB_PER_UNIT.get(unit, 1 / 1024))


def machine_family(machine: str | None) -> str:
    if not machine:
        return "pc"
    if "q35" in machine:
        return "q35"
    return "pc"


def spec_from_xml(xml: str | ET.Element) -> VmSpec:
    import xml.etree.ElementTree as ET

    root = ET.fromstring(xml) if isinstance(xml, str) else xml
    vcpus = int(root.findtext("vcpu") or 1)
    topo = root.find("cpu/topology")
    if topo is not None:
        sockets = int(topo.get("sockets", 1))
        cores = int(topo.get("cores", 1))
        threads = int(topo.get("threads", 1))
    else:
        sockets, cores, threads = vcpus, 1, 1
    os_el = root.find("os")
    type_el = root.find("os/type")
    firmware = os_el.get("firmware") if os_el is not None else None
    loader = root.find("os/loader")
    uefi = firmware == "efi" or (loader is not None and loader.get("type") == "pflash")
    return VmSpec(
        name=root.findtext("name"),
        uuid=root.findtext("uuid") or "",
        memory_mb=_memory_mb(root),
        num_vcpus=sockets,
        num_cores_per_vcpu=cores,
        num_threads_per_core=threads,
        machine_type=machine_family(type_el.get("machine") if type_el is not None else None),
        uefi_boot=uefi,
        description=root.findtext("description"),
        cpu_passthrough=root.find("cpu") is not None
        and root.find("cpu").get("mode") == "host-passthrough",
    )


def apply_changes(xml: str, *, memory_mb=None, num_vcpus=None, num_cores_per_vcpu=None,
                  num_threads_per_core=None, name=None, description=None,
                  cpu_passthrough=None, cpu_model: str = "") -> str:
    """The domain XML with only the named settings changed; everything else kept."""
    import xml.etree.ElementTree as ET

    from acli.vms.domxml import parse

    root = parse(xml)
    spec = spec_from_xml(root)
    if memory_mb is not None:
        for tag in ("memory", "currentMemory"):
            el = root.find(tag)
            if el is not None:
                el.set("unit", "MiB")
                el.text = str(memory_mb)
    if num_vcpus is not None or num_cores_per_vcpu is not None or num_threads_per_core is not None:
        spec.num_vcpus = num_vcpus or spec.num_vcpus
        spec.num_cores_per_vcpu = num_cores_per_vcpu or spec.num_cores_per_vcpu
        spec.num_threads_per_core = num_threads_per_core or spec.num_threads_per_core
        vcpu = root.find("vcpu")
        vcpu.text = str(spec.total_vcpus)
        vcpu.attrib.pop("current", None)
        cpu = root.find("cpu")
        if cpu is None:
            cpu = ET.SubElement(root, "cpu")
        _set_topology(cpu, spec)
    if cpu_passthrough is not None:
        _set_cpu_mode(root, cpu_passthrough, cpu_model)
    if name is not None:
        root.find("name").text = name
    if description is not None:
        el = root.find("description")
        if el is None:
            el = ET.Element("description")
            root.insert(2, el)
        el.text = description
    return ET.tostring(root, encoding="unicode")


def _set_cpu_mode(root, passthrough: bool, cpu_model: str) -> None:
    """The host's CPU, or back to a custom model (`cpu_model`, or QEMU's
    default), keeping the topology."""
    import xml.etree.ElementTree as ET

    cpu = root.find("cpu")
    if cpu is None:
        cpu = ET.SubElement(root, "cpu")
    for child in list(cpu):
        if child.tag != "topology":
            cpu.remove(child)
    for key in ("mode", "match", "check", "migratable"):
        cpu.attrib.pop(key, None)
    if passthrough:
        cpu.set("mode", "host-passthrough")
    elif cpu_model:
        cpu.set("mode", "custom")
        cpu.set("match", "exact")
        for i, el in enumerate(ET.fromstring(f"<cpu>{cpu_model}</cpu>")):
            cpu.insert(i, el)
