"""Disks copied from container files (clone_from_adsf_file) and VMs moved to
another container (vm.update_container) on the sandbox: what the transcripts
cannot show (files in a subdirectory, qcow2 headers that read other files,
undo after a failure or an interrupt at each step, another process's view)."""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET

import pytest
from test_storage_sandbox import _fill_container, _guest_wrote


def _volumes(shell, pool):
    return sorted(v.name() for v in shell.host.conn.storagePoolLookupByName(pool).listAllVolumes())


def _disk_paths(shell, vm):
    root = ET.fromstring(shell.host.conn.lookupByName(vm).XMLDesc(2))
    return [s.get("file") for s in root.findall("devices/disk/source")]


# clone_from_adsf_file -------------------------------------------------------------

def test_a_file_in_a_subdirectory_of_a_container_is_copied_into_the_vms_container(shell):
    shell.ok("container.create gold")
    shell.ok("vm.create v1 memory=64M")
    pool = shell.host.conn.storagePoolLookupByName("default-container")
    # a file an admin put in the container's directory (the sandbox's files are volumes)
    pool.createXML("<volume><name>uploads/app.raw</name><capacity>5242880</capacity>"
                   "<allocation>3145728</allocation><target><format type='raw'/></target>"
                   "</volume>", 0)
    shell.host.save()
    shell.ok("vm.disk_create v1 clone_from_adsf_file=/default-container/uploads/app.raw "
             "container=gold")
    (path,) = _disk_paths(shell, "v1")
    vol = shell.host.conn.storageVolLookupByPath(path)
    assert vol.storagePoolLookupByVolume().name() == "gold"
    assert vol.info()[1:] == [5242880, 3145728]  # its size, and the bytes it holds
    assert "<format type='qcow2'/>" in vol.XMLDesc(0)
    assert "uploads/app.raw" in _volumes(shell, "default-container")  # the source stays
    # the same file by the container's UUID, and with doubled slashes
    uuid = pool.UUIDString()
    shell.ok(f"vm.disk_create v1 clone_from_adsf_file=/{uuid}//uploads/app.raw")
    assert len(_disk_paths(shell, "v1")) == 2


def test_a_copy_that_does_not_fit_leaves_nothing(shell):
    shell.ok("container.create gold")
    shell.ok("vm.create v1 memory=64M")
    pool = shell.host.conn.storagePoolLookupByName("default-container")
    pool.createXML("<volume><name>big.raw</name><capacity>8589934592</capacity>"
                   "<allocation>8589934592</allocation></volume>", 0)
    _fill_container(shell, 1 << 30, "gold")
    status, _, err = shell("vm.disk_create v1 clone_from_adsf_file=/default-container/big.raw "
                           "container=gold")
    assert status == 1
    assert err.startswith("Error: container gold has not enough free space: 8 GiB")
    assert _volumes(shell, "gold") == ["filler.raw"]
    assert _disk_paths(shell, "v1") == []


def _qcow2(tmp_path, name, *options):
    path = tmp_path / name
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", *options, str(path), "64M"],
                   check=True)
    return path.read_bytes()[:65536]


def test_qcow2_headers_that_read_other_files_are_recognised(tmp_path):
    from acli.storage.adsf import qcow2_references

    base = tmp_path / "base.raw"
    base.write_bytes(b"\0" * 4096)
    assert qcow2_references(_qcow2(tmp_path, "plain.qcow2")) == (False, False)
    assert qcow2_references(_qcow2(tmp_path, "compat.qcow2", "-o", "compat=0.10")) == (False, False)
    assert qcow2_references(_qcow2(tmp_path, "over.qcow2", "-b", str(base), "-F", "raw")) == \
        (True, False)
    assert qcow2_references(_qcow2(tmp_path, "ext.qcow2", "-o",
                                   f"data_file={tmp_path / 'data.raw'}")) == (False, True)


@pytest.mark.parametrize("text", ["/c/../x", "/c/./x", "/c/a/../../x", "c/x", "", "/c", "/c/",
                                  "/c/x\0y"])
def test_paths_that_are_not_a_file_inside_a_container_are_refused_before_any_lookup(text):
    from acli.errors import UsageError
    from acli.storage.adsf import parse

    with pytest.raises(UsageError) as caught:
        parse(text)
    assert caught.value.message.startswith("Bad value for clone_from_adsf_file: ")


