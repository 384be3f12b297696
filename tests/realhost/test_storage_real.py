"""Storage on the real host (qemu:///system): volumes are real files in the
pool, a VM boots with its disks, a clone from an image leaves the image as
it was, a restore brings back the bytes of the snapshot, and uploads go
through libvirt streams and leave nothing when they fail.

Each test works in its own container (a dir pool under /var/tmp) and its own
image catalog (ACLI_STATE_DIR); both are removed afterwards."""

from __future__ import annotations

import hashlib
import http.server
import os
import shutil
import subprocess
import tempfile
import threading
import xml.etree.ElementTree as ET

import pytest
from hosthelpers import drop_pool

pytestmark = pytest.mark.realhost

POOL = "acli-test-pool"


def run(*cmd) -> str:
    done = subprocess.run(cmd, capture_output=True, text=True)
    assert done.returncode == 0, f"{cmd}: {done.stderr}"
    return done.stdout


def virsh(*args) -> str:
    return run("virsh", "-q", "-c", "qemu:///system", *args)


def qemu_io(path, command, force_share=False) -> str:
    """Run one qemu-io command on an image file; fails the test if qemu-io does."""
    args = ["qemu-io", "-f", "qcow2"] + (["-U", "-r"] if force_share else []) + ["-c", command, path]
    done = subprocess.run(args, capture_output=True, text=True)
    assert done.returncode == 0 and "fail" not in done.stdout.lower(), done.stdout + done.stderr
    return done.stdout


def pattern_is(path, byte, length="1M", force_share=False) -> bool:
    args = ["qemu-io", "-f", "qcow2"] + (["-U", "-r"] if force_share else []) + \
        ["-c", f"read -P {byte} 0 {length}", path]
    done = subprocess.run(args, capture_output=True, text=True)
    return done.returncode == 0 and "Pattern verification failed" not in done.stdout + done.stderr


def sha(path) -> str:
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


@pytest.fixture
def store(real_shell, monkeypatch):
    """A private container and image catalog; removed after the test."""
    top = tempfile.mkdtemp(prefix="acli-test-", dir="/var/tmp")
    os.chmod(top, 0o755)  # QEMU runs as libvirt-qemu and must reach the files
    monkeypatch.setenv("ACLI_STATE_DIR", os.path.join(top, "state"))
    pool_dir = os.path.join(top, "pool")
    drop_pool(real_shell.host.conn, POOL)
    real_shell.ok(f"container.create {POOL} path={pool_dir}")
    try:
        yield real_shell, pool_dir, top
    finally:
        try:
            _remove_vms(real_shell.host.conn)
            drop_pool(real_shell.host.conn, POOL)
        finally:
            shutil.rmtree(top, ignore_errors=True)


def _remove_vms(conn):
    import libvirt

    for dom in conn.listAllDomains():
        if dom.name().startswith("acli-test-"):
            if dom.isActive():
                dom.destroy()
            dom.undefineFlags(libvirt.VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA
                              | libvirt.VIR_DOMAIN_UNDEFINE_NVRAM)


def source_image(top, name="src.qcow2", size="32M", pattern=None) -> str:
    path = os.path.join(top, name)
    run("qemu-img", "create", "-q", "-f", "qcow2", path, size)
    if pattern is not None:
        qemu_io(path, f"write -P {pattern} 0 1M")
    return path


def disk_path(sh, vm, addr) -> str:
    root = ET.fromstring(virsh("dumpxml", "--inactive", vm))
    from acli.storage.disks import disks_of

    bus, index = addr.split(".")
    for disk in disks_of(root):
        if disk.bus == bus and disk.index == int(index):
            return disk.path
    raise AssertionError(f"{vm} has no {addr}")


