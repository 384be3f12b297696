"""NICs and vm.restore / clones on the sandbox: a restored NIC's VLAN follows
its network, a restore that would bring back a MAC another VM uses or a NIC
on a deleted network is refused (changing nothing), and a trunked NIC keeps
the VLANs the user listed across native-VLAN changes. Checked through the
domain XML libvirt stores and the private OVSDB's port columns."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from nethelpers import macs, vsctl
from nethelpers import port_vlans as port_of

NS = "{http://acli.dev/xmlns/net/1.0}"


def all_ports(shell) -> str:
    return vsctl(shell, "--columns=name,tag,trunks,vlan_mode", "list", "Port")


def raw_xml(shell, vm) -> str:
    import libvirt

    return shell.host.conn.lookupByName(vm).XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)


def domain_xml(shell, vm) -> ET.Element:
    return ET.fromstring(raw_xml(shell, vm))


def vlan_of(shell, vm, mac) -> tuple:
    """(trunk attribute, [(tag id, nativeMode)]) of the NIC's stored <vlan>."""
    for el in domain_xml(shell, vm).findall("devices/interface"):
        if el.find("mac").get("address") == mac:
            vlan = el.find("vlan")
            if vlan is None:
                return None, []
            return vlan.get("trunk"), [(t.get("id"), t.get("nativeMode")) for t in vlan.findall("tag")]
    raise AssertionError(f"{vm} has no NIC {mac}")


def stored_trunks(shell, vm, mac):
    for el in domain_xml(shell, vm).findall(f"metadata/{NS}nics/{NS}nic"):
        if el.get("mac") == mac:
            return el.get("trunked_networks")
    return None


def trunked(shell, vm) -> list[int]:
    return [int(v) for v in re.findall(r"trunked_networks: (\d+)", shell.ok(f"vm.nic_get {vm}"))]


@pytest.fixture
def net(shell):
    shell.ok("net.create vlan.10 vlan=10")
    shell.ok("net.create vlan.20 vlan=20")
    shell.ok("vm.create a memory=64M")
    return shell


# 1. a restored NIC's VLAN follows its network -------------------------------

def test_restore_retags_nics_to_their_networks_current_vlan(net):
    net.ok("vm.nic_create a network=vlan.10")
    net.ok("vm.nic_create a network=vlan.10 vlan_mode=kTrunked trunked_networks=99")
    access, trunk = macs(net, "a")
    net.ok("vm.snapshot_create a snapshot_name_list=s")
    net.ok("net.update vlan.10 vlan=20")
    net.ok("vm.restore a snapshot_name=s")
    assert vlan_of(net, "a", access) == (None, [("20", None)])
    assert vlan_of(net, "a", trunk) == ("yes", [("20", "untagged"), ("99", None)])
    net.ok("vm.on a")
    assert port_of(net, access) == {"tag": "20", "trunks": "[]", "vlan_mode": "[]"}
    assert port_of(net, trunk) == {"tag": "20", "trunks": "[20, 99]",
                                   "vlan_mode": "native-untagged"}


def test_restore_of_a_running_snapshot_retags_the_live_ports(net):
    net.ok("vm.nic_create a network=vlan.10")
    mac, = macs(net, "a")
    net.ok("vm.on a")
    net.ok("vm.snapshot_create a snapshot_name_list=s")
    net.ok("net.update vlan.10 vlan=30")
    net.ok("vm.restore a snapshot_name=s")
    assert vlan_of(net, "a", mac) == (None, [("30", None)])
    assert port_of(net, mac)["tag"] == "30"


# 2. restores that would bring back a bad NIC are refused ----------------------

def test_a_deleted_nics_mac_is_free_again(net):
    """Also within one process (the MAC cache forgets it)."""
    net.ok("vm.nic_create a network=vlan.10 mac=50:6b:8d:00:00:02")
    net.ok("vm.nic_delete a 50:6b:8d:00:00:02")
    net.ok("vm.create b memory=64M")
    net.ok("vm.nic_create b network=vlan.10 mac=50:6b:8d:00:00:02")
    assert macs(net, "b") == ["50:6b:8d:00:00:02"]


def test_restore_refuses_a_mac_another_vm_now_uses(net):
    net.ok("vm.nic_create a network=vlan.10 mac=50:6b:8d:00:00:01")
    net.ok("vm.snapshot_create a snapshot_name_list=s")
    net.ok("vm.nic_delete a 50:6b:8d:00:00:01")
    net.ok("vm.create b memory=64M")
    net.ok("vm.nic_create b network=vlan.10 mac=50:6b:8d:00:00:01")
    net.ok("vm.on b")
    before = raw_xml(net, "a"), raw_xml(net, "b"), all_ports(net)
    status, out, err = net("vm.restore a snapshot_name=s")
    assert status != 0
    assert len(err.strip().splitlines()) == 1, err
    assert "50:6b:8d:00:00:01" in err and "b" in err
    assert (raw_xml(net, "a"), raw_xml(net, "b"), all_ports(net)) == before
    assert macs(net, "a") == []


