"""Networking on the real host: libvirtd + QEMU + ovs-vswitchd (userspace
datapath). What acli configures is read back from the system OVSDB with
ovs-vsctl, and `ovs-appctl ofproto/trace` proves the switch enforces it.

Each test makes virtual switch vs7 (bridge br7 over eth3,eth4 from
scripts/realhost) and networks acli-test-*; all are removed afterwards."""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET

import pytest
import hosthelpers
from hosthelpers import drop_bridge, drop_networks

pytestmark = pytest.mark.realhost

VS, BR, BOND = "vs7", "br7", "br7-up"


def run(*cmd) -> str:
    done = subprocess.run(cmd, capture_output=True, text=True)
    assert done.returncode == 0, f"{cmd}: {done.stderr}"
    return done.stdout.strip()


def vsctl(*args) -> str:
    return run("ovs-vsctl", "--timeout=10", *args)


def virsh(*args) -> str:
    return run("virsh", "-q", "-c", "qemu:///system", *args)


def _cleanup():
    import libvirt

    conn = libvirt.open("qemu:///system")
    drop_networks(conn, "acli-test-")
    conn.close()
    drop_bridge(BR)


@pytest.fixture
def sw(real_shell):
    """vs7 over eth3,eth4 with networks acli-test-v10 (VLAN 10) and -v20 (VLAN 20)."""
    _cleanup()
    sh = real_shell
    host = sh.host.info().name
    sh.ok(f"net.create_virtual_switch {VS} uplinks=eth3,eth4")
    sh.ok(f"net.create acli-test-v10 vlan=10 virtual_switch={VS}")
    sh.ok(f"net.create acli-test-v20 vlan=20 vswitch_name={BR}")
    sh.hostname = host
    yield sh
    for dom in sh.host.conn.listAllDomains():
        if dom.name().startswith("acli-test-") and dom.isActive():
            dom.destroy()
    _cleanup()


def port_for(mac: str) -> str:
    name = vsctl("--bare", "--columns=name", "find", "Interface", f'external_ids:attached-mac="{mac}"')
    assert name, f"no OVS port for {mac}"
    return name


def port(mac: str) -> tuple[str, str, str]:
    name = port_for(mac)
    return tuple(vsctl("get", "Port", name, c) for c in ("tag", "trunks", "vlan_mode"))


def new_nic(sh, vm: str, line: str) -> str:
    before = set(nic_macs(sh, vm))
    sh.ok(f"vm.nic_create {vm} {line}")
    mac, = set(nic_macs(sh, vm)) - before
    return mac


def nic_macs(sh, vm):
    return re.findall(r'mac_addr: "([0-9a-f:]+)"', sh.ok(f"vm.nic_get {vm}"))


def test_headline_trunked_nic_on_a_running_vm(sw):
    sw.ok("vm.create acli-test-t memory=64M")
    sw.ok("vm.on acli-test-t")
    mac = new_nic(sw, "acli-test-t",
                  "vlan_mode=kTrunked trunked_networks=10,20,30 network=acli-test-v10")
    assert port(mac) == ("10", "[10, 20, 30]", "native-untagged")
    ids = vsctl("get", "Interface", port_for(mac), "external_ids")
    uuid = virsh("domuuid", "acli-test-t")
    assert f'vm-id="{uuid}"' in ids and f'attached-mac="{mac}"' in ids
    nic_uuid = re.search(r'  uuid: "(\S+)"', sw.ok("vm.nic_get acli-test-t")).group(1)
    assert f'iface-id="{nic_uuid}"' in ids
    for xml in (virsh("dumpxml", "acli-test-t"), virsh("dumpxml", "--inactive", "acli-test-t")):
        vlan = ET.fromstring(xml).find("devices/interface/vlan")
        assert vlan.get("trunk") == "yes"
        assert [(t.get("id"), t.get("nativeMode")) for t in vlan.findall("tag")] == \
            [("10", "untagged"), ("20", None), ("30", None)]
        # the user's own trunk list, kept so a later native-VLAN change keeps it
        stored = ET.fromstring(xml).find(
            "metadata/{http://acli.dev/xmlns/net/1.0}nics/{http://acli.dev/xmlns/net/1.0}nic")
        assert stored is not None and stored.get("trunked_networks") == "10,20,30"
    # the port goes with the VM and comes back with it
    sw.ok("vm.off acli-test-t")
    assert vsctl("--bare", "--columns=name", "find", "Interface", f'external_ids:attached-mac="{mac}"') == ""
    sw.ok("vm.on acli-test-t")
    assert port(mac) == ("10", "[10, 20, 30]", "native-untagged")


