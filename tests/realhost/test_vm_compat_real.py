"""vm.force_off, the boot device, serial ports and NIC queues on the real
host (libvirtd + QEMU): what reaches QEMU is read from its own command line
and process, where the sandbox can only show the definition."""

from __future__ import annotations

import json
import os
import subprocess
import time

import pytest
from hosthelpers import drop_bridge, drop_networks

pytestmark = pytest.mark.realhost

NET, BR = "acli-test-boot", "acli-test-bb"


def virsh(*args) -> str:
    done = subprocess.run(["virsh", "-q", "-c", "qemu:///system", *args],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def qemu_pid(name: str) -> int:
    with open(f"/run/libvirt/qemu/{name}.pid") as f:
        return int(f.read().strip())


def qemu_devices(name: str) -> list[dict]:
    """The -device arguments QEMU was started with (libvirt writes them as JSON)."""
    with open(f"/proc/{qemu_pid(name)}/cmdline", "rb") as f:
        args = f.read().split(b"\0")
    return [json.loads(args[i + 1]) for i, arg in enumerate(args[:-1])
            if arg == b"-device" and args[i + 1].startswith(b"{")]


def gone(pid: int) -> bool:
    for _ in range(50):
        if not os.path.exists(f"/proc/{pid}"):
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def sh(real_shell):
    """A shell with network acli-test-boot on a bridge of its own (the
    userspace datapath, as scripts/realhost runs OVS)."""
    conn = real_shell.host.conn
    drop_networks(conn, NET)
    drop_bridge(BR)
    subprocess.run(["ovs-vsctl", "--timeout=10", "add-br", BR, "--", "set", "bridge", BR,
                    "datapath_type=netdev"], check=True)
    real_shell.ok(f"net.create {NET} vlan=0 vswitch_name={BR}")
    yield real_shell
    for dom in conn.listAllDomains():
        if dom.name().startswith("acli-test-") and dom.isActive():
            dom.destroy()
    drop_networks(conn, NET)
    drop_bridge(BR)


def test_force_off_kills_qemu_of_a_running_and_a_paused_vm(sh):
    sh.ok("vm.create acli-test-fo[1..2] memory=64M")
    sh.ok("vm.on acli-test-fo[1..2]")
    sh.ok("vm.pause acli-test-fo2")
    pids = [qemu_pid("acli-test-fo1"), qemu_pid("acli-test-fo2")]
    assert sh.ok("vm.force_off acli-test-fo*") == "acli-test-fo1: complete\nacli-test-fo2: complete\n"
    assert [virsh("domstate", f"acli-test-fo{i}") for i in (1, 2)] == ["shut off", "shut off"]
    assert all(gone(pid) for pid in pids)
    assert sh.ok("vm.force_off acli-test-fo1") == "acli-test-fo1: complete\n"  # off already


def test_boot_device_reaches_qemu_as_bootindex(sh):
    sh.ok("vm.create acli-test-boot memory=64M")
    sh.ok("vm.disk_create acli-test-boot cdrom=true empty=true")
    sh.ok(f"vm.nic_create acli-test-boot network={NET}")
    mac = sh.host.conn.lookupByName("acli-test-boot").XMLDesc(0).split("mac address='")[1][:17]
    sh.ok(f"vm.update_boot_device acli-test-boot mac_addr={mac}")
    sh.ok("vm.on acli-test-boot")
    devices = qemu_devices("acli-test-boot")
    nic = next(d for d in devices if d.get("mac") == mac)
    cdrom = next(d for d in devices if d.get("driver") == "ide-cd")
    assert (nic["driver"], nic["bootindex"], cdrom["bootindex"]) == ("virtio-net-pci", 1, 2)
    # a running VM's change is for its next start
    sh.ok("vm.update_boot_device acli-test-boot disk_addr=ide.0")
    assert next(d for d in qemu_devices("acli-test-boot") if d.get("mac") == mac)["bootindex"] == 1
    sh.ok("vm.power_cycle acli-test-boot")
    devices = qemu_devices("acli-test-boot")
    assert next(d for d in devices if d.get("driver") == "ide-cd")["bootindex"] == 1
    assert next(d for d in devices if d.get("mac") == mac)["bootindex"] == 2  # after the CD-ROM
    assert 'disk_addr {\n          bus: "ide"\n          index: 0' in sh.ok("vm.get acli-test-boot")


def test_serial_ports_and_nic_queues_reach_qemu(sh):
    sh.ok("vm.create acli-test-ser memory=64M num_vcpus=2")
    sh.ok("vm.serial_port_create acli-test-ser type=kServer index=0")
    sh.ok("vm.serial_port_create acli-test-ser type=kNull index=1")
    sh.ok(f"vm.nic_create acli-test-ser network={NET} queues=2")
    sh.ok("vm.on acli-test-ser")
    assert virsh("ttyconsole", "acli-test-ser").startswith("/dev/pts/")  # kServer: a pty console
    devices = qemu_devices("acli-test-ser")
    serials = sorted((d["driver"], d.get("index")) for d in devices if d["driver"] == "isa-serial")
    assert serials == [("isa-serial", 0), ("isa-serial", 1)]
    nic = next(d for d in devices if d["driver"] == "virtio-net-pci")
    assert nic["mq"] is True and nic["vectors"] == 6  # 2 queue pairs: 2 * 2 + 2
    status, _, err = sh("vm.serial_port_delete acli-test-ser index=1")
    assert status == 1 and "VM is on; power it off" in err
    mac = nic["mac"]
    status, _, err = sh(f"vm.nic_update acli-test-ser {mac} queues=4")
    assert status == 1 and "power it off to change queues" in err
    sh.ok("vm.off acli-test-ser")
    sh.ok("vm.serial_port_delete acli-test-ser index=0")
    sh.ok(f"vm.nic_update acli-test-ser {mac} queues=4")
    sh.ok("vm.on acli-test-ser")
    devices = qemu_devices("acli-test-ser")
    assert [d.get("index") for d in devices if d["driver"] == "isa-serial"] == [1]
    assert next(d for d in devices if d["driver"] == "virtio-net-pci")["vectors"] == 10


def test_network_function_nic_port_on_br_nf_carries_its_kind(real_shell):
    """libvirt makes the port on br.nf when the VM starts and writes the
    virtualport's profileid as the Interface's external_ids:port-profile."""
    drop_bridge("br.nf")
    sh = real_shell
    try:
        sh.ok("vm.create acli-test-fw memory=64M")
        sh.ok("vm.nic_create acli-test-fw type=kNetworkFunctionNic "
              "network_function_nic_type=kTap")
        assert subprocess.run(["ovs-vsctl", "--timeout=10", "br-exists", "br.nf"]).returncode == 0
        sh.ok("vm.on acli-test-fw")
        mac = next(d for d in qemu_devices("acli-test-fw") if d["driver"] == "virtio-net-pci")["mac"]
        port = subprocess.run(["ovs-vsctl", "--timeout=10", "--bare", "--columns=name", "find",
                               "Interface", f'external_ids:attached-mac="{mac}"'],
                              capture_output=True, text=True, check=True).stdout.strip()
        assert port, "no port for the NIC"
        bridge = subprocess.run(["ovs-vsctl", "--timeout=10", "port-to-br", port],
                                capture_output=True, text=True, check=True).stdout.strip()
        profile = subprocess.run(["ovs-vsctl", "--timeout=10", "get", "Interface", port,
                                  "external_ids:port-profile"],
                                 capture_output=True, text=True, check=True).stdout.strip()
        assert (bridge, profile.strip('"')) == ("br.nf", "nf-kTap")
        assert 'network_function_nic_type: "kTap"' in sh.ok("vm.get acli-test-fw")
    finally:
        for dom in sh.host.conn.listAllDomains():
            if dom.name() == "acli-test-fw" and dom.isActive():
                dom.destroy()
        drop_bridge("br.nf")
