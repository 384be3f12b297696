"""A trunked NIC's addresses on the managed networks it carries tagged
(acli/network/ipam_trunks.py), on the sandbox: what each command stores
in the networks' <metadata> (read through libvirt), what vm.nic_get,
net.list_vms and the DHCP server's configuration (net.get) show, and
refusals that leave every XML as it was."""

from __future__ import annotations

import json
import subprocess
import sys

import libvirt
import pytest
from test_net_ipam import leases, refused, uuid_of

A, B = "198.51.100", "203.0.113"


@pytest.fixture
def lab(shell):
    """lab (VLAN 10) and lab20 (VLAN 20) are managed with pools; bare (VLAN
    40) is managed without pools; plain (VLAN 30) is not managed."""
    shell.ok(f"net.create lab vlan=10 ip_config={A}.1/24")
    shell.ok(f"net.add_dhcp_pool lab start={A}.100 end={A}.110")
    shell.ok(f"net.create lab20 vlan=20 ip_config={B}.1/24")
    shell.ok(f"net.add_dhcp_pool lab20 start={B}.100 end={B}.110")
    shell.ok(f"net.create bare vlan=40 ip_config={B}.129/25")
    shell.ok("net.create plain vlan=30")
    shell.ok("vm.create t1 memory=64M")
    return shell


def data(shell, line):
    shell.session.output = "json"
    try:
        return json.loads(shell.ok(line))["data"]
    finally:
        shell.session.output = "text"


def the_mac(shell, vm) -> str:
    (nic,) = data(shell, f"vm.nic_get {vm}").values()
    return nic["mac_addr"]


def trunk_ips(shell, vm, mac) -> dict:
    """network name -> address, as vm.nic_get shows the NIC's trunk leases."""
    nic = data(shell, f"vm.nic_get {vm}")[mac]
    return {e["network_name"]: e["ip_address"] for e in nic.get("trunked_network_ip_list", [])}


def held(shell, mac) -> dict:
    """network name -> address of every lease `mac` holds (stored XML)."""
    out = {}
    for net in ("lab", "lab20", "bare"):
        lease = leases(shell, net).get(mac)
        if lease:
            out[net] = lease[0]
    return out


def reservations(shell, net) -> list[str]:
    (found,) = data(shell, f"net.get {net}").values()
    return found["dhcp_server"]["reservation"]


def test_a_trunk_holds_an_address_on_each_managed_network_it_carries(lab):
    lab.ok("vm.nic_create t1 network=plain vlan_mode=kTrunked trunked_networks=10,20,40,50")
    mac = the_mac(lab, "t1")
    vm = uuid_of(lab, "t1")
    # stored as any lease (ip, mac, vm); none on bare (no pools), none on
    # its own unmanaged network
    assert leases(lab, "lab") == {mac: (f"{A}.100", vm)}
    assert leases(lab, "lab20") == {mac: (f"{B}.100", vm)}
    assert leases(lab, "bare") == {}
    assert trunk_ips(lab, "t1", mac) == {"lab": f"{A}.100", "lab20": f"{B}.100"}
    nic = data(lab, "vm.nic_get t1")[mac]
    assert "ip_address" not in nic  # its own network (plain) gives none
    lab20 = data(lab, "vm.nic_get t1")[mac]["trunked_network_ip_list"][1]
    assert lab20["vlan_id"] == 20 and lab20["network_uuid"] == next(iter(data(lab, "net.get lab20")))
    # where aCLI users look: net.list_vms of that network, and the DHCP
    # server's reservations, made by the same code as for any NIC
    assert [(r["vm_name"], r["mac_addr"], r["ip_address"]) for r in data(lab, "net.list_vms lab20")] \
        == [("t1", mac, f"{B}.100")]
    assert reservations(lab, "lab20") == [f"{mac},{B}.100"]
    assert reservations(lab, "lab") == [f"{mac},{A}.100"]
    assert data(lab, "net.list_vms bare") == []
    # the next NIC on lab takes the next address
    lab.ok("vm.nic_create t1 network=lab")
    assert sorted(ip for ip, _ in leases(lab, "lab").values()) == [f"{A}.100", f"{A}.101"]


def test_a_trunk_on_a_managed_network_holds_its_own_address_once(lab):
    lab.ok("vm.nic_create t1 network=lab vlan_mode=kTrunked trunked_networks=10,20")
    mac = the_mac(lab, "t1")
    assert held(lab, mac) == {"lab": f"{A}.100", "lab20": f"{B}.100"}
    nic = data(lab, "vm.nic_get t1")[mac]
    assert nic["ip_address"] == f"{A}.100"                       # its own network's
    assert trunk_ips(lab, "t1", mac) == {"lab20": f"{B}.100"}     # the carried one's
    assert len(leases(lab, "lab")) == 1


