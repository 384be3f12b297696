"""Managed networks' DHCP on qemu:///system, proven with the tiny guest
(scripts/guest-image: its udhcpc prints every lease on the serial console)
and with a DHCP server on the "physical" side of the uplink.

The rig, all on this machine: switch bridge dh-br whose uplink is one end
of a veth pair (dh-up0); the other end (dh-up1) is a port of bridge
dh-phys, the stand-in for the physical network. On dh-phys, in namespace
dh-rogue, a rogue dnsmasq answers anyone on VLAN 61 (the managed network's)
and VLAN 62 (an unmanaged one) from 203.0.113.0/24. The managed network
hands out 198.51.100.0/24. Nothing leaves the machine.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
from pathlib import Path

import dhcpwire
import pytest
from hosthelpers import trace
from test_guest_real import guest_image, make_guest_vm  # noqa: F401 (fixture)
from waiting import wait_until

pytestmark = pytest.mark.realhost

ROOT = Path(__file__).resolve().parents[2]
BR, PHYS, UP0, UP1, ROGUE = "dh-br", "dh-phys", "dh-up0", "dh-up1", "dh-rogue"
MANAGED, PLAIN = "acli-test-dh-managed", "acli-test-dh-plain"
VLAN_M, VLAN_P = 61, 62
GATEWAY, SERVER = "198.51.100.1", "198.51.100.254"
LEASE_TIMEOUT = 90
LEASE_RE = re.compile(r"acli-guest: dhcp (bound|renew) ip=(\S*) mask=(\S*) router=(\S*) "
                      r"dns=(.*?) domain=(\S*) search=(.*?) lease=(\d*)")


def sh(*cmd, ok=True) -> subprocess.CompletedProcess:
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    if ok:
        assert done.returncode == 0, f"{cmd}: {done.stderr}"
    return done


def _teardown_rig():
    pidfile = f"/tmp/{ROGUE}.pid"
    if os.path.exists(pidfile):
        try:
            os.kill(int(Path(pidfile).read_text()), signal.SIGTERM)
        except (ProcessLookupError, ValueError):
            pass
        Path(pidfile).unlink(missing_ok=True)  # dnsmasq removes it as it leaves
    sh("ip", "netns", "del", ROGUE, ok=False)
    sh("ip", "netns", "del", "dh-outside", ok=False)
    for br in (BR, PHYS):
        sh("ovs-vsctl", "--timeout=10", "--if-exists", "del-br", br)
    sh("ip", "link", "del", UP0, ok=False)


@pytest.fixture
def rig(real_shell, tmp_path):
    for net in (MANAGED, PLAIN):
        _drop_network(real_shell.host.conn, net)
    _teardown_rig()
    sh("ip", "link", "add", UP0, "type", "veth", "peer", "name", UP1)
    for dev in (UP0, UP1):
        sh("ip", "link", "set", dev, "up")
    sh("ovs-vsctl", "--timeout=10", "add-br", BR, "--", "set", "bridge", BR, "datapath_type=netdev",
       f"external_ids:acli-uplink={UP0}", "--", "add-port", BR, UP0)
    sh("ovs-vsctl", "--timeout=10", "add-br", PHYS, "--", "set", "bridge", PHYS,
       "datapath_type=netdev", "--", "add-port", PHYS, UP1)
    # the rogue server: one port per VLAN in its namespace
    sh("ip", "netns", "add", ROGUE)
    for vlan, addr in ((VLAN_M, "203.0.113.1/25"), (VLAN_P, "203.0.113.129/25")):
        port = f"dh-rogue{vlan}"
        sh("ovs-vsctl", "--timeout=10", "add-port", PHYS, port, f"tag={vlan}", "--",
           "set", "interface", port, "type=internal")
        wait_until(lambda: os.path.exists(f"/sys/class/net/{port}"), 5)
        sh("ip", "link", "set", port, "netns", ROGUE)
        sh("ip", "-n", ROGUE, "addr", "add", addr, "dev", port)
        sh("ip", "-n", ROGUE, "link", "set", port, "up")
    log = tmp_path / "rogue.log"
    sh("ip", "netns", "exec", ROGUE, "dnsmasq", "--conf-file=/dev/null", "--port=0",
       "--bind-interfaces", "--interface=dh-rogue61", "--interface=dh-rogue62",
       "--dhcp-range=203.0.113.10,203.0.113.100,255.255.255.128,120",
       "--dhcp-range=203.0.113.140,203.0.113.200,255.255.255.128,120",
       f"--dhcp-leasefile={tmp_path}/rogue.leases", f"--pid-file=/tmp/{ROGUE}.pid",
       f"--log-facility={log}", "--log-dhcp")
    real_shell.ok(f"net.create {MANAGED} vlan={VLAN_M} vswitch_name={BR} ip_config={GATEWAY}/24")
    real_shell.ok(f"net.add_dhcp_pool {MANAGED} start=198.51.100.100 end=198.51.100.150")
    real_shell.ok(f"net.update_dhcp_dns {MANAGED} servers=198.51.100.53,198.51.100.54 "
                  "domains=lab.example,example.com")
    real_shell.ok(f"net.create {PLAIN} vlan={VLAN_P} vswitch_name={BR}")
    yield log
    for dom in real_shell.host.conn.listAllDomains():
        if dom.name().startswith("acli-test-dh") and dom.isActive():
            dom.destroy()
    for dom in real_shell.host.conn.listAllDomains():
        if dom.name().startswith("acli-test-dh"):
            dom.undefine()
    for net in (MANAGED, PLAIN):
        _drop_network(real_shell.host.conn, net)
    subprocess.run([str(ROOT / ".venv/bin/acli-dhcp"), "sync"], capture_output=True)
    _teardown_rig()


def _drop_network(conn, name):
    for net in conn.listAllNetworks():
        if net.name() == name:
            if net.isActive():
                net.destroy()
            net.undefine()


def leases(console: str) -> list[dict]:
    keys = ("event", "ip", "mask", "router", "dns", "domain", "search", "lease")
    return [dict(zip(keys, m.groups())) for m in LEASE_RE.finditer(console)]


def wait_lease(guest, want_ip: str | None = None, timeout=LEASE_TIMEOUT) -> dict:
    def got():
        found = leases(guest.log())
        if found and (want_ip is None or found[-1]["ip"] == want_ip):
            return found[-1]
        return None
    lease = wait_until(got, timeout, 0.5)
    assert lease, f"{guest.name}: no lease{' of ' + want_ip if want_ip else ''} within " \
                  f"{timeout} s; console:\n{guest.log()}"
    return lease


def _json(real_shell, line):
    """The line's JSON envelope (the shell's output format, for one line)."""
    real_shell.session.output = "json"
    try:
        return real_shell.ok(line)
    finally:
        real_shell.session.output = "text"


def server_dir(uuid):
    return f"/run/acli/dhcp/{uuid}"


def dnsmasq_pids(uuid) -> list[int]:
    out = sh("pgrep", "-f", f"{server_dir(uuid)}/dnsmasq.conf", ok=False).stdout
    return [int(p) for p in out.split()]


def acli_dhcp(*args) -> subprocess.CompletedProcess:
    return subprocess.run([str(ROOT / ".venv/bin/acli-dhcp"), *args], capture_output=True,
                          text=True, timeout=120)


def test_guest_takes_its_ipam_address_and_nothing_leaks(real_shell, guest_image, rig):
    rogue_log = rig
    a = make_guest_vm(real_shell, guest_image, "acli-test-dh-a")
    b = make_guest_vm(real_shell, guest_image, "acli-test-dh-b")
    real_shell.ok(f"vm.nic_create {a.name} network={MANAGED}")
    real_shell.ok(f"vm.nic_create {b.name} network={PLAIN}")
    real_shell.ok("vm.create acli-test-dh-c memory=128M")  # never runs: its MAC is used outside
    real_shell.ok(f"vm.nic_create acli-test-dh-c network={MANAGED}")

    info = json.loads(_json(real_shell, f"net.get {MANAGED}"))["data"]
    (uuid,) = info
    dhcp = info[uuid]["dhcp_server"]
    rows = json.loads(_json(real_shell, f"net.list_vms {MANAGED}"))["data"]
    by_vm = {r["vm_name"]: r for r in rows}
    mac_a, ip_a = by_vm[a.name]["mac_addr"], by_vm[a.name]["ip_address"]
    mac_c, ip_c = by_vm["acli-test-dh-c"]["mac_addr"], by_vm["acli-test-dh-c"]["ip_address"]
    assert ip_a == "198.51.100.100" and ip_c == "198.51.100.101"
    assert dhcp["state"] == "running"
    assert sorted(dhcp["reservation"]) == sorted([f"{mac_a},{ip_a}", f"{mac_c},{ip_c}"])
    assert dhcp["address"] == f"{SERVER}/24"
    assert dnsmasq_pids(uuid) == [dhcp["pid"]]
    ns = dhcp["namespace"]
    assert ns in sh("ip", "netns", "list").stdout

    real_shell.ok(f"vm.on {a.name}")
    real_shell.ok(f"vm.on {b.name}")
    lease = wait_lease(a)
    assert lease["ip"] == ip_a
    assert lease["mask"] == "255.255.255.0"
    assert lease["router"] == GATEWAY
    assert lease["dns"].split() == ["198.51.100.53", "198.51.100.54"]
    assert lease["domain"] == "lab.example"
    assert lease["search"].split() == ["lab.example", "example.com"]
    assert lease["lease"] == "3600"

    # the unmanaged network's guest is answered by the physical network's
    # server (DHCP passes untouched), never by acli's
    lease_b = wait_lease(b)
    assert lease_b["ip"].startswith("203.0.113.1"), lease_b
    mac_b = json.loads(_json(real_shell, f"net.list_vms {PLAIN}"))["data"][0]["mac_addr"]
    acli_log = Path(server_dir(uuid), "log").read_text()
    assert mac_a in acli_log and "DHCPACK(" in acli_log
    assert mac_b not in acli_log

    # the rogue server never heard the managed guest (its requests stay on
    # the host), while it heard the unmanaged one
    rogue = rogue_log.read_text()
    assert mac_b in rogue
    assert mac_a not in rogue

    # a client outside (on the physical side, VLAN 61) with a MAC acli
    # holds a reservation for is not answered by acli's server
    sh("ip", "netns", "add", "dh-outside")
    sh("ovs-vsctl", "--timeout=10", "add-port", PHYS, "dh-out61", f"tag={VLAN_M}", "--",
       "set", "interface", "dh-out61", "type=internal")
    wait_until(lambda: os.path.exists("/sys/class/net/dh-out61"), 5)
    sh("ip", "link", "set", "dh-out61", "netns", "dh-outside")
    sh("ip", "-n", "dh-outside", "link", "set", "dh-out61", "address", mac_c)
    sh("ip", "-n", "dh-outside", "link", "set", "dh-out61", "up")
    sh("ip", "netns", "exec", "dh-outside", "busybox", "udhcpc", "-i", "dh-out61", "-n",
       "-q", "-t", "3", "-T", "1", "-s", "/bin/true", ok=False)
    assert f"DHCPDISCOVER(dh-rogue61) {mac_c}" in rogue_log.read_text()  # it did ask
    assert mac_c not in Path(server_dir(uuid), "log").read_text()

    # a new address: dnsmasq reloads (same process) and the guest's next
    # renew takes it
    pid = dhcp["pid"]
    real_shell.ok(f"vm.nic_update {a.name} {mac_a} ip=198.51.100.120")
    assert f"{mac_a},198.51.100.120" in Path(server_dir(uuid), "hosts").read_text()
    assert dnsmasq_pids(uuid) == [pid]
    lease = wait_lease(a, "198.51.100.120")
    assert lease["router"] == GATEWAY
    assert mac_a not in rogue_log.read_text()


def port_of_mac(mac: str) -> str:
    """The switch port libvirt made for the NIC with this MAC."""
    name = sh("ovs-vsctl", "--bare", "--columns=name", "find", "Interface",
              f'external_ids:attached-mac="{mac}"').stdout.strip()
    assert name, f"no port for {mac}"
    return name


def request(in_port: str, mac: str, vlan: int | None = None) -> str:
    """A broadcast DHCP request as ofproto/trace takes it."""
    tag = f",dl_vlan={vlan}" if vlan is not None else ""
    return (f"in_port={in_port},dl_src={mac},dl_dst=ff:ff:ff:ff:ff:ff{tag},udp,"
            "nw_src=0.0.0.0,nw_dst=255.255.255.255,udp_src=68,udp_dst=67")


def reply(in_port: str, mac: str, vlan: int) -> str:
    """A DHCP server's broadcast reply to `mac`, arriving tagged on `in_port`."""
    return (f"in_port={in_port},dl_src=02:00:00:00:00:99,dl_dst=ff:ff:ff:ff:ff:ff,"
            f"dl_vlan={vlan},udp,nw_src=203.0.113.1,nw_dst=255.255.255.255,udp_src=67,udp_dst=68")


