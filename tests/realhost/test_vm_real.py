"""VM lifecycle on the real host: libvirtd + QEMU (qemu:///system). What acli
does must be what virsh sees, and what virsh made must be what acli sees."""

from __future__ import annotations

import subprocess

import pytest

pytestmark = pytest.mark.realhost


def virsh(*args) -> str:
    done = subprocess.run(["virsh", "-q", "-c", "qemu:///system", *args],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_lifecycle_seen_by_virsh(real_shell):
    sh = real_shell
    assert sh.ok("vm.create acli-test-[1..2] memory=64M num_vcpus=2") == \
        "acli-test-1: complete\nacli-test-2: complete\n"
    listing = virsh("list", "--all", "--name").split()
    assert {"acli-test-1", "acli-test-2"} <= set(listing)
    xml = virsh("dumpxml", "--inactive", "acli-test-1")
    assert "<memory unit='KiB'>65536</memory>" in xml
    assert "sockets='2'" in xml and "<vcpu placement='static'>2</vcpu>" in xml
    assert "domain type='kvm'" in xml or "domain type='qemu'" in xml

    sh.ok("vm.on acli-test-1")
    assert virsh("domstate", "acli-test-1").strip() == "running"
    sh.ok("vm.pause acli-test-1")
    assert virsh("domstate", "acli-test-1").strip() == "paused"
    sh.ok("vm.resume acli-test-1")
    sh.ok("vm.reset acli-test-1")
    sh.ok("vm.power_cycle acli-test-1")
    assert virsh("domstate", "acli-test-1").strip() == "running"
    assert "acli-test-1" in sh.ok("vm.list power_state=on")
    sh.ok("vm.off acli-test-1")
    assert virsh("domstate", "acli-test-1").strip() == "shut off"

    sh.ok("vm.update acli-test-2 memory=128M description=resized")
    xml = virsh("dumpxml", "--inactive", "acli-test-2")
    assert "<memory unit='KiB'>131072</memory>" in xml and "resized" in xml

    sh.ok("-y vm.delete acli-test-*")
    assert not {"acli-test-1", "acli-test-2"} & set(virsh("list", "--all", "--name").split())


def test_vm_made_by_virsh_appears_in_acli(real_shell, tmp_path):
    xml = tmp_path / "d.xml"
    xml.write_text("<domain type='qemu'><name>acli-test-virsh</name><memory unit='MiB'>64</memory>"
                   "<vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os></domain>")
    virsh("define", str(xml))
    assert "acli-test-virsh" in real_shell.ok("vm.list")
    record = real_shell.ok("vm.get acli-test-virsh")
    assert "memory_mb: 64" in record and 'state: "kOff"' in record


def test_clone_and_failures_on_the_real_host(real_shell):
    sh = real_shell
    sh.ok("vm.create acli-test-src memory=64M")
    sh.ok("vm.clone acli-test-c[1..2] clone_from_vm=acli-test-src")
    names = set(virsh("list", "--all", "--name").split())
    assert {"acli-test-c1", "acli-test-c2"} <= names
    status, _, err = sh("vm.reboot acli-test-c1")
    assert status == 1 and "cannot reboot: VM is off" in err
    status, _, err = sh("vm.create acli-test-src memory=64M")
    assert status == 1 and "already exists" in err
    sh.ok("vm.on acli-test-c2")  # no OS, so no guest agent to reboot it
    status, _, err = sh("vm.guest_reboot acli-test-c2")
    assert status == 1 and err.strip() == ("Error: acli-test-c2: cannot reboot through the guest "
                                           "agent: the VM has no responding guest agent "
                                           "(vm.reboot asks through ACPI)")
    assert virsh("domstate", "acli-test-c2").strip() == "running"


def test_uefi_boot_when_firmware_is_installed(real_shell):
    status, out, err = real_shell("vm.create acli-test-efi memory=64M uefi_boot=true")
    assert status == 0, err
    xml = virsh("dumpxml", "--inactive", "acli-test-efi")
    assert "firmware='efi'" in xml or "OVMF" in xml
    assert "uefi_boot: True" in real_shell.ok("vm.get acli-test-efi")


def test_vm_get_record_and_logical_timestamp_on_qemu(real_shell):
    """What vm.get says of a QEMU domain, and the count of changes kept in
    its definition, where virsh sees it too (also while it runs)."""
    sh = real_shell
    sh.ok("vm.create acli-test-rec memory=64M")
    sh.ok("vm.on acli-test-rec")
    sh.ok("vm.update acli-test-rec description=counted")
    record = sh.ok("vm.get acli-test-rec")
    for line in ("allow_live_migrate: True", 'hwclock_timezone: "UTC"', "max_hotplug_memory_mb: 64",
                 "vga_console: False", 'vm_type: "kGuestVM"', "  logical_timestamp: 3",
                 'state: "kOn"'):
        assert line in record, line
    assert "hypervisor" not in record
    assert 'logical_timestamp="3"' in virsh("dumpxml", "--inactive", "acli-test-rec")
    sh.ok("vm.off acli-test-rec")
    sh.ok("vm.off acli-test-rec")  # off already: no change
    assert "  logical_timestamp: 4\n" in sh.ok("vm.get acli-test-rec")
