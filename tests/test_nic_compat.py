"""NIC keywords aCLI scripts use beyond the basics, on the sandbox: virtio
multiqueue (queues=) on vm.nic_create and vm.nic_update, and network-function
NICs (type=kNetworkFunctionNic) on br.nf, checked in the definition libvirt
holds and in the sandbox's OVSDB."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import libvirt
import pytest
from nethelpers import macs


def nic_el(shell, vm, mac) -> ET.Element:
    dom = shell.host.conn.lookupByName(vm)
    root = ET.fromstring(dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE))
    return next(el for el in root.findall("devices/interface")
                if el.find("mac").get("address") == mac)


@pytest.fixture
def vm(shell):
    shell.ok("net.create vlan.10 vlan=10")
    shell.ok("vm.create q1 memory=64M")
    return shell


def test_queues_on_create_and_update(vm):
    vm.ok("vm.nic_create q1 network=vlan.10 queues=2")
    mac, = macs(vm, "q1")
    assert nic_el(vm, "q1", mac).find("driver").get("queues") == "2"
    assert vm.ok(f"vm.nic_update q1 {mac} queues=8") == "NicUpdate: complete\n"
    el = nic_el(vm, "q1", mac)
    assert el.find("driver").get("queues") == "8"
    assert el.find("vlan/tag").get("id") == "10"  # the rest of the NIC is as it was
    nic = json.loads(vm.ok("-o json vm.nic_get q1"))["data"][mac]
    assert nic["queues"] == 8
    assert "queues: 8" in vm.ok("vm.get q1")


def test_queues_refused_where_qemu_cannot_have_them(vm):
    vm.ok("vm.nic_create q1 network=vlan.10")
    vm.ok("vm.nic_create q1 network=vlan.10 model=e1000")
    virtio, e1000 = sorted(macs(vm, "q1"),
                           key=lambda m: nic_el(vm, "q1", m).find("model").get("type") != "virtio")
    vm.ok("vm.on q1")
    vm.ok("vm.get q1")  # the power action's count is written
    before = vm.host.conn.lookupByName("q1").XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
    for line, words in (
        (f"vm.nic_update q1 {e1000} queues=2", "queues needs model=virtio (not e1000)"),
        (f"vm.nic_update q1 {virtio} queues=2", "VM is on; power it off to change queues"),
        (f"vm.nic_update q1 {virtio} queues=0", "0 is below the minimum 1"),
        (f"vm.nic_update q1 {virtio} queues=257", "257 is above the maximum 256"),
    ):
        status, _, err = vm(line)
        assert status != 0 and words in err and err.count("\n") == 1, (line, err)
    dom = vm.host.conn.lookupByName("q1")
    assert dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE) == before


# type=kNetworkFunctionNic ----------------------------------------------------

def test_network_function_nic_is_a_port_on_br_nf_with_its_kind(shell):
    from nethelpers import vsctl

    shell.ok("vm.create fw1 memory=64M")
    assert "br.nf" not in vsctl(shell, "list-br").split()
    assert shell.ok("vm.nic_create fw1 type=kNetworkFunctionNic "
                    "network_function_nic_type=kIngress") == "NicCreate: complete\n"
    shell.ok("vm.nic_create fw1 type=kNetworkFunctionNic network_function_nic_type=kEgress")
    assert "br.nf" in vsctl(shell, "list-br").split()  # made with the first NIC
    assert vsctl(shell, "br-get-external-id", "br.nf", "acli-chain") == "network-function"
    ingress, egress = macs(shell, "fw1")
    el = nic_el(shell, "fw1", ingress)
    assert el.get("type") == "bridge" and el.find("source").get("bridge") == "br.nf"
    assert el.find("virtualport/parameters").get("profileid") == "nf-kIngress"
    assert el.find("vlan") is None
    nic = json.loads(shell.ok("-o json vm.nic_get fw1"))["data"][ingress]
    assert nic["type"] == "kNetworkFunctionNic" and nic["network_function_nic_type"] == "kIngress"
    assert "network_name" not in nic
    assert 'network_function_nic_type: "kEgress"' in shell.ok("vm.get fw1")
    shell.ok("vm.on fw1")  # the ports carry the kind, as libvirt writes a profileid
    for mac, kind in ((ingress, "kIngress"), (egress, "kEgress")):
        port = vsctl(shell, "--bare", "--columns=name", "find", "Interface",
                     f'external_ids:attached-mac="{mac}"')
        assert vsctl(shell, "port-to-br", port) == "br.nf"
        assert vsctl(shell, "get", "Interface", port, "external_ids:port-profile") == f"nf-{kind}"
    shell.ok(f"vm.nic_update fw1 {ingress} connected=false")
    shell.ok("vm.off fw1")
    shell.ok(f"vm.nic_delete fw1 {egress}")
    assert macs(shell, "fw1") == [ingress]
    shell.ok("vm.clone fw2 clone_from_vm=fw1")
    clone = json.loads(shell.ok("-o json vm.nic_get fw2"))["data"].popitem()[1]
    assert clone["network_function_nic_type"] == "kIngress" and clone["mac_addr"] != ingress


def test_network_function_nic_refusals_change_nothing(shell):
    from nethelpers import vsctl

    shell.ok("net.create vlan.10 vlan=10")
    shell.ok("vm.create fw3 memory=64M")
    before = shell.host.conn.lookupByName("fw3").XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
    nf = "vm.nic_create fw3 type=kNetworkFunctionNic"
    for line, words in (
        (nf, "needs network_function_nic_type=kIngress|kEgress|kTap"),
        (f"{nf} network_function_nic_type=kIngress network=vlan.10", "network does not go with"),
        (f"{nf} network_function_nic_type=kTap vlan_mode=kTrunked", "vlan_mode does not go with"),
        (f"{nf} network_function_nic_type=kTap ip=198.51.100.5", "ip does not go with"),
        (f"{nf} network_function_nic_type=kWire", "'kWire' is not one of kIngress"),
        ("vm.nic_create fw3 network=vlan.10 network_function_nic_type=kTap", "needs type="),
        ("vm.nic_create fw3", "Missing argument: network"),
    ):
        status, _, err = shell(line)
        assert status == 2 and words in err and err.count("\n") == 1, (line, err)
    assert shell.host.conn.lookupByName("fw3").XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE) == before
    assert "br.nf" not in vsctl(shell, "list-br").split()
    shell.ok(f"{nf} network_function_nic_type=kTap")
    mac, = macs(shell, "fw3")
    status, _, err = shell(f"vm.nic_update fw3 {mac} network=vlan.10")
    assert status == 2 and "only connected and queues change" in err