def test_interception_keeps_managed_dhcp_on_the_host(real_shell, guest_image, rig):
    """The rules on the switch, proven with guests and frames: a managed
    network's requests (known MAC, unknown MAC, tagged on a trunk) reach
    acli's server and never the uplink; replies from the uplink on its VLAN
    never reach a guest; the unmanaged network's DHCP passes both ways."""
    rogue_log = rig
    a = make_guest_vm(real_shell, guest_image, "acli-test-dh-a")
    b = make_guest_vm(real_shell, guest_image, "acli-test-dh-b")
    u = make_guest_vm(real_shell, guest_image, "acli-test-dh-u")
    real_shell.ok(f"vm.nic_create {a.name} network={MANAGED}")
    # b: a trunk whose native VLAN is the unmanaged network's, carrying the
    # managed VLAN tagged
    real_shell.ok(f"vm.nic_create {b.name} network={PLAIN} vlan_mode=kTrunked "
                  f"trunked_networks={VLAN_M}")
    # u: on the managed network with no address: a MAC IPAM does not know
    real_shell.ok(f"vm.nic_create {u.name} network={MANAGED} request_ip=false")
    by_vm = {r["vm_name"]: r for r in
             json.loads(_json(real_shell, f"net.list_vms {MANAGED}"))["data"]}
    mac_a, mac_u = by_vm[a.name]["mac_addr"], by_vm[u.name]["mac_addr"]
    assert by_vm[u.name]["ip_address"] == ""
    mac_b = json.loads(_json(real_shell, f"net.list_vms {PLAIN}"))["data"][0]["mac_addr"]
    info = json.loads(_json(real_shell, f"net.get {MANAGED}"))["data"]
    (uuid,) = info
    server_port = info[uuid]["dhcp_server"]["port"]
    acli_log = Path(server_dir(uuid), "log")

    real_shell.ok(f"vm.on {a.name},{b.name},{u.name}")
    port_a, port_b, port_u = port_of_mac(mac_a), port_of_mac(mac_b), port_of_mac(mac_u)

    # what the switch does with each frame (ofproto/trace)
    assert trace(BR, request(port_a, mac_a)) == {server_port: None}
    assert trace(BR, request(port_u, mac_u)) == {server_port: None}  # unknown: no flood
    assert trace(BR, request(port_b, mac_b, VLAN_M)) == {server_port: None}  # tagged, stripped
    out = trace(BR, request(port_b, mac_b))  # the unmanaged VLAN: switched as usual
    assert out.get(UP0) == VLAN_P and server_port not in out
    assert trace(BR, reply(UP0, mac_a, VLAN_M)) == {}  # a reply from outside: dropped
    assert trace(BR, request(UP0, mac_a, VLAN_M)) == {}  # a request from outside: dropped
    out = trace(BR, reply(UP0, mac_b, VLAN_P))
    assert out.get(port_b) is None and port_b in out  # the unmanaged VLAN's reply passes

    # the guests: a takes acli's answer, b the physical network's, u none
    assert wait_lease(a)["ip"] == by_vm[a.name]["ip_address"]
    assert wait_lease(b)["ip"].startswith("203.0.113.1")
    assert wait_until(lambda: f"{mac_u} ignored" in acli_log.read_text(), LEASE_TIMEOUT, 0.5), \
        acli_log.read_text()
    assert leases(u.log()) == []
    rogue = rogue_log.read_text()
    assert mac_b in rogue                            # the physical server hears b ...
    assert mac_a not in rogue and mac_u not in rogue  # ... and no managed guest

    # a server outside sends offers on both VLANs: b's reaches b, a's never a
    sh("ovs-vsctl", "--timeout=10", "add-port", PHYS, "dh-inj", "--",
       "set", "interface", "dh-inj", "type=internal")
    wait_until(lambda: os.path.exists("/sys/class/net/dh-inj"), 5)
    sh("ip", "link", "set", "dh-inj", "up")
    cap_a, cap_b = dhcpwire.Capture(port_a), dhcpwire.Capture(port_b)
    try:
        dhcpwire.send("dh-inj", dhcpwire.offer("02:00:00:00:00:99", mac_a, VLAN_M, 0xACD10061,
                                               "203.0.113.1", "203.0.113.61"))
        dhcpwire.send("dh-inj", dhcpwire.offer("02:00:00:00:00:99", mac_b, VLAN_P, 0xACD10062,
                                               "203.0.113.129", "203.0.113.162"))
        cap_a.drain(2), cap_b.drain(0.1)
        assert cap_b.saw_xid(0xACD10062)
        assert not cap_a.saw_xid(0xACD10061)
        assert cap_a.frames  # the capture works: a's own DHCP renewals go through it
    finally:
        cap_a.close(), cap_b.close()


