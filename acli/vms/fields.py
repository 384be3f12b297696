"""The fields of aCLI's `vm.get` record of a VM, read from its domain XML:
the keys aCLI prints and scripts read, and none it does not.

Other parts of acli (NICs, disks) add their lists through the CONFIG_PARTS
hook point: each returns, for all the VMs at once, a dict per VM merged
into its `config` block.
"""

from __future__ import annotations

from acli.hosts.libvirt_errors import libvirt_call
from acli.vms import logical_timestamp
from acli.vms.boot import order_fields
from acli.vms.domxml import Definition, xml_of
from acli.vms.events import CONFIG_PARTS, ConfigEvent
from acli.vms.listing import states
from acli.vms.spec import spec_from_xml

GUEST_VM = "kGuestVM"  # AHV's other kinds (agent VMs, the CVM) have no counterpart here


@libvirt_call
def vm_fields(host, doms: list) -> list[tuple[dict, Definition]]:
    """{"config": {...}, "logical_timestamp": N, "state": ..., "uuid": ...} of
    each VM as vm.get shows them (keys in aCLI's alphabetical order), with
    the definition they were read from, in order.

    The states are one call for all; the definitions are one call each
    (libvirt has no bulk call for them), overlapped on a real host."""
    logical_timestamp.flush(host)  # power actions the host counts later
    found = states(host, doms)
    definitions = [Definition(dom, xml=xml) for dom, xml in zip(doms, host.call_each(xml_of, doms))]
    parts = CONFIG_PARTS.results(ConfigEvent(host, definitions)) if definitions else []
    out = []
    for i, definition in enumerate(definitions):
        root = definition.root
        spec = spec_from_xml(root)
        config = {
            # libvirt refuses to migrate a VM with a host device passed through;
            # a VM given the host's own CPU may not move to another CPU
            "allow_live_migrate": (root.find("devices/hostdev") is None
                                   and (root.find("cpu") is None
                                        or root.find("cpu").get("mode") != "host-passthrough")),
            "boot": _boot(root, spec.uefi_boot),
            "hwclock_timezone": hwclock_timezone(root),
            "machine_type": spec.machine_type,
            "max_hotplug_memory_mb": max_hotplug_memory_mb(root, spec.memory_mb),
            "memory_mb": spec.memory_mb,
            "name": spec.name,
            "num_cores_per_vcpu": spec.num_cores_per_vcpu,
            "num_threads_per_core": spec.num_threads_per_core,
            "num_vcpus": spec.num_vcpus,
            "vga_console": has_display(root),
            "vm_type": GUEST_VM,
        }
        if spec.description:
            config["description"] = spec.description
        if definition.has("serial"):
            from acli.vms.serial import config_fields as serial_fields

            config.update(serial_fields(root))
        if "vmsettings" in definition.xml:  # agent_vm, extra_flags: rare, parsed only then
            from acli.vms.settings import config_fields

            config.update(config_fields(root))
        for part in parts:
            _merge(config, part[i])
        fields = {"config": dict(sorted(config.items())),
                  "logical_timestamp": logical_timestamp.read(root),
                  "state": found[i], "uuid": spec.uuid}
        out.append((fields, definition))
    return out


def _boot(root, uefi_boot: bool) -> dict:
    """The boot block; the boot device itself is added by the part that
    names its kind of device (storage a disk's address, networking a NIC's
    MAC), through CONFIG_PARTS."""
    return {"uefi_boot": uefi_boot, **order_fields(root)}


def _merge(config: dict, part: dict) -> None:
    """A part's fields into the config block; a block both have (boot) is
    merged key by key, in aCLI's alphabetical order."""
    for key, value in part.items():
        old = config.get(key)
        if isinstance(old, dict) and isinstance(value, dict):
            config[key] = dict(sorted({**old, **value}.items()))
        else:
            config[key] = value


def hwclock_timezone(root) -> str:
    """The guest's hardware clock: UTC (libvirt's default, <clock
    offset='utc'>), a named zone (offset='timezone'), or the host's
    local time (offset='localtime', as Windows guests like it)."""
    clock = root.find("clock")
    offset = clock.get("offset", "utc") if clock is not None else "utc"
    if offset == "timezone":
        return clock.get("timezone") or "UTC"
    if offset == "localtime":
        return "localtime"
    return "UTC"


def max_hotplug_memory_mb(root, memory_mb: int) -> int:
    """What memory may grow to while the VM runs: libvirt's <maxMemory>
    when the definition has slots for it; else the memory it has (acli's
    VMs change memory only when off)."""
    el = root.find("maxMemory")
    if el is None or not (el.text or "").strip().isdigit():
        return memory_mb
    from acli.vms.spec import MIB_PER_UNIT

    return int(int(el.text) * MIB_PER_UNIT.get(el.get("unit", "KiB").lower(), 1 / 1024))


def has_display(root) -> bool:
    """A VGA console: a graphics device, or a video card other than none."""
    if root.find("devices/graphics") is not None:
        return True
    return any((v.find("model") is None or v.find("model").get("type") != "none")
               for v in root.findall("devices/video"))
