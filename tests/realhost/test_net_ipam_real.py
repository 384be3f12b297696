"""Managed networks on the real host: the IPAM settings pass through
libvirt's real network driver (which refuses <ip>/<dns> on bridge-mode
networks, so they live in <metadata>), survive its redefinitions, and a
stopped VM's NIC holds an address that goes back when the VM goes.

Makes virtual switch vs7 (bridge br7 over eth3,eth4 from scripts/realhost,
as tests/realhost/test_net_real.py does), network acli-test-ipam on it and
VMs acli-test-ipam*; removes them afterwards."""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET

import pytest

pytestmark = pytest.mark.realhost

NET = "acli-test-ipam"
VS, BR = "vs7", "br7"
NS = {"acli": "http://acli.dev/xmlns/net/1.0"}


def virsh(*args) -> str:
    done = subprocess.run(["virsh", "-q", "-c", "qemu:///system", *args],
                          capture_output=True, text=True)
    assert done.returncode == 0, f"{args}: {done.stderr}"
    return done.stdout


def _remove_network(conn) -> None:
    import libvirt

    try:
        net = conn.networkLookupByName(NET)
    except libvirt.libvirtError:
        return
    if net.isActive():
        net.destroy()
    net.undefine()


def _remove_switch() -> None:
    subprocess.run(["ovs-vsctl", "--timeout=10", "--if-exists", "del-br", BR], capture_output=True)


@pytest.fixture
def ipam_net(real_shell):
    _remove_network(real_shell.host.conn)
    _remove_switch()
    real_shell.ok(f"net.create_virtual_switch {VS} uplinks=eth3,eth4")
    yield real_shell
    for dom in real_shell.host.conn.listAllDomains():
        if dom.name().startswith(NET):
            if dom.isActive():
                dom.destroy()
            dom.undefine()
    _remove_network(real_shell.host.conn)
    _remove_switch()


def meta(xml: str) -> ET.Element:
    found = ET.fromstring(xml).find("metadata/acli:network", NS)
    assert found is not None, xml
    return found


def test_managed_network_pools_and_a_nic_address_on_the_real_host(ipam_net):
    sh = ipam_net
    sh.ok(f"net.create {NET} vlan=77 virtual_switch={VS} ip_config=10.77.0.1/24")
    sh.ok(f"net.add_dhcp_pool {NET} start=10.77.0.100 end=10.77.0.101")
    sh.ok(f"net.add_dhcp_pool {NET} start=10.77.0.10 end=10.77.0.19")
    sh.ok(f"net.update_dhcp_dns {NET} servers=10.77.0.2 domains=lab.example")
    sh.ok(f"net.add_to_ip_blacklist {NET} ip_list=10.77.0.10")
    # what the real network driver stores (the persistent definition)
    stored = virsh("net-dumpxml", "--inactive", NET)
    m = meta(stored)
    assert [(p.get("start"), p.get("end")) for p in m.findall("acli:pool", NS)] == \
        [("10.77.0.10", "10.77.0.19"), ("10.77.0.100", "10.77.0.101")]
    assert [e.text for e in m.findall("acli:dns_server", NS)] == ["10.77.0.2"]
    assert [e.text for e in m.findall("acli:blacklist", NS)] == ["10.77.0.10"]
    root = ET.fromstring(stored)
    assert root.find("ip") is None and root.find("forward").get("mode") == "bridge"
    assert virsh("net-info", NET).count("yes") >= 2          # still active and autostarted
    # refused input leaves the stored definition byte for byte
    status, _, err = sh(f"net.add_dhcp_pool {NET} start=10.77.0.15 end=10.77.0.30")
    assert status == 1 and "overlaps" in err
    assert virsh("net-dumpxml", "--inactive", NET) == stored

    # a stopped VM's NIC: a fixed address, then a pool one (10.77.0.10 is blacklisted)
    sh.ok(f"vm.create {NET}-a memory=64M")
    sh.ok(f"vm.nic_create {NET}-a network={NET} ip=10.77.0.50")
    sh.ok(f"vm.nic_create {NET}-a network={NET}")
    uuid = virsh("domuuid", f"{NET}-a").strip()
    leases = {e.get("ip"): (e.get("mac"), e.get("vm"))
              for e in meta(virsh("net-dumpxml", "--inactive", NET)).findall("acli:lease", NS)}
    assert set(leases) == {"10.77.0.50", "10.77.0.11"}
    assert {vm for _, vm in leases.values()} == {uuid}
    dom_macs = re.findall(r"<mac address='([0-9a-f:]+)'/>",
                          virsh("dumpxml", "--inactive", f"{NET}-a"))
    assert sorted(mac for mac, _ in leases.values()) == sorted(dom_macs)
    rows = sh.ok(f"net.list_vms {NET}").splitlines()
    assert rows[0].split()[-2:] == ["IP", "address"]
    assert sorted(r.split()[-1] for r in rows[1:]) == ["10.77.0.11", "10.77.0.50"]
    assert 'ip_address: "10.77.0.50"' in sh.ok(f"vm.get {NET}-a")

    # the VM goes: so do its addresses; the network is still the real driver's
    sh.ok(f"-y vm.delete {NET}-a")
    assert meta(virsh("net-dumpxml", "--inactive", NET)).findall("acli:lease", NS) == []
    sh.ok(f"-y net.delete {NET}")
    assert NET not in virsh("net-list", "--all", "--name")
