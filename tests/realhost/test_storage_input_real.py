"""What users give the real host's storage commands, taken as text and never
as a command line or a path: snapshot names reaching qemu-img, image names
of background uploads; a container that fills up half-way; a directory a
container is made in keeps its mode."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import time

import pytest
from httphelpers import Server, handler
from test_storage_real import POOL, disk_path, pattern_is, qemu_io, source_image
from test_storage_real import store  # noqa: F401 (the fixture)

pytestmark = pytest.mark.realhost


def _wait_listed(sh, names, timeout=30.0) -> str:
    deadline = time.monotonic() + timeout
    while True:
        listing = sh.ok("image.list")
        if all(name in listing for name in names) or time.monotonic() > deadline:
            return listing
        time.sleep(0.2)


def test_a_clone_from_a_snapshot_copies_that_snapshot_whatever_its_name(store):  # noqa: F811
    sh, _, _ = store
    sh.ok("vm.create acli-test-n1 memory=64M")
    sh.ok(f"vm.disk_create acli-test-n1 create_size=16M container={POOL}")
    disk = disk_path(sh, "acli-test-n1", "scsi.0")
    for pattern, name in (("0x01", "acli-test-p1"), ("0x02", "evil,snapshot.name=acli-test-p1"),
                          ("0x03", "acli-test,b")):
        qemu_io(disk, f"write -P {pattern} 0 1M")
        sh.ok(f'vm.snapshot_create acli-test-n1 snapshot_name_list="{name}"')
    # qemu-img reads "snapshot.name=evil,snapshot.name=acli-test-p1" as two
    # options unless the comma is doubled: the clone would hold p1's bytes
    sh.ok('vm.clone acli-test-n2 clone_from_snapshot="evil,snapshot.name=acli-test-p1"')
    assert pattern_is(disk_path(sh, "acli-test-n2", "scsi.0"), "0x02")
    sh.ok('vm.clone acli-test-n3 clone_from_snapshot="acli-test,b"')
    assert pattern_is(disk_path(sh, "acli-test-n3", "scsi.0"), "0x03")


def test_snapshot_names_are_refused_as_on_the_sandbox(store):  # noqa: F811
    sh, _, _ = store
    sh.ok("vm.create acli-test-n4 memory=64M")
    sh.ok(f"vm.disk_create acli-test-n4 create_size=16M container={POOL}")
    status, _, err = sh("vm.snapshot_create acli-test-n4 snapshot_name_list=.hidden")
    assert status == 2
    assert err == ("Error: Bad value for snapshot_name_list: '.hidden' is not a valid snapshot "
                   "name (1 to 64 printable characters, not starting with '.', no '/')\n")


def test_background_uploads_take_any_image_name_and_make_no_path_of_it(store):  # noqa: F811
    sh, _, top = store
    src = source_image(top)
    names = ["../acli-test-up", "/acli-test-abs", "acli test blanks", "acli#hash"]
    for name in names:
        out = sh.ok(f'image.create "{name}" source_url={src} container={POOL} wait=false')
        assert out == f"{name}: pending\n"
    listing = _wait_listed(sh, names)
    for name in names:
        assert re.search(rf"^{re.escape(name)} +kDiskImage ", listing, re.M), listing
    state = os.environ["ACLI_STATE_DIR"]
    assert sorted(os.listdir(top)) == ["pool", "src.qcow2", "state"]
    assert sorted(os.listdir(state)) == ["images.json", "images.lock", "uploads"]
    uploads = os.path.join(state, "uploads")
    assert stat.S_IMODE(os.stat(uploads).st_mode) == 0o700
    for log in os.listdir(uploads):
        assert log.endswith(".log") and len(log) == len("00000000-0000-0000-0000-000000000000.log")
        assert stat.S_IMODE(os.stat(os.path.join(uploads, log)).st_mode) == 0o600


def test_a_failed_background_upload_is_reported_by_image_list_and_get(store):  # noqa: F811
    sh, _, top = store
    server = Server(handler(b"x" * 1000))
    try:
        sh.ok(f"image.create acli-test-lost source_url={server.url}/missing container={POOL} "
              "wait=false")
        deadline = time.monotonic() + 30
        while True:
            status, out, err = sh("image.list")
            if "failed" in err or time.monotonic() > deadline:
                break
            time.sleep(0.2)
    finally:
        server.close()
    assert status == 0 and "acli-test-lost" not in out
    note, = err.splitlines()
    assert note.startswith("note: the background upload of image acli-test-lost failed at ")
    assert f"source_url: {server.url}/missing: HTTP 404 Not Found (log: " in note
    log = note.rsplit("(log: ", 1)[1].rstrip(")")
    assert "Error: source_url: " in open(log).read()
    status, _, err = sh("image.get acli-test-lost")
    assert status == 1 and err.startswith("Error: Unknown name: acli-test-lost; the background")
    # a new upload of the name replaces the failure
    sh.ok(f"image.create acli-test-lost source_url={source_image(top)} container={POOL}")
    assert sh("image.list")[2] == ""


@pytest.fixture
def small_container(store):  # noqa: F811
    """A container on a 16 MiB file system."""
    sh, _, top = store
    mount = os.path.join(top, "small")
    os.makedirs(mount)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m,mode=0755", "tmpfs", mount], check=True)
    try:
        sh.ok(f"container.create acli-test-small path={mount}/pool")
        yield sh, mount, top
    finally:
        from hosthelpers import drop_pool

        drop_pool(sh.host.conn, "acli-test-small")
        subprocess.run(["umount", mount], check=True)


def test_an_image_larger_than_the_container_is_refused_in_one_line(small_container):
    sh, mount, top = small_container
    src = os.path.join(top, "big.raw")
    with open(src, "wb") as f:
        f.write(os.urandom(24 << 20))
    status, _, err = sh(f"image.create acli-test-big source_url={src} container=acli-test-small")
    assert status == 1
    assert err == ("Error: container acli-test-small has not enough free space: 24 MiB "
                   "(25165824 bytes) asked for, 16 MiB (16777216 bytes) free\n")
    assert os.listdir(os.path.join(mount, "pool")) == []


def test_a_container_that_fills_up_during_an_upload_says_so_in_one_line(small_container):
    sh, mount, top = small_container
    # 12 MiB written behind libvirt's back: the pool still says 16 MiB free
    with open(os.path.join(mount, "filler"), "wb") as f:
        f.write(b"\1" * (12 << 20))
    src = os.path.join(top, "mid.raw")
    with open(src, "wb") as f:
        f.write(os.urandom(8 << 20))
    status, _, err = sh(f"image.create acli-test-mid source_url={src} container=acli-test-small")
    assert status == 1
    assert err.startswith("Error: container acli-test-small has not enough free space: 8 MiB "
                          "(8388608 bytes) asked for, ") and err.count("\n") == 1
    assert os.listdir(os.path.join(mount, "pool")) == []


def test_a_container_made_in_an_existing_directory_leaves_its_mode(store):  # noqa: F811
    sh, _, top = store
    existing = os.path.join(top, "mine")
    os.makedirs(existing, mode=0o750)
    os.chmod(existing, 0o750)
    try:
        sh.ok(f"container.create acli-test-mine path={existing}")
        assert stat.S_IMODE(os.stat(existing).st_mode) == 0o750
        sh.ok(f"container.create acli-test-new path={top}/new")
        assert stat.S_IMODE(os.stat(f"{top}/new").st_mode) == 0o755  # QEMU must reach it
    finally:
        from hosthelpers import drop_pool

        drop_pool(sh.host.conn, "acli-test-mine")
        drop_pool(sh.host.conn, "acli-test-new")
