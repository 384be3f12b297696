"""A VM's aCLI settings that libvirt has no element for: agent_vm (AHV's
agent VMs, which a host's maintenance leaves where they are and powers off
instead of migrating), extra_flags (free key=value pairs that AHV and the
scripts that drive it read) and the boot_device_order of vm.update_boot_device
(acli/vms/boot.py says why it is kept). They live in the domain's <metadata>, in an
element of their own namespace, so that every acli process and `virsh
dumpxml` see them, and logical_timestamp's element, rewritten on every
change, never has to carry them:

    <aclivmsettings:settings xmlns:aclivmsettings="http://acli.dev/xmlns/vmsettings/1.0"
                             agent_vm="true">
      <aclivmsettings:flag key="is_system_vm" value="true"/>
    </aclivmsettings:settings>

A VM without the element is no agent VM and has no flags.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import libvirt

from acli.vms.domxml import metadata_element

NS = "http://acli.dev/xmlns/vmsettings/1.0"
PREFIX = "aclivmsettings"
ET.register_namespace(PREFIX, NS)  # a definition written back keeps the prefix libvirt gave it


def read(root) -> tuple[bool, dict[str, str]]:
    """(agent_vm, extra_flags) of a parsed definition."""
    el = root.find(f"metadata/{{{NS}}}settings")
    if el is None:
        return False, {}
    flags = {f.get("key", ""): f.get("value", "") for f in el.findall(f"{{{NS}}}flag")}
    return el.get("agent_vm") == "true", flags


def config_fields(root) -> dict:
    """What vm.get shows of them: agent_vm only when set (as aCLI prints a
    field that was set), extra_flags as protobuf prints a map, one
    `extra_flags { key: ... value: ... }` block per pair, in key order."""
    agent_vm, flags = read(root)
    out: dict = {}
    if agent_vm:
        out["agent_vm"] = True
    if flags:
        out["extra_flags"] = [{"key": k, "value": v} for k, v in sorted(flags.items())]
    return out


def merged(root, agent_vm: bool | None, extra_flags: dict[str, str] | None):
    """The settings after a vm.update: agent_vm replaced when given; each
    flag given set, and removed when its value is empty (`extra_flags=key=`)."""
    old_agent, flags = read(root)
    flags = dict(flags)
    for key, value in (extra_flags or {}).items():
        if value:
            flags[key] = value
        else:
            flags.pop(key, None)
    return (old_agent if agent_vm is None else agent_vm), flags


def boot_order(root) -> list[str] | None:
    """The boot_device_order vm.update_boot_device set (acli/vms/boot.py), or None."""
    el = root.find(f"metadata/{{{NS}}}settings")
    order = el.get("boot_device_order") if el is not None else None
    return order.split(",") if order else None


def set_boot_order(root, order: list[str]) -> None:
    """Keep `order` in `root`'s settings element (the caller stores `root`)."""
    metadata_element(root, NS, "settings").set("boot_device_order", ",".join(order))


def store(dom, agent_vm: bool, flags: dict[str, str], order: list[str] | None) -> None:
    """Write the settings into the VM's definition (and its running state,
    when it runs, so that `virsh dumpxml` agrees); none left removes the
    element. `order` is the boot order the element keeps (boot_order())."""
    flags_ = libvirt.VIR_DOMAIN_AFFECT_CONFIG
    if dom.isActive():
        flags_ |= libvirt.VIR_DOMAIN_AFFECT_LIVE
    if not agent_vm and not flags and not order:
        try:
            dom.setMetadata(libvirt.VIR_DOMAIN_METADATA_ELEMENT, None, None, NS, flags_)
        except libvirt.libvirtError as err:
            if err.get_error_code() != libvirt.VIR_ERR_NO_DOMAIN_METADATA:
                raise
        return
    el = ET.Element("settings")
    if agent_vm:
        el.set("agent_vm", "true")
    if order:
        el.set("boot_device_order", ",".join(order))
    for key, value in sorted(flags.items()):
        ET.SubElement(el, "flag", key=key, value=value)
    # without its namespace: libvirt adds it under the key it is given
    dom.setMetadata(libvirt.VIR_DOMAIN_METADATA_ELEMENT, ET.tostring(el, encoding="unicode"),
                    PREFIX, NS, flags_)
