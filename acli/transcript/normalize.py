"""The one place that makes output repeatable: values that differ from run
to run become numbered placeholders, the same value the same number.

UUIDs become <uuid:N>, MAC addresses <mac:N>, timestamps <time>, the
sandbox directory <sandbox>. Placeholders in *input* lines are turned back
into the values they stand for, so a transcript can say `vm.get <uuid:1>`.
"""

from __future__ import annotations

import re

UUID_RE = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")
MAC_RE = re.compile(r"\b[0-9a-f]{2}(?::[0-9a-f]{2}){5}\b")
TIME_RE = re.compile(
    r"\b\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?\b")
PLACEHOLDER_RE = re.compile(r"<(uuid|mac):(\d+)>")


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
        return TIME_RE.sub("<time>", text)

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
