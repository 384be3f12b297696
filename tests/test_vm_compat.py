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


# vm.update agent_vm= extra_flags= -------------------------------------------

SETTINGS = "{http://acli.dev/xmlns/vmsettings/1.0}settings"


def test_agent_vm_and_extra_flags_live_in_the_definition(shell):
    shell.ok("vm.create ag1 memory=64M")
    assert "agent_vm" not in config(shell, "ag1") and "extra_flags" not in config(shell, "ag1")
    shell.ok("vm.update ag1 agent_vm=true extra_flags=is_system_vm=true")
    shell.ok("vm.update ag1 extra_flags=b=x=y;a=1")  # merged; the first = splits
    el = definition(shell, "ag1").find("metadata/" + SETTINGS)
    assert el.get("agent_vm") == "true"
    assert [(f.get("key"), f.get("value")) for f in el] == \
        [("a", "1"), ("b", "x=y"), ("is_system_vm", "true")]
    got = config(shell, "ag1")
    assert got["agent_vm"] is True
    assert got["extra_flags"] == [{"key": "a", "value": "1"}, {"key": "b", "value": "x=y"},
                                  {"key": "is_system_vm", "value": "true"}]
    # logical_timestamp rewrites its own element; the settings stay
    shell.ok("vm.on ag1")
    shell.ok("vm.off ag1")
    assert config(shell, "ag1")["agent_vm"] is True
    shell.ok('vm.update ag1 agent_vm=false extra_flags="a=;b=;is_system_vm="')
    assert definition(shell, "ag1").find("metadata/" + SETTINGS) is None
    got = config(shell, "ag1")
    assert "agent_vm" not in got and "extra_flags" not in got


def test_settings_follow_a_running_vm_and_a_clone(shell):
    shell.ok("vm.create ag2 memory=64M")
    shell.ok("vm.on ag2")
    shell.ok("vm.update ag2 agent_vm=true extra_flags=k=v")
    live = ET.fromstring(shell.host.conn.lookupByName("ag2").XMLDesc(0))
    assert live.find("metadata/" + SETTINGS).get("agent_vm") == "true"
    shell.ok("vm.off ag2")
    shell.ok("vm.clone ag3 clone_from_vm=ag2")
    assert config(shell, "ag3")["extra_flags"] == [{"key": "k", "value": "v"}]


def test_bad_extra_flags_change_nothing(shell):
    shell.ok("vm.create ag4 memory=64M")
    before = shell.host.conn.lookupByName("ag4").XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
    for line, words in (
        ("vm.update ag4 extra_flags=novalue", "'novalue' is not key=value"),
        ('vm.update ag4 extra_flags="a b=1"', "'a b=1' is not key=value"),
        ("vm.update ag4 extra_flags=a=1;a=2", "a is given twice"),
        ("vm.update ag4 agent_vm=perhaps", "'perhaps' is not true or false"),
        ("vm.update ag4 extra_flags=;", "no key=value pair"),
    ):
        status, _, err = shell(line)
        assert status == 2 and words in err and err.count("\n") == 1, (line, err)
    assert shell.host.conn.lookupByName("ag4").XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE) == before


# vm.serial_port_create / vm.serial_port_delete -----------------------------

def serials(shell, vm) -> list[tuple[str, str]]:
    return [(el.get("type"), el.find("target").get("port"))
            for el in definition(shell, vm).findall("devices/serial")]


def test_serial_ports_in_the_definition_and_vm_get(shell):
    shell.ok("vm.create sp1 memory=64M")
    assert shell.ok("vm.serial_port_create sp1 type=kServer index=0") == \
        "SerialPortCreate: complete\n"
    shell.ok("vm.serial_port_create sp1 type=kNull index=2")
    assert serials(shell, "sp1") == [("pty", "0"), ("null", "2")]
    consoles = definition(shell, "sp1").findall("devices/console")
    assert [c.find("target").get("port") for c in consoles] == ["0"]  # libvirt's, on port 0
    assert config(shell, "sp1")["serial_port_list"] == [
        {"index": 0, "type": "kServer"}, {"index": 2, "type": "kNull"}]
    assert shell.ok("vm.serial_port_delete sp1 index=0") == "SerialPortDelete: complete\n"
    assert serials(shell, "sp1") == [("null", "2")]  # port 0 not made again for its console
    # libvirt's console is the first serial port's alias: it moves on to port 2
    consoles = definition(shell, "sp1").findall("devices/console")
    assert [c.find("target").get("port") for c in consoles] == ["2"]
    shell.ok("vm.serial_port_delete sp1 index=2")
    assert "serial_port_list" not in config(shell, "sp1")
    root = definition(shell, "sp1")
    assert root.findall("devices/serial") == [] and root.findall("devices/console") == []


def test_serial_port_refusals_change_nothing(shell):
    shell.ok("vm.create sp2 memory=64M")
    shell.ok("vm.serial_port_create sp2 type=kServer index=1")
    shell.ok("vm.on sp2")
    shell.ok("vm.get sp2")  # the power action's count is written
    before = shell.host.conn.lookupByName("sp2").XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
    for line, status_, words in (
        ("vm.serial_port_create sp2 type=kNull index=0", 1, "VM is on; power it off to add"),
        ("vm.serial_port_delete sp2 index=1", 1, "VM is on; power it off to remove"),
        ("vm.serial_port_create sp2 type=kServer index=1", 1, "already has serial port 1"),
        ("vm.serial_port_delete sp2 index=3", 1, "sp2 has no serial port 3 (its ports: 1)"),
        ("vm.serial_port_create sp2 type=kServer index=4", 2, "4 is above the maximum 3"),
        ("vm.serial_port_create sp2 type=kPipe index=0", 2, "'kPipe' is not one of kServer, kNull"),
        ("vm.serial_port_create sp2 index=0", 2, "type"),
    ):
        status, _, err = shell(line)
        assert status == status_ and words in err and err.count("\n") == 1, (line, err)
    assert shell.host.conn.lookupByName("sp2").XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE) == before