def inject(bridge: str, in_port: str, frame: bytes) -> None:
    """`frame` enters the switch as if it came in on `in_port` (OpenFlow
    packet-out through the flow table): a guest's frame, sent from its
    port, whatever the guest runs."""
    sh("ovs-ofctl", "packet-out", bridge, f"in_port={in_port} packet={frame.hex()} actions=table")


def test_a_trunk_is_answered_on_the_managed_vlan_it_carries(real_shell, guest_image, rig):
    """A trunked NIC holds an address on the managed network whose VLAN it
    carries; a DISCOVER tagged with that VLAN from its port is answered
    with that address, and one from a MAC with no lease is not."""
    t = make_guest_vm(real_shell, guest_image, "acli-test-dh-t")
    real_shell.ok(f"vm.nic_create {t.name} network={PLAIN} vlan_mode=kTrunked "
                  f"trunked_networks={VLAN_M}")
    (row,) = json.loads(_json(real_shell, f"net.list_vms {MANAGED}"))["data"]
    mac_t, ip_t = row["mac_addr"], row["ip_address"]
    assert row["vm_name"] == t.name and ip_t == "198.51.100.100"
    nic = json.loads(_json(real_shell, f"vm.nic_get {t.name}"))["data"][mac_t]
    assert [(e["network_name"], e["ip_address"]) for e in nic["trunked_network_ip_list"]] == \
        [(MANAGED, ip_t)]
    info = json.loads(_json(real_shell, f"net.get {MANAGED}"))["data"]
    (uuid,) = info
    assert info[uuid]["dhcp_server"]["reservation"] == [f"{mac_t},{ip_t}"]
    assert f"{mac_t},{ip_t}" in Path(server_dir(uuid), "hosts").read_text()

    real_shell.ok(f"vm.on {t.name}")
    port_t = port_of_mac(mac_t)
    stranger = "02:00:00:00:00:77"  # no lease anywhere
    cap = dhcpwire.Capture(port_t)
    try:
        inject(BR, port_t, dhcpwire.discover(mac_t, VLAN_M, 0xACD10161))
        inject(BR, port_t, dhcpwire.discover(stranger, VLAN_M, 0xACD10177))
        acli_log = Path(server_dir(uuid), "log")
        assert wait_until(lambda: f"{stranger} ignored" in acli_log.read_text(), 10, 0.2), \
            acli_log.read_text()
        wait_until(lambda: cap.drain(0.2) and cap.saw_xid(0xACD10161), 10, 0)
        assert cap.offered(0xACD10161) == [ip_t], acli_log.read_text()
        cap.drain(1)
        assert not cap.saw_xid(0xACD10177)
    finally:
        cap.close()
    server_port = info[uuid]["dhcp_server"]["port"]
    assert f"DHCPOFFER({server_port}) {ip_t} {mac_t}" in acli_log.read_text()
    rogue = rig.read_text()  # the tagged requests never reached the outside
    assert f"(dh-rogue{VLAN_M}) {mac_t}" not in rogue and stranger not in rogue


