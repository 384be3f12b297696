"""VM lifecycle on the sandbox host (libvirt's test driver)."""

import json


def test_create_list_get(shell):
    assert shell.ok("vm.create web[01..02] memory=1G num_vcpus=2 num_cores_per_vcpu=2") == \
        "web01: complete\nweb02: complete\n"
    listing = shell.ok("vm.list").splitlines()
    assert listing[0].split() == ["VM", "name", "VM", "UUID"]
    assert [row.split()[0] for row in listing[1:]] == ["web01", "web02"]
    record = shell.ok("vm.get web01")
    assert "memory_mb: 1024" in record and "num_vcpus: 2" in record
    assert "num_cores_per_vcpu: 2" in record and 'state: "kOff"' in record
    dom = shell.host.conn.lookupByName("web01")
    assert dom.vcpusFlags(2) == 4 if hasattr(dom, "vcpusFlags") else True


def test_vm_get_by_uuid(shell):
    shell.ok("vm.create a1 memory=64M")
    uuid = shell.host.conn.lookupByName("a1").UUIDString()
    assert shell.ok(f"vm.get {uuid}").startswith("a1 {")


def test_power_cycle_of_states(shell):
    shell.ok("vm.create p1 memory=64M")
    state = lambda: shell.host.conn.lookupByName("p1").state()[0]  # noqa: E731
    shell.ok("vm.on p1")
    assert state() == 1
    shell.ok("vm.on p1")  # idempotent, as in aCLI
    shell.ok("vm.pause p1")
    assert state() == 3
    assert "p1" in shell.ok("vm.list power_state=paused")
    shell.ok("vm.resume p1")
    assert state() == 1
    shell.ok("vm.reset p1")
    shell.ok("vm.reboot p1")
    shell.ok("vm.power_cycle p1")
    assert state() == 1
    shell.ok("vm.off p1")
    assert state() == 5
    status, out, err = shell("vm.pause p1")
    assert status == 1 and "p1: cannot pause: VM is off" in err


def test_glob_selects_and_matching_nothing_fails(shell):
    shell.ok("vm.create web1,web2,db1 memory=64M")
    assert shell.ok("vm.on web*") == "web1: complete\nweb2: complete\n"
    status, _, err = shell("vm.on zz*")
    assert status == 1 and "no VM matches zz*" in err


def test_partial_failure_says_which(shell):
    shell.ok("vm.create a,b memory=64M")
    shell.ok("vm.on a")
    status, out, err = shell("vm.reset a,b")
    assert status == 1
    assert out == "a: complete\n"
    assert "b: cannot reset: VM is off" in err


def test_create_is_all_or_nothing(shell):
    shell.ok("vm.create b2 memory=64M")
    status, _, err = shell("vm.create b[1..3] memory=64M")
    assert status == 1 and "already exists: b2" in err
    names = sorted(d.name() for d in shell.host.conn.listAllDomains())
    assert names == ["b2"]
    shell.ok("vm.create b4 memory=64M")
    status, _, err = shell("vm.create b[1..5] memory=64M")  # every taken name is named
    assert status == 1 and err.strip() == "Error: VM name already exists: b2, b4"
    names = sorted(d.name() for d in shell.host.conn.listAllDomains())
    assert names == ["b2", "b4"]


def test_update_and_rename(shell):
    shell.ok("vm.create u1 memory=64M")
    shell.ok('vm.update u1 memory=128M num_vcpus=3 description="db server"')
    record = shell.ok("vm.get u1")
    assert "memory_mb: 128" in record and "num_vcpus: 3" in record
    assert 'description: "db server"' in record
    shell.ok("vm.update u1 name=u2")
    assert shell.ok("vm.get u2").startswith("u2 {")
    shell.ok("vm.on u2")
    status, _, err = shell("vm.update u2 memory=1G")
    assert status == 1 and "power it off" in err
    assert "memory_mb: 128" in shell.ok("vm.get u2")


def test_delete_needs_confirmation(shell):
    shell.ok("vm.create d1,d2 memory=64M")
    status, _, err = shell("vm.delete d*")
    assert status == 1 and "confirmation needed; add -y" in err
    assert len(shell.host.conn.listAllDomains()) == 2
    shell.ok("vm.on d1")
    assert shell.ok("-y vm.delete d*") == "d1: complete\nd2: complete\n"
    assert shell.host.conn.listAllDomains() == []


def test_clone(shell):
    shell.ok('vm.create src memory=256M num_vcpus=2 description="base"')
    assert shell.ok("vm.clone c[1..2] clone_from_vm=src memory=512M") == \
        "c1: complete\nc2: complete\n"
    record = shell.ok("vm.get c2")
    assert "memory_mb: 512" in record and "num_vcpus: 2" in record
    uuids = {d.UUIDString() for d in shell.host.conn.listAllDomains()}
    assert len(uuids) == 3
    status, _, err = shell("vm.clone c3 clone_from_vm=nope")
    assert status == 1 and "Unknown name: nope" in err


