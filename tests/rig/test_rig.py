"""The rig proven with libvirt and Open vSwitch themselves (acli has no cluster
commands yet): hosts that answer with identities of their own, storage every
host shares, and the tiny guest (scripts/guest-image) live-migrating between
hosts while another guest pings it across the rig's physical switch, with
VLANs keeping guests apart. See docs/rig.md."""

from __future__ import annotations

import os
import re
import subprocess
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from waiting import wait_until

pytestmark = pytest.mark.rig

ROOT = Path(__file__).resolve().parents[2]
GUEST_IMAGE = ROOT / "scripts" / "guest-image"
GUEST_DIR = "/var/lib/acli/rig-guest"
PREFIX = "rig-test-"
POOL = "rig-test-shared"
BOOT_TIMEOUT = 90           # seconds; a guest is ready in ~3 s under TCG here
NET = "198.51.100."         # the guests' addresses
PING_INTERVAL = 0.2         # seconds between two pings of a guest (scripts/guest-image)


def run(*cmd, timeout=120) -> str:
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{cmd}: {done.stderr}"
    return done.stdout.strip()


class Host:
    def __init__(self, entry: dict):
        self.name, self.uri, self.ovsdb = entry["name"], entry["uri"], entry["ovsdb"]

    def virsh(self, *args) -> str:
        return run("virsh", "-q", "-c", self.uri, *args)

    def vsctl(self, *args) -> str:
        return run("ovs-vsctl", f"--db={self.ovsdb}", "--timeout=10", *args)

    def conn(self):
        import libvirt

        libvirt.registerErrorHandler(lambda *a: None, None)
        return libvirt.open(self.uri)

    def domains(self, *flags) -> list[str]:
        return [n for n in self.virsh("list", "--name", *flags).split() if n.startswith(PREFIX)]

    def port_of(self, iface_id: str) -> str:
        """The OVS port whose Interface carries external_ids:iface-id (empty if none)."""
        return self.vsctl("--bare", "--columns=name", "find", "Interface",
                          f'external_ids:iface-id="{iface_id}"')

    def clean(self):
        """Remove every rig-test-* domain and the test pool from this host."""
        import libvirt

        conn = self.conn()
        for dom in conn.listAllDomains():
            if dom.name().startswith(PREFIX):
                if dom.isActive():
                    dom.destroy()
                if dom.isPersistent():
                    dom.undefine()
        try:
            pool = conn.storagePoolLookupByName(POOL)
            if pool.isActive():
                pool.destroy()
            pool.undefine()
        except libvirt.libvirtError:
            pass
        conn.close()


@pytest.fixture(scope="session")
def hosts(rig) -> list[Host]:
    return [Host(h) for h in rig["host"]]


@pytest.fixture(scope="session")
def image(rig):
    done = subprocess.run(["bash", str(GUEST_IMAGE), GUEST_DIR], capture_output=True, text=True)
    assert done.returncode == 0, f"scripts/guest-image failed:\n{done.stderr}"
    return dict(line.split("=", 1) for line in done.stdout.splitlines() if "=" in line)


@pytest.fixture
def clean(hosts, rig):
    """Each test starts and ends with no rig-test-* domains and no test pool."""
    for h in hosts:
        h.clean()
    yield
    for h in hosts:
        h.clean()
    for f in Path(rig["console"]).glob(PREFIX + "*"):
        f.unlink()
    for f in Path(rig["storage"]).glob(PREFIX + "*"):
        f.unlink()


@pytest.fixture
def pools(hosts, rig, clean):
    """The shared storage defined as the same dir pool on every host."""
    xml = (f"<pool type='dir'><name>{POOL}</name>"
           f"<target><path>{rig['storage']}</path></target></pool>")
    for h in hosts:
        conn = h.conn()
        pool = conn.storagePoolDefineXML(xml)
        pool.create()
        conn.close()
    return POOL


class Guest:
    def __init__(self, name: str, console: str, ready: str):
        self.name, self.console, self.ready = name, console, ready

    def log(self) -> str:
        try:
            return Path(self.console).read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def wait_ready(self, host: Host):
        if not wait_until(lambda: self.ready in self.log(), BOOT_TIMEOUT):
            raise AssertionError(f"{self.name} on {host.name} ({host.virsh('domstate', self.name)}): "
                                 f"no ready line within {BOOT_TIMEOUT} s; console:\n{self.log()}")

    def replies(self) -> list[int]:
        """The sequence numbers of the ping replies this guest has printed."""
        return [int(s) for s in re.findall(r"^64 bytes from [0-9.]+: seq=(\d+)", self.log(), re.M)]


