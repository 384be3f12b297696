"""Networking on the sandbox: networks, virtual switches, host NICs and VM
NICs, checked through acli's output, the domain XML libvirt holds, and the
private OVSDB (read with ovs-vsctl, as an admin would)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest
from nethelpers import macs, port_of, vsctl


def domain_xml(shell, vm) -> ET.Element:
    import libvirt

    dom = shell.host.conn.lookupByName(vm)
    return ET.fromstring(dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE))


def vlan_tags(shell, vm) -> list[list[str]]:
    """The <vlan><tag id> values of each NIC in the VM's stored definition."""
    return [[t.get("id") for t in el.findall("vlan/tag")]
            for el in domain_xml(shell, vm).findall("devices/interface")]


@pytest.fixture
def net(shell):
    shell.ok("net.create vlan.10 vlan=10")
    shell.ok("net.create vlan.20 vlan=20")
    shell.ok("vm.create web1 memory=64M")
    return shell


def test_fresh_sandbox_is_a_fresh_host(shell):
    out = shell.ok("net.list_virtual_switch")
    assert re.search(r"^vs0\s+\S+\s+kActiveBackup\s+1500\s+br0\s+eth0,eth1,eth2,eth3$", out, re.M)
    assert vsctl(shell, "get", "Port", "br0-up", "bond_mode") == "active-backup"
    nics = shell.ok("net.list_host_nic sandbox").splitlines()
    assert nics[0].split() == ["Name", "MAC", "address", "Link", "Speed", "(Mbps)", "MTU",
                               "Bridge", "Bond"]
    assert [line.split()[0] for line in nics[1:]] == ["eth0", "eth1", "eth2", "eth3"]
    assert all(line.split()[2:] == ["up", "10000", "1500", "br0", "br0-up"] for line in nics[1:])


def test_headline_trunked_nic(net):
    net.ok("vm.nic_create web1 vlan_mode=kTrunked trunked_networks=10,20,30 network=vlan.10")
    mac, = macs(net, "web1")
    assert mac.startswith("50:6b:8d:")
    el = domain_xml(net, "web1").find("devices/interface")
    assert el.get("type") == "network" and el.find("source").get("network") == "vlan.10"
    vlan = el.find("vlan")
    assert vlan.get("trunk") == "yes"
    assert [(t.get("id"), t.get("nativeMode")) for t in vlan.findall("tag")] == \
        [("10", "untagged"), ("20", None), ("30", None)]
    net.ok("vm.on web1")
    port = port_of(net, mac)
    assert (port["tag"], port["trunks"], port["vlan_mode"]) == ("10", "[10, 20, 30]", "native-untagged")
    ids = port["external_ids"]
    uuid = net.host.conn.lookupByName("web1").UUIDString()
    assert f'vm-id="{uuid}"' in ids and f'attached-mac="{mac}"' in ids and "iface-id=" in ids
    net.ok("vm.off web1")
    assert vsctl(net, "--bare", "--columns=name", "find", "Interface",
                 f'external_ids:attached-mac="{mac}"') == ""


def test_vm_get_shows_nic_list(net):
    net.ok("vm.nic_create web1 network=vlan.20 model=e1000 connected=false")
    out = net.ok("vm.get web1")
    block = out[out.index("nic_list {"):]
    assert 'network_name: "vlan.20"' in block and 'vlan_mode: "kAccess"' in block
    assert 'model: "e1000"' in block and "connected: False" in block
    uuid = re.search(r'^vlan.20\s+(\S+)', net.ok("net.list"), re.M).group(1)
    assert f'network_uuid: "{uuid}"' in block
    data = json.loads(net.ok("-o json vm.get web1").splitlines()[-1])["data"]
    nic, = next(iter(data.values()))["config"]["nic_list"]
    assert nic["vlan_mode"] == "kAccess" and nic["connected"] is False


