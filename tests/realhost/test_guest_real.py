"""What needs a guest's cooperation, proven with a real (tiny) guest OS on
qemu:///system: PCI hot-unplug of a NIC and of disks (`vm.nic_delete`,
`vm.disk_delete` on a running VM), and ACPI power-off and reboot
(`vm.shutdown`, `vm.reboot`).

The guest is scripts/guest-image: a Debian cloud kernel and a busybox
initramfs, booted by direct kernel boot, printing a ready line on its serial
console (a file here). acli makes the VM; the fixture adds the kernel boot
and the serial file to its definition through libvirt (aCLI has no keyword
for either). The VM runs under TCG (domain type 'qemu'): on this project's
machines /dev/kvm is nested KVM, under which a Linux kernel does not boot
(an emulation failure after a minute), while TCG boots it in about 3 s. See
docs/realhost.md."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
import uuid as uuidlib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from waiting import wait_until
from hosthelpers import drop_pool

pytestmark = pytest.mark.realhost

ROOT = Path(__file__).resolve().parents[2]
GUEST_IMAGE = ROOT / "scripts" / "guest-image"
BOOT_TIMEOUT = 90       # seconds; the guest is ready in ~3 s under TCG here
POWER_TIMEOUT = 30      # seconds for an ACPI power-off to complete
VS, BR, NET, VLAN = "vs6", "br6", "acli-test-guest-net", 6
POOL = "acli-test-guest-pool"


def run(*cmd) -> str:
    done = subprocess.run(cmd, capture_output=True, text=True)
    assert done.returncode == 0, f"{cmd}: {done.stderr}"
    return done.stdout.strip()


def virsh(*args) -> str:
    return run("virsh", "-q", "-c", "qemu:///system", *args)


def vsctl(*args) -> str:
    return run("ovs-vsctl", "--timeout=10", *args)


def port_of(iface_id: str) -> str:
    """The OVS port whose Interface carries external_ids:iface-id (empty if none)."""
    return vsctl("--bare", "--columns=name", "find", "Interface", f'external_ids:iface-id="{iface_id}"')


# the guest image and a VM booting it ----------------------------------------

@pytest.fixture(scope="session")
def guest_image(realhost_up):
    """Build (or find in its cache) the test guest. Failing is an error, not a skip."""
    started = time.monotonic()
    done = subprocess.run(["bash", str(GUEST_IMAGE)], capture_output=True, text=True)
    assert done.returncode == 0, f"scripts/guest-image failed:\n{done.stderr}"
    info = dict(line.split("=", 1) for line in done.stdout.splitlines() if "=" in line)
    assert {"kernel", "initrd", "cmdline", "ready"} <= set(info), done.stdout
    assert os.path.getsize(info["kernel"]) > 1 << 20 and os.path.getsize(info["initrd"]) > 1 << 16
    info["build_seconds"] = time.monotonic() - started
    return info


class Guest:
    def __init__(self, sh, name, console, ready):
        self.sh, self.name, self.console, self.ready = sh, name, console, ready

    def log(self) -> str:
        try:
            return Path(self.console).read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def boots(self) -> int:
        return self.log().count(self.ready)

    def wait_boots(self, n: int, timeout: float = BOOT_TIMEOUT) -> float:
        started = time.monotonic()
        if not wait_until(lambda: self.boots() >= n or not self.exists(), timeout) or not self.exists():
            state = self.state() if self.exists() else "gone (another run removed acli-test-* VMs?)"
            raise AssertionError(f"{self.name} ({state}): no ready line #{n} within "
                                 f"{time.monotonic() - started:.0f} s; console:\n{self.log()}")
        return time.monotonic() - started

    def exists(self) -> bool:
        return self.name in virsh("list", "--all", "--name").split()

    def state(self) -> str:
        return virsh("domstate", self.name)

    def live_xml(self) -> ET.Element:
        return ET.fromstring(virsh("dumpxml", self.name))

    def stored_xml(self) -> ET.Element:
        return ET.fromstring(virsh("dumpxml", "--inactive", self.name))


def make_guest_vm(sh, image, name, machine="pc") -> Guest:
    """acli makes the VM; its definition then gets the kernel boot, the serial
    console file and TCG (see the module's docstring)."""
    import libvirt

    sh.ok(f"vm.create {name} memory=128M machine_type={machine}")
    console = f"/var/log/libvirt/qemu/{name}.console.log"
    if os.path.exists(console):
        os.unlink(console)
    conn = sh.host.conn
    dom = conn.lookupByName(name)
    root = ET.fromstring(dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE | libvirt.VIR_DOMAIN_XML_SECURE))
    root.set("type", "qemu")
    os_el = root.find("os")
    for tag in ("kernel", "initrd", "cmdline"):
        ET.SubElement(os_el, tag).text = image[tag]
    for boot in os_el.findall("boot"):
        os_el.remove(boot)
    devices = root.find("devices")
    serial = ET.SubElement(devices, "serial", type="file")
    ET.SubElement(serial, "source", path=console, append="on")
    ET.SubElement(serial, "target", port="0")
    conn.defineXML(ET.tostring(root, encoding="unicode"))
    return Guest(sh, name, console, image["ready"])


