"""scripts/rig itself: `up` keeps what is healthy and remakes what is broken,
even after a run killed half-way, and `down` leaves no process, namespace,
mount, link or directory behind. Runs after test_rig.py: it stops and
restarts the rig, which ends whatever VMs are on it."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from righelpers import RIG, rig_status

pytestmark = pytest.mark.rig


def rig_cmd(*args, timeout=300) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(RIG), *args], capture_output=True, text=True, timeout=timeout)


def daemon_pids(top: Path, count: int) -> dict[str, int]:
    pids = {}
    for n in range(1, count + 1):
        for f in (f"host{n}/run/libvirt/libvirtd.pid", f"host{n}/run/libvirt/virtlogd.pid",
                  f"host{n}/run/openvswitch/ovsdb-server.pid", f"host{n}/run/openvswitch/ovs-vswitchd.pid"):
            pids[f] = int((top / f).read_text())
    return pids


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False


@pytest.fixture
def top(rig) -> Path:
    return Path(rig["storage"]).parent


def test_up_keeps_a_healthy_rig_and_remakes_a_broken_host(rig, top):
    count = len(rig["host"])
    before = daemon_pids(top, count)
    done = rig_cmd("up", str(count))
    assert done.returncode == 0, done.stderr
    assert daemon_pids(top, count) == before, "up restarted a healthy rig"
    assert "starting" not in done.stderr

    # host 2 loses its libvirtd and its ovs-vswitchd
    for f in ("host2/run/libvirt/libvirtd.pid", "host2/run/openvswitch/ovs-vswitchd.pid"):
        os.kill(before[f], signal.SIGKILL)
    assert rig_status()[0] != 0, "status did not notice a dead host"
    done = rig_cmd("up", str(count))
    assert done.returncode == 0, done.stderr
    assert "starting rig-host2 (" in done.stderr and "starting rig-host1" not in done.stderr
    after = daemon_pids(top, count)
    assert all(after[f] == pid for f, pid in before.items() if f.startswith("host1/"))
    assert all(after[f] != pid for f, pid in before.items() if f.startswith("host2/"))
    assert rig_status()[0] == 0


def test_up_adds_and_removes_hosts(rig, top):
    count = len(rig["host"])
    before = daemon_pids(top, count)
    try:
        done = rig_cmd("up", "3")
        assert done.returncode == 0, done.stderr
        status, info = rig_status()
        assert status == 0 and [h["name"] for h in info["host"]] == ["rig-host1", "rig-host2", "rig-host3"]
        uuids = set()
        for h in info["host"]:
            caps = subprocess.run(["virsh", "-q", "-c", h["uri"], "capabilities"],
                                  capture_output=True, text=True, check=True).stdout
            uuids.add(caps.split("<uuid>")[1].split("</uuid>")[0])
        assert len(uuids) == 3
        assert all(daemon_pids(top, 3)[f] == pid for f, pid in before.items())
        done = rig_cmd("up", "2")
        assert done.returncode == 0, done.stderr
        assert [h["name"] for h in rig_status()[1]["host"]] == ["rig-host1", "rig-host2"]
        assert not os.path.exists("/run/netns/rig-host3") and not (top / "host3").exists()
        assert daemon_pids(top, 2) == {f: p for f, p in before.items() if not f.startswith("host3/")}
    finally:
        rig_cmd("up", str(count))


def traces(top: Path) -> list[str]:
    """What a rig could leave behind: namespaces, mounts, links, processes, files."""
    found = [f"netns {n}" for n in os.listdir("/run/netns") if n.startswith("rig-")] \
        if os.path.isdir("/run/netns") else []
    found += [f"mount {line.split()[4]}" for line in Path("/proc/self/mountinfo").read_text().splitlines()
              if line.split()[4].startswith(str(top))]
    links = subprocess.run(["ip", "-o", "link"], capture_output=True, text=True).stdout
    found += [f"link {w}" for w in links.split() if w.rstrip(":").split("@")[0] in
              {"phys", "mgmt", "h1-eth1", "h2-eth1", "h3-eth1", "h1-mgmt", "h2-mgmt", "h3-mgmt"}]
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if str(top) in cmd and "pytest" not in cmd:
            found.append(f"process {pid} {cmd[:80]}")
    if top.exists():
        found.append(f"directory {top}")
    return found


def test_down_leaves_nothing_and_up_recovers_from_a_killed_run(rig, top):
    count = len(rig["host"])
    done = rig_cmd("down")
    assert done.returncode == 0, done.stderr
    assert traces(top) == []
    assert rig_status()[0] != 0
    done = rig_cmd("down")                      # down twice is fine
    assert done.returncode == 0, done.stderr

    # an up killed part-way (as a CI run can be): the next up still works
    half = subprocess.Popen(["bash", str(RIG), "up", str(count)], start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.5)
    os.killpg(half.pid, signal.SIGKILL)
    half.wait()
    done = rig_cmd("up", str(count))
    assert done.returncode == 0, done.stderr
    status, info = rig_status()
    assert status == 0 and [h["name"] for h in info["host"]] == [h["name"] for h in rig["host"]]
    # and what up reports answers
    for h in info["host"]:
        subprocess.run(["virsh", "-q", "-c", h["uri"], "version"], check=True, capture_output=True)