def test_hotplug_unplug_and_retag_a_running_vm(net):
    net.ok("vm.on web1")
    net.ok("vm.nic_create web1 network=vlan.10")
    mac, = macs(net, "web1")
    assert port_of(net, mac)["tag"] == "10"
    net.ok("vm.nic_update web1 %s vlan_mode=kTrunked trunked_networks=30,40 "
           "update_vlan_trunk_info=true" % mac)
    port = port_of(net, mac)
    assert (port["tag"], port["trunks"], port["vlan_mode"]) == ("10", "[10, 30, 40]", "native-untagged")
    net.ok(f"vm.nic_update web1 {mac} network=vlan.20 vlan_mode=kAccess")
    port = port_of(net, mac)
    assert (port["tag"], port["trunks"], port["vlan_mode"]) == ("20", "[]", "[]")
    net.ok("net.update vlan.20 vlan=25")
    assert port_of(net, mac)["tag"] == "25"
    assert vlan_tags(net, "web1") == [["25"]]
    net.ok(f"vm.nic_delete web1 {mac}")
    assert macs(net, "web1") == []
    assert vsctl(net, "--bare", "--columns=name", "find", "Interface",
                 f'external_ids:attached-mac="{mac}"') == ""


def test_net_update_vlan_retags_every_nic_and_the_trunks(net):
    net.ok("vm.create web2 memory=64M")
    net.ok("vm.nic_create web1 network=vlan.10")
    net.ok("vm.nic_create web2 network=vlan.10 vlan_mode=kTrunked trunked_networks=10,99")
    net.ok("vm.on web2")
    assert net.ok("net.update vlan.10 vlan=11") == "vlan.10: complete\n"
    assert re.search(r"^vlan.10\s+\S+\s+kBridged\s+11\s*$", net.ok("net.list"), re.M)
    nic1 = net.ok("vm.nic_get web1")
    assert 'vlan_mode: "kAccess"' in nic1
    assert vlan_tags(net, "web1") == [["11"]]
    mac2, = macs(net, "web2")
    port = port_of(net, mac2)
    # 10 was listed in trunked_networks: it stays in the trunk beside the new native
    assert (port["tag"], port["trunks"]) == ("11", "[10, 11, 99]")
    listing = net.ok("net.list_vms vlan.10").splitlines()
    assert listing[0].split() == ["VM", "UUID", "VM", "name", "MAC", "address"]
    assert sorted(line.split()[1] for line in listing[1:]) == ["web1", "web2"]


def test_rename_follows_into_nics(net):
    net.ok("vm.nic_create web1 network=vlan.10")
    net.ok("net.update vlan.10 name=prod annotation=renamed")
    assert 'network_name: "prod"' in net.ok("vm.nic_get web1")
    assert 'annotation: "renamed"' in net.ok("net.get prod")
    net.ok("vm.on web1")
    status, _, err = net("net.update prod name=prod2")
    assert status == 1 and "power them off first" in err
    assert "prod" in net.ok("net.list")


def test_bad_input_changes_nothing(net):
    before = net.ok("vm.get web1")
    for line, status, words in (
        ("vm.nic_create web1 network=vlan.10 vlan_mode=kTrunked", 2, "needs trunked_networks"),
        ("vm.nic_create web1 network=vlan.10 trunked_networks=10", 2, "needs vlan_mode=kTrunked"),
        ("vm.nic_create web1 network=vlan.10 trunked_networks=4095 vlan_mode=kTrunked", 2, "4095"),
        ("vm.nic_create web1 network=vlan.1O", 1, "did you mean vlan.10?"),
        ("vm.nic_create web1 network=vlan.10 vlan_mod=kAccess", 2, "did you mean vlan_mode?"),
        ("vm.nic_create web1 network=vlan.10 model=e1000 queues=4", 2, "queues needs model=virtio"),
        ("vm.nic_create web1 network=vlan.10 mac=01:00:5e:00:00:01", 2, "multicast"),
        ("vm.nic_create web1 network=vlan.10 ip=10.1.1.5", 2, "IP address management"),
    ):
        status_, _, err = net(line)
        assert status_ == status and words in err and err.count("\n") == 1, (line, err)
    assert net.ok("vm.get web1") == before


