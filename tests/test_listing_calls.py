"""Listings cost the same libvirt calls whatever the number of VMs (on the
sandbox's test driver; tests/realhost/test_scale_real.py holds the real
host to the same). The calls are counted on their way to real libvirt
(tests/libvirt_calls.py)."""

from __future__ import annotations

from collections import Counter

import pytest

from libvirt_calls import calls_of

LISTINGS = ["vm.list", "vm.list power_state=on", "vm.list power_state=off",
            "vm.list power_state=paused", "snapshot.list", "image.list", "host.list",
            "-o json vm.list"]


@pytest.fixture
def grown(shell):
    """The shell, and grow(n): bring the sandbox to n VMs w0001.. (the first
    two running, the third paused, w0001 with a snapshot)."""
    have = [0]

    def grow(count: int):
        shell.ok(f"vm.create w[{have[0] + 1:04d}..{count:04d}] memory=64M")
        if have[0] == 0:
            shell.ok("vm.on w0001,w0002,w0003")
            shell.ok("vm.pause w0003")
            shell.ok("vm.snapshot_create w0001 snapshot_name_list=s1")
        have[0] = count

    return shell, grow


@pytest.mark.parametrize("line", LISTINGS)
def test_a_listing_costs_the_same_calls_at_10_and_200_vms(grown, line):
    shell, grow = grown
    grow(10)
    few = calls_of(shell, line)
    grow(200)
    many = calls_of(shell, line)
    assert many == few and sum(few.values()) <= 4, many


def test_vm_list_is_one_bulk_call_and_reads_no_state(grown):
    shell, grow = grown
    grow(10)
    assert calls_of(shell, "vm.list") == Counter(virConnectListAllDomains=1)
    assert calls_of(shell, "vm.list power_state=on") == Counter(virConnectGetAllDomainStats=1)
    assert calls_of(shell, "vm.list power_state=off") == \
        Counter(virConnectGetAllDomainStats=1, virConnectListAllDomains=1)


def test_power_state_filters_list_what_they_name(grown):
    shell, grow = grown
    grow(5)
    assert _names(shell.ok("vm.list power_state=on")) == ["w0001", "w0002"]
    assert _names(shell.ok("vm.list power_state=paused")) == ["w0003"]
    assert _names(shell.ok("vm.list power_state=off")) == ["w0004", "w0005"]
    assert _names(shell.ok("vm.list power_state=suspended")) == []


def test_vm_get_of_a_glob_reads_one_definition_a_vm_and_nothing_else_a_vm(grown):
    shell, grow = grown
    grow(30)
    ten = calls_of(shell, "vm.get w000*,w0010")  # w0001..w0010
    twenty = calls_of(shell, "vm.get w00[01..20]")  # a range: twenty names
    assert twenty - ten == Counter(virDomainGetXMLDesc=10), (ten, twenty)
    grow(200)
    assert calls_of(shell, "vm.get w000*,w0010") == ten  # the other VMs cost nothing


def test_a_globs_matches_come_in_name_order(shell):
    """libvirt lists domains in no particular order; selection sorts only
    what a glob matched, as people read names."""
    shell.ok("vm.create app10,app9,app1,app100,other memory=64M")
    out = shell.ok("vm.get app*")
    assert [line[:-2] for line in out.splitlines() if line.endswith(" {") and line[0] != " "] == \
        ["app1", "app9", "app10", "app100"]
    assert shell.ok("vm.off app*,oth*").split() == \
        ["app1:", "complete", "app9:", "complete", "app10:", "complete", "app100:", "complete",
         "other:", "complete"]


def test_many_names_are_found_in_one_listing_not_one_lookup_each(grown):
    shell, grow = grown
    grow(60)
    calls = calls_of(shell, "vm.get w00[01..50]")
    assert calls["virConnectListAllDomains"] == 1
    assert not calls["virDomainLookupByName"] and not calls["virDomainLookupByUUIDString"]


def test_many_names_keep_selections_errors(grown):
    shell, grow = grown
    grow(20)
    status, _, err = shell("vm.get w00[01..19],w0099")
    assert status == 1 and "Unknown name: w0099" in err
    uuid = _uuids(shell.ok("vm.list"))[4]
    out = shell.ok("vm.get w00[01..18]," + uuid.upper())
    assert out.count("config {") == 18  # w0005's UUID names a VM already chosen


def test_snapshot_list_costs_one_listing_a_vm_with_snapshots_and_one_read_a_snapshot(grown):
    shell, grow = grown
    grow(10)
    one = calls_of(shell, "snapshot.list")
    shell.ok("vm.snapshot_create w0002 snapshot_name_list=a,b")
    three = calls_of(shell, "snapshot.list")
    assert three - one == Counter(virDomainListAllSnapshots=1, virDomainSnapshotGetXMLDesc=2)


def test_net_list_vms_reads_one_definition_a_vm(grown):
    """libvirt 9.0 has no bulk call for definitions: this listing grows by
    that one read a VM, and by nothing else."""
    shell, grow = grown
    shell.ok("net.create vlan.7 vlan=7")
    grow(10)
    shell.ok("vm.nic_create w0004 network=vlan.7")
    few = calls_of(shell, "net.list_vms vlan.7")
    grow(50)
    assert calls_of(shell, "net.list_vms vlan.7") - few == Counter(virDomainGetXMLDesc=40)
    assert "w0004" in shell.ok("net.list_vms vlan.7")


def _names(table: str) -> list[str]:
    return [line.split()[0] for line in table.splitlines()[1:]]


def _uuids(table: str) -> list[str]:
    return [line.split()[1] for line in table.splitlines()[1:]]