def start_guest(host: Host, image: dict, rig: dict, name: str, vlan: int | None, ip: str,
                ping: str | None = None, disk: str | None = None,
                network: str | None = None) -> Guest:
    """The tiny guest on host, its NIC an access port of br0 in vlan (or, with
    `network`, on that libvirt network), booted by direct kernel boot under
    TCG with an address (and a ping loop); its serial console is a file
    every host writes to at the same path."""
    console = os.path.join(rig["console"], f"{name}.log")
    if os.path.exists(console):
        os.unlink(console)
    cmdline = f"{image['cmdline']} acli.ip={ip}/24" + (f" acli.ping={ping}" if ping else "")
    disk_xml = (f"<disk type='file' device='disk'><driver name='qemu' type='raw'/>"
                f"<source file='{disk}'/><target dev='vda' bus='virtio'/></disk>") if disk else ""
    nic_xml = (f"<interface type='network'><source network='{network}'/>"
               "<model type='virtio'/></interface>" if network else
               "<interface type='bridge'><source bridge='br0'/><virtualport type='openvswitch'/>"
               f"<vlan><tag id='{vlan}'/></vlan><model type='virtio'/></interface>")
    xml = f"""<domain type='qemu'>
  <name>{name}</name>
  <memory unit='MiB'>128</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc-i440fx-7.2'>hvm</type>
    <kernel>{image['kernel']}</kernel><initrd>{image['initrd']}</initrd>
    <cmdline>{cmdline}</cmdline></os>
  <features><acpi/></features>
  <cpu mode='custom' match='exact'><model fallback='forbid'>qemu64</model></cpu>
  <devices>
    {disk_xml}
    {nic_xml}
    <serial type='file'><source path='{console}' append='on'/><target port='0'/></serial>
    <memballoon model='none'/>
  </devices>
</domain>"""
    conn = host.conn()
    conn.defineXML(xml).create()
    conn.close()
    return Guest(name, console, image["ready"])


def iface_id(host: Host, name: str) -> str:
    root = ET.fromstring(host.virsh("dumpxml", name))
    return root.find("devices/interface/virtualport/parameters").get("interfaceid")


# the tests ----------------------------------------------------------------

def test_hosts_answer_with_identities_of_their_own(hosts, rig):
    uuids, system_ids, names = set(), set(), set()
    for h in hosts:
        caps = ET.fromstring(h.virsh("capabilities"))
        uuids.add(caps.findtext("host/uuid"))
        names.add(h.virsh("hostname"))
        assert "QEMU" in h.virsh("version")
        assert h.vsctl("get", "Bridge", "br0", "datapath_type") == "netdev"
        assert "eth1" in h.vsctl("list-ports", "br0").split()
        system_ids.add(h.vsctl("get", "Open_vSwitch", ".", "external_ids:system-id"))
    n = len(hosts)
    assert len(uuids) == n and len(system_ids) == n, (uuids, system_ids)
    assert names == {h.name for h in hosts}
    # the system's own libvirtd is none of them
    for h in hosts:
        assert "/run/libvirt/libvirt-sock" not in h.uri.split("socket=")[0]
        assert h.uri.startswith("qemu+unix:///system?socket=") and h.ovsdb.startswith("unix:")


def test_the_shared_storage_is_one_pool_on_every_host(hosts, pools, rig):
    first, *others = hosts
    first.virsh("vol-create-as", pools, f"{PREFIX}vol.img", "4M", "--format", "raw")
    path = first.virsh("vol-path", "--pool", pools, f"{PREFIX}vol.img")
    assert path == os.path.join(rig["storage"], f"{PREFIX}vol.img")
    for h in others:
        h.virsh("pool-refresh", pools)
        assert h.virsh("vol-path", "--pool", pools, f"{PREFIX}vol.img") == path
    # libvirt counts it as shared storage because of its type (docs/rig.md)
    assert run("findmnt", "-n", "-o", "FSTYPE", "--mountpoint", rig["storage"]) == "fuse.glusterfs"


