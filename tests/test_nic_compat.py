"""NIC keywords aCLI scripts use beyond the basics, on the sandbox: virtio
multiqueue (queues=) on vm.nic_create and vm.nic_update, checked in the
definition libvirt holds."""

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
