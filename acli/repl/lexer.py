"""Colours for the parts of the line being typed."""

from __future__ import annotations

from prompt_toolkit.lexers import Lexer

from acli.commands import load_all
from acli.repl.words import split

REGISTRY = load_all()  # the shell completes and colours every command

STYLE = {
    "command": "ansicyan bold",
    "unknown": "ansired",
    "option": "ansiyellow",
    "key": "ansiblue",
    "value": "",
    "string": "ansigreen",
    "comment": "ansibrightblack italic",
}


def fragments(line: str) -> list[tuple[str, str]]:
    """(style, text) pieces covering `line` exactly. A pure function."""
    out: list[tuple[str, str]] = []
    pos = 0
    seen_command = False
    comment_at = _comment_start(line)
    body = line if comment_at is None else line[:comment_at]
    for tok in split(body):
        if tok.start > pos:
            out.append(("", line[pos:tok.start]))
        text = tok.text
        if not seen_command and text.startswith("-"):
            out.append((STYLE["option"], text))
        elif not seen_command:
            seen_command = True
            out.append((STYLE["command"] if text in REGISTRY or text in ("exit", "quit")
                        else STYLE["unknown"], text))
        elif "=" in text and text.partition("=")[0].isidentifier():
            key, _, value = text.partition("=")
            out.append((STYLE["key"], key + "="))
            out.append((STYLE["string"] if value[:1] in "\"'" else STYLE["value"], value))
        else:
            out.append((STYLE["string"] if text[:1] in "\"'" else STYLE["value"], text))
        pos = tok.start + len(text)
    if pos < len(body):
        out.append(("", body[pos:]))
    if comment_at is not None:
        out.append((STYLE["comment"], line[comment_at:]))
    return [f for f in out if f[1]]


def _comment_start(line: str) -> int | None:
    quote = None
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "\"'":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            return i
    return None


class AcliLexer(Lexer):
    def lex_document(self, document):
        lines = document.lines
        return lambda i: fragments(lines[i]) if i < len(lines) else []
