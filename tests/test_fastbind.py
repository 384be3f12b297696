"""bind_plain() binds plain lines straight from their text; on every line it
takes, it must give exactly what parse_line() and bind() give, and it must
leave every line with a mistake to them (so errors keep one wording)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from acli.commands import load_all
from acli.commands.bind import bind, bind_plain
from acli.errors import UsageError
from acli.syntax.parser import parse_line

TABLE = load_all()
COMMANDS = sorted(TABLE)
# Values that make each kind of type succeed or fail, plain or not.
VALUES = ["web1", "b0001", "web*", "db?", "a,b", "a,a", "64M", "2G", "16", "0", "-3", "x" * 70,
          "true", "no", "maybe", "pc", "q35", "kTrunked", "kAccess", "10,20,30", "vlan.10",
          "50:6b:8d:01:02:03", "10.1.1.1", "10.1.1.0/24", "0b6d6f0e-5f0c-4a57-a0a3-7f3d0e0d9b1a",
          "json", "json-pretty", "text", "yaml", "v", "1T", "17T", "15M", "3K",
          "is_system_vm=true", "a=b,c=d", "=x"]


@st.composite
def lines(draw):
    name = draw(st.sampled_from(COMMANDS + ["vm.nosuch", "nosuch.list"]))
    cmd = TABLE.get(name)
    words = []
    if draw(st.booleans()):
        words.append(draw(st.sampled_from(["-y", "--yes", "-o json", "-o text", "-o yaml",
                                           "--output json-pretty"])))
    words.append(name)
    positionals = len(cmd.positionals) if cmd else 1
    for _ in range(draw(st.integers(0, positionals + 1))):
        words.append(draw(st.sampled_from(VALUES)))
    keys = sorted(cmd.keywords) + ["nosuch"] if cmd else ["memory"]
    for _ in range(draw(st.integers(0, 3))):
        words.append(f"{draw(st.sampled_from(keys))}={draw(st.sampled_from(VALUES))}")
    return " ".join(words)


def _slow(line: str):
    return bind(parse_line(line))


def _same(fast, slow) -> bool:
    return (fast.command is slow.command and fast.args == slow.args and fast.given == slow.given
            and fast.yes == slow.yes and fast.output == slow.output)


@settings(max_examples=3000, deadline=None)
@given(lines())
def test_bind_plain_agrees_with_parse_and_bind(line):
    fast = bind_plain(line)
    try:
        slow = _slow(line)
    except UsageError:
        assert fast is None, f"bind_plain took {line!r}, which has a mistake"
        return
    if fast is not None:
        assert _same(fast, slow), line


@pytest.mark.parametrize("line", [
    "vm.create b0001 memory=64M", "vm.on b0001", "-y vm.delete b0001", "-o json vm.list",
    "vm.nic_create fooVM vlan_mode=kTrunked trunked_networks=10,20,30 network=vlan.10",
    "vm.on web1,web2", "vm.on web*",
])
def test_the_lines_scripts_are_made_of_take_the_shortcut(line):
    fast = bind_plain(line)
    assert fast is not None and _same(fast, _slow(line))


@pytest.mark.parametrize("line", [
    "vm.create b0001 memory=64X", "vm.on", "vm.nosuch x", "vm.create a b", "-o yaml vm.list",
    "vm.create a memory=1G memory=2G", "vm.create a nosuch=1", 'vm.on "web 1"',
])
def test_mistakes_and_other_lines_are_left_to_the_full_path(line):
    assert bind_plain(line) is None
