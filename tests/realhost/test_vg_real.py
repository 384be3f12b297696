"""Volume groups on QEMU: the group's raw disks are opened for writing by
several running VMs at once (QEMU's image locking refuses a second writer
unless libvirt marks the disk shareable), and attach, detach and a new
disk reach running VMs."""

from __future__ import annotations

import os

import pytest
from test_storage_real import POOL, run, virsh
from test_storage_real import store  # noqa: F401 (the fixture)

pytestmark = pytest.mark.realhost


def _group_disks(pool_dir):
    return sorted(os.path.join(pool_dir, f) for f in os.listdir(pool_dir)
                  if f.startswith("acli-vgdisk-"))


def test_two_running_vms_share_a_group_and_changes_reach_them_live(store):  # noqa: F811
    sh, pool_dir, _ = store
    sh.ok("vm.create acli-test-g1,acli-test-g2,acli-test-g3 memory=64M")
    sh.ok(f"vg.create acli-test-vg container={POOL}")
    sh.ok("vg.disk_create acli-test-vg create_size=16M")
    (first,) = _group_disks(pool_dir)
    assert '"format": "raw"' in run("qemu-img", "info", "--output=json", first)
    assert os.stat(first).st_blocks == 0  # sparse: nothing written yet
    sh.ok("vg.attach_to_vm acli-test-vg acli-test-g1")
    sh.ok("vg.attach_to_vm acli-test-vg acli-test-g2")
    sh.ok("vm.on acli-test-g1,acli-test-g2")  # two QEMUs hold the file for writing
    for vm in ("acli-test-g1", "acli-test-g2"):
        assert virsh("domstate", vm).strip() == "running"
        assert first in virsh("domblklist", vm)
    # a new disk of the group is hot-plugged into both
    sh.ok("vg.disk_create acli-test-vg create_size=16M")
    second = [p for p in _group_disks(pool_dir) if p != first][0]
    for vm in ("acli-test-g1", "acli-test-g2"):
        assert second in virsh("domblklist", vm)
    # attach to a third running VM, and detach from it, live
    sh.ok("vm.on acli-test-g3")
    sh.ok("vg.attach_to_vm acli-test-vg acli-test-g3")
    live = virsh("domblklist", "acli-test-g3")
    assert first in live and second in live
    sh.ok("vg.detach_from_vm acli-test-vg acli-test-g3")
    live = virsh("domblklist", "acli-test-g3")
    assert first not in live and second not in live
    assert os.path.exists(first) and os.path.exists(second)  # the group's, not the VM's
    # a running VM's delete leaves the group's disks
    sh.ok("-y vm.delete acli-test-g2")
    assert _group_disks(pool_dir) == sorted([first, second])
    status, _, err = sh("-y vg.delete acli-test-vg")
    assert status == 1 and "attached to acli-test-g1" in err
    sh.ok("vm.off acli-test-g1")
    sh.ok("vg.detach_from_vm acli-test-vg acli-test-g1")
    sh.ok("-y vg.delete acli-test-vg")
    assert not any(f.startswith("acli-vg") for f in os.listdir(pool_dir))
