"""Listings on the real host cost the same libvirt calls at 10 VMs and at
300 (libvirtd over its socket, where each call is a round trip). The VMs
are defined straight through libvirt with minimal XML, named sc-count-*,
and removed afterwards whatever happens."""

from __future__ import annotations

from collections import Counter

import pytest

from libvirt_calls import calls_of

pytestmark = pytest.mark.realhost

PREFIX = "sc-count-"
DOMAIN = ("<domain type='qemu'><name>{name}</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>"
          "<os><type arch='x86_64' machine='pc'>hvm</type></os><devices/></domain>")
SNAPSHOT = ("<domainsnapshot><name>s1</name><creationTime>1700000000</creationTime>"
            "<state>shutoff</state>{domain}</domainsnapshot>")


@pytest.fixture
def population(realhost_up):
    """(shell on qemu:///system, grow(n)): grow brings the host to n VMs
    sc-count-0001.., the first with a snapshot (its metadata only)."""
    import libvirt

    from acli.hosts.libvirt_host import LibvirtHost
    from conftest import Shell

    shell = Shell(lambda: LibvirtHost(realhost_up))
    conn = shell.host.conn
    _remove(conn)  # what an interrupted run may have left
    have = [0]

    def grow(count: int):
        for i in range(have[0] + 1, count + 1):
            dom = conn.defineXML(DOMAIN.format(name=f"{PREFIX}{i:04d}"))
            if i == 1:
                xml = dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
                dom.snapshotCreateXML(SNAPSHOT.format(domain=xml),
                                      libvirt.VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE)
        have[0] = count

    try:
        yield shell, grow
    finally:
        _remove(conn)
        shell.close()


def _remove(conn):
    import libvirt

    for dom in conn.listAllDomains():
        if dom.name().startswith(PREFIX):
            if dom.isActive():
                dom.destroy()
            dom.undefineFlags(libvirt.VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA)


LISTINGS = ["vm.list", "vm.list power_state=on", "vm.list power_state=off", "snapshot.list",
            "image.list", "host.list", f"vm.get {PREFIX}000*"]


def test_listings_cost_the_same_calls_at_10_and_300_vms(population):
    shell, grow = population
    grow(10)
    few = {line: calls_of(shell, line) for line in LISTINGS}
    grow(300)
    many = {line: calls_of(shell, line) for line in LISTINGS}
    assert many == few
    assert few["vm.list"] == Counter(virConnectListAllDomains=1)
    assert few["vm.list power_state=on"] == Counter(virConnectGetAllDomainStats=1)
    # nine definitions (sc-count-0001..0009), the only calls made a VM
    assert few[f"vm.get {PREFIX}000*"]["virDomainGetXMLDesc"] == 9


def test_many_vms_read_overlapped_come_back_in_order(population):
    shell, grow = population
    grow(120)
    out = shell.ok(f"vm.get {PREFIX}0*")
    names = [line.split()[0] for line in out.splitlines() if line.endswith(" {") and
             not line.startswith(" ")]
    assert names == [f"{PREFIX}{i:04d}" for i in range(1, 121)]
    assert out.count('state: "kOff"') == 120
