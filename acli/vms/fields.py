"""The fields of aCLI's `vm.get` record of a VM, read from its domain XML.

Other parts of acli (NICs, disks) add their lists through the CONFIG_PARTS
hook point: each returns a dict merged into the `config` block.
"""

from __future__ import annotations

from acli.vms.domxml import Definition, inactive_root
from acli.vms.events import CONFIG_PARTS, VmEvent
from acli.vms.service import state_name
from acli.vms.spec import spec_from_xml


def vm_fields(host, dom) -> dict:
    """{"config": {...}, "state": ..., "uuid": ...} as vm.get shows them."""
    root = inactive_root(dom)
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
    for part in CONFIG_PARTS.results(VmEvent(host, dom, Definition(dom, root))):
        config.update(part)
    return {"config": config, "state": state_name(dom), "uuid": spec.uuid}