def test_mac_is_unique_on_the_host(net):
    net.ok("vm.create web2 memory=64M")
    net.ok("vm.nic_create web1 network=vlan.10 mac=50:6b:8d:aa:bb:cc")
    status, _, err = net("vm.nic_create web2 network=vlan.10 mac=50:6B:8D:AA:BB:CC")
    assert status == 1 and "already in use" in err
    assert macs(net, "web2") == []


def test_network_in_use_is_not_deleted(net):
    net.ok("vm.nic_create web1 network=vlan.10")
    status, _, err = net("-y net.delete vlan.10")
    assert status == 1 and "used by 1 NICs of 1 VMs (web1)" in err
    status, _, err = net("net.delete vlan.20")
    assert status == 1 and "confirmation needed" in err
    assert "vlan.20" in net.ok("net.list")
    assert net.ok("-y net.delete vlan.20") == "vlan.20: complete\n"
    assert "vlan.20" not in net.ok("net.list")


def test_ip_config_is_validated_and_shown(shell):
    shell.ok("net.create mgmt vlan=5 ip_config=10.5.0.1/24 dhcp_address=10.5.0.2")
    assert re.search(r"^mgmt\s+\S+\s+kBridged\s+5\s+10\.5\.0\.0/24$", shell.ok("net.list"), re.M)
    out = shell.ok("net.get mgmt")
    assert 'dhcp_server_address: "10.5.0.2"' in out and "prefix_length: 24" in out
    for bad, words in (("ip_config=10.5.1.0/24", "network address"),
                       ("ip_config=10.5.1.1/31", "no room"),
                       ("ip_config=10.5.1.1/24 dhcp_address=10.6.0.2", "not a host address"),
                       ("dhcp_address=10.6.0.2", "needs ip_config"),
                       ("ip_config=10.5.1.1", "no /prefix")):
        status, _, err = shell(f"net.create bad vlan=6 {bad}")
        assert status == 2 and words in err, (bad, err)
    assert "bad" not in shell.ok("net.list")


def test_virtual_switch_lifecycle(shell):
    status, _, err = shell("net.create_virtual_switch vs1 uplinks=eth2,eth3")
    assert status == 1 and "already an uplink of br0" in err
    shell.ok("net.update_virtual_switch vs0 uplinks=eth0,eth1")
    assert sorted(vsctl(shell, "list-ifaces", "br0").split()) == ["eth0", "eth1"]
    shell.ok("net.create_virtual_switch vs1 uplinks=eth2,eth3 bond_type=kBalanceTcp "
             "lacp_timeout=kFast lacp_fallback=true mtu=9000")
    assert vsctl(shell, "get", "Port", "br1-up", "bond_mode") == "balance-tcp"
    assert vsctl(shell, "get", "Port", "br1-up", "lacp") == "active"
    assert vsctl(shell, "get", "Port", "br1-up", "other_config") == \
        '{lacp-fallback-ab="true", lacp-time=fast}'
    assert vsctl(shell, "get", "Interface", "eth2", "mtu_request") == "9000"
    out = shell.ok("net.get_virtual_switch vs1")
    assert 'bond_type: "kBalanceTcp"' in out and "mtu: 9000" in out and 'lacp_timeout: "kFast"' in out
    shell.ok("net.update_virtual_switch vs1 bond_type=kActiveBackup active_uplink=eth3")
    assert vsctl(shell, "get", "Port", "br1-up", "lacp") == "off"
    assert vsctl(shell, "get", "Port", "br1-up", "other_config") == "{bond-primary=eth3}"
    shell.ok("net.create vlan.7 vlan=7 vswitch_name=br1")
    assert 'virtual_switch: "vs1"' in shell.ok("net.get vlan.7")
    status, _, err = shell("-y net.delete_virtual_switch vs1")
    assert status == 1 and "used by 1 networks (vlan.7)" in err
    shell.ok("-y net.delete vlan.7")
    shell.ok("-y net.delete_virtual_switch vs1")
    assert "br1" not in vsctl(shell, "list-br").split()
    status, _, err = shell("-y net.delete_virtual_switch vs0")
    assert status == 1 and "default virtual switch" in err