def test_live_changes_reach_the_port(sw):
    sw.ok("vm.create acli-test-l memory=64M")
    sw.ok("vm.on acli-test-l")
    mac = new_nic(sw, "acli-test-l", "network=acli-test-v10")           # hot-plug
    assert port(mac) == ("10", "[]", "[]")
    sw.ok(f"vm.nic_update acli-test-l {mac} vlan_mode=kTrunked trunked_networks=30,40 "
          "update_vlan_trunk_info=true")                                 # live re-tag
    assert port(mac) == ("10", "[10, 30, 40]", "native-untagged")
    sw.ok(f"vm.nic_update acli-test-l {mac} network=acli-test-v20 vlan_mode=kAccess")
    assert port(mac) == ("20", "[]", "[]")
    assert 'network_name: "acli-test-v20"' in sw.ok("vm.nic_get acli-test-l")
    sw.ok("net.update acli-test-v20 vlan=25")                            # network re-tag
    assert port(mac) == ("25", "[]", "[]")
    assert "<tag id='25'/>" in virsh("dumpxml", "--inactive", "acli-test-l")
    # Unplug: the definition loses the NIC at once; a guest-less VM cannot
    # answer the PCI eject, which acli reports instead of pretending.
    status, _, err = sw(f"vm.nic_delete acli-test-l {mac}")
    assert nic_macs(sw, "acli-test-l") == []
    if status != 0:
        assert "did not release the NIC" in err
        sw.ok("vm.off acli-test-l")
    assert vsctl("--bare", "--columns=name", "find", "Interface", f'external_ids:attached-mac="{mac}"') == ""


def trace(flow: str) -> dict[str, int | None]:
    """Where the switch sends a broadcast frame (hosthelpers.trace)."""
    return hosthelpers.trace(BR, f"{flow},dl_src=02:00:00:00:00:01,dl_dst=ff:ff:ff:ff:ff:ff")


def test_the_switch_enforces_the_vlans(sw):
    sw.ok("vm.create acli-test-x,acli-test-y memory=64M")
    sw.ok("vm.on acli-test-x,acli-test-y")
    a = port_for(new_nic(sw, "acli-test-x", "network=acli-test-v10"))
    b = port_for(new_nic(sw, "acli-test-x", "network=acli-test-v20"))
    c = port_for(new_nic(sw, "acli-test-y", "network=acli-test-v10"))
    t = port_for(new_nic(sw, "acli-test-y", "network=acli-test-v10 vlan_mode=kTrunked "
                                            "trunked_networks=10,20,30"))
    # an access frame on VLAN 10 reaches VLAN 10 ports and the trunk, never VLAN 20
    out = trace(f"in_port={a}")
    members = [m for m in ("eth3", "eth4") if m in out]
    assert len(members) == 1, out  # one active member of the active-backup bond
    uplink = members[0]
    assert out.get(c, "missing") is None          # untagged on the other access port
    assert out.get(t, "missing") is None          # VLAN 10 is the trunk's native VLAN: untagged
    assert out.get(uplink) == 10                  # tagged on the uplink
    assert b not in out
    # a VLAN 20 frame leaves the trunk tagged, and reaches the VLAN 20 port untagged
    out = trace(f"in_port={b}")
    assert out.get(t) == 20 and out.get(uplink) == 20
    assert a not in out and c not in out
    out = trace(f"in_port={uplink},dl_vlan=20")
    assert out.get(t) == 20 and out.get(b, "missing") is None and a not in out
    # a native-VLAN frame from the uplink leaves the trunk untagged
    out = trace(f"in_port={uplink},dl_vlan=10")
    assert out.get(t, "missing") is None and out.get(a, "missing") is None and b not in out
    # a VLAN the trunk does not carry stays off it
    out = trace(f"in_port={uplink},dl_vlan=99")
    assert t not in out and a not in out and b not in out

    # re-tag the network: the switch follows at once
    sw.ok("net.update acli-test-v20 vlan=10")
    out = trace(f"in_port={a}")
    assert out.get(b, "missing") is None


