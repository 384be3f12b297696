"""A shortcut for the plain lines that make up most scripts.

Most lines a script holds are options, a command and arguments made of bare
words: `vm.on web01`, `-y vm.delete b0001`, `vm.create x memory=2G`. Reading
those needs no grammar, and the LALR parser spends about 55 µs a line on
them: a long batch pays more for parsing than for libvirt. This module reads
exactly that subset and returns None for anything else (quotes, brackets,
ranges, maps, comments, empty list items, `key=` with no value, stray `=`),
which the grammar then reads. So the grammar stays the one definition of the
language: tests/test_fastpath.py checks that on every line this module
accepts, it builds what the grammar builds.
"""

from __future__ import annotations

import re

from acli.syntax.words import BARE, Argument, ParsedLine, Piece, Value, Word

# One blank-separated token. The grammar's blanks are spaces and tabs; any
# other whitespace, and every character with a meaning of its own, sends the
# line to the grammar.
_TOKENS = re.compile(r"[^ \t]+")
_PLAIN = re.compile(r"[^\s\"',=\[\]{}#]+(?:,[^\s\"',=\[\]{}#]+)*")
_KEYWORD = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)=([^\s\"',=\[\]{}#]+(?:,[^\s\"',=\[\]{}#]+)*)")
_COMMAND = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
_YES = ("-y", "--yes")
_OUTPUT = ("-o", "--output")


def parse_plain(source: str, text: str) -> ParsedLine | None:
    """The ParsedLine for `text` (a line with trailing blanks stripped, from
    `source`), or None when the line is not plain and needs the grammar."""
    words = _TOKENS.findall(text)
    count = len(words)
    yes, output, output_column = False, None, 0
    pos = 0  # where the next word starts looking: blanks alone lie between words
    i = 0
    while i < count:
        word = words[i]
        pos = text.find(word, pos)
        if word in _YES:
            yes = True
        elif word in _OUTPUT:
            i += 1
            if i == count or not _bare(words[i]):
                return None
            pos = text.find(words[i], pos + len(word))
            output, output_column = words[i], pos + 1
            word = words[i]
        elif _COMMAND.fullmatch(word):
            break
        else:
            return None
        pos += len(word)
        i += 1
    else:
        return None
    command, command_column = word, pos + 1
    pos += len(word)
    args = []
    for word in words[i + 1:]:
        pos = text.find(word, pos)
        column = pos + 1
        pos += len(word)
        if "=" in word:
            m = _KEYWORD.fullmatch(word)
            if m is None:
                return None
            args.append(_new(Argument, (m.group(1), _value(m.group(2), column + m.end(1) + 1), column)))
        elif _PLAIN.fullmatch(word):
            args.append(_new(Argument, (None, _value(word, column), column)))
        else:
            return None
    return ParsedLine(source, command, command_column, args, yes, output, output_column)


def _bare(word: str) -> bool:
    return _PLAIN.fullmatch(word) is not None and "," not in word


# The word records are NamedTuples; tuple.__new__ builds one without the
# Python-level __new__ each class has (this runs for every word of a script).
_new = tuple.__new__


def _value(text: str, column: int) -> Value:
    """A comma list of bare words starting at `column`."""
    if "," not in text:
        return _new(Value, ((_new(Word, ((_new(Piece, (BARE, text)),), column)),), column))
    items = []
    for part in text.split(","):
        items.append(_new(Word, ((_new(Piece, (BARE, part)),), column)))
        column += len(part) + 1
    return _new(Value, (tuple(items), items[0].column))