def test_json_envelope(shell):
    shell.ok("vm.create j1 memory=64M")
    doc = json.loads(shell.ok("-o json vm.list"))
    assert doc["status"] == 0 and doc["error"] is None
    assert doc["data"][0]["name"] == "j1" and len(doc["data"][0]["uuid"]) == 36
    status, out, _ = shell("-o json vm.get missing")
    doc = json.loads(out)
    assert status == 1 and doc["data"] is None and doc["error"] == "Unknown name: missing"
    uuid = shell.host.conn.lookupByName("j1").UUIDString()
    got = json.loads(shell.ok("-o json vm.get j1"))["data"]
    assert list(got) == [uuid] and got[uuid]["config"]["memory_mb"] == 64


def test_host_list_and_get(shell):
    shell.ok("vm.create h1 memory=64M")
    rows = shell.ok("host.list").splitlines()
    assert rows[0].startswith("Hypervisor IP")
    fields = rows[1].split()
    assert fields[0] == "127.0.0.1" and "AcropolisNormal" in fields and "True" in fields
    record = shell.ok("host.get")
    assert "num_vms: 1" in record and "sandbox: True" in record


class _FailingDefine:
    """A real libvirt connection whose Nth defineXML fails: fault injection
    to prove the rollback, the rest is the real test driver."""

    def __init__(self, conn, fail_at):
        self._conn, self._fail_at, self._calls = conn, fail_at, 0

    def defineXML(self, xml):
        import libvirt

        self._calls += 1
        if self._calls == self._fail_at:
            raise libvirt.libvirtError("injected failure")
        return self._conn.defineXML(xml)

    def __getattr__(self, name):
        return getattr(self._conn, name)


def test_create_failing_part_way_leaves_nothing(shell):
    shell.ok("vm.list")
    real = shell.host.conn
    shell.host._conn = _FailingDefine(real, fail_at=3)
    try:
        status, out, err = shell("vm.create f[1..4] memory=64M")
    finally:
        shell.host._conn = real
    assert status == 1 and out == ""
    assert "f3:" in err and "no VM was created" in err
    assert real.listAllDomains() == []


def test_clone_failing_part_way_leaves_nothing(shell):
    shell.ok("vm.create src memory=64M")
    real = shell.host.conn
    shell.host._conn = _FailingDefine(real, fail_at=2)
    try:
        status, _, err = shell("vm.clone k[1..3] clone_from_vm=src")
    finally:
        shell.host._conn = real
    assert status == 1 and "k2:" in err
    assert [d.name() for d in real.listAllDomains()] == ["src"]


def test_a_vm_with_snapshots_cannot_be_renamed(shell):
    shell.ok("vm.create a memory=64M")
    shell.ok("vm.snapshot_create a snapshot_name_list=s")
    status, _, err = shell("vm.update a name=b")
    assert status == 1 and "cannot rename a VM that has snapshots" in err
    assert [d.name() for d in shell.host.conn.listAllDomains()] == ["a"]


def run_held(shell, script: str) -> tuple[int, str, str]:
    """Run lines as a batch does: the sandbox held throughout, written once."""
    import io

    from acli.batch import run_batch

    shell.out.seek(0), shell.out.truncate(), shell.err.seek(0), shell.err.truncate()
    status = run_batch(shell.session, io.StringIO(script), "<test>")
    return status, shell.out.getvalue(), shell.err.getvalue()


def test_names_stay_right_through_renames_and_deletes_in_one_batch(shell):
    """Within a batch the sandbox keeps the VMs it has looked up by name;
    renames, deletes and new VMs of an old name must not confuse it."""
    status, _, err = run_held(shell, "vm.create a memory=64M\nvm.on a\nvm.off a\n"
                                     "vm.update a name=b\nvm.on a\n")
    assert status == 1 and "Unknown name: a" in err  # the old name is gone at once
    status, _, err = run_held(shell, "vm.create c memory=64M\nvm.on c\n-y vm.delete c\nvm.on c\n")
    assert status == 1 and "Unknown name: c" in err
    status, _, err = run_held(shell, "\n".join([
        "vm.on b",
        "vm.create a memory=64M",      # a new VM takes the old name
        "vm.create c memory=64M",      # and again after a delete
        "vm.on a", "vm.off a",
    ]) + "\n")
    assert status == 0, err
    assert shell.ok("vm.list power_state=on").split()[4:5] == ["b"]
    assert shell.ok("vm.list power_state=off").split()[4::2] == ["a", "c"]
    status, _, err = run_held(shell, "vm.on c\n")
    assert status == 0, err
    assert 'state: "kOn"' in shell.ok("vm.get c")
    assert 'state: "kOff"' in shell.ok("vm.get a")


def _stamp(shell, vm: str) -> int:
    return json.loads(shell.ok(f"-o json vm.get {vm}"))["data"].popitem()[1]["logical_timestamp"]


