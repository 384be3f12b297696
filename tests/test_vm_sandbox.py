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
