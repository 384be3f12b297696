"""acli driving the rig as one cluster (docs/cluster.md): a cluster file
naming the rig's hosts, networks defined alike on every host, a running
guest live-migrated by `vm.migrate` while a guest on the other host pings
it, maintenance mode emptying a host, and placement refusing to break
affinity and anti-affinity. Checked with virsh and ovs-vsctl on each host."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

import pytest
from test_rig import NET, PREFIX, Host, clean, hosts, image, start_guest  # noqa: F401
from waiting import wait_until

pytestmark = pytest.mark.rig

NETWORK = "rig-test-vlan.10"


@pytest.fixture
def cluster_file(rig, tmp_path, hosts, clean):  # noqa: F811 - fixtures from test_rig
    path = tmp_path / "cluster.toml"
    path.write_text("".join(f'[[host]]\nname = "{h["name"]}"\nuri = "{h["uri"]}"\n'
                            f'ovsdb = "{h["ovsdb"]}"\n\n' for h in rig["host"]))
    def settings_away():
        for h in hosts:  # no host left in maintenance, no VM group left
            ids = h.vsctl("get", "Open_vSwitch", ".", "external_ids")
            for key in re.findall(r"(acli-node-state|acli-vm-group\.[0-9a-f-]+|acli-ha|"
                                  r"acli-ha-vm\.[0-9a-f-]+)=", ids):
                h.vsctl("remove", "Open_vSwitch", ".", "external_ids", key)

    settings_away()
    yield str(path)
    settings_away()
    for h in hosts:
        conn = h.conn()
        for net in conn.listAllNetworks():
            if net.name().startswith(PREFIX):
                if net.isActive():
                    net.destroy()
                net.undefine()
        conn.close()


def acli(cluster_file: str, *words: str, ok: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "acli", "--cluster", cluster_file, "-y", *words],
                          capture_output=True, text=True, timeout=300)
    if ok:
        assert done.returncode == 0, f"acli {' '.join(words)}: {done.stdout}{done.stderr}"
    return done


def network_of(host: Host, name: str):
    """(UUID, VLAN tag) of the libvirt network `name` on host, or None."""
    import libvirt

    conn = host.conn()
    try:
        root = ET.fromstring(conn.networkLookupByName(name).XMLDesc(0))
    except libvirt.libvirtError:
        return None
    finally:
        conn.close()
    tag = root.find("vlan/tag")
    return root.findtext("uuid"), int(tag.get("id")) if tag is not None else 0


def test_a_network_is_made_changed_and_deleted_on_every_host(hosts, cluster_file):
    acli(cluster_file, "net.create", NETWORK, "vlan=10", "vswitch_name=br0")
    seen = {h.name: network_of(h, NETWORK) for h in hosts}
    uuids = {found[0] for found in seen.values() if found}
    assert len(uuids) == 1 and all(found and found[1] == 10 for found in seen.values()), seen
    acli(cluster_file, "net.update", NETWORK, "vlan=20")
    assert {network_of(h, NETWORK) for h in hosts} == {(uuids.pop(), 20)}
    acli(cluster_file, "net.delete", NETWORK)
    assert all(network_of(h, NETWORK) is None for h in hosts)


def mac_of(host: Host, name: str) -> str:
    return ET.fromstring(host.virsh("dumpxml", name)).find("devices/interface/mac").get("address")


def port_with_mac(host: Host, mac: str) -> str:
    """The OVS interface (= port) whose external_ids:attached-mac is `mac` (empty if none)."""
    return host.vsctl("--bare", "--columns=name", "find", "Interface",
                      f'external_ids:attached-mac="{mac}"')


def test_vm_migrate_moves_a_pinged_guest_live(hosts, image, rig, cluster_file):  # noqa: F811
    src, dst = hosts[0], hosts[1]
    acli(cluster_file, "net.create", NETWORK, "vlan=10", "vswitch_name=br0")
    a_ip = NET + "31"
    a = start_guest(src, image, rig, f"{PREFIX}a", None, a_ip, network=NETWORK)
    b = start_guest(dst, image, rig, f"{PREFIX}b", None, NET + "32", ping=a_ip,
                    network=NETWORK)
    a.wait_ready(src)
    b.wait_ready(dst)
    assert wait_until(lambda: len(b.replies()) >= 10, 30), f"no replies from A:\n{b.log()}"
    mac = mac_of(src, a.name)
    assert src.vsctl("get", "Port", port_with_mac(src, mac), "tag") == "10"

    started = time.monotonic()
    acli(cluster_file, "vm.migrate", a.name, f"host={dst.name}")
    took = time.monotonic() - started
    at_end = max(b.replies())
    assert wait_until(lambda: max(b.replies()) >= at_end + 10, 20), b.log()[-2000:]
    # where it is now, by virsh on both hosts and by acli
    assert src.domains("--all") == []
    assert a.name in dst.domains("--persistent") and dst.virsh("domstate", a.name) == "running"
    record = acli(cluster_file, "vm.get", a.name).stdout
    assert f'host_name: "{dst.name}"' in record and 'state: "kOn"' in record, record
    assert a.log().count(a.ready) == 1, "A booted again instead of moving"
    # its port moved with it, on the VLAN (libvirt gives the port a new
    # interface id on the destination; the guest's MAC is the same)
    port = port_with_mac(dst, mac)
    assert port and dst.vsctl("get", "Port", port, "tag") == "10"
    assert port_with_mac(src, mac) == ""
    seqs = b.replies()
    lost = sorted(set(range(seqs[0], seqs[-1] + 1)) - set(seqs))
    assert len(lost) <= 10, f"{len(lost)} pings lost: {lost}"
    print(f"\nacli vm.migrate {src.name} -> {dst.name}: {took:.2f} s (acli process included), "
          f"{len(lost)} pings lost of {len(seqs)} (one every 0.2 s)")

    # a refused migration leaves it running where it is, and says why
    done = acli(cluster_file, "vm.migrate", a.name, f"host={dst.name}", ok=False)
    assert done.returncode != 0 and "already" in done.stderr, done.stderr
    assert dst.virsh("domstate", a.name) == "running"


def test_maintenance_mode_empties_a_host_and_exit_opens_it(hosts, cluster_file):
    first, second = hosts[0], hosts[1]
    names = [f"{PREFIX}m{i}" for i in (1, 2, 3)]
    acli(cluster_file, "vm.create", ",".join(names), "memory=64M")
    # made with the cluster's baseline CPU, which host.get shows
    baseline = re.search(r'cpu_baseline: "([^"]+)"', acli(cluster_file, "host.get").stdout)
    assert baseline, "host.get shows no cpu_baseline"
    for name in names:
        cpu = ET.fromstring(
            next(h for h in hosts if name in h.domains("--all")).virsh("dumpxml", name)).find("cpu")
        assert cpu.get("mode") == "custom" and cpu.findtext("model") == baseline.group(1)
        assert cpu.find("model").get("fallback") == "forbid"
    acli(cluster_file, "vm.on", ",".join(names), f"host={first.name}")
    assert sorted(first.domains()) == names
    check = acli(cluster_file, "host.enter_maintenance_mode_check", first.name).stdout
    assert all(f"{n} " in check and "migrate" in check for n in names), check
    acli(cluster_file, "host.enter_maintenance_mode", first.name)
    assert first.domains("--all") == [], first.virsh("list", "--all")
    assert sorted(second.domains()) == names if len(hosts) == 2 else \
        sorted(n for h in hosts[1:] for n in h.domains()) == names
    listing = acli(cluster_file, "host.list").stdout
    row = next(line for line in listing.splitlines() if f" {first.name} " in line)
    assert "EnteredMaintenanceMode" in row and "False" in row, listing
    assert first.vsctl("get", "Open_vSwitch", ".",
                       "external_ids:acli-node-state") == "kEnteredMaintenanceMode"
    # placement keeps off it
    done = acli(cluster_file, "vm.migrate", names[0], f"host={first.name}", ok=False)
    assert done.returncode != 0 and "maintenance" in done.stderr, done.stderr
    acli(cluster_file, "host.exit_maintenance_mode", first.name)
    assert "AcropolisNormal" in next(line for line in acli(cluster_file, "host.list").stdout
                                     .splitlines() if f" {first.name} " in line)
    acli(cluster_file, "vm.migrate", names[0], f"host={first.name}")
    assert first.domains() == [names[0]]


def test_placement_and_migration_keep_affinity_and_anti_affinity(hosts, cluster_file):
    first, second = hosts[0], hosts[1]
    x, y = f"{PREFIX}x", f"{PREFIX}y"
    acli(cluster_file, "vm.create", f"{x},{y}", "memory=64M")
    acli(cluster_file, "vm.affinity_set", x, f"host_list={first.name}")
    acli(cluster_file, "vm.on", x)
    assert first.domains() == [x]
    done = acli(cluster_file, "vm.migrate", x, f"host={second.name}", ok=False)
    assert done.returncode != 0 and f"affinity to {first.name}" in done.stderr, done.stderr
    assert first.domains() == [x]

    acli(cluster_file, "vm.affinity_unset", x)
    acli(cluster_file, "vm_group.create", f"{PREFIX}grp")
    acli(cluster_file, "vm_group.add_vms", f"{PREFIX}grp", f"vm_list={x},{y}")
    acli(cluster_file, "vm_group.antiaffinity_set", f"{PREFIX}grp")
    try:
        acli(cluster_file, "vm.on", y)
        assert second.domains() == [y] or (len(hosts) > 2 and y not in first.domains())
        done = acli(cluster_file, "vm.migrate", y, f"host={first.name}", ok=False)
        assert done.returncode != 0 and f"anti-affinity of VM group {PREFIX}grp" in done.stderr
        assert y not in first.domains()
    finally:
        acli(cluster_file, "vm_group.delete", f"{PREFIX}grp")
    for h in hosts:
        assert "acli-vm-group" not in h.vsctl("get", "Open_vSwitch", ".", "external_ids")


def test_a_frozen_host_is_shown_down_and_holds_up_nothing(hosts, rig, cluster_file):
    """libvirtd of the second host stopped (SIGSTOP: it takes connections
    and never answers): host.list says so within the bounded wait, and a VM
    on the first host is driven as ever."""
    import signal

    first, frozen = hosts[0], hosts[1]
    x = f"{PREFIX}fz"
    acli(cluster_file, "vm.create", x, "memory=64M")
    acli(cluster_file, "vm.on", x, f"host={first.name}")
    pid_file = os.path.join(os.path.dirname(rig["host"][1]["uri"].split("socket=")[1]),
                            "libvirtd.pid")
    pid = int(open(pid_file).read())
    os.kill(pid, signal.SIGSTOP)
    try:
        started = time.monotonic()
        listing = acli(cluster_file, "host.list").stdout
        took = time.monotonic() - started
        row = next(line for line in listing.splitlines() if f" {frozen.name} " in line)
        assert "NotAnswering" in row and row.split()[-1] == "down", listing
        assert took < 15, f"host.list took {took:.1f} s with a frozen host"
        acli(cluster_file, "vm.off", x)
        assert x not in first.domains() and x in first.domains("--all")
        listing = acli(cluster_file, "vm.list")
        assert x in listing.stdout and f"host {frozen.name} does not answer" in listing.stderr
    finally:
        os.kill(pid, signal.SIGCONT)
    assert wait_until(lambda: "NotAnswering" not in acli(cluster_file, "host.list").stdout, 30)
    print(f"\nhost.list with one host frozen: {took:.2f} s")


def test_a_container_and_its_images_are_every_hosts(hosts, rig, cluster_file, tmp_path):
    """A container on the shared storage, made once, is one pool (one UUID)
    on every host; an image made through the first host is listed by the
    second, whose VM's disk clones from it."""
    first, second = hosts[0], hosts[1]
    ctr = f"{PREFIX}ctr"
    path = os.path.join(rig["storage"], ctr)
    source = tmp_path / "base.raw"
    source.write_bytes(b"acli" * 1024)
    vm = f"{PREFIX}img"
    try:
        acli(cluster_file, "container.create", ctr, f"path={path}")
        uuids = {h.virsh("pool-uuid", ctr) for h in hosts}
        assert len(uuids) == 1
        acli(cluster_file, "image.create", f"{PREFIX}base", f"source_url={source}",
             f"container={ctr}")
        volumes = second.virsh("vol-list", ctr)
        assert "acli-image-" in volumes, volumes
        acli(cluster_file, "vm.create", vm, "memory=64M")
        acli(cluster_file, "vm.on", vm, f"host={second.name}")
        acli(cluster_file, "vm.disk_create", vm, f"clone_from_image={PREFIX}base",
             f"container={ctr}")
        assert path in second.virsh("domblklist", vm)
        done = acli(cluster_file, "image.delete", f"{PREFIX}base", ok=False)
        assert done.returncode == 1 and f"on {second.name}" in done.stderr, done.stderr
    finally:
        subprocess.run([sys.executable, "-m", "acli", "--cluster", cluster_file, "-y",
                        "vm.delete", vm], capture_output=True)
        subprocess.run([sys.executable, "-m", "acli", "--cluster", cluster_file, "-y",
                        "image.delete", f"{PREFIX}base"], capture_output=True)
        done = subprocess.run([sys.executable, "-m", "acli", "--cluster", cluster_file, "-y",
                               "container.delete", ctr], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    for h in hosts:
        assert ctr not in h.virsh("pool-list", "--all")
    assert first.name and not os.path.exists(path)