def test_nic_update_keeps_the_trunk_addresses_in_step(lab):
    lab.ok("vm.nic_create t1 network=plain vlan_mode=kTrunked trunked_networks=10,20")
    mac = the_mac(lab, "t1")
    lab.ok(f"vm.nic_update t1 {mac} update_vlan_trunk_info=true trunked_networks=20")
    assert held(lab, mac) == {"lab20": f"{B}.100"}   # lab's went back to the pool ...
    lab.ok("vm.create t2 memory=64M")
    lab.ok("vm.nic_create t2 network=lab")
    assert leases(lab, "lab")[the_mac(lab, "t2")][0] == f"{A}.100"   # ... and is taken again
    lab.ok(f"vm.nic_update t1 {mac} vlan_mode=kAccess")
    assert held(lab, mac) == {}
    assert "trunked_network_ip_list" not in data(lab, "vm.nic_get t1")[mac]
    lab.ok(f"vm.nic_update t1 {mac} vlan_mode=kTrunked update_vlan_trunk_info=true "
           "trunked_networks=10,20")
    assert held(lab, mac) == {"lab": f"{A}.101", "lab20": f"{B}.100"}
    # moved onto a network it carries: the trunk's address becomes its own;
    # the old network (unmanaged) held none
    lab.ok(f"vm.nic_update t1 {mac} network=lab20")
    assert held(lab, mac) == {"lab": f"{A}.101", "lab20": f"{B}.100"}
    nic = data(lab, "vm.nic_get t1")[mac]
    assert nic["ip_address"] == f"{B}.100" and trunk_ips(lab, "t1", mac) == {"lab": f"{A}.101"}
    # moved off it, still carrying it: its address stays, now as a trunk's
    lab.ok(f"vm.nic_update t1 {mac} network=plain")
    assert held(lab, mac) == {"lab": f"{A}.101", "lab20": f"{B}.100"}
    assert trunk_ips(lab, "t1", mac) == {"lab": f"{A}.101", "lab20": f"{B}.100"}


def test_deleting_the_nic_or_the_vm_gives_the_addresses_back(lab):
    lab.ok("vm.nic_create t1 network=plain vlan_mode=kTrunked trunked_networks=10,20")
    lab.ok("vm.create t2 memory=64M")
    lab.ok("vm.nic_create t2 network=lab vlan_mode=kTrunked trunked_networks=20")
    mac1, mac2 = the_mac(lab, "t1"), the_mac(lab, "t2")
    assert held(lab, mac2) == {"lab": f"{A}.101", "lab20": f"{B}.101"}
    lab.ok(f"vm.nic_delete t1 {mac1}")
    assert held(lab, mac1) == {}
    assert reservations(lab, "lab20") == [f"{mac2},{B}.101"]
    lab.ok("-y vm.delete t2")
    assert leases(lab, "lab") == {} and leases(lab, "lab20") == {}
    assert reservations(lab, "lab20") == []


def test_a_clone_s_trunk_gets_addresses_of_its_own(lab):
    lab.ok("vm.nic_create t1 network=plain vlan_mode=kTrunked trunked_networks=10,20")
    mac = the_mac(lab, "t1")
    lab.ok("vm.clone c1 clone_from_vm=t1")
    copy = the_mac(lab, "c1")
    assert copy != mac
    assert held(lab, mac) == {"lab": f"{A}.100", "lab20": f"{B}.100"}
    assert held(lab, copy) == {"lab": f"{A}.101", "lab20": f"{B}.101"}
    assert leases(lab, "lab20")[copy][1] == uuid_of(lab, "c1")
    assert trunk_ips(lab, "c1", copy) == {"lab": f"{A}.101", "lab20": f"{B}.101"}


def test_a_restore_brings_the_trunk_addresses_back_in_step(lab):
    lab.ok("vm.nic_create t1 network=plain vlan_mode=kTrunked trunked_networks=10,20")
    mac = the_mac(lab, "t1")
    lab.ok("vm.snapshot_create t1 snapshot_name_list=trunk")
    lab.ok(f"vm.nic_update t1 {mac} vlan_mode=kAccess")
    assert held(lab, mac) == {}
    lab.ok("vm.restore t1 snapshot_name=trunk")
    assert held(lab, mac) == {"lab": f"{A}.100", "lab20": f"{B}.100"}
    # a snapshot without the NIC: the restore takes its addresses away
    lab.ok(f"vm.nic_delete t1 {mac}")
    lab.ok("vm.snapshot_create t1 snapshot_name_list=none")
    lab.ok("vm.restore t1 snapshot_name=trunk")
    assert held(lab, mac) == {"lab": f"{A}.100", "lab20": f"{B}.100"}
    lab.ok("vm.restore t1 snapshot_name=none")
    assert held(lab, mac) == {}