def test_adsf_paths_split_into_container_and_file():
    from acli.storage.adsf import parse

    assert parse("/default-container/dir/sub/disk.qcow2") == ("default-container", "dir/sub/disk.qcow2")
    assert parse("//c///x") == ("c", "x")
    assert parse("/c/..x/x..") == ("c", "..x/x..")  # dots inside a name are a name


def test_a_copy_from_another_container_works_on_the_sandbox(shell):
    """The test driver's own copy finds its source only in the destination
    pool: clone_from_vmdisk across containers used to fail there."""
    shell.ok("container.create gold")
    shell.ok("vm.create v1,v2 memory=64M")
    shell.ok("vm.disk_create v1 create_size=2G")
    shell.ok("vm.disk_create v2 clone_from_vmdisk=vm:v1:scsi.0 container=gold")
    (path,) = _disk_paths(shell, "v2")
    assert shell.host.conn.storageVolLookupByPath(path).storagePoolLookupByVolume().name() == "gold"


# vm.update_container ---------------------------------------------------------------

def _vm_with_disks(shell):
    shell.ok("container.create gold")
    shell.ok("vm.create v1 memory=64M")
    shell.ok("vm.disk_create v1 create_size=1G")
    shell.ok("vm.disk_create v1 create_size=2G")
    shell.ok("vm.disk_create v1 create_size=3G bus=pci")
    return shell.host.conn.lookupByName("v1").XMLDesc(2), _volumes(shell, "default-container")


def test_a_move_keeps_the_disks_names_sizes_and_bytes(shell, acli):
    _, before_vols = _vm_with_disks(shell)
    conn = shell.host.conn
    sizes = {p.rsplit("/", 1)[1]: conn.storageVolLookupByPath(p).info()[1:]
             for p in _disk_paths(shell, "v1")}
    shell.ok("vm.update_container v1 container=gold")
    paths = _disk_paths(shell, "v1")
    assert all(p.startswith("/sandbox/containers/gold/") for p in paths)
    assert {p.rsplit("/", 1)[1]: conn.storageVolLookupByPath(p).info()[1:] for p in paths} == sizes
    assert _volumes(shell, "default-container") == []
    assert _volumes(shell, "gold") == before_vols
    shell.close()
    # another process reads the node file: the move was written
    listed = acli("vm.disk_get", "v1", "disk_addr=pci.0").stdout
    assert "vmdisk_size: 3221225472" in listed and "container_id: 1202265425" in listed


def test_a_move_that_does_not_fit_changes_nothing(shell):
    _, before_vols = _vm_with_disks(shell)
    # the guest wrote 1 GiB in each disk: 3 GiB to copy, 2 GiB free
    _guest_wrote(shell, "v1", 1 << 30)
    before_xml = shell.host.conn.lookupByName("v1").XMLDesc(2)
    _fill_container(shell, 2 << 30, "gold")
    status, _, err = shell("vm.update_container v1 container=gold")
    assert status == 1
    assert err == ("Error: container gold has not enough free space: 3 GiB (3221225472 bytes) "
                   "asked for, 2 GiB (2147483648 bytes) free (no disk of v1 was moved)\n")
    assert shell.host.conn.lookupByName("v1").XMLDesc(2) == before_xml
    assert _volumes(shell, "gold") == ["filler.raw"]
    assert _volumes(shell, "default-container") == before_vols


def test_an_interrupt_during_the_copies_deletes_them(shell, monkeypatch):
    before_xml, before_vols = _vm_with_disks(shell)
    from acli.storage import move

    real, calls = move.full_copy, []

    def copy_then_interrupt(*args):
        calls.append(real(*args))
        if len(calls) == 2:
            raise KeyboardInterrupt
        return calls[-1]

    monkeypatch.setattr(move, "full_copy", copy_then_interrupt)
    status, _, err = shell("vm.update_container v1 container=gold")
    assert (status, err) == (130, "Error: interrupted; no disk of v1 was moved\n")
    assert shell.host.conn.lookupByName("v1").XMLDesc(2) == before_xml
    assert _volumes(shell, "gold") == []
    assert _volumes(shell, "default-container") == before_vols