def test_bond_lacp_and_mtu_land_in_ovsdb(sw):
    sw.ok(f"net.update_virtual_switch {VS} bond_type=kBalanceTcp lacp_timeout=kFast "
          "lacp_fallback=true mtu=9000")
    assert vsctl("get", "Port", BOND, "bond_mode") == "balance-tcp"
    assert vsctl("get", "Port", BOND, "lacp") == "active"
    other = vsctl("get", "Port", BOND, "other_config")
    assert 'lacp-fallback-ab="true"' in other and "lacp-time=fast" in other
    for iface in ("eth3", "eth4", BR):
        assert vsctl("get", "Interface", iface, "mtu_request") == "9000"
        assert vsctl("get", "Interface", iface, "mtu") == "9000"   # ovs-vswitchd applied it
    lacp = run("ovs-appctl", "lacp/show", BOND)
    assert "lacp_time: fast" in lacp and "active" in lacp
    sw.ok(f"net.update_virtual_switch {VS} bond_type=kBalanceSlb mtu=1500")
    assert vsctl("get", "Port", BOND, "lacp") == "off"
    assert "bond_mode: balance-slb" in run("ovs-appctl", "bond/show", BOND)
    sw.ok(f"net.update_virtual_switch {VS} bond_type=kActiveBackup active_uplink=eth4")
    show = run("ovs-appctl", "bond/show", BOND)
    assert "bond_mode: active-backup" in show
    assert vsctl("get", "Port", BOND, "other_config") == "{bond-primary=eth4}"
    record = sw.ok(f"net.get_virtual_switch {VS}")
    assert 'bond_type: "kActiveBackup"' in record and 'active_uplink: "eth4"' in record
    # a bad value is refused before OVSDB sees it
    status, _, err = sw(f"net.update_virtual_switch {VS} mtu=10000")
    assert status == 2 and "mtu" in err
    assert vsctl("get", "Interface", "eth3", "mtu_request") == "1500"


def test_host_nics_and_switch_listing(sw):
    out = sw.ok(f"net.list_host_nic {sw.hostname}")
    rows = {line.split()[0]: line.split() for line in out.splitlines()[1:]}
    assert {"eth1", "eth2", "eth3", "eth4"} <= set(rows)
    assert not any(n.startswith(("peer-", "vnet", "br", "lo")) for n in rows)
    assert rows["eth3"][-2:] == [BR, BOND]
    mac = open("/sys/class/net/eth3/address").read().strip()
    assert rows["eth3"][1] == mac
    assert f'bridge_name: "{BR}"' in sw.ok(f"net.get_host_nic {sw.hostname} eth3")
    assert re.search(rf"^{VS}\s+\S+\s+kActiveBackup\s+\d+\s+{BR}\s+eth3,eth4$",
                     sw.ok("net.list_virtual_switch"), re.M)
    status, _, err = sw(f"-y net.delete_virtual_switch {VS}")
    assert status == 1 and "used by 2 networks" in err
    status, _, err = sw("net.create_virtual_switch vs8 uplinks=eth3")
    assert status == 1 and f"already an uplink of {BR}" in err
    assert "br8" not in vsctl("list-br").split()