def test_restore_refuses_a_nic_on_a_deleted_network(net):
    net.ok("vm.nic_create a network=vlan.10")
    mac, = macs(net, "a")
    net.ok("vm.snapshot_create a snapshot_name_list=s")
    net.ok(f"vm.nic_delete a {mac}")
    net.ok("-y net.delete vlan.10")
    before = raw_xml(net, "a"), all_ports(net)
    status, _, err = net("vm.restore a snapshot_name=s")
    assert status != 0
    assert len(err.strip().splitlines()) == 1, err
    assert "vlan.10" in err and mac in err
    assert (raw_xml(net, "a"), all_ports(net)) == before
    # a network of that name again: the restored NIC takes its VLAN
    net.ok("net.create vlan.10 vlan=30")
    net.ok("vm.restore a snapshot_name=s")
    assert vlan_of(net, "a", mac) == (None, [("30", None)])
    assert 'network_uuid: "' in net.ok("vm.nic_get a")


# 3. trunked NICs keep the VLANs the user listed -------------------------------

def test_native_vlan_changes_keep_the_listed_trunks(net):
    net.ok("vm.nic_create a network=vlan.10 vlan_mode=kTrunked trunked_networks=10,20")
    mac, = macs(net, "a")
    net.ok("vm.on a")
    net.ok("net.update vlan.10 vlan=20")
    net.ok("net.update vlan.10 vlan=30")
    assert trunked(net, "a") == [10, 20, 30]
    assert vlan_of(net, "a", mac) == ("yes", [("30", "untagged"), ("10", None), ("20", None)])
    assert stored_trunks(net, "a", mac) == "10,20"
    assert port_of(net, mac) == {"tag": "30", "trunks": "[10, 20, 30]",
                                 "vlan_mode": "native-untagged"}


def test_unlisted_old_native_leaves_the_trunk(net):
    net.ok("vm.nic_create a network=vlan.10 vlan_mode=kTrunked trunked_networks=99")
    mac, = macs(net, "a")
    net.ok("net.update vlan.10 vlan=11")
    assert vlan_of(net, "a", mac) == ("yes", [("11", "untagged"), ("99", None)])


def test_moves_between_networks_keep_the_listed_trunks(net):
    net.ok("vm.nic_create a network=vlan.10 vlan_mode=kTrunked trunked_networks=10,30")
    mac, = macs(net, "a")
    net.ok(f"vm.nic_update a {mac} network=vlan.20")
    assert trunked(net, "a") == [10, 20, 30]
    net.ok(f"vm.nic_update a {mac} network=vlan.10")
    assert vlan_of(net, "a", mac) == ("yes", [("10", "untagged"), ("30", None)])
    assert stored_trunks(net, "a", mac) == "10,30"
    net.ok(f"vm.nic_update a {mac} update_vlan_trunk_info=true trunked_networks=20,40")
    net.ok(f"vm.nic_update a {mac} network=vlan.20")
    assert trunked(net, "a") == [20, 40]
    assert stored_trunks(net, "a", mac) == "20,40"
    net.ok(f"vm.nic_update a {mac} network=vlan.10")
    assert trunked(net, "a") == [10, 20, 40]
    net.ok(f"vm.nic_update a {mac} vlan_mode=kAccess")
    assert stored_trunks(net, "a", mac) is None
    assert vlan_of(net, "a", mac) == (None, [("10", None)])


def test_nic_made_before_the_fix_keeps_its_trunks_from_then_on(net):
    """No stored list: the tags except the native are the user's; written
    down at the first change, so later changes keep them."""
    net.ok("vm.nic_create a network=vlan.10 vlan_mode=kTrunked trunked_networks=20")
    mac, = macs(net, "a")
    root = domain_xml(net, "a")
    if root.find("metadata") is not None:
        root.remove(root.find("metadata"))
    net.host.conn.defineXML(ET.tostring(root, encoding="unicode"))
    assert stored_trunks(net, "a", mac) is None
    net.ok("net.update vlan.10 vlan=20")
    assert stored_trunks(net, "a", mac) == "20"
    assert trunked(net, "a") == [20]
    net.ok("net.update vlan.10 vlan=30")
    assert trunked(net, "a") == [20, 30]


def test_clone_and_restore_carry_the_listed_trunks(net):
    net.ok("vm.nic_create a network=vlan.10 vlan_mode=kTrunked trunked_networks=10,40")
    mac, = macs(net, "a")
    net.ok("vm.snapshot_create a snapshot_name_list=s")
    net.ok("vm.clone b clone_from_vm=a")
    net.ok("vm.clone c clone_from_snapshot=s")
    for vm in ("b", "c"):
        new, = macs(net, vm)
        assert stored_trunks(net, vm, new) == "10,40"
        assert stored_trunks(net, vm, mac) is None
    net.ok(f"vm.nic_update a {mac} update_vlan_trunk_info=true trunked_networks=50")
    net.ok("net.update vlan.10 vlan=11")
    net.ok("vm.restore a snapshot_name=s")
    assert stored_trunks(net, "a", mac) == "10,40"
    assert vlan_of(net, "a", mac) == ("yes", [("11", "untagged"), ("10", None), ("40", None)])
    assert trunked(net, "b") == [10, 11, 40]
