"""The aCLI `vm.get` record of a VM, built from its domain XML.

Other parts of acli (NICs, disks) add their lists through CONFIG_PARTS:
each is called with (host, domain, xml root) and returns a dict merged into
the record's `config` block.
"""

from __future__ import annotations

from acli.output.results import Record
from acli.vms.service import inactive_root, state_name
from acli.vms.spec import spec_from_xml

from acli.hooks import VM_CONFIG_PARTS as CONFIG_PARTS  # noqa: E402


def vm_record(host, dom) -> Record:
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
    for part in CONFIG_PARTS:
        config.update(part(host, dom, root))
    fields = {"config": config, "state": state_name(dom), "uuid": spec.uuid}
    return Record(spec.name, fields, spec.uuid)
