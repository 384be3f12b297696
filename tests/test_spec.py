"""A new VM's domain XML (filled in as text) says exactly what its spec says."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from acli.vms.spec import VmSpec, new_domain_xml, spec_from_xml

specs = st.builds(
    VmSpec,
    name=st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=20),
    memory_mb=st.integers(16, 1 << 24),
    num_vcpus=st.integers(1, 240),
    num_cores_per_vcpu=st.integers(1, 64),
    num_threads_per_core=st.integers(1, 8),
    machine_type=st.sampled_from(["pc", "q35"]),
    uefi_boot=st.booleans(),
    description=st.none() | st.text(st.characters(blacklist_categories=("Cs", "Cc")),
                                    min_size=1, max_size=30),
    uuid=st.uuids().map(str),
)


@given(specs, st.sampled_from(["test", "kvm", "qemu"]))
def test_domain_xml_reads_back_as_the_same_spec(spec, domain_type):
    xml = new_domain_xml(spec, domain_type)
    assert xml.startswith(f"<domain type='{domain_type}'>")
    assert spec_from_xml(xml) == spec
