"""Copies of container files and VMs moved between containers on the real
host: the copies are real qcow2 files holding the source's data
(qemu-img compare), links out of a container and files that are not
regular are refused leaving nothing, and a moved VM boots from its new
files while the old ones are gone."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from hosthelpers import drop_pool
from test_storage_real import POOL, disk_path, qemu_io, run, source_image
from test_storage_real import store  # noqa: F401 (the fixture)

pytestmark = pytest.mark.realhost

POOL2 = "acli-test-pool2"


@pytest.fixture
def two_stores(store):  # noqa: F811
    sh, pool_dir, top = store
    pool2_dir = os.path.join(top, "pool2")
    drop_pool(sh.host.conn, POOL2)
    sh.ok(f"container.create {POOL2} path={pool2_dir}")
    try:
        yield sh, pool_dir, pool2_dir, top
    finally:
        from test_storage_real import _remove_vms

        _remove_vms(sh.host.conn)  # before their container goes
        # libvirt deletes neither a directory that holds files nor a link to one
        for top_dir in (pool_dir, pool2_dir):
            for entry in os.scandir(top_dir):
                if entry.is_symlink():
                    os.unlink(entry.path)
                elif entry.is_dir():
                    shutil.rmtree(entry.path)
        drop_pool(sh.host.conn, POOL2)


def identical(first, first_fmt, second, second_fmt) -> bool:
    """qemu-img compare: the two images show a guest the same bytes."""
    done = subprocess.run(["qemu-img", "compare", "-f", first_fmt, "-F", second_fmt, first, second],
                          capture_output=True, text=True)
    return done.returncode == 0 and "Images are identical" in done.stdout


def _raw_file(path, size=8 << 20, at=1 << 20, byte=0x3C, length=1 << 20):
    with open(path, "wb") as f:
        f.truncate(size)
        f.seek(at)
        f.write(bytes([byte]) * length)


def test_a_container_file_becomes_a_qcow2_disk_with_its_data(two_stores):
    sh, pool_dir, pool2_dir, _ = two_stores
    os.makedirs(os.path.join(pool_dir, "uploads"))
    raw = os.path.join(pool_dir, "uploads", "app.raw")
    _raw_file(raw)
    qcow = source_image(pool_dir, "uploads/app.qcow2", size="16M", pattern="0x5a")
    sh.ok("vm.create acli-test-a1 memory=64M")
    sh.ok(f"vm.disk_create acli-test-a1 clone_from_adsf_file=/{POOL}/uploads/app.raw "
          f"container={POOL2}")
    sh.ok(f"vm.disk_create acli-test-a1 clone_from_adsf_file=/{POOL}//uploads/app.qcow2 "
          f"container={POOL}")
    first, second = disk_path(sh, "acli-test-a1", "scsi.0"), disk_path(sh, "acli-test-a1", "scsi.1")
    assert os.path.dirname(first) == pool2_dir and os.path.dirname(second) == pool_dir
    for path in (first, second):
        assert '"format": "qcow2"' in run("qemu-img", "info", "--output=json", path)
    assert identical(raw, "raw", first, "qcow2")
    assert identical(qcow, "qcow2", second, "qcow2")
    assert '"backing-filename"' not in run("qemu-img", "info", "--output=json", second)
    # libvirt sees the copies as volumes; the VM boots with them
    assert os.path.basename(first) in run("virsh", "-q", "-c", "qemu:///system", "vol-list", POOL2)
    sh.ok("vm.on acli-test-a1")


def test_links_out_of_a_container_and_files_that_are_not_regular_are_refused(two_stores):
    sh, pool_dir, _, top = two_stores
    secret = os.path.join(top, "outside.raw")
    _raw_file(secret)
    os.symlink(secret, os.path.join(pool_dir, "escape.raw"))
    os.symlink("../outside.raw", os.path.join(pool_dir, "relative.raw"))
    os.symlink(top, os.path.join(pool_dir, "up"))
    os.symlink(pool_dir, os.path.join(pool_dir, "self"))
    os.mkfifo(os.path.join(pool_dir, "fifo"))
    os.mkdir(os.path.join(pool_dir, "dir"))
    inside = os.path.join(pool_dir, "inside.raw")
    _raw_file(inside, byte=0x77)
    os.symlink("inside.raw", os.path.join(pool_dir, "alias.raw"))
    backed = os.path.join(pool_dir, "overlay.qcow2")
    run("qemu-img", "create", "-q", "-f", "qcow2", "-b", secret, "-F", "raw", backed)
    sh.ok("vm.create acli-test-a2 memory=64M")
    before = sorted(os.listdir(pool_dir))
    refusals = {
        "escape.raw": (2, "leads outside container acli-test-pool (a symbolic link)"),
        "relative.raw": (2, "leads outside container acli-test-pool (a symbolic link)"),
        "up/outside.raw": (2, "leads outside container acli-test-pool (a symbolic link)"),
        "self": (2, "leads outside container acli-test-pool (a symbolic link)"),
        "fifo": (2, "is not a regular file"),
        "dir": (2, "is a directory"),
        "missing.raw": (1, "container acli-test-pool has no file missing.raw"),
        "overlay.qcow2": (2, "is a qcow2 that reads a backing file"),
    }
    for name, (status, said) in refusals.items():
        got, _, err = sh(f"vm.disk_create acli-test-a2 clone_from_adsf_file=/{POOL}/{name}")
        assert got == status and said in err and err.count("\n") == 1, (name, err)
    assert sorted(os.listdir(pool_dir)) == before  # nothing made
    assert sh.ok("vm.disk_list acli-test-a2") == "Device bus  Device index\n"
    # a link that stays inside the container is followed
    sh.ok(f"vm.disk_create acli-test-a2 clone_from_adsf_file=/{POOL}/alias.raw "
          f"container={POOL}")
    assert identical(inside, "raw", disk_path(sh, "acli-test-a2", "scsi.0"), "qcow2")


def test_a_file_a_running_vm_writes_is_refused(two_stores):
    sh, _, pool2_dir, _ = two_stores
    sh.ok("vm.create acli-test-a3,acli-test-a4 memory=64M")
    sh.ok(f"vm.disk_create acli-test-a3 create_size=64M container={POOL}")
    path = disk_path(sh, "acli-test-a3", "scsi.0")
    sh.ok("vm.on acli-test-a3")
    status, _, err = sh(f"vm.disk_create acli-test-a4 clone_from_adsf_file=/{POOL}/"
                        f"{os.path.basename(path)} container={POOL2}")
    assert status == 1
    assert err.endswith("a running VM is writing it; power that VM off first\n"), err
    assert os.listdir(pool2_dir) == []


def test_a_moved_vm_boots_from_copies_holding_its_data(two_stores):
    sh, pool_dir, pool2_dir, top = two_stores
    sh.ok(f"image.create acli-test-base source_url={source_image(top, pattern='0x11')} "
          f"container={POOL}")
    sh.ok("vm.create acli-test-m1 memory=64M")
    sh.ok(f"vm.disk_create acli-test-m1 clone_from_image=acli-test-base container={POOL}")
    sh.ok(f"vm.disk_create acli-test-m1 create_size=64M container={POOL} bus=pci")
    old = [disk_path(sh, "acli-test-m1", a) for a in ("scsi.0", "pci.0")]
    qemu_io(old[0], "write -P 0x22 1M 1M")  # over the image's bytes
    qemu_io(old[1], "write -P 0x33 0 2M")
    # what a guest reads from each disk now, kept aside to compare with
    refs = []
    for i, path in enumerate(old):
        ref = os.path.join(top, f"ref{i}.raw")
        run("qemu-img", "convert", "-O", "raw", path, ref)
        refs.append(ref)

    sh.ok("vm.on acli-test-m1")
    status, _, err = sh(f"vm.update_container acli-test-m1 container={POOL2}")
    assert status == 1 and "is on; power it off" in err
    assert all(os.path.exists(p) for p in old)
    sh.ok("vm.off acli-test-m1")

    assert sh.ok(f"vm.update_container acli-test-m1 container={POOL2}") == "acli-test-m1: complete\n"
    new = [disk_path(sh, "acli-test-m1", a) for a in ("scsi.0", "pci.0")]
    assert [os.path.dirname(p) for p in new] == [pool2_dir, pool2_dir]
    assert [os.path.basename(p) for p in new] == [os.path.basename(p) for p in old]
    for ref, path in zip(refs, new):
        assert identical(ref, "raw", path, "qcow2")
    assert not any(os.path.exists(p) for p in old)  # the old files are gone
    assert '"backing-filename"' not in run("qemu-img", "info", "--output=json", new[0])
    sh.ok("vm.on acli-test-m1")
    blk = run("virsh", "-q", "-c", "qemu:///system", "domblklist", "acli-test-m1")
    assert all(p in blk for p in new)
