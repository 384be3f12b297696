"""How the acli command makes one aCLI line of its argv (options.join_words):
one argument is a whole line; several are one word each, whatever they hold,
while globs, ranges and list commas keep their meaning."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from acli.cli import _takes_list
from acli.options import join_words
from acli.syntax.parser import parse_line


def _read(*words):
    return parse_line(join_words(list(words), _takes_list))


def _texts(line):
    return [(a.key, a.text) for a in line.args]


def test_one_argument_is_a_whole_line():
    assert _texts(_read("vm.create web1 memory=2G")) == [(None, "web1"), ("memory", "2G")]


@pytest.mark.parametrize("words, texts", [
    (["vm.on", "Prism Central"], [(None, "Prism Central")]),
    (["snapshot.delete", "before upgrade"], [(None, "before upgrade")]),
    (["vm.update", "v1", "description=it's \"x\", y # z"], [(None, "v1"), ("description", "it's \"x\", y # z")]),
    (["vm.update", "v1", "description=a=b"], [(None, "v1"), ("description", "a=b")]),
    (["vm.update", "v1", "description="], [(None, "v1"), ("description", "")]),
    (["vm.snapshot_create", "v1", "snapshot_name_list=s1,s 2"], [(None, "v1"), ("snapshot_name_list", "s1,s 2")]),
])
def test_several_arguments_are_one_word_each(words, texts):
    assert _texts(_read(*words)) == texts


def test_a_list_keeps_its_items_and_a_glob_its_star():
    line = _read("vm.on", "Prism *,web1")
    assert [(w.text, w.is_glob) for w in line.args[0].value.items] == [("Prism *", True), ("web1", False)]
    line = _read("vm.snapshot_create", "v1", "snapshot_name_list=s1,s 2")
    assert [w.text for w in line.args[1].value.items] == ["s1", "s 2"]
    # not a list: the comma is text
    assert [w.text for w in _read("vm.disk_list", "a,b").args[0].value.items] == ["a,b"]


def test_quotes_written_for_acli_inside_an_argument_are_acli_s():
    line = _read("vm.snapshot_create", "v1", 'snapshot_name_list="before upgrade",x')
    assert [w.text for w in line.args[1].value.items] == ["before upgrade", "x"]


# Any text without a leading quote (taken as written) and without brackets
# (ranges and globs, which keep their meaning) is one word; `key=...` is a
# keyword wherever it stands.
WORD = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="[]\r\n"),
               min_size=1, max_size=20).filter(lambda w: w[0] not in "\"'")


def _keyword_shaped(word: str) -> bool:
    key, eq, _ = word.partition("=")
    return bool(eq) and key.isidentifier()


@settings(max_examples=500, deadline=None)
@given(WORD.filter(lambda w: not _keyword_shaped(w)), WORD)
def test_any_argument_is_one_word(positional, value):
    line = _read("vm.disk_list", positional, f"description={value}")
    assert _texts(line) == [(None, positional), ("description", value)]


def test_the_acli_command_names_one_vm_with_blanks(acli):
    assert acli("vm.create", "Prism Central", "memory=64M").stdout == "Prism Central: complete\n"
    assert acli("vm.on", "Prism Central").stdout == "Prism Central: complete\n"
    done = acli("vm.on", "Prism", "Central")
    assert done.returncode == 2 and "Unexpected argument 'Central'" in done.stderr


def test_a_sandbox_directory_with_a_dot_is_a_directory_not_a_command():
    """`--sandbox DIR` takes the next word unless it is the command; a path
    such as ~/.local/state/... holds a dot but is never one."""
    from acli.cli import _is_command
    from acli.options import parse_options

    opts = parse_options(["--sandbox", "/home/me/.local/state/acli/c", "--hosts", "3",
                          "host.list"], is_command=_is_command)
    assert opts.sandbox == "/home/me/.local/state/acli/c" and opts.hosts == 3
    assert opts.words == ["host.list"]
    opts = parse_options(["--sandbox", "vm.crate"], is_command=_is_command)
    assert opts.sandbox == "" and opts.words == ["vm.crate"]
    opts = parse_options(["--sandbox", "vm.list"], is_command=_is_command)
    assert opts.sandbox == "" and opts.words == ["vm.list"]
