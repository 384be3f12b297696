"""A managed network's DHCP server configuration, derived from IPAM: the
pure part (acli/network/dhcp_config.py) and what the sandbox shows of it in
net.get. The same functions feed the real host's dnsmasq
(tests/realhost/test_dhcp_real.py proves it with a guest)."""

from __future__ import annotations

import json

import pytest

from acli.errors import UsageError
from acli.network import dhcp_config, ipam
from acli.network.networks import Network

UUID = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"


def managed(**ipam_fields) -> Network:
    return Network(name="lab", bridge="br1", vlan=10, uuid=UUID, ip_config="198.51.100.1/24",
                   ipam=ipam.Ipam(**ipam_fields))


def test_reservations_and_options_come_from_ipam():
    net = managed(dns_servers=["198.51.100.53", "198.51.100.54"],
                  domains=["lab.example", "example.com"],
                  leases=[ipam.Lease("198.51.100.120", "50:6b:8d:00:00:02", "vm2"),
                          ipam.Lease("198.51.100.100", "50:6B:8D:00:00:01", "vm1")])
    p = dhcp_config.plan(net)
    assert p.hosts == ("50:6b:8d:00:00:01,198.51.100.100", "50:6b:8d:00:00:02,198.51.100.120")
    assert p.options == ("option:router,198.51.100.1",
                         "option:dns-server,198.51.100.53,198.51.100.54",
                         "option:domain-name,lab.example",
                         "option:domain-search,lab.example,example.com")
    assert p.address == "198.51.100.254/24"   # the last usable address, as AHV
    assert p.range_line == "198.51.100.0,static,255.255.255.0,3600"
    assert dhcp_config.hosts_file(p) == ("50:6b:8d:00:00:01,198.51.100.100\n"
                                         "50:6b:8d:00:00:02,198.51.100.120\n")
    conf = dhcp_config.dnsmasq_conf(p, "/run/x/" + UUID)
    # answers reserved MACs only, serves no DNS, binds its one port
    for line in ("port=0", "dhcp-ignore=tag:!known", f"interface={p.port}", "bind-interfaces",
                 f"dhcp-hostsfile=/run/x/{UUID}/hosts", f"dhcp-optsfile=/run/x/{UUID}/opts"):
        assert line in conf.splitlines()


def test_dhcp_address_and_no_dns_servers():
    net = managed()
    net.dhcp_address = "198.51.100.2"
    p = dhcp_config.plan(net)
    assert p.address == "198.51.100.2/24"
    # stated empty, so that dnsmasq does not offer itself as the DNS server
    assert "option:dns-server" in p.options
    assert not any(o.startswith("option:domain") for o in p.options)


def test_names_come_from_the_uuid_only():
    namespace, port, cookie = dhcp_config.names(UUID)
    assert namespace == f"acli-dhcp-{UUID}"
    assert port == "dhcp0a1b2c3d4e5" and len(port) <= 15
    assert cookie >> 48 == 0xACD1
    for bad in ("../../etc", "lab", UUID + "\n", ""):
        with pytest.raises(UsageError):
            dhcp_config.names(bad)


@pytest.mark.parametrize("field,value", [
    ("domains", ["lab.example\ndhcp-script=/bin/sh"]),
    ("domains", ["a.example,option:router"]),
    ("dns_servers", ["198.51.100.53\nport=53"]),
])
def test_a_value_that_could_smuggle_an_option_is_refused(field, value):
    """IPAM checks every value first; the plan checks again, so that nothing
    reaches dnsmasq's files that could end a line or add an option."""
    with pytest.raises((UsageError, ValueError)):
        dhcp_config.plan(managed(**{field: value}))


def test_bad_lease_mac_is_refused():
    with pytest.raises(UsageError):
        dhcp_config.plan(managed(leases=[ipam.Lease("198.51.100.100", "50:6b:8d:00:00:01\nx")]))


def test_unmanaged_network_has_no_server():
    with pytest.raises(UsageError):
        dhcp_config.plan(Network(name="plain", bridge="br1", vlan=10, uuid=UUID))


ACCESS10 = dhcp_config.switch_port(7, 10, [], "access")
ACCESS20 = dhcp_config.switch_port(8, 20, [], "")                  # empty mode + tag = access
TRUNK_NATIVE20 = dhcp_config.switch_port(9, 20, [10, 30], "native-untagged")
TRUNK_NATIVE10 = dhcp_config.switch_port(11, 10, [10, 30], "native-untagged")
TRUNK_OTHER = dhcp_config.switch_port(12, 20, [30], "native-untagged")
UNTAGGED = dhcp_config.switch_port(13, None, [], "")               # the bridge's own port


def test_switch_ports_read_as_ovs_does():
    assert ACCESS10 == dhcp_config.SwitchPort(7, 10, frozenset())
    assert ACCESS20 == dhcp_config.SwitchPort(8, 20, frozenset())
    assert TRUNK_NATIVE20 == dhcp_config.SwitchPort(9, 20, frozenset({10, 20, 30}))
    assert UNTAGGED == dhcp_config.SwitchPort(13, 0, None)        # a trunk of every VLAN
    assert dhcp_config.switch_port(14, None, [10], "trunk") == dhcp_config.SwitchPort(
        14, None, frozenset({10}))                                 # untagged frames dropped