def test_bad_switch_settings_change_nothing(shell):
    before = vsctl(shell, "--columns=bond_mode,lacp,other_config", "list", "Port", "br0-up")
    for line, words in (
        ("net.update_virtual_switch vs0 lacp_timeout=kFast", "need bond_type=kBalanceTcp"),
        ("net.update_virtual_switch vs0 mtu=20000", "above the maximum"),
        ("net.update_virtual_switch vs0 bond_type=kNone", "takes one uplink"),
        ("net.update_virtual_switch vs0 uplinks=eth0,eth9", "Unknown name: eth9"),
        ("net.update_virtual_switch vs0 active_uplink=eth7", "not an uplink"),
        ("net.update_virtual_switch vs9 mtu=9000", "Unknown name: vs9"),
        ("net.create_virtual_switch br1 uplinks=eth3", "virtual switches are vs0"),
        ("net.update_virtual_switch vs0 bond_type=kBalanceTCP2", "did you mean kBalanceTcp?"),
    ):
        status, _, err = shell(line)
        assert status != 0 and words in err and err.count("\n") == 1, (line, err)
    assert vsctl(shell, "--columns=bond_mode,lacp,other_config", "list", "Port", "br0-up") == before


def test_host_uplink_config_map_and_migrate(shell):
    shell.ok("net.update_virtual_switch vs0 host_uplink_config={sandbox:eth0,eth1}")
    assert "eth0,eth1" in shell.ok("net.list_virtual_switch")
    vsctl(shell, "add-br", "br3", "--", "add-bond", "br3", "bond0", "eth2", "eth3")
    assert "br3" not in shell.ok("net.list_virtual_switch")
    shell.ok("net.migrate_br_to_virtual_switch br3")
    out = shell.ok("net.get_virtual_switch vs3")
    assert 'bond_name: "bond0"' in out and 'host_nic_list: "eth2"' in out
    status, _, err = shell("net.migrate_br_to_virtual_switch br3")
    assert status == 1 and "already virtual switch vs3" in err
    nic = shell.ok("net.get_host_nic sandbox eth2")
    assert 'bridge_name: "br3"' in nic and 'bond_name: "bond0"' in nic


def test_clone_gets_fresh_nic_identity(net):
    net.ok("vm.nic_create web1 network=vlan.10")
    net.ok("vm.clone web2 clone_from_vm=web1")
    a, b = macs(net, "web1"), macs(net, "web2")
    assert len(b) == 1 and a != b and b[0].startswith("50:6b:8d:")
    ua = re.search(r'  uuid: "(\S+)"', net.ok("vm.nic_get web1")).group(1)
    ub = re.search(r'  uuid: "(\S+)"', net.ok("vm.nic_get web2")).group(1)
    assert ua != ub


def test_state_survives_processes(acli):
    assert acli("net.create", "vlan.10", "vlan=10").returncode == 0
    assert acli("vm.create", "web1", "memory=64M").returncode == 0
    assert acli("vm.nic_create", "web1", "network=vlan.10").returncode == 0
    assert acli("vm.on", "web1").returncode == 0
    done = acli("net.list_vms", "vlan.10")
    assert done.returncode == 0 and "web1" in done.stdout
    done = acli("-o", "json", "net.list")
    item, = json.loads(done.stdout)["data"]
    assert item["id"] == 10 and item["name"] == "vlan.10"


