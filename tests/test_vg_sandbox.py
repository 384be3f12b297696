"""Volume groups on the sandbox: what the transcript cannot show (the
volumes and definitions on the host, other processes seeing them, undo)."""

from __future__ import annotations

import xml.etree.ElementTree as ET


def _volumes(shell, pool="default-container"):
    return sorted(v.name() for v in shell.host.conn.storagePoolLookupByName(pool).listAllVolumes())


def _disks(shell, vm):
    root = ET.fromstring(shell.host.conn.lookupByName(vm).XMLDesc(2))
    return [ET.tostring(d) for d in root.findall("devices/disk")]


def _vg_uuid(shell, name):
    line = [ln for ln in shell.ok("vg.list").splitlines() if ln.startswith(name + " ")]
    return line[0].split()[-1]


def test_a_vg_is_a_marker_and_raw_sparse_disks_attached_shareable(shell):
    shell.ok("container.create gold")
    shell.ok("vm.create db1,db2 memory=64M")
    shell.ok("vg.create data")
    shell.ok("vg.disk_create data create_size=10G")
    shell.ok("vg.disk_create data create_size=2G container=gold")
    uuid = _vg_uuid(shell, "data")
    assert _volumes(shell) == [f"acli-vg-{uuid}-data", f"acli-vgdisk-{uuid}-0.raw"]
    assert _volumes(shell, "gold") == [f"acli-vgdisk-{uuid}-1.raw"]
    gold = shell.host.conn.storagePoolLookupByName("gold")
    assert gold.listAllVolumes()[0].info()[1:] == [2 << 30, 0]  # sparse: nothing written
    shell.ok("vg.attach_to_vm data db1")
    shell.ok("vg.attach_to_vm data db2")
    for vm in ("db1", "db2"):
        root = ET.fromstring(shell.host.conn.lookupByName(vm).XMLDesc(2))
        disks = root.findall("devices/disk")
        assert [d.find("source").get("file").rsplit("/", 1)[-1] for d in disks] == [
            f"acli-vgdisk-{uuid}-0.raw", f"acli-vgdisk-{uuid}-1.raw"]
        for d in disks:
            assert d.find("shareable") is not None
            assert d.find("driver").get("type") == "raw"
            assert d.find("target").get("bus") == "scsi"
        assert root.find("devices/controller[@type='scsi']") is not None


def test_other_processes_see_volume_groups_and_vm_delete_leaves_their_disks(acli):
    assert acli("vm.create", "db1", "memory=64M").returncode == 0
    assert acli("vg.create", "data").returncode == 0
    assert acli("vg.disk_create", "data", "create_size=1G").returncode == 0
    assert acli("vg.attach_to_vm", "data", "db1").returncode == 0
    got = acli("vg.get", "data").stdout
    assert 'vm_name: "db1"' in got and "vmdisk_size: 1073741824" in got
    assert acli("-y", "vm.delete", "db1").returncode == 0
    got = acli("vg.get", "data").stdout
    assert "attachment_list" not in got and "index: 0" in got


def _fill_scsi_bus(shell, vm, leave_free):
    """Give `vm` SCSI disks (files outside any container) until only
    `leave_free` indexes are free."""
    dom = shell.host.conn.lookupByName(vm)
    root = ET.fromstring(dom.XMLDesc(2))
    devices = root.find("devices")
    if root.find("devices/controller[@type='scsi']") is None:
        ET.SubElement(devices, "controller", type="scsi", index="0", model="virtio-scsi")
    used = {int(a.get("unit")) for a in root.findall("devices/disk/address")}
    free = [unit for unit in range(256) if unit not in used]
    for unit in free[:len(free) - leave_free]:
        disk = ET.SubElement(devices, "disk", type="file", device="disk")
        ET.SubElement(disk, "source", file=f"/elsewhere/d{unit}.raw")
        ET.SubElement(disk, "target", dev=f"sdz{unit}", bus="scsi")
        ET.SubElement(disk, "address", type="drive", controller="0", bus="0", target="0",
                      unit=str(unit))
    shell.host.conn.defineXML(ET.tostring(root, encoding="unicode"))
    shell.host.save()


def test_an_attach_that_fails_half_way_takes_back_what_it_attached(shell):
    shell.ok("vm.create full memory=64M")
    shell.ok("vg.create data")
    shell.ok("vg.disk_create data create_size=1G")
    shell.ok("vg.disk_create data create_size=1G")
    _fill_scsi_bus(shell, "full", 1)  # room for the group's first disk, not its second
    before = shell.host.conn.lookupByName("full").XMLDesc(2)
    status, _, err = shell("vg.attach_to_vm data full")
    assert status == 1
    assert err == "Error: no free scsi index: the bus holds 256 disks\n"
    assert shell.host.conn.lookupByName("full").XMLDesc(2) == before
    assert "attachment_list" not in shell.ok("vg.get data")


def test_a_disk_that_cannot_reach_every_vm_is_not_created(shell):
    shell.ok("vm.create db1,db2 memory=64M")
    shell.ok("vg.create data")
    shell.ok("vg.disk_create data create_size=1G")
    shell.ok("vg.attach_to_vm data db1")
    shell.ok("vg.attach_to_vm data db2")
    _fill_scsi_bus(shell, "db2", 0)  # db1 takes the new disk, db2 cannot
    before = _volumes(shell)
    disks_db1 = _disks(shell, "db1")
    status, _, err = shell("vg.disk_create data create_size=1G")
    assert status == 1 and err == "Error: no free scsi index: the bus holds 256 disks\n"
    assert _volumes(shell) == before
    assert _disks(shell, "db1") == disks_db1
    assert shell.ok("vg.get data").count("disk_list {") == 1


def test_an_empty_group_cannot_be_attached(shell):
    shell.ok("vm.create db1 memory=64M")
    shell.ok("vg.create data")
    status, _, err = shell("vg.attach_to_vm data db1")
    assert status == 1
    assert err == "Error: volume group data has no disks; add one first (vg.disk_create)\n"