def test_a_guest_live_migrates_while_another_pings_it(hosts, image, rig, pools):
    src, dst = hosts[0], hosts[1]
    a_ip, b_ip = NET + "11", NET + "12"
    src.virsh("vol-create-as", pools, f"{PREFIX}a.img", "16M", "--format", "raw")
    disk = src.virsh("vol-path", "--pool", pools, f"{PREFIX}a.img")
    a = start_guest(src, image, rig, f"{PREFIX}a", 10, a_ip, disk=disk)
    a.wait_ready(src)
    b = start_guest(dst, image, rig, f"{PREFIX}b", 10, b_ip, ping=a_ip)
    b.wait_ready(dst)
    # B's pings cross the physical switch tagged with VLAN 10 and A answers
    assert wait_until(lambda: len(b.replies()) >= 10, 30), f"no replies from A:\n{b.log()}"
    nic = iface_id(src, a.name)
    port = src.port_of(nic)
    assert port and src.vsctl("get", "Port", port, "tag") == "10"
    assert dst.port_of(nic) == ""

    before = len(b.replies())
    started = time.monotonic()
    done = subprocess.run(["virsh", "-c", src.uri, "migrate", "--live", "--p2p", "--persistent",
                           "--undefinesource", a.name, dst.uri],
                          capture_output=True, text=True, timeout=120)
    took = time.monotonic() - started
    assert done.returncode == 0, f"virsh migrate failed after {took:.1f} s: {done.stderr}"
    at_end = max(b.replies())
    # B keeps getting replies from A, now on B's own host
    assert wait_until(lambda: max(b.replies()) >= at_end + 10, 20), \
        f"no replies after the migration:\n{b.log()[-2000:]}"

    # where A is now: running and persistent on dst, gone from src
    assert src.domains("--all") == [], src.virsh("list", "--all")
    assert sorted(dst.domains()) == [a.name, b.name]
    assert a.name in dst.domains("--persistent")
    assert dst.virsh("domstate", a.name) == "running"
    assert a.log().count(a.ready) == 1, "A booted again instead of moving"
    # its port moved with it, with its tag
    port = dst.port_of(nic)
    assert port and dst.vsctl("get", "Port", port, "tag") == "10"
    assert src.port_of(nic) == ""
    assert disk in dst.virsh("domblklist", a.name)

    seqs = b.replies()
    lost = sorted(set(range(seqs[0], seqs[-1] + 1)) - set(seqs))
    assert len(lost) <= 10, f"{len(lost)} pings lost: {lost}"
    print(f"\nlive migration {src.name} -> {dst.name}: {took:.2f} s (virsh migrate --live --p2p "
          f"--persistent --undefinesource); pings every {PING_INTERVAL} s: {len(seqs)} replies, "
          f"{len(lost)} lost {lost} ({before} replies before)")

    # and back, B's pings again crossing the physical switch
    pre = max(b.replies())
    started = time.monotonic()
    dst.virsh("migrate", "--live", "--p2p", "--persistent", "--undefinesource", a.name, src.uri)
    back = time.monotonic() - started
    at_end = max(b.replies())
    assert wait_until(lambda: max(b.replies()) >= at_end + 10, 20), \
        f"no replies after the migration back:\n{b.log()[-2000:]}"
    assert src.domains("--persistent") == [a.name] and dst.domains("--all") == [b.name]
    assert src.vsctl("get", "Port", src.port_of(nic), "tag") == "10" and dst.port_of(nic) == ""
    seqs = b.replies()
    lost_back = sorted(set(range(pre, seqs[-1] + 1)) - set(seqs))
    assert len(lost_back) <= 10, f"{len(lost_back)} pings lost: {lost_back}"
    assert a.log().count(a.ready) == 1
    print(f"and back: {back:.2f} s, {len(lost_back)} pings lost")


def test_a_vlan_keeps_guests_apart(hosts, image, rig, clean):
    h1, h2 = hosts[0], hosts[1]
    a_ip = NET + "21"
    a = start_guest(h1, image, rig, f"{PREFIX}a", 10, a_ip)
    b = start_guest(h2, image, rig, f"{PREFIX}b", 10, NET + "22", ping=a_ip)
    c = start_guest(h2, image, rig, f"{PREFIX}c", 20, NET + "23", ping=a_ip)
    for g, h in ((a, h1), (b, h2), (c, h2)):
        g.wait_ready(h)
    # B, in A's VLAN on the other host, gets replies; C, in VLAN 20 beside B, none
    assert wait_until(lambda: len(b.replies()) >= 10, 30), f"no replies to B:\n{b.log()}"
    time.sleep(2)
    assert c.replies() == [], c.log()
    assert len(b.replies()) >= 15
    c_port = h2.port_of(iface_id(h2, c.name))
    assert h2.vsctl("get", "Port", c_port, "tag") == "20"
    # nothing of VLAN 10 (B's ARP broadcasts, its pings, A's replies) reached C
    stats = h2.virsh("domifstat", c.name, c_port)
    rx = int(re.search(r"rx_packets (\d+)", stats).group(1))
    assert rx == 0, stats


def test_a_disk_on_unshared_storage_blocks_live_migration(hosts, image, rig, clean, tmp_path):
    """The same guest with its disk in a plain directory (every host sees it, on
    this one machine, but libvirt cannot know that) is refused: the shared
    storage's type is what lets the migration above through."""
    src, dst = hosts[0], hosts[1]
    local = Path(rig["console"]).parent / "unshared"
    local.mkdir(exist_ok=True)
    disk = local / f"{PREFIX}plain.img"
    try:
        run("qemu-img", "create", "-q", "-f", "raw", str(disk), "16M")
        g = start_guest(src, image, rig, f"{PREFIX}plain", 10, NET + "31", disk=str(disk))
        done = subprocess.run(["virsh", "-c", src.uri, "migrate", "--live", "--p2p", "--persistent",
                               "--undefinesource", g.name, dst.uri],
                              capture_output=True, text=True, timeout=120)
        assert done.returncode != 0
        assert "Migration without shared storage is unsafe" in done.stderr, done.stderr
        assert src.domains() == [g.name] and dst.domains("--all") == []
    finally:
        src.clean()
        disk.unlink(missing_ok=True)
        local.rmdir()
