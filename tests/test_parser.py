"""The grammar: every form of the reference's line syntax, and its errors."""

import pytest

from acli.errors import UsageError
from acli.syntax.parser import parse_line
from acli.syntax.words import MapValue


def args(line):
    return [(a.key, a.text) for a in parse_line(line).args]


def test_command_positionals_and_keywords():
    line = parse_line("vm.nic_create fooVM vlan_mode=kTrunked trunked_networks=10,20,30 network=vlan.10")
    assert line.command == "vm.nic_create"
    assert args("vm.nic_create fooVM vlan_mode=kTrunked trunked_networks=10,20,30 network=vlan.10") == [
        (None, "fooVM"), ("vlan_mode", "kTrunked"), ("trunked_networks", "10,20,30"),
        ("network", "vlan.10")]
    kw = line.args[2]
    assert [i.text for i in kw.value.items] == ["10", "20", "30"]


def test_quotes_keep_spaces_and_escapes():
    assert args('vm.snapshot_create v snapshot_name_list="before upgrade"') == [
        (None, "v"), ("snapshot_name_list", "before upgrade")]
    assert args("vm.update v description='a b'") == [(None, "v"), ("description", "a b")]
    assert args(r'vm.update v description="say \"hi\""') == [(None, "v"), ("description", 'say "hi"')]


def test_adjacent_pieces_join_into_one_word():
    assert args('vm.get web"01"') == [(None, "web01")]


def test_ranges_expand_with_padding():
    word = parse_line("vm.create web[01..12]").args[0].value.items[0]
    assert word.has_range and not word.is_glob
    names = word.expand()
    assert names[0] == "web01" and names[-1] == "web12" and len(names) == 12
    assert parse_line("vm.create a[8..10]").args[0].value.items[0].expand() == ["a8", "a9", "a10"]


def test_range_running_backwards_is_refused():
    word = parse_line("vm.create a[5..1]").args[0].value.items[0]
    with pytest.raises(ValueError):
        word.expand()


def test_globs_are_recognised_and_quoted_stars_are_literal():
    star = parse_line("vm.on web*").args[0].value.items[0]
    klass = parse_line("vm.shutdown db[0-9][0-9]").args[0].value.items[0]
    quoted = parse_line('vm.on "web*"').args[0].value.items[0]
    assert star.is_glob and klass.is_glob and not quoted.is_glob
    assert klass.glob_pattern() == "db[0-9][0-9]"
    assert quoted.glob_pattern() == "web[*]"


def test_map_values_bare_and_spaced():
    value = parse_line("net.update_virtual_switch vs0 active_uplink={h1:eth2; h2:eth3}").args[1].value
    assert isinstance(value.items[0], MapValue)
    assert value.items[0].pairs == (("h1", "eth2"), ("h2", "eth3"))


def test_options_before_the_command():
    line = parse_line("-y -o json vm.delete x")
    assert line.yes and line.output == "json" and line.command == "vm.delete"


def test_a_command_named_like_an_option_is_a_command():
    # Quoted arguments send these lines to the grammar, not the shortcut.
    line = parse_line('yes x="a"')
    assert line.command == "yes" and not line.yes
    line = parse_line('output json x="a"')
    assert line.command == "output" and line.output is None


def test_comments_and_blank_lines():
    assert parse_line("").is_empty
    assert parse_line("   ").is_empty
    assert parse_line("# just a comment").is_empty
    assert args("vm.list   # trailing comment") == []
    assert args("vm.get a#b") == [(None, "a#b")]


def test_empty_value_after_equals():
    line = parse_line("vm.update v description=")
    assert line.args[1].key == "description" and line.args[1].value is None


@pytest.mark.parametrize("line, column, words", [
    ('vm.create x "abc', 13, "unterminated quote"),
    ("vm.create x 'abc", 13, "unterminated quote"),
    ("memory=2G", 7, "unexpected '='"),
    ("vm.create x memory=2G,", None, "ends too early"),
    ("vm.create {", None, "ends too early"),
    ("vm.list =x", 9, "unexpected '='"),
])
def test_syntax_errors_name_the_column(line, column, words):
    with pytest.raises(UsageError) as info:
        parse_line(line)
    assert words in info.value.message
    if column:
        assert info.value.column == column


def test_parse_rate_is_not_pathological():
    # A sanity bound, not a benchmark (bench/ measures speed): 2,000 lines
    # must not take seconds.
    import time

    start = time.perf_counter()
    for i in range(2000):
        parse_line(f"vm.nic_create vm{i} vlan_mode=kTrunked trunked_networks=10,20,30 network=vlan.10")
    assert time.perf_counter() - start < 5


def test_standalone_and_lark_backends_agree(tmp_path, monkeypatch):
    """The generated standalone parser (the fast start) and lark itself must
    read every line the same way, errors included."""
    from acli.syntax import backend

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    backend.load.cache_clear()
    try:
        standalone, sa_errors = backend.load()
        assert sa_errors.__name__.startswith("acli_parser_")  # really the generated one
        assert list(tmp_path.rglob("acli_parser_*.pyc")), "the standalone parser was not compiled"
        in_memory, lark_errors = backend._in_memory(backend.grammar_text())
        lines = ["vm.nic_create fooVM vlan_mode=kTrunked trunked_networks=10,20,30 network=vlan.10",
                 'vm.create web[01..03] description="a \\"b\\"" # c', "-y -o json vm.delete db[0-9]*",
                 "net.update_virtual_switch vs0 active_uplink={h1:eth2; h2:eth3}"]
        for line in lines:
            assert repr(standalone.parse(line)) == repr(in_memory.parse(line))
        for bad in ['vm.create x "abc', "memory=2G", "vm.create {", "vm.list =x"]:
            try:
                standalone.parse(bad)
            except sa_errors.UnexpectedInput as err:
                sa = (type(err).__name__, getattr(err, "column", None))
            try:
                in_memory.parse(bad)
            except lark_errors.UnexpectedInput as err:
                lk = (type(err).__name__, getattr(err, "column", None))
            assert sa == lk, bad
    finally:
        backend.load.cache_clear()
