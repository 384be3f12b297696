"""The command table binds parsed lines to typed arguments, or says why not."""

import pytest

from acli.commands import load_all
from acli.commands.bind import bind
from acli.errors import EXIT_USAGE, UsageError
from acli.syntax.parser import parse_line


def bound(line):
    return bind(parse_line(line)).args


def error(line) -> UsageError:
    with pytest.raises(UsageError) as info:
        bind(parse_line(line))
    assert info.value.status == EXIT_USAGE
    assert "\n" not in info.value.message
    return info.value


def test_sizes_and_defaults():
    a = bound("vm.create web[1..2] memory=4096M")
    assert a["vm_list"] == ["web1", "web2"]
    assert a["memory"] == 4096 << 20
    assert a["num_vcpus"] == 1 and a["machine_type"] == "pc" and a["uefi_boot"] is False
    assert bound("vm.create a memory=2G")["memory"] == 2 << 30
    assert bound("vm.create a memory=2GiB")["memory"] == 2 << 30
    assert bound("vm.create a memory=512")["memory"] == 512 << 20  # bare number is MiB


def test_booleans_and_enums_fold_case():
    assert bound("vm.create a uefi_boot=True")["uefi_boot"] is True
    assert bound("vm.create a uefi_boot=0")["uefi_boot"] is False
    assert bound("vm.create a machine_type=Q35")["machine_type"] == "q35"


def test_unknown_keyword_suggests_the_nearest():
    err = error("vm.create a memroy=2G")
    assert err.message == "Unknown keyword argument: memroy (did you mean memory?)"
    assert err.column == 13


def test_unknown_command_and_namespace():
    assert error("vm.creat a").message == "Unknown command: vm.creat (did you mean vm.create?)"
    assert error("vmm.list").message == "Unknown namespace: vmm (did you mean vm?)"


def test_bad_values_name_parameter_and_word():
    err = error("vm.create a num_vcpus=0")
    assert "num_vcpus" in err.message and "minimum 1" in err.message
    assert "'lots'" in error("vm.create a memory=lots").message
    assert "'maybe'" in error("vm.create a uefi_boot=maybe").message
    assert "pc, q35" in error("vm.create a machine_type=isa").message


def test_missing_required_and_extra_positionals():
    assert error("vm.disk_delete v1").message.startswith("Missing argument: disk_addr")
    assert error("vm.list extra").message.startswith("Unexpected argument 'extra'")
    assert "given twice" in error("vm.create a memory=1G memory=2G").message


def test_new_names_refuse_globs_and_duplicates():
    assert "pattern" in error("vm.create web*").message
    assert "named twice" in error("vm.create a,a").message
    assert "not a valid VM name" in error('vm.create "a/b"').message
    assert bound('vm.create "Prism Central"')["vm_list"] == ["Prism Central"]


def test_selectors_keep_globs():
    pats = bound("vm.on web*,db1")["vm_list"]
    assert [(p.glob, p.text) for p in pats] == [("web*", "web*"), (None, "db1")]


def test_every_command_has_help_for_every_parameter():
    for cmd in load_all().values():
        assert cmd.summary
        for param in cmd.params:
            assert param.help, f"{cmd.name} {param.name}"


def test_names_shaped_like_uuids_are_refused():
    # everything is found by name or UUID: such a name could name another VM
    assert "looks like a UUID" in error("vm.create 6695eb01-f6a4-8304-79aa-97f2502e193f").message
    assert "looks like a UUID" in error(
        "vm.update a name=6695eb01-f6a4-8304-79aa-97f2502e193f").message


def test_memory_bounds_and_units():
    assert "minimum 16M" in error("vm.create a memory=1").message
    assert "maximum 16T" in error("vm.create a memory=99999999T").message
    assert "whole number of 1M" in error("vm.create a memory=16400K").message
    assert "not a size" in error("vm.create a memory=2Gb").message  # b is bits
    assert bound("vm.create a memory=1TB")["memory"] == 1 << 40
    assert bound("vm.create a memory=512m")["memory"] == 512 << 20