def test_net_update_vlan_moves_the_trunk_addresses(lab):
    lab.ok("vm.nic_create t1 network=plain vlan_mode=kTrunked trunked_networks=10,20,60")
    mac = the_mac(lab, "t1")
    lab.ok("net.update lab vlan=11")   # off a VLAN the trunk carries
    assert held(lab, mac) == {"lab20": f"{B}.100"}
    lab.ok("net.update lab vlan=60")   # onto one it carries
    assert held(lab, mac) == {"lab": f"{A}.100", "lab20": f"{B}.100"}
    assert reservations(lab, "lab") == [f"{mac},{A}.100"]
    # the trunk's own network re-tagged onto a carried VLAN: that network
    # is its native VLAN now, whose requests go untagged to plain (unmanaged)
    lab.ok("net.update lab20 vlan=21")
    assert held(lab, mac) == {"lab": f"{A}.100"}
    lab.ok("net.update plain vlan=60 name=plain2")
    assert held(lab, mac) == {}
    lab.ok("net.update plain2 vlan=30")
    assert held(lab, mac) == {"lab": f"{A}.100"}


def test_full_pools_refuse_and_change_nothing(lab):
    lab.ok(f"net.create tiny vlan=50 ip_config={B}.129/25")
    lab.ok(f"net.add_dhcp_pool tiny start={B}.200 end={B}.200")
    lab.ok("vm.nic_create t1 network=tiny")
    refused(lab, "vm.nic_create t1 network=plain vlan_mode=kTrunked trunked_networks=10,50",
            1, ["no free address in tiny's DHCP pools", "VLAN 50"], network="tiny")
    assert leases(lab, "lab") == {}  # nothing on lab either: all or nothing
    lab.ok("vm.nic_create t1 network=plain vlan_mode=kTrunked trunked_networks=10,60")
    refused(lab, "net.update tiny vlan=60", 1, ["no free address in tiny's DHCP pools"],
            network="tiny")


def test_leases_are_unique_and_alike_across_a_cluster(tmp_path):
    """net.update runs on every host of a cluster: each host works out the
    same trunk addresses for the NICs of every host, so the networks,
    copied afterwards, agree and no address is handed out twice."""
    folder = tmp_path / "cluster"

    def acli(*words):
        done = subprocess.run([sys.executable, "-m", "acli", "-y", f"--sandbox={folder}",
                               "--hosts", "2", *words], capture_output=True, text=True,
                              timeout=300, stdin=subprocess.DEVNULL)
        assert done.returncode == 0, (words, done.stderr)
        return done.stdout

    acli("net.create", "lab", "vlan=10", f"ip_config={A}.1/24")
    acli("net.add_dhcp_pool", "lab", f"start={A}.100", f"end={A}.110")
    acli("net.create", "plain", "vlan=30")
    for vm in ("v1", "v2", "v3"):
        acli("vm.create", vm, "memory=64M")
        acli("vm.nic_create", vm, "network=plain", "vlan_mode=kTrunked", "trunked_networks=60")
    acli("net.update", "lab", "vlan=60")
    states, spread = [], []
    for n in (1, 2):
        conn = libvirt.open(f"test://{folder}/host{n}/host.xml")
        try:
            states.append(_leases(conn))
            spread.append({dom.name() for dom in conn.listAllDomains()})
        finally:
            conn.close()
    assert all(spread) and spread[0] | spread[1] == {"v1", "v2", "v3"}, spread  # both hosts
    assert states[0] == states[1]
    ips = sorted(ip for ip, _ in states[0])
    assert ips == [f"{A}.100", f"{A}.101", f"{A}.102"]
    listed = json.loads(acli("-o", "json", "net.list_vms", "lab"))["data"]
    assert sorted(r["ip_address"] for r in listed) == ips
    assert {r["vm_name"] for r in listed} == {"v1", "v2", "v3"}


def _leases(conn) -> list[tuple[str, str]]:
    from concurrency import network_state

    return sorted(network_state(conn, "lab")[1])
