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


# vm.update_boot_device -------------------------------------------------------

def boot_orders(shell, vm) -> dict[str, str]:
    """Device -> its <boot order>: disks by target dev, NICs by MAC."""
    out = {}
    for el in definition(shell, vm).findall("devices/*"):
        boot = el.find("boot")
        if boot is None:
            continue
        key = el.find("target").get("dev") if el.tag == "disk" else el.find("mac").get("address")
        out[key] = boot.get("order")
    return out


def os_boot(shell, vm) -> list[str]:
    return [b.get("dev") for b in definition(shell, vm).findall("os/boot")]


def boot_vm(shell):
    shell.ok("net.create vlan.10 vlan=10")
    shell.ok("vm.create bt1 memory=64M")
    shell.ok("vm.disk_create bt1 create_size=1G")       # scsi.0, sda
    shell.ok("vm.disk_create bt1 create_size=1G")       # scsi.1, sdb
    shell.ok("vm.disk_create bt1 cdrom=true empty=true")  # ide.0, hda
    shell.ok("vm.nic_create bt1 network=vlan.10")
    mac = definition(shell, "bt1").find("devices/interface/mac").get("address")
    return mac


def test_boot_device_disk_cdrom_and_nic(shell):
    mac = boot_vm(shell)
    assert "boot_device" not in config(shell, "bt1")["boot"]  # nothing chosen yet
    assert shell.ok("vm.update_boot_device bt1 disk_addr=scsi.1") == "bt1: complete\n"
    # the device first, then AHV's default classes: CD-ROMs, disks, NICs
    assert boot_orders(shell, "bt1") == {"sdb": "1", "hda": "2", "sda": "3", mac: "4"}
    assert os_boot(shell, "bt1") == []  # libvirt refuses both kinds at once
    boot = config(shell, "bt1")["boot"]
    assert boot == {"boot_device": {"disk_addr": {"bus": "scsi", "index": 1}},
                    "boot_device_order": ["kCdrom", "kDisk", "kNetwork"], "uefi_boot": False}
    shell.ok("vm.update_boot_device bt1 disk_addr=ide.0 boot_device_order=kDisk,kNetwork")
    assert boot_orders(shell, "bt1") == {"hda": "1", "sda": "2", "sdb": "3", mac: "4"}
    shell.ok(f"vm.update_boot_device bt1 mac_addr={mac.upper()}")  # the order is kept
    assert boot_orders(shell, "bt1") == {mac: "1", "sda": "2", "sdb": "3"}
    boot = config(shell, "bt1")["boot"]
    assert boot["boot_device"] == {"mac_addr": mac}
    assert boot["boot_device_order"] == ["kDisk", "kNetwork"]
    text = shell.ok("vm.get bt1")
    assert f'    boot {{\n      boot_device {{\n        mac_addr: "{mac}"\n      }}\n' \
           '      boot_device_order: "kDisk"\n      boot_device_order: "kNetwork"\n' \
           '      uefi_boot: False\n    }\n' in text
    shell.ok("vm.update_boot_device bt1 boot_device_order=kCdrom,kDisk")  # the device is kept
    assert boot_orders(shell, "bt1") == {mac: "1", "hda": "2", "sda": "3", "sdb": "4"}


def test_boot_order_without_a_device_is_by_class(shell):
    shell.ok("vm.create bt2 memory=64M")
    shell.ok("vm.update_boot_device bt2 boot_device_order=kNetwork,kDisk")
    assert os_boot(shell, "bt2") == ["network", "hd"]
    assert config(shell, "bt2")["boot"] == {"boot_device_order": ["kNetwork", "kDisk"],
                                            "uefi_boot": False}
    shell.ok("vm.update bt2 agent_vm=true extra_flags=a=1")  # the settings element is shared
    shell.ok("vm.update bt2 agent_vm=false extra_flags=a=")
    assert config(shell, "bt2")["boot"]["boot_device_order"] == ["kNetwork", "kDisk"]


def test_boot_device_refusals_change_nothing(shell):
    mac = boot_vm(shell)
    shell.ok("vm.update_boot_device bt1 disk_addr=scsi.0")
    before = shell.host.conn.lookupByName("bt1").XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
    for line, status_, words in (
        ("vm.update_boot_device bt1 disk_addr=scsi.7", 1, "bt1 has no disk at scsi.7"),
        ("vm.update_boot_device bt1 disk_addr=floppy.0", 2, "'floppy.0' is not a disk address"),
        ("vm.update_boot_device bt1 mac_addr=50:6b:8d:00:00:99", 1, "bt1 has no NIC 50:6b:8d:00:00:99"),
        ("vm.update_boot_device bt1 mac_addr=50:6b:8d", 2, "is not a MAC address"),
        (f"vm.update_boot_device bt1 disk_addr=scsi.0 mac_addr={mac}", 2, "not both"),
        ("vm.update_boot_device bt1", 2, "nothing to change"),
        ("vm.update_boot_device bt1 boot_device_order=kDisk,kUsb", 2, "'kUsb' is not one of"),
        ("vm.update_boot_device nope disk_addr=scsi.0", 1, "Unknown name: nope"),
    ):
        status, _, err = shell(line)
        assert status == status_ and words in err and err.count("\n") == 1, (line, err)
    assert shell.host.conn.lookupByName("bt1").XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE) == before


def test_boot_device_of_a_running_vm_is_for_its_next_start(shell):
    boot_vm(shell)
    shell.ok("vm.on bt1")
    shell.ok("vm.update_boot_device bt1 disk_addr=ide.0")
    assert boot_orders(shell, "bt1")["hda"] == "1"
    assert shell.host.conn.lookupByName("bt1").isActive()
