"""Storage on the sandbox: what transcripts cannot show well (the node file
round trip, undo after a failure half-way, interrupted uploads, the catalog)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

import pytest
from httphelpers import Server, handler


def _volumes(host, pool="default-container"):
    return sorted(v.name() for v in host.conn.storagePoolLookupByName(pool).listAllVolumes())


def media(shell, name="tiny.qcow2"):
    return os.path.join(shell.host.dir, "media", name)


# the node file ---------------------------------------------------------------

def test_pools_volumes_and_snapshots_round_trip_through_the_node_file(shell):
    shell.ok(f"image.create base source_url={media(shell)}")
    shell.ok("container.create gold")
    shell.ok("vm.create v1 memory=64M")
    shell.ok("vm.disk_create v1 clone_from_image=base container=gold")
    shell.ok("vm.disk_create v1 create_size=3G")
    shell.ok("vm.snapshot_create v1 snapshot_name_list=one,two")
    host = shell.host
    conn = host.conn

    def state(conn):
        pools = {}
        for pool in conn.listAllStoragePools():
            vols = {v.name(): (v.info()[1], v.XMLDesc(0)) for v in pool.listAllVolumes()}
            # (autostart is not kept: the test driver's node file has no place for it)
            pools[pool.name()] = (pool.UUIDString(), pool.isActive(), pool.XMLDesc(0), vols)
        dom = conn.lookupByName("v1")
        snaps = {s.getName(): (s.getXMLDesc(0), s.isCurrent()) for s in dom.listAllSnapshots(0)}
        return pools, snaps

    before = state(conn)
    from acli.hosts.nodefile import node_xml
    from acli.hosts.sandbox import _host_header

    text = node_xml(conn, _host_header())
    path = os.path.join(host.dir, "copy.xml")
    with open(path, "w") as f:
        f.write(text)
    import libvirt

    reloaded = libvirt.open(f"test://{path}")
    try:
        after = state(reloaded)
    finally:
        reloaded.close()
    assert after == before
    assert set(before[0]) == {"default-container", "gold"}
    gold_vols = before[0]["gold"][3]
    (overlay_xml,) = [x for _, x in gold_vols.values()]
    assert "<backingStore>" in overlay_xml  # the image dependency survives a reload
    assert set(before[1]) == {"one", "two"} and before[1]["two"][1] == 1


def test_one_shot_processes_see_each_others_storage(acli):
    assert acli("vm.create", "v1", "memory=64M").returncode == 0
    done = acli("vm.disk_create", "v1", "create_size=2G")
    assert done.returncode == 0 and done.stdout == "DiskCreate: complete\n"
    assert acli("vm.snapshot_create", "v1", "snapshot_name_list=s1").returncode == 0
    listed = acli("vm.disk_list", "v1")
    assert listed.stdout.splitlines() == ["Device bus  Device index", "scsi        0"]
    snaps = acli("snapshot.list").stdout.splitlines()
    assert snaps[0].split("  ")[0] == "Snapshot Name" and snaps[1].startswith("s1 ")


def _guest_wrote(shell, vm: str, nbytes: int) -> None:
    """Account `nbytes` of data in each of `vm`'s disk volumes, as if its
    guest had written them (the test driver has no guest): the volume's
    entry is re-made with that allocation."""
    conn = shell.host.conn
    root = ET.fromstring(conn.lookupByName(vm).XMLDesc(2))
    for src in root.findall("devices/disk/source"):
        vol = conn.storageVolLookupByPath(src.get("file"))
        pool = vol.storagePoolLookupByVolume()
        xml = ET.fromstring(vol.XMLDesc(0))
        xml.find("allocation").text = str(nbytes)
        vol.delete(0)
        pool.createXML(ET.tostring(xml, encoding="unicode"), 0)
    shell.host.save()


def _fill_container(shell, leave_free: int, pool="default-container") -> None:
    """Take all but `leave_free` bytes of a container with a volume of data."""
    p = shell.host.conn.storagePoolLookupByName(pool)
    take = p.info()[3] - leave_free
    p.createXML(f"<volume><name>filler.raw</name><capacity>{take}</capacity>"
                f"<allocation>{take}</allocation></volume>", 0)
    shell.host.save()


# undo ---------------------------------------------------------------------------

def test_a_clone_that_runs_out_of_space_half_way_leaves_nothing(shell):
    # the sandbox container holds 100 GiB: the source's guest wrote 40, the
    # first copy takes 40, and the second copy does not fit.
    shell.ok("vm.create src memory=64M")
    shell.ok("vm.disk_create src create_size=50G")
    _guest_wrote(shell, "src", 40 << 30)
    before = _volumes(shell.host)
    status, out, err = shell("vm.clone c1,c2 clone_from_vm=src")
    assert status == 1
    assert err == ("Error: c2: container default-container has not enough free space: 40 GiB "
                   "(42949672960 bytes) asked for, 20 GiB (21474836480 bytes) free "
                   "(no VM was created)\n")
    assert _volumes(shell.host) == before
    assert [d.name() for d in shell.host.conn.listAllDomains()] == ["src"]


def test_a_container_hands_out_more_than_its_free_space(shell):
    # thin, as on AHV and on a real host: a 500 GiB disk on a 100 GiB
    # container takes only its qcow2 metadata (what qemu-img writes)
    shell.ok("vm.create v1 memory=64M")
    assert shell.ok("vm.disk_create v1 create_size=500G") == "DiskCreate: complete\n"
    assert shell.ok("vm.disk_create v1 create_size=500G") == "DiskCreate: complete\n"
    record = shell.ok("container.get default-container")
    meta = 3 * 65536 + 8 * 1000  # header, refcounts, an L1 entry per 512 MiB
    assert f"provisioned_bytes: {1000 << 30}\n" in record
    assert f"used_bytes: {2 * meta}\n" in record
    assert f"free_bytes: {(100 << 30) - 2 * meta}\n" in record
    row = shell.ok("container.list").splitlines()[1].split()
    assert row[1:5] == [str(100 << 30), str((100 << 30) - 2 * meta), str(1000 << 30),
                        str(2 * meta)]


def test_what_the_host_cannot_make_is_refused_and_changes_nothing(shell):
    shell.ok("vm.create v1 memory=64M")
    status, _, err = shell("vm.disk_create v1 create_size=3072T")
    assert status == 2
    assert err == ("Error: Bad value for create_size: 3377699720527872 bytes is more than a qcow2 "
                   "disk can hold (2251799813685248 bytes, 2 PiB)\n")
    shell.ok("vm.disk_create v1 create_size=1G")
    status, _, err = shell("vm.disk_update v1 disk_addr=scsi.0 new_size=3072T")
    assert status == 2 and "more than a qcow2 disk can hold" in err
    # a container with 1000 bytes free cannot hold even a qcow2's metadata
    _fill_container(shell, 1000)
    before = _volumes(shell.host)
    status, _, err = shell("vm.disk_create v1 create_size=1G")
    assert status == 1
    assert err == ("Error: container default-container has not enough free space: 192 KiB "
                   "(196624 bytes) asked for, 1000 bytes (1000 bytes) free\n")
    assert _volumes(shell.host) == before
    assert shell.ok("vm.disk_list v1") == "Device bus  Device index\nscsi        0\n"


def test_a_grown_disk_takes_only_its_larger_metadata(shell):
    shell.ok("vm.create v1 memory=64M")
    shell.ok("vm.disk_create v1 create_size=1G")
    shell.ok("vm.disk_update v1 disk_addr=scsi.0 new_size=600G")
    (vol,) = shell.host.conn.storagePoolLookupByName("default-container").listAllVolumes()
    assert vol.info()[1:] == [600 << 30, 3 * 65536 + 8 * 1200]


def test_a_snapshot_list_failing_half_way_is_undone(shell):
    shell.ok("vm.create v1 memory=64M")
    status, _, err = shell('vm.snapshot_create v1 snapshot_name_list=a,b,"bad/name"')
    assert status == 2 and "bad/name" in err
    assert shell.host.conn.lookupByName("v1").snapshotNum(0) == 0


def test_disk_create_on_several_vms_is_all_or_nothing(shell):
    shell.ok("vm.create a1,a2 memory=64M")
    shell.ok("vm.disk_create a2 create_size=1G bus=scsi index=3")
    before = _volumes(shell.host)
    xml_a1 = shell.host.conn.lookupByName("a1").XMLDesc(2)
    status, out, err = shell("vm.disk_create a* create_size=1G bus=scsi index=3")
    assert status == 1 and out == ""
    assert err == "Error: a2 already has a disk at scsi.3 (no disk was created)\n"
    assert _volumes(shell.host) == before
    assert shell.host.conn.lookupByName("a1").XMLDesc(2) == xml_a1  # no SCSI controller left
    assert shell.ok("vm.disk_create a* create_size=1G") == "DiskCreate: complete\n" * 2
    assert len(_volumes(shell.host)) == 3


def test_disk_create_on_several_vms_out_of_space_undoes_all(shell):
    # room for two disks' qcow2 metadata (197248 bytes each for 40 GiB), not three
    shell.ok("vm.create w[1..3] memory=64M")
    _fill_container(shell, 2 * 197248 + 1000)
    before = _volumes(shell.host)
    status, out, err = shell("vm.disk_create w* create_size=40G")
    assert status == 1 and out == ""
    assert err == ("Error: w3: container default-container has not enough free space: 192.6 KiB "
                   "(197248 bytes) asked for, 1000 bytes (1000 bytes) free "
                   "(no disk was created)\n")
    assert "libvirt" not in err and "internal error" not in err
    assert _volumes(shell.host) == before
    for name in ("w1", "w2", "w3"):
        assert shell.ok(f"vm.disk_list {name}") == "Device bus  Device index\n"
    assert shell.host.conn.storagePoolLookupByName("default-container").info()[3] == 2 * 197248 + 1000


def test_a_clone_of_many_out_of_space_says_so_cleanly(shell):
    shell.ok("vm.create base memory=64M")
    shell.ok("vm.disk_create base create_size=30G")
    _guest_wrote(shell, "base", 30 << 30)
    before = _volumes(shell.host)
    status, out, err = shell("vm.clone c[1..5] clone_from_vm=base")
    # each copy said it started (a task); the third ran out of space
    assert status == 1 and out == "c1: pending\nc2: pending\nc3: pending\n"
    assert err == ("Error: c3: container default-container has not enough free space: 30 GiB "
                   "(32212254720 bytes) asked for, 10 GiB (10737418240 bytes) free "
                   "(no VM was created)\n")
    assert _volumes(shell.host) == before
    assert [d.name() for d in shell.host.conn.listAllDomains()] == ["base"]
    # the copies' tasks failed together: none says it succeeded
    from acli.hosts import tasks

    clones = [t for t in tasks.read(shell.host) if t["operation_type"] == "kVmClone"]
    assert sorted(t["label"] for t in clones) == ["c1", "c2", "c3"]
    assert {t["status"] for t in clones} == {tasks.FAILED}


# vm.delete and vm.clone ------------------------------------------------------------

def test_vm_delete_removes_own_volumes_only(shell):
    shell.ok(f"image.create base source_url={media(shell)}")
    shell.ok(f"image.create cd source_url={media(shell, 'tiny.iso')}")
    shell.ok("vm.create a,b memory=64M")
    shell.ok("vm.disk_create a clone_from_image=base")
    shell.ok("vm.disk_create a cdrom=true clone_from_image=cd")
    shell.ok("vm.disk_create b create_size=1G")
    # b also uses a's disk (as virsh could make it): a's volume must stay
    conn = shell.host.conn
    root_a = ET.fromstring(conn.lookupByName("a").XMLDesc(2))
    a_path = root_a.find("devices/disk/source").get("file")
    shared = _volumes(shell.host)
    b = conn.lookupByName("b")
    root_b = ET.fromstring(b.XMLDesc(2))
    disk = ET.fromstring(f"<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
                         f"<source file='{a_path}'/><target dev='sdz' bus='scsi'/></disk>")
    root_b.find("devices").append(disk)
    conn.defineXML(ET.tostring(root_b, encoding="unicode"))
    shell.ok("-y vm.delete a")
    assert _volumes(shell.host) == shared  # a's disk is still b's
    shell.ok("-y vm.delete b")
    left = _volumes(shell.host)
    assert len(left) == 2 and all(name.startswith("acli-image-") for name in left)


def test_clones_get_their_own_disks(shell):
    shell.ok("vm.create src memory=64M")
    shell.ok("vm.disk_create src create_size=1G")
    shell.ok("vm.disk_create src cdrom=true empty=true")
    shell.ok("vm.clone c1 clone_from_vm=src")
    conn = shell.host.conn

    def paths(name):
        root = ET.fromstring(conn.lookupByName(name).XMLDesc(2))
        return [s.get("file") for s in root.findall("devices/disk/source")]

    assert len(paths("c1")) == 1 and paths("c1") != paths("src")
    shell.ok("-y vm.delete src")
    assert paths("c1")[0].rsplit("/", 1)[-1] in _volumes(shell.host)


def test_disk_delete_keeps_a_volume_a_snapshot_needs_until_the_vm_goes(shell):
    shell.ok("vm.create v1 memory=64M")
    shell.ok("vm.disk_create v1 create_size=1G")
    shell.ok("vm.snapshot_create v1 snapshot_name_list=s")
    shell.ok("-y vm.disk_delete v1 disk_addr=scsi.0")
    assert len(_volumes(shell.host)) == 1
    shell.ok("-y vm.delete v1")
    assert _volumes(shell.host) == []


# images ---------------------------------------------------------------------

@pytest.fixture
def qcow2_bytes(shell):
    with open(media(shell), "rb") as f:
        return f.read()


def test_image_from_http_with_and_without_length(shell, qcow2_bytes):
    for length in (True, False):
        server = Server(handler(qcow2_bytes, length=length))
        try:
            name = f"web{int(length)}"
            shell.ok(f"image.create {name} source_url={server.url}/img.qcow2")
        finally:
            server.close()
        rec = shell.ok(f"image.get {name}")
        assert "vmdisk_size: 1073741824" in rec and 'file_format: "qcow2"' in rec


def test_http_errors_leave_nothing(shell, qcow2_bytes):
    server = Server(handler(qcow2_bytes, cut_at=1000))
    try:
        status, _, err = shell(f"image.create cut source_url={server.url}/img.qcow2")
        assert status == 1 and "cut" not in shell.ok("image.list")
        status, _, err = shell(f"image.create gone source_url={server.url}/missing")
        assert status == 1 and "HTTP 404" in err
    finally:
        server.close()
    assert _volumes(shell.host) == []
    assert shell.ok("image.list") == "Image name  Image type  Image UUID\n"


def test_an_interrupted_upload_leaves_no_half_image(acli, sandbox_dir):
    assert acli("image.list").returncode == 0  # make the sandbox
    body = b"x" * (4 << 20)
    server = Server(handler(body, cut_at=1 << 20, stall=True))
    try:
        proc = subprocess.Popen([sys.executable, "-m", "acli", f"--sandbox={sandbox_dir}",
                                 "image.create", "slow", f"source_url={server.url}/big.raw"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(1.5)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
    finally:
        server.close()
    assert proc.returncode == 130, err
    assert "slow" not in acli("image.list").stdout
    node = open(os.path.join(sandbox_dir, "host.xml")).read()
    assert "acli-image-" not in node


def test_image_names_and_uuids(shell):
    shell.ok(f"image.create one source_url={media(shell)}")
    uuid = shell.ok("image.list").splitlines()[1].split()[-1]
    assert f'uuid: "{uuid}"' in shell.ok(f"image.get {uuid}")
    shell.ok("image.update one name=two")
    assert shell.ok("image.list").splitlines()[1].split() == ["two", "kDiskImage", uuid]
    # the volume keeps its name: the catalog maps the UUID to the new name
    assert _volumes(shell.host) == [f"acli-image-{uuid}.qcow2"]


def test_progress_bar_only_on_a_terminal(shell):
    import io

    from acli.storage.upload import Progress

    class Tty(io.StringIO):
        def isatty(self):
            return True

    tty, pipe = Tty(), io.StringIO()
    for stream in (tty, pipe):
        p = Progress("Uploading x", 2 << 20, stream)
        p.add(1 << 20)
        p.add(1 << 20)
        p.end()
    assert "100%" in tty.getvalue() and "2.0/2.0 MiB" in tty.getvalue()
    assert pipe.getvalue() == ""


def test_sniffing_formats():
    from acli.storage.sources import sniff

    head = b"QFI\xfb" + bytes(20) + (5 << 30).to_bytes(8, "big")
    assert sniff(head, 1000) == ("qcow2", 5 << 30)
    iso = bytearray(0x9000)
    iso[0x8001:0x8006] = b"CD001"
    assert sniff(bytes(iso), 123) == ("iso", 123)
    assert sniff(b"\0" * 100, 100) == ("raw", 100)


# snapshots ---------------------------------------------------------------------

def test_snapshot_ids_are_stable_and_restore_brings_back_the_config(shell):
    shell.ok("vm.create v1 memory=64M")
    shell.ok("vm.snapshot_create v1 snapshot_name_list=s1")
    first = shell.ok("snapshot.list")
    shell.ok("vm.update v1 memory=256M num_vcpus=2")
    shell.ok("vm.restore v1 snapshot_name=s1")
    assert shell.ok("snapshot.list") == first
    rec = shell.ok("vm.get v1")
    assert "memory_mb: 64" in rec and "num_vcpus: 1" in rec


def test_restore_of_a_running_snapshot_runs_the_vm(shell):
    shell.ok("vm.create v1 memory=64M")
    shell.ok("vm.on v1")
    shell.ok("vm.snapshot_create v1 snapshot_name_list=up")
    shell.ok("vm.off v1")
    assert 'state: "kOff"' in shell.ok("vm.get v1")
    shell.ok("vm.restore v1 snapshot_name=up")
    assert 'state: "kOn"' in shell.ok("vm.get v1")
    assert 'vm_state: "kOn"' in shell.ok("snapshot.get up")


def test_an_upload_in_progress_is_hidden_and_a_dead_ones_volume_shows(shell):
    import uuid as uuidlib

    from acli.storage import catalog, pools

    pool = shell.host.conn.storagePoolLookupByName("default-container")
    for name, pid in (("busy", os.getpid()), ("dead", 2 ** 22 + 1)):
        uuid = str(uuidlib.uuid4())
        pool.createXML(pools.volume_xml(f"acli-image-{uuid}.raw", 1 << 20, "raw"), 0)
        with catalog.editing(shell.host) as entries:
            entries[uuid] = {"name": name, "image_type": "kDiskImage", "uploading": True, "pid": pid}
    listed = shell.ok("image.list")
    assert "busy" not in listed and "dead" not in listed
    assert "acli-image-" in listed  # the dead upload's volume, listed by its name to delete
    status, _, err = shell(f"image.create busy source_url={media(shell)}")
    assert status == 1 and "already exists: busy" in err
    shell.ok(f"image.create dead source_url={media(shell)}")  # a dead upload holds no name


def test_vm_get_include_vmdisk_paths(shell):
    shell.ok("vm.create p1 memory=64M")
    shell.ok("vm.disk_create p1 create_size=1G")
    shell.ok("vm.disk_create p1 cdrom=true empty=true")
    plain = shell.ok("vm.get p1")
    assert "vmdisk_nfs_path" not in plain
    with_paths = shell.ok("vm.get p1 include_vmdisk_paths=true")
    pool = shell.host.conn.storagePoolLookupByName("default-container")
    (vol,) = [v for v in pool.listAllVolumes() if v.name().startswith("acli-vmdisk-")]
    assert with_paths.count("vmdisk_nfs_path") == 1  # the empty CD-ROM has no file
    assert f'vmdisk_nfs_path: "{vol.path()}"' in with_paths


def test_image_names_may_hold_blanks(shell):
    shell.ok(f'image.create "CentOS 7" source_url={media(shell)}')
    assert shell.ok("image.list").splitlines()[1].startswith("CentOS 7    kDiskImage")
    shell.ok('image.update "CentOS 7" name="CentOS 7.9"')
    shell.ok("vm.create v memory=64M")
    shell.ok('vm.disk_create v clone_from_image="CentOS 7.9"')
    for bad in ('" pad"', '"tab\tname"', "6695eb01-f6a4-8304-79aa-97f2502e193f"):
        status, _, err = shell(f"image.create {bad} source_url={media(shell)}")
        assert status == 2 and "Bad value for name" in err, bad
    assert len(shell.ok("image.list").splitlines()) == 2


def test_an_image_from_a_vm_disk_is_a_flat_copy_and_a_failed_one_leaves_nothing(shell):
    shell.ok(f"image.create base source_url={media(shell)}")
    shell.ok("vm.create v1 memory=64M")
    shell.ok("vm.disk_create v1 clone_from_image=base")  # an overlay on base
    _guest_wrote(shell, "v1", 5 << 30)
    shell.ok("image.create golden clone_from_vmdisk=vm:v1:scsi.0")
    pool = shell.host.conn.storagePoolLookupByName("default-container")
    (vol,) = [v for v in pool.listAllVolumes() if v.name().startswith("acli-image-")
              and "golden" in shell.ok(f"image.get {v.name()[11:47]}")]
    assert vol.info()[1:] == [1 << 30, 5 << 30]  # the disk's size and bytes
    assert "<backingStore>" not in vol.XMLDesc(0)  # flattened: needs no other image
    # a copy that does not fit leaves no image and no name behind
    _fill_container(shell, 1 << 30)
    status, _, err = shell("image.create golden2 clone_from_vmdisk=vm:v1:scsi.0")
    assert status == 1 and err.startswith("Error: container default-container has not enough "
                                          "free space: 5 GiB (5368709120 bytes) asked for")
    assert "golden2" not in shell.ok("image.list")
    import json

    with open(os.path.join(shell.host.dir, "images.json")) as f:
        assert sorted(e["name"] for e in json.load(f).values()) == ["base", "golden"]
