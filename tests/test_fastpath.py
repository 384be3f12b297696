"""The plain-line shortcut agrees with the grammar on every line it takes.

fastpath.py may decline any line (the grammar then reads it), but a line it
accepts must come out exactly as the grammar builds it: same command,
options, arguments, words and columns.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from acli.errors import UsageError
from acli.syntax.fastpath import parse_plain
from acli.syntax.parser import parse_line, parse_with_grammar

PLAIN_LINES = [
    "vm.list",
    "vm.on b0001",
    "-y vm.delete b0001",
    "vm.create b0001 memory=64M",
    "  vm.create web1,web2 memory=2G num_vcpus=2",
    "-o json vm.get web01",
    "--yes --output json-pretty vm.delete a,b",
    "vm.nic_create fooVM vlan_mode=kTrunked trunked_networks=10,20,30 network=vlan.10",
    "vm.update x\tmemory=1G",
    "vm.on web*",
    "vm.delete x -y",
    "-o -y vm.list",
    "yes --output json-pretty vm.delete a,b",
    "output json vm.list",
    "vm.update x extra_flags=is_system_vm=true",
    "vm.create x=y=z",
    "vm.update x a==b,c=d",
]

NOT_PLAIN_LINES = [
    'vm.update web01 description="a b"',
    "vm.create web[01..12]",
    "net.update_virtual_switch vs0 active_uplink={h1:eth2; h2:eth3}",
    "vm.list # all of them",
    "vm.create x memory=",
    "vm.create a,,b",
    "vm.create a, b",
    "vm.create a=b =c",
    "vm.create x =y",
    "vm.create 1x=y",
    "-o",
    "-y",
    "-o json",
    "-yy vm.list",
    "vm..list",
    "vm.list\x0bx",
    "vm.on caf\u00e9\u00a0x",
    "vm.\u00e9 x",
    "vm.on x\x00",
]


def _as_grammar_reads(line: str):
    source = line.rstrip("\r\n")
    return parse_with_grammar(source, source.rstrip())


@pytest.mark.parametrize("line", PLAIN_LINES)
def test_plain_lines_take_the_shortcut_and_match_the_grammar(line):
    fast = parse_plain(line, line.rstrip())
    assert fast is not None
    assert fast == _as_grammar_reads(line)


@pytest.mark.parametrize("line", NOT_PLAIN_LINES)
def test_other_lines_are_left_to_the_grammar(line):
    assert parse_plain(line, line.rstrip()) is None


def test_a_declined_line_still_gets_the_grammars_error():
    with pytest.raises(UsageError) as err:
        parse_line("vm.create web1 =y")
    assert err.value.column == 16  # the stray "="


def test_the_first_equals_sign_ends_the_key():
    line = parse_line("vm.update x extra_flags=is_system_vm=true")
    assert [(a.key, a.text) for a in line.args] == [(None, "x"), ("extra_flags", "is_system_vm=true")]


# Lines drawn mostly from the characters that decide between the shortcut
# and the grammar, plus mutations of real lines.
ALPHABET = st.sampled_from(list("vm.onlistcreatex01_-yo=,*?#'\"[]{}:; \t\x0b.")
                          + ["json", "--yes", "--output"]
                          # what str's tests and a regular expression might see differently
                          + list("\xa0\u2003\x85\x00\x1f\u200b\u00e9\u0661\u2160\r\n\x0c"))
SEEDS = PLAIN_LINES + NOT_PLAIN_LINES


@st.composite
def mutated(draw):
    line = draw(st.sampled_from(SEEDS))
    for _ in range(draw(st.integers(0, 3))):
        pos = draw(st.integers(0, len(line)))
        chunk = "".join(draw(st.lists(ALPHABET, min_size=1, max_size=3)))
        if draw(st.booleans()):
            line = line[:pos] + chunk + line[pos:]
        else:
            line = line[:pos] + line[pos + len(chunk):]
    return line


lines = st.one_of(mutated(), st.lists(ALPHABET, max_size=30).map("".join), st.text(max_size=40))


@settings(max_examples=3000, deadline=None)
@given(lines)
def test_shortcut_never_disagrees_with_the_grammar(line):
    source = line.rstrip("\r\n")
    stripped = source.rstrip()
    if not stripped:
        return
    fast = parse_plain(source, stripped)
    if fast is None:
        return
    try:
        slow = parse_with_grammar(source, stripped)
    except UsageError as err:
        raise AssertionError(f"shortcut accepted {line!r}, grammar says {err.message}") from None
    assert fast == slow, line


def test_a_command_word_seen_before_is_still_no_keyword_name():
    # Words found well formed are remembered; a command's must not pass for a key's.
    assert parse_plain("vm.lis x", "vm.lis x") is not None
    assert parse_plain("output x vm.lis=sot", "output x vm.lis=sot") is None
