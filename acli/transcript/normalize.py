"""The one place that makes output repeatable: values that differ from run
to run become numbered placeholders, the same value the same number.

UUIDs become <uuid:N>, MAC addresses <mac:N>, timestamps <time> (a
task's `*_time_usecs` too), the
sandbox directory <sandbox>. Placeholders in *input* lines are turned back
into the values they stand for, so a transcript can say `vm.get <uuid:1>`.

aCLI's own form of a time (`Wednesday March 23 2022, 09:27:16 AM`) is as
long as the day's and month's names: a table that holds one is laid out
again once it reads <time>, or its columns would move with the date.
"""

from __future__ import annotations

import re

UUID_RE = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")
MAC_RE = re.compile(r"\b[0-9a-f]{2}(?::[0-9a-f]{2}){5}\b")
TIME_RE = re.compile(
    r"\b\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?\b")
ACLI_TIME_RE = re.compile(
    r"\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day (?:January|February|March|April|May|June|July"
    r"|August|September|October|November|December) \d{2} \d{4}, \d{2}:\d{2}:\d{2} [AP]M\b")
# a task's times (task.get): microseconds since the epoch
USECS_RE = re.compile(r"(_time_usecs: )\d{10,}\b")
PLACEHOLDER_RE = re.compile(r"<(uuid|mac):(\d+)>")
COLUMN_GAP_RE = re.compile(r" {2,}")


class Normalizer:
    def __init__(self, paths: dict[str, str] | None = None):
        self.paths = paths or {}  # literal text -> its placeholder, e.g. a temp dir
        self.seen: dict[str, dict[str, int]] = {"uuid": {}, "mac": {}}

    def _number(self, kind: str, value: str) -> str:
        table = self.seen[kind]
        if value not in table:
            table[value] = len(table) + 1
        return f"<{kind}:{table[value]}>"

    def normalize(self, text: str) -> str:
        for literal, placeholder in self.paths.items():
            text = text.replace(literal, placeholder)
        text = UUID_RE.sub(lambda m: self._number("uuid", m.group(0)), text)
        text = MAC_RE.sub(lambda m: self._number("mac", m.group(0)), text)
        text = TIME_RE.sub("<time>", text)
        text = USECS_RE.sub(r"\1<time>", text)
        if ACLI_TIME_RE.search(text):
            text = relayout_tables(ACLI_TIME_RE.sub("<time>", text))
        return text

    def expand(self, line: str) -> str:
        """Input lines: <uuid:N> / <mac:N> back to the value seen N-th."""

        def value(m):
            kind, number = m.group(1), int(m.group(2))
            for val, n in self.seen[kind].items():
                if n == number:
                    return val
            return m.group(0)

        line = PLACEHOLDER_RE.sub(value, line)
        for literal, placeholder in self.paths.items():
            line = line.replace(placeholder, literal)
        return line


def relayout_tables(text: str) -> str:
    """Lay out again each table that holds a <time>: its rows and the header
    line above them (cells apart by two blanks or more), each column as wide
    as its widest cell, two blanks between, as the renderer does."""
    lines = text.split("\n")
    rows = [i for i, line in enumerate(lines)  # records' lines start with blanks, rows never
            if "<time>" in line and "  " in line and not line.startswith(" ")]
    blocks: list[list[int]] = []
    for i in rows:
        if blocks and blocks[-1][-1] == i - 1:
            blocks[-1].append(i)
        else:
            blocks.append([i - 1, i] if i > 0 else [i])
    for block in blocks:
        cells = [COLUMN_GAP_RE.split(lines[i].rstrip()) for i in block]
        widths = [max(len(row[c]) for row in cells if c < len(row))
                  for c in range(max(len(row) for row in cells))]
        for i, row in zip(block, cells):
            lines[i] = "".join(cell.ljust(widths[c] + 2) for c, cell in enumerate(row[:-1])) + row[-1]
    return "\n".join(lines)
