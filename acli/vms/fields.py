"""The fields of aCLI's `vm.get` record of a VM, read from its domain XML.

Other parts of acli (NICs, disks) add their lists through the CONFIG_PARTS
hook point: each returns, for all the VMs at once, a dict per VM merged
into its `config` block.
"""

from __future__ import annotations

from acli.hosts.libvirt_errors import libvirt_call
from acli.vms.domxml import Definition, xml_of
from acli.vms.events import CONFIG_PARTS, ConfigEvent
from acli.vms.listing import states
from acli.vms.spec import spec_from_xml


@libvirt_call
def vm_fields(host, doms: list) -> list[tuple[dict, Definition]]:
    """{"config": {...}, "state": ..., "uuid": ...} of each VM as vm.get shows
    them, with the definition they were read from, in order.

    The states are one call for all; the definitions are one call each
    (libvirt has no bulk call for them), overlapped on a real host."""
    found = states(host, doms)
    definitions = [Definition(dom, xml=xml) for dom, xml in zip(doms, host.call_each(xml_of, doms))]
    parts = CONFIG_PARTS.run(ConfigEvent(host, definitions)) if definitions else []
    out = []
    for i, definition in enumerate(definitions):
        root = definition.root
        spec = spec_from_xml(root)
        config = {
            "name": spec.name,
            "memory_mb": spec.memory_mb,
            "num_vcpus": spec.num_vcpus,
            "num_cores_per_vcpu": spec.num_cores_per_vcpu,
            "num_threads_per_core": spec.num_threads_per_core,
            "machine_type": spec.machine_type,
            "boot": {"uefi_boot": spec.uefi_boot},
            "hypervisor": root.get("type"),
        }
        if spec.description:
            config["description"] = spec.description
        for part in parts:
            config.update(part[i])
        out.append(({"config": config, "state": found[i], "uuid": spec.uuid}, definition))
    return out