def test_an_interrupt_while_the_vm_is_redefined_puts_the_old_definition_back(shell, monkeypatch):
    """libvirt took the new definition, then the interrupt came: the old one
    is defined again and the copies go."""
    before_xml, before_vols = _vm_with_disks(shell)
    conn = shell.host.conn
    real = conn.defineXML

    def define_then_interrupt(xml):
        real(xml)
        if "/gold/" in xml:
            raise KeyboardInterrupt
        return None

    monkeypatch.setattr(conn, "defineXML", define_then_interrupt)
    status, _, err = shell("vm.update_container v1 container=gold")
    assert (status, err) == (130, "Error: interrupted; no disk of v1 was moved\n")
    monkeypatch.undo()
    assert conn.lookupByName("v1").XMLDesc(2) == before_xml
    assert _volumes(shell, "gold") == []
    assert _volumes(shell, "default-container") == before_vols


def test_an_interrupt_after_the_move_names_the_old_volumes_left(shell, monkeypatch):
    _, before_vols = _vm_with_disks(shell)
    from acli.storage import ownership

    def interrupted(*_args):
        raise KeyboardInterrupt

    monkeypatch.setattr(ownership, "delete_paths", interrupted)
    status, _, err = shell("vm.update_container v1 container=gold")
    assert status == 130
    assert err.startswith("Error: interrupted after the move: v1 uses its new disks; these old "
                          "volumes remain: /sandbox/containers/default-container/acli-vmdisk-")
    assert err.endswith(" (container.list_orphans lists them)\n")
    assert err.count("acli-vmdisk-") == 3
    monkeypatch.undo()
    assert all("/gold/" in p for p in _disk_paths(shell, "v1"))
    orphans = shell.ok("container.list_orphans default-container")
    assert sorted(line.split()[0] for line in orphans.splitlines()[1:]) == before_vols


def test_a_disk_outside_any_container_is_refused_and_nothing_moves(shell):
    before_xml, before_vols = _vm_with_disks(shell)
    conn = shell.host.conn
    root = ET.fromstring(before_xml)
    disk = ET.SubElement(root.find("devices"), "disk", type="file", device="disk")
    ET.SubElement(disk, "driver", name="qemu", type="raw")
    ET.SubElement(disk, "source", file="/srv/elsewhere.raw")
    ET.SubElement(disk, "target", dev="sdz", bus="sata")
    ET.SubElement(disk, "address", type="drive", controller="0", bus="0", target="0", unit="3")
    conn.defineXML(ET.tostring(root, encoding="unicode"))
    shell.host.save()
    defined = conn.lookupByName("v1").XMLDesc(2)
    status, _, err = shell("vm.update_container v1 container=gold")
    assert status == 1
    assert err == "Error: disk sata.3 of v1 is not in a container; acli cannot move it\n"
    assert conn.lookupByName("v1").XMLDesc(2) == defined
    assert _volumes(shell, "gold") == []
    assert _volumes(shell, "default-container") == before_vols


def test_a_volume_group_disk_and_a_volume_another_vm_uses_stay(shell):
    _vm_with_disks(shell)
    shell.ok("vg.create data")
    shell.ok("vg.disk_create data create_size=1G")
    shell.ok("vg.attach_to_vm data v1")
    vg_path = [p for p in _disk_paths(shell, "v1") if "acli-vgdisk-" in p]
    shared = _disk_paths(shell, "v1")[0]
    # another VM uses v1's first disk too (made with libvirt: acli never shares one)
    shell.ok("vm.create v2 memory=64M")
    conn = shell.host.conn
    root = ET.fromstring(conn.lookupByName("v2").XMLDesc(2))
    disk = ET.SubElement(root.find("devices"), "disk", type="file", device="disk")
    ET.SubElement(disk, "driver", name="qemu", type="qcow2")
    ET.SubElement(disk, "source", file=shared)
    ET.SubElement(disk, "target", dev="vda", bus="virtio")
    conn.defineXML(ET.tostring(root, encoding="unicode"))
    shell.host.save()
    shell.ok("vm.update_container v1 container=gold")
    paths = _disk_paths(shell, "v1")
    assert vg_path[0] in paths  # the group's disk stays where the group keeps it
    assert sum("/gold/" in p for p in paths) == 3
    assert conn.storageVolLookupByPath(shared) is not None  # v2 still uses it
    assert _disk_paths(shell, "v2") == [shared]
