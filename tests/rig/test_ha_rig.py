"""High availability on the rig (docs/ha.md): the watcher (`acli-ha watch`)
restarts a killed host's VMs on the other host, highest priority first,
with their ports on their VLAN; and a host cut off from management while
its guests keep running does not get its VMs started twice: libvirt's lock
manager (virtlockd leases in a directory every host shares) refuses it."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time

import pytest
from test_cluster_rig import NETWORK, acli, cluster_file, mac_of, port_with_mac  # noqa: F401
from test_rig import PREFIX, Guest, Host, clean, hosts, image, pools, start_guest  # noqa: F401
from waiting import wait_until

pytestmark = pytest.mark.rig

FAILOVER_TIMEOUT = 5  # seconds the watcher lets a host be silent


def start_disk_guest(host: Host, image: dict, rig: dict, name: str, ip: str,
                     pool: str) -> Guest:
    """The tiny guest with a raw disk on the shared storage (what its lease
    covers) and a NIC on NETWORK."""
    host.virsh("vol-create-as", pool, f"{name}.img", "4M", "--format", "raw")
    disk = host.virsh("vol-path", "--pool", pool, f"{name}.img")
    return start_guest(host, image, rig, name, None, ip, disk=disk, network=NETWORK)


class Watcher:
    def __init__(self, cluster_file: str, tmp_path):
        self.log_path = tmp_path / "acli-ha.log"
        self.out = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "acli.ha_agent", "watch", "--cluster", cluster_file,
             "--interval", "1", "--timeout", str(FAILOVER_TIMEOUT)],
            stdout=self.out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)

    def log(self) -> str:
        return self.log_path.read_text()

    def stop(self):
        self.proc.send_signal(signal.SIGINT)
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.out.close()


@pytest.fixture
def watcher(cluster_file, tmp_path):  # noqa: F811
    w = Watcher(cluster_file, tmp_path)
    yield w
    w.stop()
    print(f"\nacli-ha said:\n{w.log()}")


def host_pids(rig: dict, n: int) -> list[int]:
    out = subprocess.run(["ip", "netns", "pids", f"rig-host{n}"], capture_output=True, text=True)
    return [int(p) for p in out.stdout.split()]


def daemon_pid(rig: dict, n: int, path: str) -> int:
    base = os.path.dirname(rig["host"][n - 1]["uri"].split("socket=")[1])  # .../run/libvirt
    return int(open(os.path.join(os.path.dirname(base), path)).read())


def recorded(host: Host) -> set[str]:
    ids = host.vsctl("get", "Open_vSwitch", ".", "external_ids")
    return set(re.findall(r"acli-ha-vm\.([0-9a-f-]{36})=", ids))


def uuid_of(host: Host, name: str) -> str:
    return host.virsh("domuuid", name)


def restore_rig():
    done = subprocess.run(["bash", "scripts/rig", "up"], capture_output=True, text=True,
                          cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))))
    assert done.returncode == 0, done.stderr


def test_a_killed_hosts_vms_restart_elsewhere_by_priority(hosts, image, rig, pools,  # noqa: F811
                                                         cluster_file, watcher):
    survivor, victim = hosts[0], hosts[1]
    acli(cluster_file, "net.create", NETWORK, "vlan=10", "vswitch_name=br0")
    guests = {}
    for name, ip, priority in (("lo", "41", 1), ("hi", "42", 9), ("mid", "43", 5)):
        guests[name] = start_disk_guest(victim, image, rig, f"{PREFIX}{name}", f"198.51.100.{ip}",
                                   pools)
        acli(cluster_file, "vm.update", f"{PREFIX}{name}", f"ha_priority={priority}")
    for g in guests.values():
        g.wait_ready(victim)
    macs = {name: mac_of(victim, g.name) for name, g in guests.items()}
    uuids = {uuid_of(victim, g.name) for g in guests.values()}
    assert wait_until(lambda: uuids <= recorded(survivor), 20), watcher.log()

    killed = time.monotonic()
    try:
        for pid in host_pids(rig, 2):  # the whole host: QEMUs, libvirtd, virtlockd, OVS
            os.kill(pid, signal.SIGKILL)
        names = [g.name for g in guests.values()]
        assert wait_until(lambda: sorted(survivor.domains()) == sorted(names), 90), \
            f"{survivor.virsh('list', '--all')}\n{watcher.log()}"
        took = time.monotonic() - killed
        # highest priority first, as the watcher reports them (once all are up)
        assert wait_until(lambda: watcher.log().count(": running on ") == 3, 20), watcher.log()
        order = [m.group(1) for m in re.finditer(rf"^{PREFIX}(\w+): running on ", watcher.log(),
                                                  re.M)]
        assert order == ["hi", "mid", "lo"], watcher.log()
        for name, g in guests.items():
            port = port_with_mac(survivor, macs[name])
            assert port and survivor.vsctl("get", "Port", port, "tag") == "10", name
        # the guests booted again on the survivor (a cold restart: their host died)
        assert all(wait_until(lambda g=g: g.log().count(g.ready) == 2, 90)
                   for g in guests.values()), [g.log()[-500:] for g in guests.values()]
        listing = acli(cluster_file, "host.list").stdout
        assert "NotAnswering" in next(l for l in listing.splitlines() if victim.name in l)
        print(f"\nfailover: {took:.1f} s from killing {victim.name} to all three running on "
              f"{survivor.name} (watcher: --interval 1 --timeout {FAILOVER_TIMEOUT})")
    finally:
        restore_rig()


def test_a_host_cut_off_from_management_does_not_get_its_vms_started_twice(  # noqa: F811
        hosts, image, rig, pools, cluster_file, watcher):
    survivor, victim = hosts[0], hosts[1]
    acli(cluster_file, "net.create", NETWORK, "vlan=10", "vswitch_name=br0")
    guest = start_disk_guest(victim, image, rig, f"{PREFIX}solo", "198.51.100.44", pools)
    guest.wait_ready(victim)
    assert wait_until(lambda: uuid_of(victim, guest.name) in recorded(survivor), 20)
    # management gone (libvirtd and OVSDB frozen); QEMU and virtlockd run on
    frozen = [daemon_pid(rig, 2, "libvirt/libvirtd.pid"),
              daemon_pid(rig, 2, "openvswitch/ovsdb-server.pid")]
    for pid in frozen:
        os.kill(pid, signal.SIGSTOP)
    try:
        assert wait_until(lambda: f"{guest.name}: not restarted" in watcher.log(), 60), \
            watcher.log()
        time.sleep(3)  # a few more rounds: it keeps being refused
        assert guest.name not in survivor.domains(), survivor.virsh("list", "--all")
        assert re.search(rf"{guest.name}: not restarted: .*(lock|lease|resource busy)",
                         watcher.log(), re.I), watcher.log()
        before = guest.log().count(guest.ready)
        assert before == 1, "the guest booted a second time somewhere"
    finally:
        for pid in frozen:
            os.kill(pid, signal.SIGCONT)
    # back: it still runs where it was, the refused copy is nowhere else
    assert wait_until(lambda: f"host {victim.name} answers again" in watcher.log()
                      or "NotAnswering" not in acli(cluster_file, "host.list").stdout, 30)
    assert wait_until(lambda: guest.name not in survivor.domains("--all"), 20), \
        survivor.virsh("list", "--all")
    assert victim.virsh("domstate", guest.name) == "running"


def test_admission_control_refuses_a_power_on_that_breaks_the_tolerance(hosts, cluster_file):  # noqa: F811
    """Two hosts tolerating one failure: a VM of 60% of a host runs on one;
    a second like it could not be restarted if either host failed, so its
    power-on is refused, saying how much memory is missing."""
    first = hosts[0]
    conn = first.conn()
    memory_mb = conn.getInfo()[1]
    conn.close()
    size = memory_mb * 6 // 10
    a, b = f"{PREFIX}big-a", f"{PREFIX}big-b"
    acli(cluster_file, "ha.update", "num_host_failures_to_tolerate=1")
    acli(cluster_file, "vm.create", f"{a},{b}", f"memory={size}M")
    acli(cluster_file, "vm.on", a, f"host={first.name}")  # guest memory is taken as used
    done = acli(cluster_file, "vm.on", b, ok=False)
    assert done.returncode == 1 and "HA admission control" in done.stderr, done.stderr
    assert re.search(r"\d+ MB missing", done.stderr)
    assert b not in {n for h in hosts for n in h.domains()}
    record = acli(cluster_file, "ha.get").stdout
    assert "num_host_failures_to_tolerate: 1" in record and 'ha_state: "kOk"' in record
    acli(cluster_file, "ha.update", "num_host_failures_to_tolerate=0")
    acli(cluster_file, "vm.on", b)  # the same power-on, once no failure is to be tolerated
    assert b in {n for h in hosts for n in h.domains()}