@pytest.fixture
def guest(real_shell, guest_image, request):
    """A running acli-test-guest-* VM whose guest has printed its ready line
    (machine type pc, or the test's indirect parameter)."""
    name = f"acli-test-guest-{uuidlib.uuid4().hex[:8]}"
    g = make_guest_vm(real_shell, guest_image, name, getattr(request, "param", "pc"))
    started = time.monotonic()
    real_shell.ok(f"vm.on {name}")
    g.wait_boots(1)
    g.boot_seconds = time.monotonic() - started
    yield g
    if os.path.exists(g.console):
        os.unlink(g.console)


@pytest.fixture
def network(real_shell):
    """Virtual switch vs6 (br6 over eth2) with network acli-test-guest-net (VLAN 6)."""
    _drop_network(real_shell.host.conn)
    real_shell.ok(f"net.create_virtual_switch {VS} uplinks=eth2")
    real_shell.ok(f"net.create {NET} vlan={VLAN} virtual_switch={VS}")
    yield NET
    for dom in real_shell.host.conn.listAllDomains():
        if dom.name().startswith("acli-test-guest-") and dom.isActive():
            dom.destroy()
    _drop_network(real_shell.host.conn)


def _drop_network(conn):
    for net in conn.listAllNetworks():
        if net.name() == NET:
            if net.isActive():
                net.destroy()
            net.undefine()
    subprocess.run(["ovs-vsctl", "--timeout=10", "--if-exists", "del-br", BR], capture_output=True)


@pytest.fixture
def store(real_shell, monkeypatch):
    """A private container (dir pool under /var/tmp) and image catalog."""
    top = tempfile.mkdtemp(prefix="acli-test-guest-", dir="/var/tmp")
    os.chmod(top, 0o755)  # QEMU runs as libvirt-qemu and must reach the files
    monkeypatch.setenv("ACLI_STATE_DIR", os.path.join(top, "state"))
    pool_dir = os.path.join(top, "pool")
    drop_pool(real_shell.host.conn, POOL)
    real_shell.ok(f"container.create {POOL} path={pool_dir}")
    yield pool_dir
    for dom in real_shell.host.conn.listAllDomains():
        if dom.name().startswith("acli-test-guest-") and dom.isActive():
            dom.destroy()
    drop_pool(real_shell.host.conn, POOL)
    shutil.rmtree(top, ignore_errors=True)


def nic_ids(sh, vm) -> list[tuple[str, str]]:
    """(mac, nic uuid) of each NIC acli reports."""
    out = sh.ok(f"vm.nic_get {vm}")
    return list(zip(re.findall(r'mac_addr: "([0-9a-f:]+)"', out), re.findall(r'^  uuid: "(\S+)"', out, re.M)))


def disk_path(sh, vm, addr) -> str:
    """The file of the disk acli reports at addr (matched by its vmdisk_uuid)."""
    vmdisk = re.search(r'vmdisk_uuid: "(\S+)"', sh.ok(f"vm.disk_get {vm} disk_addr={addr}")).group(1)
    files = [f for f in disk_files_in(ET.fromstring(virsh("dumpxml", "--inactive", vm))) if vmdisk in f]
    assert len(files) == 1, files
    return files[0]


def macs_in(root: ET.Element) -> list[str]:
    return [m.get("address") for m in root.findall("devices/interface/mac")]


def disk_files_in(root: ET.Element) -> list[str]:
    return [s.get("file") for s in root.findall("devices/disk/source") if s.get("file")]


# the tests ----------------------------------------------------------------

def test_the_guest_boots_and_says_so(guest, guest_image):
    log = guest.log()
    assert log.count(guest.ready) == 1, log
    assert "kernel 6." in log
    assert guest.state() == "running"
    assert 'state: "kOn"' in guest.sh.ok(f"vm.get {guest.name}")
    root = guest.live_xml()
    assert root.get("type") == "qemu" and root.findtext("os/kernel") == guest_image["kernel"]
    print(f"\nguest ready {guest.boot_seconds:.1f} s after vm.on (TCG); "
          f"image {guest_image['build_seconds']:.1f} s")