def test_flows_fence_the_uplink_and_redirect_this_vlans_ports():
    p = dhcp_config.plan(managed(leases=[ipam.Lease("198.51.100.100", "50:6b:8d:00:00:01")]))
    ports = [ACCESS10, ACCESS20, TRUNK_NATIVE20, TRUNK_NATIVE10, TRUNK_OTHER, UNTAGGED]
    flows = dhcp_config.flows(p, ["eth3", "eth4"], ports)
    c = f"cookie={p.cookie:#x}"
    fence = [f for f in flows if "priority=40010" in f]
    for member in ("eth3", "eth4"):  # a bond's members each
        assert (f"{c},priority=40010,in_port={member},udp,tp_src=67,tp_dst=68,dl_vlan=10,"
                "actions=drop") in fence
        assert (f"{c},priority=40010,in_port={member},udp,tp_src=68,tp_dst=67,dl_vlan=10,"
                "actions=drop") in fence
    assert len(fence) == 4
    untagged = f"vlan_tci=0x0000/0x1fff,udp,tp_src=68,tp_dst=67,actions=output:{p.port}"
    tagged = f"dl_vlan=10,udp,tp_src=68,tp_dst=67,actions=strip_vlan,output:{p.port}"
    # untagged requests of VLAN 10: the access port's and the trunk whose
    # native VLAN is 10, whatever the MAC (unknown ones are ignored by the
    # server, and go nowhere else); tagged ones from the trunks carrying 10
    assert sorted(f for f in flows if "priority=40000" in f) == sorted([
        f"{c},priority=40000,in_port=7,{untagged}",
        f"{c},priority=40000,in_port=9,{tagged}",
        f"{c},priority=40000,in_port=11,{untagged}",
        f"{c},priority=40000,in_port=11,{tagged}",
        f"{c},priority=40000,in_port=13,{tagged}",
    ])
    # nothing of ports on other VLANs (their DHCP is switched as usual), and
    # no rule matches by MAC (a guest elsewhere using a managed MAC is not
    # this network's)
    assert not any("in_port=8," in f or "in_port=12," in f or "dl_src" in f for f in flows)
    assert all(flow.startswith(c + ",") for flow in flows)


def test_flows_of_an_untagged_network():
    net = managed()
    net.vlan = 0
    flows = dhcp_config.flows(dhcp_config.plan(net), ["br1-up"], [ACCESS10, UNTAGGED])
    assert any("in_port=br1-up" in f and "vlan_tci=0x0000/0x1fff" in f and "drop" in f
               for f in flows)
    assert not any("dl_vlan" in f for f in flows)
    redirects = [f for f in flows if "priority=40000" in f]
    assert len(redirects) == 1 and "in_port=13," in redirects[0]


# the sandbox: the same configuration in net.get, no process -------------------

def test_sandbox_net_get_shows_the_server_it_would_run(shell):
    shell.ok("net.create lab vlan=10 ip_config=198.51.100.1/24")
    shell.ok("net.add_dhcp_pool lab start=198.51.100.100 end=198.51.100.110")
    shell.ok("net.update_dhcp_dns lab servers=198.51.100.53 domains=lab.example")
    shell.ok("vm.create web1")
    shell.ok("vm.nic_create web1 network=lab")
    shell.ok("vm.nic_create web1 network=lab ip=198.51.100.50")
    shell.session.output = "json"
    data = json.loads(shell.ok("net.get lab"))["data"]
    rows = json.loads(shell.ok("net.list_vms lab"))["data"]
    shell.session.output = "text"
    (uuid,) = data
    dhcp = data[uuid]["dhcp_server"]
    assert dhcp["state"] == "not run on this host (configuration only)"
    assert dhcp["namespace"] == f"acli-dhcp-{uuid}"
    assert sorted(dhcp["reservation"]) == sorted(f"{r['mac_addr']},{r['ip_address']}" for r in rows)
    assert {r["ip_address"] for r in rows} == {"198.51.100.100", "198.51.100.50"}
    assert dhcp["option"] == ["option:router,198.51.100.1", "option:dns-server,198.51.100.53",
                              "option:domain-name,lab.example",
                              "option:domain-search,lab.example"]
    assert dhcp["lease_time"] == 3600
    # it follows a changed address and a deleted VM
    mac = rows[0]["mac_addr"]
    shell.ok(f"vm.nic_update web1 {mac} ip=198.51.100.60")
    shell.session.output = "json"
    dhcp = json.loads(shell.ok("net.get lab"))["data"][uuid]["dhcp_server"]
    assert f"{mac},198.51.100.60" in dhcp["reservation"]
    shell.ok("-y vm.delete web1")
    dhcp = json.loads(shell.ok("net.get lab"))["data"][uuid]["dhcp_server"]
    assert dhcp["reservation"] == []


def test_unmanaged_network_shows_no_server(shell):
    shell.ok("net.create plain vlan=10")
    shell.session.output = "json"
    data = json.loads(shell.ok("net.get plain"))["data"]
    assert "dhcp_server" not in next(iter(data.values()))
