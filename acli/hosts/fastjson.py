"""A drop-in for the ovs package's JSON stream parser, on the stdlib's C decoder.

The `ovs` wheel on PyPI ships without its C JSON extension, so ovs.jsonrpc
lexes every reply one character at a time in Python (~300 KB/s: tens of
milliseconds for one monitor reply). This class keeps ovs.json.Parser's
interface (feed returns how much of the input it took, is_done, finish) and
is installed only when the C parser is absent.

JSON-RPC messages arrive back to back with no delimiter, and feed() must
take exactly the characters of one message. A regex visits only the
characters that matter for finding its end (braces, quotes, escapes), so
the end is found exactly at C-ish speed; the message is then decoded by
the stdlib once.
"""

from __future__ import annotations

import json
import re

_STRUCTURE = re.compile(r'\\.?|["{}]', re.DOTALL)


class StreamParser:
    def __init__(self, check_trailer=False):
        self._parts: list[str] = []
        self._depth = 0
        self._in_string = False
        self._skip_next = False  # a backslash ended the previous chunk
        self._value = None
        self._error = None
        self.done = False

    def feed(self, text: str) -> int:
        if self.done:
            return 0
        start = 0
        if self._skip_next and text:
            self._skip_next, start = False, 1
        for m in _STRUCTURE.finditer(text, start):
            token = m.group()
            if token[0] == "\\":
                if len(token) == 1:
                    self._skip_next = True
                continue
            if token == '"':
                self._in_string = not self._in_string
            elif self._in_string:
                continue
            elif token == "{":
                self._depth += 1
            else:
                self._depth -= 1
                if self._depth == 0:
                    end = m.end()
                    self._parts.append(text[:end])
                    self._finish_message()
                    return end
        self._parts.append(text)
        return len(text)

    def _finish_message(self):
        self.done = True
        try:
            self._value = json.loads("".join(self._parts))
        except ValueError as err:
            self._error = f"invalid JSON from OVSDB: {err}"
        self._parts = []

    def is_done(self) -> bool:
        return self.done

    def finish(self):
        if self._error:
            return self._error
        if not self.done:
            return "unexpected end of input"
        return self._value


def install() -> None:
    import ovs.json

    if ovs.json.PARSER == ovs.json.PARSER_PY and ovs.json.Parser is not StreamParser:
        ovs.json.Parser = StreamParser
