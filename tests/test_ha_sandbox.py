"""HA on a sandbox cluster (docs/ha.md): settings kept on every host's
OVSDB, admission control on migration, the watcher's failover order, and
failover switched off. (Command output is in transcripts/cluster/ha.t; the
real proof, with leases, is tests/rig/test_ha_rig.py.)"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def run(*words, sandbox):
    return subprocess.run([sys.executable, "-m", "acli", f"--sandbox={sandbox}", *words],
                          capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)


def watcher(sandbox):
    return subprocess.run([sys.executable, "-m", "acli.ha_agent", "once", "--sandbox", sandbox],
                          capture_output=True, text=True, timeout=120)


@pytest.fixture
def cluster(tmp_path):
    folder = str(tmp_path / "c")
    done = subprocess.run([sys.executable, "-m", "acli", f"--sandbox={folder}", "--hosts", "3",
                           "host.list"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return folder


def ovsdb_ids(folder, n) -> str:
    from acli.hosts.sandbox import SandboxHost

    remote = SandboxHost(os.path.join(folder, f"host{n}")).ovsdb_remote()
    done = subprocess.run(["ovs-vsctl", f"--db={remote}", "get",
                           "Open_vSwitch", ".", "external_ids"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_settings_are_on_every_host(cluster):
    assert run("ha.update", "num_host_failures_to_tolerate=2", sandbox=cluster).returncode == 0
    for n in (1, 2, 3):
        assert '"num_host_failures_to_tolerate": 2' in ovsdb_ids(cluster, n).replace('\\"', '"')
    record = run("ha.get", sandbox=cluster).stdout
    assert "num_host_failures_to_tolerate: 2" in record


def test_admission_control_refuses_a_power_on_that_breaks_the_reserve(cluster):
    """Three hosts of 64 GiB tolerating one failure can run 128 GiB: what
    the two others could take if the third failed."""
    assert run("ha.update", "num_host_failures_to_tolerate=1", sandbox=cluster).returncode == 0
    assert run("vm.create", "a,b,c", "memory=40G", sandbox=cluster).returncode == 0
    assert run("vm.on", "a,b,c", sandbox=cluster).returncode == 0
    assert run("vm.create", "d", "memory=16G", sandbox=cluster).returncode == 0
    done = run("vm.on", "d", sandbox=cluster)
    assert done.returncode == 1 and "HA admission control" in done.stderr, done.stderr
    assert "8192 MB missing" in done.stderr, done.stderr
    assert "d " not in run("vm.list", "power_state=on", sandbox=cluster).stdout
    assert "kUnderProvisioned" not in run("ha.get", sandbox=cluster).stdout
    assert run("ha.update", "num_host_failures_to_tolerate=0", sandbox=cluster).returncode == 0
    assert run("vm.on", "d", sandbox=cluster).returncode == 0
    assert run("ha.update", "num_host_failures_to_tolerate=1", sandbox=cluster).returncode == 0
    record = run("ha.get", sandbox=cluster).stdout
    assert 'ha_state: "kUnderProvisioned"' in record and "memory_missing_mb: 8192" in record


def test_failover_goes_by_priority_and_can_be_switched_off(cluster):
    assert run("vm.create", "p1,p2,p3", "memory=1G", sandbox=cluster).returncode == 0
    for name, priority in (("p1", 1), ("p2", 7), ("p3", 3)):
        assert run("vm.update", name, f"ha_priority={priority}", sandbox=cluster).returncode == 0
    assert run("vm.on", "p1,p2,p3", "host=host2", sandbox=cluster).returncode == 0
    assert watcher(cluster).returncode == 0  # records what runs where
    assert "acli-ha-vm." in ovsdb_ids(cluster, 3)  # on every answering host
    assert run("ha.update", "enable_failover=false", sandbox=cluster).returncode == 0
    open(os.path.join(cluster, "host2", "down"), "w").close()
    done = watcher(cluster)
    assert "failover is off" in done.stdout and "running on" not in done.stdout
    assert run("vm.list", "power_state=on", sandbox=cluster).stdout.count("\n") == 1
    assert run("ha.update", "enable_failover=true", sandbox=cluster).returncode == 0
    done = watcher(cluster)
    assert done.returncode == 0, done.stdout + done.stderr
    restarted = [line.split(":")[0] for line in done.stdout.splitlines() if "running on" in line]
    assert restarted == ["p2", "p3", "p1"], done.stdout
    on = run("vm.list", "power_state=on", sandbox=cluster).stdout
    assert all(name in on for name in ("p1", "p2", "p3"))
    # back: the stale copies go, and each VM is defined once in the cluster
    os.unlink(os.path.join(cluster, "host2", "down"))
    done = watcher(cluster)
    assert done.stdout.count("stale copy on host2 was removed") == 3, done.stdout
    listing = run("vm.list", sandbox=cluster).stdout.split()
    assert sorted(n for n in listing if n.startswith("p")) == ["p1", "p2", "p3"]
    assert "VMs" in run("host.list", sandbox=cluster).stdout
