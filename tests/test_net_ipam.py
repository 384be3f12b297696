"""Managed networks (IPAM) on the sandbox: what each command stores in the
network's <metadata> and the NIC's address, read back from libvirt's XML
(not only from acli's output), and refused input leaving the XML as it was."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from nethelpers import macs

NS = {"acli": "http://acli.dev/xmlns/net/1.0"}


def net_xml(shell, name) -> str:
    return shell.host.conn.networkLookupByName(name).XMLDesc(0)


def meta(shell, name) -> ET.Element:
    found = ET.fromstring(net_xml(shell, name)).find("metadata/acli:network", NS)
    assert found is not None, net_xml(shell, name)
    return found


def pools(shell, name):
    return [(p.get("start"), p.get("end")) for p in meta(shell, name).findall("acli:pool", NS)]


def texts(shell, name, tag):
    return [el.text for el in meta(shell, name).findall(f"acli:{tag}", NS)]


def leases(shell, name) -> dict:
    """mac -> (ip, vm uuid) as stored on the network."""
    return {el.get("mac"): (el.get("ip"), el.get("vm"))
            for el in meta(shell, name).findall("acli:lease", NS)}


def uuid_of(shell, vm) -> str:
    return shell.host.conn.lookupByName(vm).UUIDString()


@pytest.fixture
def lab(shell):
    shell.ok("net.create lab vlan=30 ip_config=10.1.1.1/24")
    shell.ok("net.create plain vlan=50")
    shell.ok("vm.create web1 memory=64M")
    return shell


def refused(shell, line, status, words, network="lab"):
    """`line` fails with `status`, its message names `words`, and the
    network's XML (and every VM's) is byte for byte what it was."""
    before = net_xml(shell, network)
    doms = {d.name(): d.XMLDesc(0) for d in shell.host.conn.listAllDomains()}
    got, out, err = shell(line)
    assert got == status, (line, got, out, err)
    assert len(err.strip().splitlines()) == 1, err
    for word in words:
        assert word in err, (word, err)
    assert net_xml(shell, network) == before
    assert {d.name(): d.XMLDesc(0) for d in shell.host.conn.listAllDomains()} == doms


def test_dhcp_server_defaults_to_last_usable_address(lab):
    lab.ok("net.create dmz vlan=40 ip_config=192.168.7.1/28 dhcp_address=192.168.7.2")
    assert meta(lab, "lab").findtext("acli:ip_config", namespaces=NS) == "10.1.1.1/24"
    assert meta(lab, "lab").find("acli:dhcp_address", NS) is None
    assert 'dhcp_server_address: "10.1.1.254"' in lab.ok("net.get lab")
    assert meta(lab, "dmz").findtext("acli:dhcp_address", namespaces=NS) == "192.168.7.2"
    assert 'dhcp_server_address: "192.168.7.2"' in lab.ok("net.get dmz")
    # a DHCP server of .2 frees .14 (the last usable) for pools
    lab.ok("net.add_dhcp_pool dmz start=192.168.7.10 end=192.168.7.14")
    assert pools(lab, "dmz") == [("192.168.7.10", "192.168.7.14")]


def test_pools_are_stored_sorted_and_deleted(lab):
    lab.ok("net.add_dhcp_pool lab start=10.1.1.100 end=10.1.1.199")
    lab.ok("net.add_dhcp_pool lab start=10.1.1.10 end=10.1.1.19")
    assert pools(lab, "lab") == [("10.1.1.10", "10.1.1.19"), ("10.1.1.100", "10.1.1.199")]
    out = lab.ok("net.get lab")
    assert 'range: "10.1.1.10 10.1.1.19"' in out and 'range: "10.1.1.100 10.1.1.199"' in out
    lab.ok("net.delete_dhcp_pool lab start=10.1.1.100 end=10.1.1.199")
    assert pools(lab, "lab") == [("10.1.1.10", "10.1.1.19")]
    lab.ok("net.delete_dhcp_pool lab start=10.1.1.10")
    assert pools(lab, "lab") == []
    # the network's other settings survive every redefinition
    xml = ET.fromstring(net_xml(lab, "lab"))
    assert xml.find("vlan/tag").get("id") == "30" and xml.find("bridge").get("name") == "br0"


@pytest.mark.parametrize("line,status,words", [
    ("net.add_dhcp_pool lab start=10.1.2.5 end=10.1.2.9", 2, ["10.1.2.5", "10.1.1.0/24"]),
    ("net.add_dhcp_pool lab start=10.1.1.50 end=10.1.1.255", 2, ["10.1.1.255", "broadcast"]),
    ("net.add_dhcp_pool lab start=10.1.1.0 end=10.1.1.5", 2, ["10.1.1.0", "network address"]),
    ("net.add_dhcp_pool lab start=10.1.1.60 end=10.1.1.50", 2, ["10.1.1.50", "before"]),
    ("net.add_dhcp_pool lab start=10.1.1.200 end=10.1.1.254", 2, ["10.1.1.254", "DHCP server"]),
    ("net.add_dhcp_pool lab start=10.1.1.1 end=10.1.1.5", 2, ["10.1.1.1", "gateway"]),
    ("net.add_dhcp_pool lab start=10.1.1.15 end=10.1.1.25", 1, ["10.1.1.10-10.1.1.19", "overlaps"]),
    ("net.add_dhcp_pool lab start=10.1.1.5 end=10.1.1.10", 1, ["10.1.1.10-10.1.1.19", "overlaps"]),
    ("net.delete_dhcp_pool lab start=10.1.1.11", 1, ["10.1.1.11", "has no DHCP pool"]),
    ("net.delete_dhcp_pool lab start=10.1.1.10 end=10.1.1.18", 1, ["10.1.1.18"]),
    ("net.update_dhcp_dns lab domains=bad_domain!", 2, ["bad_domain!"]),
    ("net.update_dhcp_dns lab", 2, ["nothing to change"]),
    ("net.add_to_ip_blacklist lab ip_list=10.1.1.8,10.9.9.9", 2, ["10.9.9.9", "10.1.1.0/24"]),
    ("net.add_to_ip_blacklist lab ip_list=10.1.1.8,10.1.1.7", 1, ["10.1.1.7", "already"]),
    ("net.delete_from_ip_blacklist lab ip_list=10.1.1.7,10.1.1.9", 1, ["10.1.1.9", "not in"]),
])
def test_bad_input_changes_nothing(lab, line, status, words):
    lab.ok("net.add_dhcp_pool lab start=10.1.1.10 end=10.1.1.19")
    lab.ok("net.add_to_ip_blacklist lab ip_list=10.1.1.7")
    refused(lab, line, status, words)
    assert pools(lab, "lab") == [("10.1.1.10", "10.1.1.19")]
    assert texts(lab, "lab", "blacklist") == ["10.1.1.7"]


@pytest.mark.parametrize("line", [
    "net.add_dhcp_pool plain start=10.1.1.10 end=10.1.1.19",
    "net.delete_dhcp_pool plain start=10.1.1.10",
    "net.update_dhcp_dns plain servers=10.1.1.2",
    "net.clear_dhcp_dns plain",
    "net.add_to_ip_blacklist plain ip_list=10.1.1.7",
    "net.delete_from_ip_blacklist plain ip_list=10.1.1.7",
])
def test_unmanaged_networks_refuse_ipam_commands(lab, line):
    refused(lab, line, 1, ["plain", "not managed"], network="plain")
    assert ET.fromstring(net_xml(lab, "plain")).find("metadata") is None


def test_dns_options_update_and_clear(lab):
    lab.ok("net.update_dhcp_dns lab servers=10.1.1.2,8.8.8.8 domains=lab.example,example.com")
    assert texts(lab, "lab", "dns_server") == ["10.1.1.2", "8.8.8.8"]
    assert texts(lab, "lab", "domain_search") == ["lab.example", "example.com"]
    out = lab.ok("net.get lab")
    assert 'domain_name_servers: "10.1.1.2,8.8.8.8"' in out
    assert 'domain_search: "lab.example,example.com"' in out
    lab.ok("net.update_dhcp_dns lab domains=corp.example")      # servers stay
    assert texts(lab, "lab", "dns_server") == ["10.1.1.2", "8.8.8.8"]
    assert texts(lab, "lab", "domain_search") == ["corp.example"]
    lab.ok("net.clear_dhcp_dns lab")
    assert texts(lab, "lab", "dns_server") == [] and texts(lab, "lab", "domain_search") == []
    assert "dhcp_options" not in lab.ok("net.get lab")
    assert meta(lab, "lab").findtext("acli:ip_config", namespaces=NS) == "10.1.1.1/24"


def test_blacklist_add_delete_and_skipped_by_allocation(lab):
    lab.ok("net.add_dhcp_pool lab start=10.1.1.10 end=10.1.1.12")
    lab.ok("net.add_to_ip_blacklist lab ip_list=10.1.1.11,10.1.1.10")
    assert texts(lab, "lab", "blacklist") == ["10.1.1.10", "10.1.1.11"]
    lab.ok("vm.nic_create web1 network=lab")
    mac, = macs(lab, "web1")
    assert leases(lab, "lab") == {mac: ("10.1.1.12", uuid_of(lab, "web1"))}
    refused(lab, "vm.nic_create web1 network=lab", 1, ["no free address", "10.1.1.10-10.1.1.12"])
    refused(lab, "net.add_to_ip_blacklist lab ip_list=10.1.1.12", 1, ["10.1.1.12", mac, "web1"])
    lab.ok("net.delete_from_ip_blacklist lab ip_list=10.1.1.10")
    assert texts(lab, "lab", "blacklist") == ["10.1.1.11"]
    lab.ok("vm.nic_create web1 network=lab")
    assert sorted(ip for ip, _ in leases(lab, "lab").values()) == ["10.1.1.10", "10.1.1.12"]


def test_nic_addresses_reserved_allocated_shown_and_freed(lab):
    lab.ok("net.add_dhcp_pool lab start=10.1.1.100 end=10.1.1.101")
    lab.ok("vm.nic_create web1 network=lab ip=10.1.1.50 mac=50:6b:8d:00:00:01")
    lab.ok("vm.nic_create web1 network=lab mac=50:6b:8d:00:00:02")
    lab.ok("vm.nic_create web1 network=lab request_ip=false mac=50:6b:8d:00:00:03")
    uuid = uuid_of(lab, "web1")
    assert leases(lab, "lab") == {"50:6b:8d:00:00:01": ("10.1.1.50", uuid),
                                  "50:6b:8d:00:00:02": ("10.1.1.100", uuid)}
    nic_get = lab.ok("vm.nic_get web1")
    assert nic_get.count("ip_address:") == 2 and 'ip_address: "10.1.1.50"' in nic_get
    assert 'ip_address: "10.1.1.100"' in lab.ok("vm.get web1")
    rows = lab.ok("net.list_vms lab").splitlines()
    assert rows[0].split() == ["VM", "UUID", "VM", "name", "MAC", "address", "IP", "address"]
    assert [r.split()[2:] for r in rows[1:]] == [["50:6b:8d:00:00:01", "10.1.1.50"],
                                                 ["50:6b:8d:00:00:02", "10.1.1.100"],
                                                 ["50:6b:8d:00:00:03"]]
    # the NIC's address goes back when the NIC goes
    lab.ok("vm.nic_delete web1 50:6b:8d:00:00:02")
    assert "50:6b:8d:00:00:02" not in leases(lab, "lab")
    lab.ok("vm.create web2 memory=64M")
    lab.ok("vm.nic_create web2 network=lab mac=50:6b:8d:00:00:04")
    assert leases(lab, "lab")["50:6b:8d:00:00:04"] == ("10.1.1.100", uuid_of(lab, "web2"))
    # ... and when the VM goes
    lab.ok("-y vm.delete web1")
    assert leases(lab, "lab") == {"50:6b:8d:00:00:04": ("10.1.1.100", uuid_of(lab, "web2"))}
    lab.ok("vm.nic_create web2 network=lab ip=10.1.1.50")


@pytest.mark.parametrize("line,status,words", [
    ("vm.nic_create web2 network=lab ip=10.1.1.50", 1, ["10.1.1.50", "in use", "web1"]),
    ("vm.nic_create web2 network=lab ip=10.1.1.1", 2, ["10.1.1.1", "gateway"]),
    ("vm.nic_create web2 network=lab ip=10.1.1.254", 2, ["10.1.1.254", "DHCP server"]),
    ("vm.nic_create web2 network=lab ip=10.1.1.7", 2, ["10.1.1.7", "blacklist"]),
    ("vm.nic_create web2 network=lab ip=10.2.0.5", 2, ["10.2.0.5", "10.1.1.0/24"]),
    ("vm.nic_create web2 network=lab ip=10.1.1.255", 2, ["10.1.1.255", "broadcast"]),
    ("vm.nic_create web2 network=plain ip=10.1.1.60", 2, ["ip", "plain", "ip_config"]),
    ("vm.nic_create web2 network=plain request_ip=true", 2, ["request_ip", "plain"]),
    ("vm.nic_create web1,web2 network=lab ip=10.1.1.60", 2, ["ip=", "several VMs"]),
    ("vm.nic_update web1 50:6b:8d:00:00:01 ip=10.1.1.254", 2, ["10.1.1.254"]),
    ("vm.nic_update web1 50:6b:8d:00:00:01 network=plain ip=10.1.1.60", 2, ["ip", "plain"]),
])
def test_bad_addresses_change_nothing(lab, line, status, words):
    lab.ok("vm.create web2 memory=64M")
    lab.ok("net.add_to_ip_blacklist lab ip_list=10.1.1.7")
    lab.ok("vm.nic_create web1 network=lab ip=10.1.1.50 mac=50:6b:8d:00:00:01")
    refused(lab, line, status, words)
    refused(lab, line, status, words, network="plain")
    assert list(leases(lab, "lab")) == ["50:6b:8d:00:00:01"]


def test_request_ip_without_pools_is_refused_default_takes_none(lab):
    refused(lab, "vm.nic_create web1 network=lab request_ip=true", 1, ["lab", "no DHCP pools"])
    lab.ok("vm.nic_create web1 network=lab")
    assert leases(lab, "lab") == {}
    assert "ip_address" not in lab.ok("vm.nic_get web1")


def test_nic_update_changes_and_moves_addresses(lab):
    lab.ok("net.create dmz vlan=40 ip_config=192.168.7.1/28")
    lab.ok("net.add_dhcp_pool dmz start=192.168.7.3 end=192.168.7.5")
    lab.ok("vm.nic_create web1 network=lab ip=10.1.1.50 mac=50:6b:8d:00:00:01")
    uuid = uuid_of(lab, "web1")
    lab.ok("vm.nic_update web1 50:6b:8d:00:00:01 ip=10.1.1.51")
    assert leases(lab, "lab") == {"50:6b:8d:00:00:01": ("10.1.1.51", uuid)}
    lab.ok("vm.nic_update web1 50:6b:8d:00:00:01 network=dmz")          # a pool address
    assert leases(lab, "lab") == {}
    assert leases(lab, "dmz") == {"50:6b:8d:00:00:01": ("192.168.7.3", uuid)}
    lab.ok("vm.nic_update web1 50:6b:8d:00:00:01 network=lab ip=10.1.1.60")
    assert leases(lab, "dmz") == {}
    assert leases(lab, "lab") == {"50:6b:8d:00:00:01": ("10.1.1.60", uuid)}
    lab.ok("vm.nic_update web1 50:6b:8d:00:00:01 network=plain")
    assert leases(lab, "lab") == {}
    assert "ip_address" not in lab.ok("vm.nic_get web1")
    el = lab.host.conn.lookupByName("web1").XMLDesc(0)
    assert "network='plain'" in el


def test_refused_nic_writes_no_lease(lab):
    """A NIC refused after its address was checked leaves the network as it was."""
    lab.ok("vm.nic_create web1 network=lab ip=10.1.1.50 mac=50:6b:8d:00:00:01")
    before = net_xml(lab, "lab")
    # a MAC another VM already has is refused before anything is written
    lab.ok("vm.create web2 memory=64M")
    refused(lab, "vm.nic_create web2 network=lab mac=50:6b:8d:00:00:01 ip=10.1.1.60", 1,
            ["50:6b:8d:00:00:01"])
    assert net_xml(lab, "lab") == before


def test_clone_gets_pool_addresses_and_a_failed_clone_frees_them(lab):
    lab.ok("net.add_dhcp_pool lab start=10.1.1.100 end=10.1.1.101")
    lab.ok("vm.nic_create web1 network=lab ip=10.1.1.50")
    lab.ok("vm.clone c1 clone_from_vm=web1")
    mac, = macs(lab, "c1")
    assert leases(lab, "lab")[mac] == ("10.1.1.100", uuid_of(lab, "c1"))
    # c2 gets .101, c3 finds the pools empty: no clone is made, and c2's
    # address (chosen before the failure) is freed at the next allocation
    refused_status, _, err = lab("vm.clone c2,c3 clone_from_vm=web1")
    assert refused_status != 0 and "no free address" in err
    assert not re.search(r"^c[23]\s", lab.ok("vm.list"), re.M)
    lab.ok("vm.create web3 memory=64M")
    lab.ok("vm.nic_create web3 network=lab")
    mac3, = macs(lab, "web3")
    assert leases(lab, "lab")[mac3][0] == "10.1.1.101"
    assert sorted(ip for ip, _ in leases(lab, "lab").values()) == ["10.1.1.100", "10.1.1.101",
                                                                  "10.1.1.50"]


def test_rename_and_vlan_change_keep_the_ipam(lab):
    lab.ok("net.add_dhcp_pool lab start=10.1.1.100 end=10.1.1.101")
    lab.ok("net.update_dhcp_dns lab servers=10.1.1.2")
    lab.ok("net.add_to_ip_blacklist lab ip_list=10.1.1.7")
    lab.ok("vm.nic_create web1 network=lab")
    lab.ok("net.update lab vlan=31")
    lab.ok("net.update lab name=lab2")
    assert pools(lab, "lab2") == [("10.1.1.100", "10.1.1.101")]
    assert texts(lab, "lab2", "dns_server") == ["10.1.1.2"]
    assert texts(lab, "lab2", "blacklist") == ["10.1.1.7"]
    assert [ip for ip, _ in leases(lab, "lab2").values()] == ["10.1.1.100"]
    assert 'ip_address: "10.1.1.100"' in lab.ok("vm.nic_get web1")


def test_leases_of_vms_deleted_behind_acli_are_freed(lab):
    """A VM undefined with virsh (no acli hook ran) leaves a lease naming a
    UUID that no longer exists: the next allocation takes it back."""
    lab.ok("net.add_dhcp_pool lab start=10.1.1.100 end=10.1.1.100")
    lab.ok("vm.nic_create web1 network=lab ip=10.1.1.50")
    lab.ok("vm.nic_create web1 network=lab")
    lab.host.conn.lookupByName("web1").undefine()
    assert sorted(ip for ip, _ in leases(lab, "lab").values()) == ["10.1.1.100", "10.1.1.50"]
    lab.ok("vm.create web2 memory=64M")
    lab.ok("vm.nic_create web2 network=lab ip=10.1.1.50 mac=50:6b:8d:00:00:05")
    lab.ok("vm.nic_create web2 network=lab mac=50:6b:8d:00:00:06")
    uuid = uuid_of(lab, "web2")
    assert leases(lab, "lab") == {"50:6b:8d:00:00:05": ("10.1.1.50", uuid),
                                  "50:6b:8d:00:00:06": ("10.1.1.100", uuid)}


def test_running_vm_nic_gets_an_address_and_a_port(lab):
    lab.ok("net.add_dhcp_pool lab start=10.1.1.100 end=10.1.1.109")
    lab.ok("vm.on web1")
    lab.ok("vm.nic_create web1 network=lab mac=50:6b:8d:00:00:07")
    assert leases(lab, "lab") == {"50:6b:8d:00:00:07": ("10.1.1.100", uuid_of(lab, "web1"))}
    lab.ok("vm.nic_update web1 50:6b:8d:00:00:07 ip=10.1.1.105")
    assert leases(lab, "lab")["50:6b:8d:00:00:07"][0] == "10.1.1.105"
    lab.ok("-y vm.delete web1")
    assert leases(lab, "lab") == {}
