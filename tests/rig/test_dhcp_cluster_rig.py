"""Managed networks' DHCP on a cluster (docs/networking.md, docs/cluster.md):
each host runs its own servers (`acli-dhcp watch` on the host, here inside
each rig host's namespaces), answering for the VMs on its own switch from
the network's one IPAM; a guest that live-migrates renews its address from
its new host's server."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from test_cluster_rig import NETWORK, acli, cluster_file  # noqa: F401
from test_rig import PREFIX, clean, hosts, image  # noqa: F401
from waiting import wait_until

pytestmark = pytest.mark.rig

ROOT = Path(__file__).resolve().parents[2]
LEASE_RE = re.compile(r"acli-guest: dhcp (bound|renew) ip=(\S*) ")


@pytest.fixture
def dhcp_agents(rig, hosts):  # noqa: F811
    """`acli-dhcp watch` on every rig host, as its systemd unit would run it."""
    agent = str(Path(sys.executable).parent / "acli-dhcp")
    procs = [subprocess.Popen(["bash", str(ROOT / "scripts" / "rig"), "exec", str(n), agent,
                               "watch", "--interval", "1"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              start_new_session=True)
             for n in range(1, len(hosts) + 1)]
    yield procs
    time.sleep(2)  # a last round: the deleted network's servers go
    for proc in procs:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(10)


def run_dir(rig, n: int) -> str:
    base = os.path.dirname(os.path.dirname(rig["host"][n - 1]["uri"].split("socket=")[1]))
    return os.path.join(base, "acli", "dhcp")  # the host's own /run/acli/dhcp


def make_guest(cluster_file, image, rig, name: str, host: str):  # noqa: F811
    """An acli VM (on the managed network, its address from IPAM) booted as
    the tiny guest, whose udhcpc prints each lease on the console."""
    import libvirt

    acli(cluster_file, "vm.create", name, "memory=128M")
    acli(cluster_file, "vm.nic_create", name, f"network={NETWORK}")
    console = os.path.join(rig["console"], f"{name}.log")
    if os.path.exists(console):
        os.unlink(console)
    for entry in rig["host"]:
        conn = libvirt.open(entry["uri"])
        try:
            dom = conn.lookupByName(name)
        except libvirt.libvirtError:
            conn.close()
            continue
        root = ET.fromstring(dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE
                                         | libvirt.VIR_DOMAIN_XML_SECURE))
        root.set("type", "qemu")
        # TCG, as every rig guest: the baseline acli computed for the hosts'
        # own domain type gives way to QEMU's default CPU
        cpu = root.find("cpu")
        if cpu is not None:
            root.remove(cpu)
        os_el = root.find("os")
        for tag in ("kernel", "initrd", "cmdline"):
            ET.SubElement(os_el, tag).text = image[tag]
        for boot in os_el.findall("boot"):
            os_el.remove(boot)
        serial = ET.SubElement(root.find("devices"), "serial", type="file")
        ET.SubElement(serial, "source", path=console, append="on")
        ET.SubElement(serial, "target", port="0")
        conn.defineXML(ET.tostring(root, encoding="unicode"))
        conn.close()
    acli(cluster_file, "vm.on", name, f"host={host}")
    return console


def leases(console: str) -> list[tuple[str, str]]:
    try:
        text = Path(console).read_text(errors="replace")
    except FileNotFoundError:
        return []
    return LEASE_RE.findall(text)


def test_each_host_answers_for_its_vms_and_a_migrated_guest_renews_there(
        hosts, image, rig, cluster_file, dhcp_agents):  # noqa: F811
    first, second = hosts[0], hosts[1]
    acli(cluster_file, "net.create", NETWORK, "vlan=10", "vswitch_name=br0",
         "ip_config=198.51.100.1/24")
    acli(cluster_file, "net.add_dhcp_pool", NETWORK, "start=198.51.100.100",
         "end=198.51.100.149")
    uuid = first.virsh("net-uuid", NETWORK)
    # both hosts run a server for the network, each in its own namespaces
    for n in (1, 2):
        assert wait_until(lambda n=n: os.path.exists(os.path.join(run_dir(rig, n), uuid, "log")),
                          30), f"no DHCP server on host {n}"
    name = f"{PREFIX}dh"
    console = make_guest(cluster_file, image, rig, name, first.name)
    nic = acli(cluster_file, "vm.nic_get", name).stdout
    want = re.search(r'ip_address: "([0-9.]+)"', nic).group(1)
    mac = re.search(r'mac_addr: "([0-9a-f:]+)"', nic).group(1)
    assert wait_until(lambda: ("bound", want) in leases(console), 90), \
        Path(console).read_text(errors="replace")[-2000:]
    log1 = os.path.join(run_dir(rig, 1), uuid, "log")
    log2 = os.path.join(run_dir(rig, 2), uuid, "log")
    assert mac in Path(log1).read_text() and mac not in Path(log2).read_text()

    acli(cluster_file, "vm.migrate", name, f"host={second.name}")
    assert name in second.domains()
    moved = len(leases(console))
    acked_before = Path(log1).read_text().count("DHCPACK")
    # the guest renews every few seconds (unicast to the server's address
    # and MAC, which every host's server has): now its new host's server
    # answers, with the same address, and the old one hears no more of it
    ack = re.compile(rf"DHCPACK\S* {re.escape(want)} {mac}")
    assert wait_until(lambda: ack.search(Path(log2).read_text()), 60), \
        Path(log2).read_text()[-2000:]
    time.sleep(4)
    assert Path(log1).read_text().count("DHCPACK") == acked_before
    assert all(lease == ("renew", want) for lease in leases(console)[moved:])
    assert "deconfig" not in Path(console).read_text().split("dhcp bound", 1)[1]

    acli(cluster_file, "vm.delete", name)
    acli(cluster_file, "net.delete", NETWORK)
    for n in (1, 2):  # the servers go with the network, on every host
        assert wait_until(lambda n=n: not os.path.exists(os.path.join(run_dir(rig, n), uuid)), 30)