def test_removing_the_active_uplink_clears_it(shell):
    shell.ok("net.update_virtual_switch vs0 uplinks=eth0,eth1")
    shell.ok("net.update_virtual_switch vs0 active_uplink=eth1")
    assert vsctl(shell, "get", "Port", "br0-up", "other_config:bond-primary") == "eth1"
    shell.ok("net.update_virtual_switch vs0 uplinks=eth0")
    assert "bond-primary" not in vsctl(shell, "get", "Port", "br0-up", "other_config")
    assert "active_uplink" not in shell.ok("net.get_virtual_switch vs0")
    shell.ok("net.create_virtual_switch vs3 uplinks=eth1")  # eth1 is free for another switch


def test_ports_follow_power_in_a_batch(net):
    """A batch holds the sandbox: the ports of VMs it powers on and off are
    brought in line when it ends, and before acli itself reads OVSDB."""
    import io

    from acli.batch import run_batch
    net.ok("vm.nic_create web1 network=vlan.10")
    mac, = macs(net, "web1")

    def found():
        return vsctl(net, "--bare", "--columns=name", "find", "Interface",
                     f'external_ids:attached-mac="{mac}"')

    def batch(script):
        assert run_batch(net.session, io.StringIO(script), "<test>") == 0, net.err.getvalue()

    batch("vm.on web1\n")
    assert port_of(net, mac)["tag"] == "10"
    batch("vm.off web1\nvm.on web1\nvm.off web1\n")
    assert found() == ""
    with net.host.hold():
        net.ok("vm.on web1")
        net.host.ovsdb()  # what every OVSDB reader in acli goes through
        assert port_of(net, mac)["tag"] == "10"
        net.ok("vm.off web1")
    assert found() == ""
    batch("vm.on web1\n-y vm.delete web1\n")
    assert found() == ""


def test_migrate_br_takes_any_valid_switch_name(shell):
    """An adopted bridge keeps the name an admin gives it, not only vsN; the
    switch is then found by that name (and its bridge), listed in natural
    order, and the name is refused where it would be ambiguous or invalid."""
    shell.ok("net.update_virtual_switch vs0 uplinks=eth0,eth1")
    vsctl(shell, "add-br", "storage", "--", "add-bond", "storage", "bond0", "eth2", "eth3")
    vsctl(shell, "add-br", "br12")
    for line, words in (
        ("net.migrate_br_to_virtual_switch storage", "not named brN: give it a name with vs_name"),
        ('net.migrate_br_to_virtual_switch storage vs_name="a b"', "not a valid name"),
        ("net.migrate_br_to_virtual_switch storage vs_name=vs0", "already exists: vs0"),
        ("net.migrate_br_to_virtual_switch storage vs_name=br0", "name of another bridge"),
    ):
        status, _, err = shell(line)
        assert status != 0 and words in err and err.count("\n") == 1, (line, err)
    assert vsctl(shell, "br-get-external-id", "storage") == ""
    shell.ok("net.migrate_br_to_virtual_switch storage vs_name=vs-storage")
    shell.ok("net.migrate_br_to_virtual_switch br12")
    assert vsctl(shell, "br-get-external-id", "storage", "acli-vswitch") == "vs-storage"
    names = [line.split()[0] for line in shell.ok("net.list_virtual_switch").splitlines()[1:]]
    assert names == ["vs0", "vs12", "vs-storage"]
    out = shell.ok("net.get_virtual_switch vs-storage")
    assert 'bond_name: "bond0"' in out and 'host_nic_list: "eth2"' in out
    assert shell.ok("net.get_virtual_switch storage") == out
    shell.ok("net.create vlan.30 vlan=30 virtual_switch=vs-storage")
    assert re.search(r"^vlan\.30\s", shell.ok("net.list"), re.M)
    assert json.loads(shell.ok("-o json net.get vlan.30").splitlines()[-1])["data"]
