"""Thin containers on the real host: a disk larger than its container is a
small qcow2 file, the sandbox's accounting of it is what the host writes,
and only what does not fit on the file system is refused."""

from __future__ import annotations

import os
import re

import pytest
from test_storage_input_real import small_container  # noqa: F401 (the fixture)
from test_storage_real import disk_path, qemu_io, run
from test_storage_real import store  # noqa: F401 (the fixture)

pytestmark = pytest.mark.realhost


def _field(record: str, key: str) -> int:
    return int(re.search(rf"^  {key}: (\d+)$", record, re.M).group(1))


def test_a_16_mib_container_holds_a_500_gib_disk(small_container):  # noqa: F811
    from acli.storage.thin import qcow2_metadata_bytes

    sh, mount, _ = small_container
    sh.ok("vm.create acli-test-t1 memory=64M")
    assert sh.ok("vm.disk_create acli-test-t1 create_size=500G container=acli-test-small") == \
        "DiskCreate: complete\n"
    path = disk_path(sh, "acli-test-t1", "scsi.0")
    assert path.startswith(f"{mount}/pool/")
    info = run("qemu-img", "info", "--output=json", path)
    assert '"virtual-size": 536870912000' in info
    # the bytes the sandbox accounts for such a disk are the bytes qemu-img wrote
    assert os.stat(path).st_size == qcow2_metadata_bytes(500 << 30)
    record = sh.ok("container.get acli-test-small")
    assert _field(record, "provisioned_bytes") == 500 << 30
    assert _field(record, "used_bytes") < 1 << 20
    assert _field(record, "capacity_bytes") == 16 << 20


def test_a_copy_that_does_not_fit_is_refused_and_leaves_nothing(small_container):  # noqa: F811
    sh, mount, _ = small_container
    sh.ok("vm.create acli-test-t2 memory=64M")
    sh.ok("vm.disk_create acli-test-t2 create_size=1G container=acli-test-small")
    qemu_io(disk_path(sh, "acli-test-t2", "scsi.0"), "write -P 0x5a 0 10M")
    sh.ok("vm.create acli-test-t3 memory=64M")
    before = sorted(os.listdir(f"{mount}/pool"))
    status, _, err = sh("vm.disk_create acli-test-t3 clone_from_vmdisk=vm:acli-test-t2:scsi.0 "
                        "container=acli-test-small")
    assert status == 1 and err.count("\n") == 1
    assert err.startswith("Error: container acli-test-small has not enough free space: ")
    assert sorted(os.listdir(f"{mount}/pool")) == before
    assert sh.ok("vm.disk_list acli-test-t3") == "Device bus  Device index\n"


def test_a_size_qcow2_cannot_hold_is_refused_as_on_the_sandbox(small_container):  # noqa: F811
    sh, mount, _ = small_container
    sh.ok("vm.create acli-test-t4 memory=64M")
    status, _, err = sh("vm.disk_create acli-test-t4 create_size=4096T container=acli-test-small")
    assert status == 2
    assert err == ("Error: Bad value for create_size: 4503599627370496 bytes is more than a qcow2 "
                   "disk can hold (2251799813685248 bytes, 2 PiB)\n")
    assert os.listdir(f"{mount}/pool") == []


def test_an_image_from_a_vm_disk_holds_its_bytes_and_needs_nothing_else(store):  # noqa: F811
    from test_storage_real import POOL, pattern_is, source_image

    sh, pool_dir, top = store
    sh.ok(f"image.create acli-test-base source_url={source_image(top, pattern='0x11')} "
          f"container={POOL}")
    sh.ok("vm.create acli-test-i1 memory=64M")
    sh.ok(f"vm.disk_create acli-test-i1 clone_from_image=acli-test-base container={POOL}")
    disk = disk_path(sh, "acli-test-i1", "scsi.0")
    qemu_io(disk, "write -P 0x22 1M 1M")  # the disk's own bytes, over the image's
    sh.ok(f"image.create acli-test-golden clone_from_vmdisk=vm:acli-test-i1:scsi.0 container={POOL}")
    uuid = re.search(r"^  uuid: \"([0-9a-f-]{36})\"$", sh.ok("image.get acli-test-golden"), re.M).group(1)
    path = os.path.join(pool_dir, f"acli-image-{uuid}.qcow2")
    info = run("qemu-img", "info", "--output=json", path)
    assert '"backing-filename"' not in info  # flattened
    assert pattern_is(path, "0x11", "1M") and qemu_io(path, "read -P 0x22 1M 1M")
    # a VM's disk cloned from the new image reads the same bytes
    sh.ok("vm.create acli-test-i2 memory=64M")
    sh.ok(f"vm.disk_create acli-test-i2 clone_from_image=acli-test-golden container={POOL}")
    assert qemu_io(disk_path(sh, "acli-test-i2", "scsi.0"), "read -P 0x22 1M 1M")