@pytest.mark.parametrize("guest", ["pc", "q35"], indirect=True)
def test_nic_hot_plug_and_unplug_with_a_guest(guest, network):
    sh, vm = guest.sh, guest.name
    sh.ok(f"vm.nic_create {vm} network={network}")               # hot-plug
    (mac, nic_uuid), = nic_ids(sh, vm)
    port = port_of(nic_uuid)
    assert port, "the hot-plugged NIC has no OVS port"
    assert vsctl("get", "Port", port, "tag") == str(VLAN)
    assert mac in macs_in(guest.live_xml()) and mac in macs_in(guest.stored_xml())
    time.sleep(1)  # let the guest's virtio_net probe the new device before it is taken away

    started = time.monotonic()
    status, out, err = sh(f"vm.nic_delete {vm} {mac}")
    took = time.monotonic() - started
    assert status == 0, f"vm.nic_delete failed after {took:.1f} s: {err}"
    assert nic_ids(sh, vm) == []
    assert mac not in macs_in(guest.live_xml()), "the NIC is still in the running VM"
    assert mac not in macs_in(guest.stored_xml())
    assert port_of(nic_uuid) == "", "the NIC's OVS port is still in the system OVSDB"
    assert port not in vsctl("list-ports", BR).split()
    assert guest.state() == "running" and guest.boots() == 1
    assert took < 5, f"the unplug took {took:.1f} s"
    print(f"\nvm.nic_delete on the running guest ({guest.live_xml().find('os/type').get('machine')}): "
          f"{took:.2f} s")


def test_disk_hot_plug_and_unplug_with_a_guest(guest, store):
    sh, vm = guest.sh, guest.name
    for bus in ("scsi", "pci"):
        sh.ok(f"vm.disk_create {vm} bus={bus} create_size=16M container={POOL}")   # hot-plug
        path = disk_path(sh, vm, f"{bus}.0")
        assert path in disk_files_in(guest.live_xml()) and path in disk_files_in(guest.stored_xml())
        assert path in virsh("domblklist", vm)
        time.sleep(1)  # let the guest's driver probe the new device

        started = time.monotonic()
        status, _, err = sh(f"-y vm.disk_delete {vm} disk_addr={bus}.0")
        took = time.monotonic() - started
        assert status == 0, f"vm.disk_delete {bus}.0 failed after {took:.1f} s: {err}"
        assert path not in disk_files_in(guest.live_xml()), f"{bus}.0 is still in the running VM"
        assert path not in disk_files_in(guest.stored_xml())
        assert path not in virsh("domblklist", vm)
        assert not os.path.exists(path), "the VM's own volume was not deleted"
        assert took < 5, f"the {bus} unplug took {took:.1f} s"
        print(f"\nvm.disk_delete {bus}.0 on the running guest: {took:.2f} s")
    assert guest.state() == "running" and guest.boots() == 1


def test_without_a_guest_the_unplug_fails_clearly(real_shell, store, network):
    """A VM with no OS never releases a PCI device: acli says so in one line,
    the definition has lost the device, and it leaves with the power-off."""
    sh, vm = real_shell, "acli-test-guest-none"
    sh.ok(f"vm.create {vm} memory=64M")
    sh.ok(f"vm.on {vm}")
    sh.ok(f"vm.nic_create {vm} network={network}")
    (mac, nic_uuid), = nic_ids(sh, vm)
    sh.ok(f"vm.disk_create {vm} bus=pci create_size=16M container={POOL}")
    path = disk_path(sh, vm, "pci.0")

    status, _, err = sh(f"vm.nic_delete {vm} {mac}")
    assert status == 1 and "did not release the NIC" in err and len(err.splitlines()) == 1, err
    assert mac not in macs_in(ET.fromstring(virsh("dumpxml", "--inactive", vm)))
    assert mac in macs_in(ET.fromstring(virsh("dumpxml", vm)))       # still plugged in QEMU
    assert port_of(nic_uuid) != ""

    status, _, err = sh(f"-y vm.disk_delete {vm} disk_addr=pci.0")
    assert status == 1 and "did not release the disk" in err and len(err.splitlines()) == 1, err
    assert path not in disk_files_in(ET.fromstring(virsh("dumpxml", "--inactive", vm)))
    assert path in disk_files_in(ET.fromstring(virsh("dumpxml", vm)))
    assert not os.path.exists(path)   # the volume went, as asked; QEMU holds it until power-off

    sh.ok(f"vm.off {vm}")
    assert port_of(nic_uuid) == ""
    assert "pci.0" not in sh.ok(f"vm.disk_list {vm}")


def test_vm_shutdown_powers_the_guest_off(guest):
    started = time.monotonic()
    assert guest.sh.ok(f"vm.shutdown {guest.name}") == f"{guest.name}: complete\n"
    assert wait_until(lambda: guest.state() == "shut off", POWER_TIMEOUT), \
        f"still {guest.state()} {POWER_TIMEOUT} s after vm.shutdown; console:\n{guest.log()}"
    took = time.monotonic() - started
    assert "power button: powering off" in guest.log()
    assert 'state: "kOff"' in guest.sh.ok(f"vm.get {guest.name}")
    print(f"\nguest off {took:.1f} s after vm.shutdown")


def test_vm_reboot_boots_the_guest_again(guest):
    domid = virsh("domid", guest.name)
    started = time.monotonic()
    assert guest.sh.ok(f"vm.reboot {guest.name}") == f"{guest.name}: complete\n"
    guest.wait_boots(2)
    took = time.monotonic() - started
    assert guest.state() == "running"
    assert virsh("domid", guest.name) == domid        # the same QEMU process: a reboot, not a restart
    assert "power button: powering off" in guest.log()
    print(f"\nguest ready again {took:.1f} s after vm.reboot")