def test_volumes_are_real_files_and_a_vm_boots_with_its_disks(store):
    sh, pool_dir, top = store
    src = source_image(top)
    assert sh.ok(f"image.create acli-test-img source_url={src} container={POOL}") == \
        "acli-test-img: pending\nacli-test-img: complete\n"
    (image_file,) = [f for f in os.listdir(pool_dir) if f.startswith("acli-image-")]
    # uploaded through the stream byte for byte
    assert sha(os.path.join(pool_dir, image_file)) == sha(src)
    sh.ok("vm.create acli-test-s1 memory=64M")
    sh.ok(f"vm.disk_create acli-test-s1 clone_from_image=acli-test-img container={POOL}")
    sh.ok(f"vm.disk_create acli-test-s1 create_size=64M container={POOL}")
    sh.ok("vm.disk_create acli-test-s1 cdrom=true empty=true")
    files = sorted(os.listdir(pool_dir))
    assert len([f for f in files if f.startswith("acli-vmdisk-")]) == 2
    overlay = disk_path(sh, "acli-test-s1", "scsi.0")
    assert os.path.dirname(overlay) == pool_dir and os.path.isfile(overlay)
    info = run("qemu-img", "info", "--output=json", overlay)
    assert os.path.join(pool_dir, image_file) in info and '"format": "qcow2"' in info
    assert sorted(virsh("vol-list", POOL).split()[::2]) == files  # libvirt sees the same files

    sh.ok("vm.on acli-test-s1")
    assert virsh("domstate", "acli-test-s1").strip() == "running"
    live = virsh("domblklist", "acli-test-s1")
    assert overlay in live and disk_path(sh, "acli-test-s1", "scsi.1") in live

    # hot-plug a SCSI disk; IDE is refused with the reason
    sh.ok(f"vm.disk_create acli-test-s1 create_size=16M container={POOL}")
    new = disk_path(sh, "acli-test-s1", "scsi.2")
    assert new in virsh("domblklist", "acli-test-s1")
    status, _, err = sh(f"vm.disk_create acli-test-s1 create_size=16M bus=ide container={POOL}")
    assert status == 1 and "cannot hot-plug IDE" in err
    # grow it live: QEMU and the file agree
    sh.ok("vm.disk_update acli-test-s1 disk_addr=scsi.2 new_size=32M")
    assert '"virtual-size": 33554432' in run("qemu-img", "info", "-U", "--output=json", new)
    # insert and eject a CD-ROM while running
    iso = os.path.join(top, "cd.iso")
    with open(iso, "wb") as f:
        f.write(b"\0" * 0x8001 + b"CD001" + b"\0" * 4096)
    sh.ok(f"image.create acli-test-iso source_url={iso} container={POOL}")
    sh.ok("vm.disk_update acli-test-s1 disk_addr=ide.0 clone_from_image=acli-test-iso")
    assert ".iso" in virsh("domblklist", "acli-test-s1")
    sh.ok("vm.disk_update acli-test-s1 disk_addr=ide.0 empty=true")
    assert ".iso" not in virsh("domblklist", "acli-test-s1")
    # unplug the hot-plugged disk: its file goes
    sh.ok("-y vm.disk_delete acli-test-s1 disk_addr=scsi.2")
    assert new not in virsh("domblklist", "acli-test-s1") and not os.path.exists(new)

    sh.ok("-y vm.delete acli-test-s1")
    left = os.listdir(pool_dir)
    assert sorted(left) == sorted(f for f in files if f.startswith("acli-image-")) + \
        [f for f in left if f.endswith(".iso")] or all(f.startswith("acli-image-") for f in left)
    assert not any(f.startswith("acli-vmdisk-") for f in left)  # its disks went, images stayed


