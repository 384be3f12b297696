"""How much one command may ask for (acli/limits.py): each bound refuses
one more than it allows, names the figure, and changes nothing."""

from __future__ import annotations

# the figures docs/choices.md and help promise
MAX_TEXT, MAX_LIST, MAX_NEW_NAMES, MAX_SNAPSHOTS_PER_VM = 4096, 4094, 1000, 32


def _vms(shell) -> list[str]:
    return [row.split()[0] for row in shell.ok("vm.list").splitlines()[1:]]


def test_one_command_makes_at_most_so_many_vms(shell):
    status, _, err = shell(f"vm.create a[1..{MAX_NEW_NAMES}],b1 memory=64M")
    assert status == 2
    assert err == (f"Error: Bad value for vm_list: more than {MAX_NEW_NAMES:,} new VMs; "
                   "one command makes at most that many\n")
    assert _vms(shell) == []
    shell.ok("vm.create src memory=64M")
    status, _, err = shell(f"vm.clone c[0..{MAX_NEW_NAMES}] clone_from_vm=src")
    assert status == 2 and "one command makes at most" in err
    assert _vms(shell) == ["src"]


def test_a_text_value_holds_at_most_so_many_characters(shell):
    shell.ok("vm.create t1 memory=64M description=" + "d" * MAX_TEXT)
    status, _, err = shell("vm.create t2 memory=64M description=" + "d" * (MAX_TEXT + 1))
    assert status == 2
    assert err == (f"Error: Bad value for description: {MAX_TEXT + 1:,} characters; "
                   f"a value holds at most {MAX_TEXT:,}\n")
    assert _vms(shell) == ["t1"]


def test_a_list_holds_at_most_so_many_items(shell):
    shell.ok("net.create vlan.10 vlan=10")
    shell.ok("vm.create l1 memory=64M")
    every_vlan = ",".join(str(v) for v in range(1, MAX_LIST + 1))
    status, _, err = shell("vm.nic_create l1 network=vlan.10 vlan_mode=kTrunked "
                           f"trunked_networks={every_vlan},7")
    assert status == 2
    assert err == (f"Error: Bad value for trunked_networks: {MAX_LIST + 1:,} items; "
                   f"at most {MAX_LIST:,}\n")
    assert "nic_list" not in shell.ok("vm.get l1")
    shell.ok("vm.nic_create l1 network=vlan.10 vlan_mode=kTrunked "
             f"trunked_networks={every_vlan}")


def test_a_vm_has_at_most_so_many_snapshots(shell):
    shell.ok("vm.create s1 memory=64M")
    too_many = ",".join(f"s{i}" for i in range(MAX_SNAPSHOTS_PER_VM + 1))
    status, _, err = shell(f"vm.snapshot_create s1 snapshot_name_list={too_many}")
    assert status == 2 and f"at most {MAX_SNAPSHOTS_PER_VM}" in err
    names = ",".join(f"s{i}" for i in range(MAX_SNAPSHOTS_PER_VM - 1))
    shell.ok(f"vm.snapshot_create s1 snapshot_name_list={names}")
    status, _, err = shell("vm.snapshot_create s1 snapshot_name_list=last,one_more")
    assert status == 1
    assert err == (f"Error: s1 has {MAX_SNAPSHOTS_PER_VM - 1} snapshots and a VM has at most "
                   f"{MAX_SNAPSHOTS_PER_VM}; delete some first\n")
    shell.ok("vm.snapshot_create s1 snapshot_name_list=last")
    assert len(shell.ok("vm.snapshot_list s1").splitlines()) == MAX_SNAPSHOTS_PER_VM + 1


def test_help_states_the_limits(shell):
    overview = shell.ok("help")
    assert overview.splitlines()[-1] == (
        f"Limits: a line holds at most 65,536 characters, a text value {MAX_TEXT:,}, a list "
        f"{MAX_LIST:,} items, a range 10,000 names; one command makes at most "
        f"{MAX_NEW_NAMES:,} VMs; a VM has at most {MAX_SNAPSHOTS_PER_VM} snapshots.")
    assert f"at most {MAX_SNAPSHOTS_PER_VM})" in shell.ok("help vm.snapshot_create")