def test_server_follows_crashes_vlan_and_deletion(real_shell, rig):
    real_shell.ok("vm.create acli-test-dh-d memory=128M")
    real_shell.ok(f"vm.nic_create acli-test-dh-d network={MANAGED}")
    info = json.loads(_json(real_shell, f"net.get {MANAGED}"))["data"]
    (uuid,) = info
    dhcp = info[uuid]["dhcp_server"]
    port, ns = dhcp["port"], dhcp["namespace"]
    assert sh("ovs-vsctl", "get", "port", port, "tag").stdout.strip() == str(VLAN_M)
    assert sh("ovs-vsctl", "get", "port", port, "protected").stdout.strip() == "true"
    assert sh("ovs-vsctl", "get", "port", UP0, "protected").stdout.strip() == "true"
    assert SERVER in sh("ip", "-n", ns, "-4", "addr", "show", "dev", port).stdout

    # dnsmasq dies: net.get says so; acli-dhcp sync restarts it
    os.kill(dhcp["pid"], signal.SIGKILL)
    wait_until(lambda: not dnsmasq_pids(uuid), 5)
    state = json.loads(_json(real_shell, f"net.get {MANAGED}"))["data"][uuid]["dhcp_server"]
    assert state["state"].startswith("not running")
    done = acli_dhcp("sync")
    assert done.returncode == 0, done.stderr
    assert f"{uuid}: started" in done.stdout
    state = json.loads(_json(real_shell, f"net.get {MANAGED}"))["data"][uuid]["dhcp_server"]
    assert state["state"] == "running" and dnsmasq_pids(uuid) == [state["pid"]]
    again = acli_dhcp("sync")
    assert again.returncode == 0 and uuid not in again.stdout  # nothing to do

    # the VLAN follows net.update; the rules too
    real_shell.ok(f"net.update {MANAGED} vlan=63")
    assert sh("ovs-vsctl", "get", "port", port, "tag").stdout.strip() == "63"
    flows = sh("ovs-ofctl", "dump-flows", BR).stdout
    assert "dl_vlan=63" in flows and "dl_vlan=61" not in flows

    # deleting the network leaves nothing behind
    real_shell.ok("-y vm.delete acli-test-dh-d")
    assert json.loads(_json(real_shell, f"net.get {MANAGED}"))["data"][uuid]["dhcp_server"][
        "reservation"] == []
    real_shell.ok(f"-y net.delete {MANAGED}")
    assert not dnsmasq_pids(uuid)
    assert ns not in sh("ip", "netns", "list").stdout
    assert sh("ovs-vsctl", "--bare", "--columns=name", "find", "Port",
              f"external_ids:acli-dhcp={uuid}").stdout.strip() == ""
    assert "0xacd1" not in sh("ovs-ofctl", "dump-flows", BR).stdout
    assert sh("ovs-vsctl", "get", "port", UP0, "protected").stdout.strip() == "false"
    assert not os.path.exists(server_dir(uuid))