def test_a_clone_from_an_image_does_not_change_the_image(store):
    sh, pool_dir, top = store
    src = source_image(top, pattern="0xaa")
    sh.ok(f"image.create acli-test-img source_url={src} container={POOL}")
    (image_file,) = [os.path.join(pool_dir, f) for f in os.listdir(pool_dir)]
    before = sha(image_file)
    sh.ok("vm.create acli-test-c1 memory=64M")
    sh.ok(f"vm.disk_create acli-test-c1 clone_from_image=acli-test-img container={POOL}")
    overlay = disk_path(sh, "acli-test-c1", "scsi.0")
    assert pattern_is(overlay, "0xaa")  # the clone sees the image's data
    qemu_io(overlay, "write -P 0xbb 0 1M")
    assert pattern_is(overlay, "0xbb")
    sh.ok("vm.on acli-test-c1")
    sh.ok("vm.off acli-test-c1")
    assert sha(image_file) == before and pattern_is(image_file, "0xaa")
    # a second clone starts from the image, not from the first clone
    sh.ok(f"vm.disk_create acli-test-c1 clone_from_image=acli-test-img container={POOL}")
    assert pattern_is(disk_path(sh, "acli-test-c1", "scsi.1"), "0xaa")
    status, _, err = sh("-y image.delete acli-test-img")
    assert status == 1 and "in use by acli-test-c1 scsi.0" in err
    # vm.clone copies the disk with its own data
    sh.ok("vm.clone acli-test-c2 clone_from_vm=acli-test-c1")
    copy = disk_path(sh, "acli-test-c2", "scsi.0")
    assert copy != overlay and pattern_is(copy, "0xbb")
    sh.ok("-y vm.delete acli-test-c1,acli-test-c2")
    assert sha(image_file) == before
    sh.ok("-y image.delete acli-test-img")
    assert os.listdir(pool_dir) == []


def test_a_restore_brings_back_the_bytes(store):
    sh, pool_dir, top = store
    sh.ok("vm.create acli-test-r1 memory=64M")
    sh.ok(f"vm.disk_create acli-test-r1 create_size=32M container={POOL}")
    disk = disk_path(sh, "acli-test-r1", "scsi.0")
    qemu_io(disk, "write -P 0x5a 0 1M")
    sh.ok("vm.snapshot_create acli-test-r1 snapshot_name_list=good")
    assert "good" in virsh("snapshot-list", "acli-test-r1", "--name")
    assert "good" in run("qemu-img", "snapshot", "-l", disk)  # internal: inside the qcow2
    qemu_io(disk, "write -P 0xa5 0 1M")
    assert pattern_is(disk, "0xa5") and not pattern_is(disk, "0x5a")
    sh.ok("vm.restore acli-test-r1 snapshot_name=good")
    assert pattern_is(disk, "0x5a")
    # a clone from the snapshot holds the snapshot's bytes, in its own file
    qemu_io(disk, "write -P 0x11 0 1M")
    sh.ok("vm.clone acli-test-r2 clone_from_snapshot=good")
    copy = disk_path(sh, "acli-test-r2", "scsi.0")
    assert copy != disk and os.path.dirname(copy) == pool_dir and pattern_is(copy, "0x5a")
    sh.ok("-y snapshot.delete good")
    assert "good" not in run("qemu-img", "snapshot", "-l", disk)


def test_a_snapshot_of_a_running_vm_restores_it_running(store):
    sh, pool_dir, top = store
    sh.ok("vm.create acli-test-l1 memory=64M")
    sh.ok(f"vm.disk_create acli-test-l1 create_size=16M container={POOL}")
    sh.ok("vm.on acli-test-l1")
    sh.ok("vm.snapshot_create acli-test-l1 snapshot_name_list=live")
    sh.ok("vm.off acli-test-l1")
    sh.ok("vm.restore acli-test-l1 snapshot_name=live")
    assert virsh("domstate", "acli-test-l1").strip() == "running"
    assert 'vm_state: "kOn"' in sh.ok("snapshot.get live")


def test_uefi_vms_are_refused_plainly(store):
    sh, _, _ = store
    sh.ok("vm.create acli-test-u1 memory=64M uefi_boot=true")
    status, _, err = sh("vm.snapshot_create acli-test-u1 snapshot_name_list=s")
    assert status == 1 and "UEFI" in err and "libvirt 9.0" in err
    assert virsh("snapshot-list", "acli-test-u1", "--name").strip() == ""


