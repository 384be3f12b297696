"""vm.restore and the volumes a VM owns: disks added after a snapshot go
with the restore (as on AHV), nothing is left behind by vm.delete or
snapshot.delete, and the BEFORE_RESTORE / AFTER_RESTORE hooks."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from acli.errors import InvalidState
from acli.vms import events


def _volumes(host, pool="default-container"):
    return sorted(v.name() for v in host.conn.storagePoolLookupByName(pool).listAllVolumes())


def _disk_paths(host, vm):
    root = ET.fromstring(host.conn.lookupByName(vm).XMLDesc(2))
    return sorted(s.get("file") for s in root.findall("devices/disk/source"))


def test_restore_drops_a_disk_added_after_the_snapshot(shell):
    shell.ok("vm.create a memory=64M")
    shell.ok("vm.snapshot_create a snapshot_name_list=empty")
    shell.ok("vm.disk_create a create_size=50G")
    assert len(_volumes(shell.host)) == 1
    shell.ok("vm.restore a snapshot_name=empty")
    assert _volumes(shell.host) == []
    assert shell.ok("vm.disk_list a") == "Device bus  Device index\n"
    shell.ok("-y vm.delete a")
    assert _volumes(shell.host) == []
    assert "num_volumes: 0" in shell.ok("container.get default-container")
    shell.ok("-y container.delete default-container")


def test_restore_keeps_disks_the_snapshot_or_another_snapshot_uses(shell):
    shell.ok("vm.create a memory=64M")
    shell.ok("vm.disk_create a create_size=1G")
    first = _volumes(shell.host)
    shell.ok("vm.snapshot_create a snapshot_name_list=one")
    shell.ok("vm.disk_create a create_size=2G")
    shell.ok("vm.snapshot_create a snapshot_name_list=two")
    shell.ok("vm.disk_create a create_size=3G")  # in no snapshot
    assert len(_volumes(shell.host)) == 3
    shell.ok("vm.restore a snapshot_name=one")
    # the 1G disk is the restored config's; the 2G one snapshot "two" needs
    assert len(_volumes(shell.host)) == 2
    assert _disk_paths(shell.host, "a") == [f"/sandbox/containers/default-container/{first[0]}"]
    shell.ok("vm.restore a snapshot_name=two")
    assert len(_disk_paths(shell.host, "a")) == 2
    assert len(_volumes(shell.host)) == 2
    shell.ok("-y vm.delete a")
    assert _volumes(shell.host) == []


def test_vm_delete_with_snapshots_whose_disks_differ_leaves_nothing(shell):
    shell.ok("vm.create a memory=64M")
    shell.ok("vm.disk_create a create_size=1G")
    shell.ok("vm.snapshot_create a snapshot_name_list=s1")
    shell.ok("-y vm.disk_delete a disk_addr=scsi.0")   # kept: s1 needs it
    shell.ok("vm.disk_create a create_size=2G")
    shell.ok("vm.snapshot_create a snapshot_name_list=s2")
    shell.ok("vm.disk_create a create_size=3G")
    assert len(_volumes(shell.host)) == 3
    shell.ok("-y vm.delete a")
    assert _volumes(shell.host) == []


def test_snapshot_delete_drops_a_volume_only_it_kept(shell):
    shell.ok("vm.create a memory=64M")
    shell.ok("vm.disk_create a create_size=1G")
    shell.ok("vm.snapshot_create a snapshot_name_list=s1,s2")
    shell.ok("-y vm.disk_delete a disk_addr=scsi.0")
    shell.ok("-y snapshot.delete s1")
    assert len(_volumes(shell.host)) == 1          # s2 still needs it
    shell.ok("-y snapshot.delete s2")
    assert _volumes(shell.host) == []
    shell.ok("vm.disk_create a create_size=1G")
    shell.ok("vm.snapshot_create a snapshot_name_list=s3")
    shell.ok("-y snapshot.delete s3")
    assert len(_volumes(shell.host)) == 1          # the VM's own disk stays


def test_restore_never_touches_another_vms_disk(shell):
    shell.ok("vm.create a,b memory=64M")
    shell.ok("vm.snapshot_create a snapshot_name_list=empty")
    shell.ok("vm.disk_create b create_size=1G")
    path = _disk_paths(shell.host, "b")[0]
    # a also uses b's volume (as a foreign user would: by editing the XML)
    dom = shell.host.conn.lookupByName("a")
    root = ET.fromstring(dom.XMLDesc(2))
    disk = ET.SubElement(root.find("devices"), "disk", type="file", device="disk")
    ET.SubElement(disk, "driver", name="qemu", type="qcow2")
    ET.SubElement(disk, "source", file=path)
    ET.SubElement(disk, "target", dev="sdz", bus="scsi")
    shell.host.conn.defineXML(ET.tostring(root, encoding="unicode"))
    shell.ok("vm.restore a snapshot_name=empty")
    assert len(_volumes(shell.host)) == 1
    assert _disk_paths(shell.host, "b") == [path]


@pytest.fixture
def restore_hooks():
    saved = list(events.BEFORE_RESTORE.hooks), list(events.AFTER_RESTORE.hooks)
    yield
    events.BEFORE_RESTORE.hooks, events.AFTER_RESTORE.hooks = saved


def test_a_refusing_before_restore_hook_leaves_everything_untouched(shell, restore_hooks):
    seen = []

    def refuse(event):
        root = event.snapshot_root
        seen.append((event.dom.name(), root.tag, root.findtext("name")))
        raise InvalidState("network of the snapshot is gone")

    after = []
    events.BEFORE_RESTORE.add(refuse)
    events.AFTER_RESTORE.add(lambda event: after.append(event.dom.name()))
    shell.ok("vm.create a memory=64M")
    shell.ok("vm.snapshot_create a snapshot_name_list=empty")
    shell.ok("vm.disk_create a create_size=1G")
    xml = shell.host.conn.lookupByName("a").XMLDesc(2)
    before = _volumes(shell.host)
    status, out, err = shell("vm.restore a snapshot_name=empty")
    assert (status, out, err) == (1, "", "Error: network of the snapshot is gone\n")
    assert seen == [("a", "domain", "a")]
    assert after == []
    assert _volumes(shell.host) == before
    assert shell.host.conn.lookupByName("a").XMLDesc(2) == xml


def test_after_restore_hook_runs_once_the_revert_is_done(shell, restore_hooks):
    calls = []
    events.AFTER_RESTORE.add(
        lambda event: calls.append((event.dom.name(), len(_disk_paths(event.host, event.dom.name())))))
    shell.ok("vm.create a memory=64M")
    shell.ok("vm.snapshot_create a snapshot_name_list=empty")
    shell.ok("vm.disk_create a create_size=1G")
    shell.ok("vm.restore a snapshot_name=empty")
    assert calls == [("a", 0)]