# Every command that changes a VM, in an order that works; each must count.
CHANGES = [
    "vm.on lt1", "vm.pause lt1", "vm.resume lt1", "vm.reboot lt1", "vm.reset lt1",
    "vm.power_cycle lt1", "vm.force_off lt1", "vm.on lt1",
    "vm.shutdown lt1",  # the test driver's guest is off at once
    "vm.update lt1 memory=128M", "vm.update lt1 description=x", "vm.update lt1 name=lt2",
    "vm.update lt2 name=lt1",
    "vm.disk_create lt1 create_size=1G", "vm.disk_update lt1 disk_addr=scsi.0 new_size=2G",
    "vm.disk_create lt1 cdrom=true empty=true", "-y vm.disk_delete lt1 disk_addr=ide.0",
    "vm.nic_create lt1 network=vlan.10", "NIC_UPDATE", "vm.snapshot_create lt1 snapshot_name_list=s",
    "vm.restore lt1 snapshot_name=s", "net.update vlan.10 vlan=11", "NIC_DELETE",
    "-y vm.disk_delete lt1 disk_addr=scsi.0",
]
UNCHANGED = {"vm.snapshot_create lt1 snapshot_name_list=s"}


def test_logical_timestamp_counts_every_change_acli_makes(shell):
    """1 for a new VM; one more (at least) for every change of it; not for
    a power action that finds the VM as asked, nor for a snapshot."""
    shell.ok("net.create vlan.10 vlan=10")
    shell.ok("vm.create lt1 memory=64M")
    vm = shell.host.conn.lookupByName("lt1").UUIDString()  # lt1 is renamed on the way
    assert _stamp(shell, vm) == 1
    for line in CHANGES:
        if line.startswith("NIC_"):
            mac = json.loads(shell.ok("-o json vm.nic_get lt1"))["data"].popitem()[1]["mac_addr"]
            line = {"NIC_UPDATE": f"vm.nic_update lt1 {mac} connected=false",
                    "NIC_DELETE": f"vm.nic_delete lt1 {mac}"}[line]
        before = _stamp(shell, vm)
        shell.ok(line)
        after = _stamp(shell, vm)
        if line in UNCHANGED:
            assert after == before, line
        else:
            assert after > before, line
    for line in ("vm.off lt1", "vm.force_off lt1", "vm.shutdown lt1"):  # off already
        before = _stamp(shell, vm)
        shell.ok(line)
        assert _stamp(shell, vm) == before, line


def test_logical_timestamp_lives_in_the_definition_every_acli_reads(shell, acli):
    shell.ok("vm.create lt1 memory=64M")
    shell.ok("vm.update lt1 memory=128M")
    xml = shell.host.conn.lookupByName("lt1").XMLDesc(0)
    assert "logical_timestamp='2'" in xml or 'logical_timestamp="2"' in xml
    shell.close()
    acli("vm.on", "lt1")  # another process
    assert "  logical_timestamp: 3\n" in acli("vm.get", "lt1").stdout


def test_vm_get_reads_what_a_definition_says(shell):
    """The record's fields come from the domain, also one made without acli."""
    shell.host.conn.defineXML(
        "<domain type='test'><name>other</name><memory unit='MiB'>1024</memory>"
        "<maxMemory slots='4' unit='MiB'>4096</maxMemory><vcpu>1</vcpu>"
        "<os><type arch='x86_64'>hvm</type></os>"
        "<clock offset='timezone' timezone='Europe/Paris'/>"
        "<devices><graphics type='vnc'/></devices></domain>")
    config = json.loads(shell.ok("-o json vm.get other"))["data"].popitem()[1]
    assert config["logical_timestamp"] == 1  # acli never changed it: its first version
    config = config["config"]
    assert (config["hwclock_timezone"], config["max_hotplug_memory_mb"], config["vga_console"],
            config["allow_live_migrate"], config["vm_type"]) == \
        ("Europe/Paris", 4096, True, True, "kGuestVM")
    shell.ok("vm.create mine memory=64M")
    config = json.loads(shell.ok("-o json vm.get mine"))["data"].popitem()[1]["config"]
    assert (config["hwclock_timezone"], config["max_hotplug_memory_mb"], config["vga_console"]) == \
        ("UTC", 64, False)
    assert "hypervisor" not in config and list(config) == sorted(config)


def test_a_batch_counts_power_actions_when_it_ends_and_before_it_reads(acli):
    """The sandbox writes a batch's power counts once, at its end (a batch
    is mostly on and off): vm.get inside it, and every acli after it, see
    them all; a VM deleted meanwhile has nothing left to write."""
    done = acli(input="vm.create b1,b2 memory=64M\nvm.on b1\nvm.off b1\nvm.on b2\n"
                      "vm.get b1\n-y vm.delete b2\nvm.on b1\n")
    assert done.returncode == 0, done.stderr
    assert "  logical_timestamp: 3\n" in done.stdout
    assert "  logical_timestamp: 4\n" in acli("vm.get", "b1").stdout