def test_a_cut_upload_leaves_no_half_image(store):
    sh, pool_dir, top = store
    src = source_image(top, pattern="0x42")
    body = open(src, "rb").read()

    class Cut(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            full = self.path.endswith("full")
            self.wfile.write(body if full else body[: len(body) // 2])

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Cut)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        status, _, err = sh(f"image.create acli-test-cut source_url={url}/half container={POOL}")
        assert status == 1 and "ended after" in err
        assert os.listdir(pool_dir) == []
        sh.ok(f"image.create acli-test-web source_url={url}/full container={POOL}")
    finally:
        httpd.shutdown()
        httpd.server_close()
    (image_file,) = os.listdir(pool_dir)
    assert sha(os.path.join(pool_dir, image_file)) == sha(src)
    assert "acli-test-web  kDiskImage" in sh.ok("image.list")


def test_the_default_container_is_made_on_first_use(store, monkeypatch):
    sh, _, top = store
    import libvirt

    conn = sh.host.conn
    try:
        existing = conn.storagePoolLookupByName("default-container")
    except libvirt.libvirtError:
        existing = None
    monkeypatch.setenv("ACLI_CONTAINER_ROOT", os.path.join(top, "containers"))
    sh.ok("vm.create acli-test-d1 memory=64M")
    sh.ok("vm.disk_create acli-test-d1 create_size=16M")
    pool = conn.storagePoolLookupByName("default-container")
    path = ET.fromstring(pool.XMLDesc(0)).findtext("target/path")
    assert pool.isActive() and pool.autostart()
    assert disk_path(sh, "acli-test-d1", "scsi.0").startswith(path)
    sh.ok("-y vm.delete acli-test-d1")
    if existing is None:  # made by this test: remove it again
        assert path == os.path.join(top, "containers", "default-container")
        sh.ok("-y container.delete default-container")
        with pytest.raises(libvirt.libvirtError):
            conn.storagePoolLookupByName("default-container")


def test_wait_false_returns_at_once_and_the_image_arrives(store):
    import time

    sh, pool_dir, top = store
    src = source_image(top, pattern="0x33")
    out = sh.ok(f"image.create acli-test-bg source_url={src} container={POOL} wait=false")
    assert out == "acli-test-bg: pending\n"
    deadline = time.monotonic() + 30
    while "acli-test-bg" not in sh.ok("image.list") and time.monotonic() < deadline:
        time.sleep(0.2)
    assert "acli-test-bg  kDiskImage" in sh.ok("image.list")
    (image_file,) = os.listdir(pool_dir)
    assert sha(os.path.join(pool_dir, image_file)) == sha(src)


def test_a_vm_named_with_blanks_and_commas_lives_its_whole_life(store):
    """AHV allows such names; libvirt and QEMU must take them (QEMU's -name is
    comma-separated: libvirt must escape it), and nothing of acli may build a
    path or command line from one."""
    sh, pool_dir, top = store
    name = "acli-test-Prism Central, v2"
    sh.ok(f'vm.create "{name}" memory=64M')
    sh.ok(f'vm.disk_create "{name}" create_size=16M container={POOL}')
    sh.ok(f'vm.on "{name}"')
    assert virsh("domstate", name).strip() == "running"
    sh.ok(f'vm.snapshot_create "{name}" snapshot_name_list="before upgrade"')
    sh.ok(f'vm.off "{name}"')
    sh.ok(f'vm.restore "{name}" snapshot_name="before upgrade"')
    assert virsh("domstate", name).strip() == "running"
    sh.ok('vm.off acli-test-Prism" "*')  # a glob: the quotes hold only the blank
    sh.ok(f'vm.clone "acli-test-copy of {name[10:]}" clone_from_vm="{name}"')
    assert os.listdir(pool_dir) and all(" " not in f for f in os.listdir(pool_dir))
    sh.ok(f'-y vm.delete "{name}","acli-test-copy of {name[10:]}"')
    assert not [d for d in virsh("list", "--all", "--name").splitlines() if "Prism" in d]


def test_deleting_a_container_removes_its_directory(real_shell):
    """libvirt removes a dir pool's directory only once the pool is stopped:
    an empty container's directory goes with it (it used to stay)."""
    top = tempfile.mkdtemp(prefix="acli-test-", dir="/var/tmp")
    name = "acli-test-empty"
    path = os.path.join(top, name)
    try:
        drop_pool(real_shell.host.conn, name)
        real_shell.ok(f"container.create {name} path={path}")
        assert os.path.isdir(path)
        real_shell.ok(f"-y container.delete {name}")
        assert name not in virsh("pool-list", "--all")
        assert not os.path.exists(path)
    finally:
        drop_pool(real_shell.host.conn, name)
        shutil.rmtree(top, ignore_errors=True)
