"""What acli says back when a line is bad: one line, naming the fault, never
a traceback, never a password, never a megabyte word repeated whole."""

import json

import pytest


def test_a_nul_byte_is_a_one_line_usage_error(acli):
    done = acli(input="vm.create n1 memory=64M\nvm.get n\0x\n")
    assert done.returncode == 1  # a batch that fails exits 1
    assert done.stderr == "<stdin>:2:9: control character U+0000 in the line; " \
                          "values are printable text\n"
    assert "internal error" not in done.stderr


@pytest.mark.parametrize("char", ["\x01", "\x1b", "\x7f"])
def test_a_control_character_in_a_description_changes_nothing(acli, char):
    acli("vm.create c1 memory=64M")
    made = acli(input=f"vm.create c2 memory=64M description=a{char}b\n")
    updated = acli(input=f"vm.update c1 description=a{char}b\n")
    for done in (made, updated):
        assert done.returncode == 1  # a batch that fails exits 1
        assert done.stderr.count("\n") == 1 and f"U+{ord(char):04X}" in done.stderr
    assert [row.split()[0] for row in acli("vm.list").stdout.splitlines()[1:]] == ["c1"]
    assert "description" not in acli("vm.get c1").stdout


def test_a_libvirt_refusal_of_a_definition_is_one_line(shell):
    """libvirt's XML errors carry the whole definition and a caret line;
    a VM created past the line check (a description from elsewhere) says
    the first line only."""
    from acli.errors import AcliError
    from acli.vms import service
    from acli.vms.spec import VmSpec

    with pytest.raises(AcliError) as failed:
        service.create(shell.host, ["x1"], VmSpec("x1", memory_mb=64, description="a\x01b"))
    assert "\n" not in failed.value.message
    assert failed.value.message.endswith("(no VM was created)")


def test_a_long_word_is_shortened_in_the_message(acli):
    word = "x" * 10_000
    done = acli(input=f"vm.get {word}\n")
    assert done.returncode == 1
    assert done.stderr == "<stdin>:1:8: Unknown name: " + "x" * 60 + "...(10000 characters)\n"


def test_an_overlong_line_is_refused_before_it_is_read(acli):
    done = acli(input="vm.create l1 memory=64M description=" + "d" * 70_000 + "\n")
    assert done.returncode == 1  # a batch that fails exits 1
    assert done.stderr == "<stdin>:1: the line is 70,036 characters long; " \
                          "a line holds at most 65,536\n"
    assert acli("vm.list").stdout.splitlines()[1:] == []


def test_a_password_in_a_url_is_never_printed(acli):
    url = "http://admin:s3cret@127.0.0.1:9/disk.img"
    text = acli("image.create i1", f"source_url={url}")
    assert text.returncode == 1
    assert "s3cret" not in text.stderr and "admin" not in text.stderr
    assert "http://127.0.0.1:9/disk.img" in text.stderr
    doc = json.loads(acli("-o", "json", "image.create", "i1", f"source_url={url}").stdout)
    assert doc["status"] == 1 and "s3cret" not in doc["error"]


def test_the_message_rules():
    from acli.echo import one_line_message, without_credentials

    assert without_credentials("get https://u:p%40ss@h.example/x and ftp://a@b/") == \
        "get https://h.example/x and ftp://b/"
    assert without_credentials("mail me@example.com") == "mail me@example.com"
    assert one_line_message("first\nsecond") == "first"
    assert one_line_message("short words stay") == "short words stay"
