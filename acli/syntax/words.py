"""What a parsed line is made of.

A line is an optional set of options, a command name and arguments. An
argument is positional or `key=value`; a value is a comma list of items; an
item is a word (adjacent pieces: bare text, quoted text, ranges, bracket
classes) or a map `{a:b; c:d}`. Quoting only matters to how a word is read:
a quoted `*` is a literal star, not a glob.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from acli.limits import MAX_RANGE_SIZE
from acli.plain import Plain

BARE, QUOTED, RANGE, BRACKET = "bare", "quoted", "range", "bracket"

_RANGE = r"\[(\d+)\.\.(\d+)\]"  # compiled by re on first use: most scripts have no ranges


class Piece(NamedTuple):
    kind: str
    text: str  # quoted pieces hold their content without quotes


class Word(NamedTuple):
    pieces: tuple[Piece, ...]
    column: int

    # Most words are one piece: the properties below answer those without
    # a generator (binding asks them of every word of every line).

    @property
    def text(self) -> str:
        pieces = self.pieces
        if len(pieces) == 1:
            return pieces[0].text
        return "".join([p.text for p in pieces])

    @property
    def is_glob(self) -> bool:
        for kind, text in self.pieces:
            if kind == BRACKET or (kind == BARE and ("*" in text or "?" in text)):
                return True
        return False

    @property
    def has_range(self) -> bool:
        for kind, _ in self.pieces:
            if kind == RANGE:
                return True
        return False

    def glob_pattern(self) -> str:
        """An fnmatch pattern: bare and bracket pieces keep their meaning,
        quoted and range pieces are literal text."""
        out = []
        for p in self.pieces:
            if p.kind in (BARE, BRACKET):
                out.append(p.text)
            else:
                out.append("".join("[" + c + "]" if c in "*?[" else c for c in p.text))
        return "".join(out)

    def expand(self) -> list[str]:
        """All names a creation range stands for: web[01..03] -> web01..web03.

        Zero padding follows the width of the start number. Several ranges
        in one word multiply out, left to right.
        """
        pieces = self.pieces
        if len(pieces) == 1 and pieces[0].kind != RANGE:
            return [pieces[0].text]
        names = [""]
        for p in pieces:
            if p.kind != RANGE:
                names = [n + p.text for n in names]
                continue
            m = re.fullmatch(_RANGE, p.text)
            start_text, end_text = m.group(1), m.group(2)
            start, end = int(start_text), int(end_text)
            if end < start:
                raise ValueError(f"range {p.text} runs backwards")
            if (end - start + 1) * len(names) > MAX_RANGE_SIZE:
                raise ValueError(f"range {p.text} makes more than {MAX_RANGE_SIZE:,} names")
            width = len(start_text) if start_text.startswith("0") else 0
            names = [n + str(i).zfill(width) for n in names for i in range(start, end + 1)]
        return names


class MapValue(NamedTuple):
    pairs: tuple[tuple[str, str], ...]
    column: int

    @property
    def text(self) -> str:
        return "{" + "; ".join(f"{k}:{v}" for k, v in self.pairs) + "}"


class Value(NamedTuple):
    items: tuple[Word | MapValue, ...]
    column: int

    @property
    def text(self) -> str:
        return ",".join(i.text for i in self.items)


class Argument(NamedTuple):
    key: str | None  # None for a positional
    value: Value | None  # None for `key=` with nothing after it
    column: int

    @property
    def text(self) -> str:
        return self.value.text if self.value else ""


class ParsedLine(Plain):
    """One line as the grammar sees it, before the command table has looked."""

    __slots__ = ("source", "command", "command_column", "args", "yes", "output", "output_column")

    def __init__(self, source: str, command: str | None = None, command_column: int = 0,
                 args: list[Argument] | None = None, yes: bool = False,
                 output: str | None = None, output_column: int = 0):
        self.source = source
        self.command = command
        self.command_column = command_column
        self.args = [] if args is None else args
        self.yes = yes
        self.output = output
        self.output_column = output_column

    @property
    def is_empty(self) -> bool:
        return self.command is None
