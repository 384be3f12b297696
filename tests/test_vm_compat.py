"""The VM commands and keywords aCLI scripts use beyond the basics, on the
sandbox (libvirt's test driver): vm.force_off, vm.delete delete_snapshots,
the boot device, serial ports, agent_vm and extra_flags. Each is checked in
the definition libvirt holds, not only in acli's output."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import libvirt


def definition(shell, vm) -> ET.Element:
    dom = shell.host.conn.lookupByName(vm)
    return ET.fromstring(dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE))


def config(shell, vm) -> dict:
    return json.loads(shell.ok(f"-o json vm.get {vm}"))["data"].popitem()[1]["config"]


def names(shell) -> list[str]:
    return sorted(d.name() for d in shell.host.conn.listAllDomains())


# vm.force_off --------------------------------------------------------------

def test_force_off_stops_running_and_paused_vms_and_is_idempotent(shell):
    shell.ok("vm.create f1,f2,f3 memory=64M")
    shell.ok("vm.on f1,f2")
    shell.ok("vm.pause f2")
    assert shell.ok("vm.force_off f*") == "f1: complete\nf2: complete\nf3: complete\n"
    assert [shell.host.conn.lookupByName(n).isActive() for n in ("f1", "f2", "f3")] == [0, 0, 0]
    status, _, err = shell("vm.force_off nope")
    assert status == 1 and "Unknown name: nope" in err


# vm.delete delete_snapshots ------------------------------------------------

def test_delete_snapshots_true_deletes_vm_and_its_snapshots(shell):
    shell.ok("vm.create s1 memory=64M")
    shell.ok("vm.snapshot_create s1 snapshot_name_list=a,b")
    shell.ok("-y vm.delete s1 delete_snapshots=true")
    assert names(shell) == []
    assert shell.ok("snapshot.list").splitlines()[1:] == []


def test_delete_snapshots_false_refuses_vms_with_snapshots_and_changes_nothing(shell):
    shell.ok("vm.create plain,held memory=64M")
    shell.ok("vm.snapshot_create held snapshot_name_list=keep")
    status, out, err = shell("-y vm.delete plain,held delete_snapshots=false")
    assert status == 1 and out == ""
    assert err.count("\n") == 1 and "held has 1 snapshots" in err
    assert "delete_snapshots=true" in err
    assert names(shell) == ["held", "plain"]  # all or nothing: plain stays too
    assert shell.host.conn.lookupByName("held").snapshotNum(0) == 1
    shell.ok("-y vm.delete plain delete_snapshots=false")  # nothing to keep: deleted
    assert names(shell) == ["held"]
