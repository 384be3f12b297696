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
    tokens = _TOKENS.finditer(text)
    line = ParsedLine(source=source)
    for tok in tokens:
        word = tok.group()
        if word in _YES:
            line.yes = True
            continue
        if word in _OUTPUT:
            value = next(tokens, None)
            if value is None or not _bare(value.group()):
                return None
            line.output, line.output_column = value.group(), value.start() + 1
            continue
        if not _COMMAND.fullmatch(word):
            return None
        line.command, line.command_column = word, tok.start() + 1
        break
    else:
        return None
    args = line.args
    for tok in tokens:
        word = tok.group()
        column = tok.start() + 1
        if "=" in word:
            m = _KEYWORD.fullmatch(word)
            if m is None:
                return None
            args.append(Argument(m.group(1), _value(m.group(2), column + m.end(1) + 1), column))
        elif _PLAIN.fullmatch(word):
            args.append(Argument(None, _value(word, column), column))
        else:
            return None
    return line


def _bare(word: str) -> bool:
    return _PLAIN.fullmatch(word) is not None and "," not in word


def _value(text: str, column: int) -> Value:
    """A comma list of bare words starting at `column`."""
    items = []
    for part in text.split(","):
        items.append(Word((Piece(BARE, part),), column))
        column += len(part) + 1
    return Value(tuple(items), items[0].column)
