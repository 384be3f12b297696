"""Turn one line of text into a ParsedLine with the Lark grammar in grammar/acli.lark.

Plain lines (bare words only) take fastpath.py's shortcut; the rest go to
the LALR parser, which runs with an inline transformer (builder.py), so no
parse tree is built. Which Lark runs it is backend.py's business; parse errors
become one-line UsageErrors with the column of the fault here.
"""

from __future__ import annotations

import re

from acli.errors import UsageError
from acli.limits import MAX_LINE
from acli.syntax.fastpath import parse_plain
from acli.syntax.words import Argument, ParsedLine

# Python reads bytes that are not UTF-8 (from argv and files) as lone
# surrogates. Looked for only in lines that are not ASCII.
_UNDECODABLE = "[\ud800-\udfff]"
# Control characters (tab is a blank): no value may hold one, and libvirt's
# XML cannot. Looked for only in lines that are not printable.
_CONTROL = "[\x00-\x08\x0a-\x1f\x7f-\x9f\ufffe\uffff]"


def parse_line(text: str) -> ParsedLine:
    """Parse one line; raise UsageError with the column of the fault."""
    source = text.rstrip("\r\n")
    stripped = source.rstrip()
    if not stripped:
        return ParsedLine(source=source)
    check_text(stripped)
    plain = parse_plain(source, stripped)
    if plain is not None:
        return plain
    return parse_with_grammar(source, stripped)


def check_text(stripped: str) -> None:
    """Refuse a line no command could take: too long, not UTF-8, or holding
    a control character (a NUL would reach libvirt's C strings)."""
    if len(stripped) > MAX_LINE:
        raise UsageError(f"the line is {len(stripped):,} characters long; "
                         f"a line holds at most {MAX_LINE:,}")
    bad = None if stripped.isascii() else re.search(_UNDECODABLE, stripped)
    if bad is not None:
        raise UsageError("not valid UTF-8 text", bad.start() + 1)
    if not stripped.isprintable():
        bad = re.search(_CONTROL, stripped)
        if bad is not None:
            raise UsageError(f"control character U+{ord(bad.group()):04X} in the line; "
                             "values are printable text", bad.start() + 1)


def parse_with_grammar(source: str, stripped: str) -> ParsedLine:
    """Read a non-blank line (`stripped`: `source` without trailing blanks)
    with the Lark grammar, the shortcut left aside."""
    # Imported here: a script of plain lines never loads the parser at all.
    from acli.syntax.backend import load

    parser, errors = load()
    try:
        parts = parser.parse(stripped)
    except errors.UnexpectedInput as err:
        raise _syntax_error(stripped, err, errors) from None
    line = ParsedLine(source=source)
    for part in parts:
        if isinstance(part, list):
            _fill_statement(line, part)
    return line


def _fill_statement(line: ParsedLine, statement: list) -> None:
    for item in statement:
        if isinstance(item, Argument):
            line.args.append(item)
        elif item[0] == "yes":
            line.yes = True
        elif item[0] == "output":
            line.output, line.output_column = item[1], item[2]
        else:  # ("command", name, column)
            line.command, line.command_column = item[1], item[2]


def _shown(text: str) -> str:
    """Text for a one-line message: control characters escaped."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)


def _unterminated_quote(text: str) -> int | None:
    """Column of a quote that is never closed, if any."""
    quote, opened = None, None
    i = 0
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == "\\" and quote == '"':
                i += 1
            elif ch == quote:
                quote = None
        elif ch in "\"'":
            quote, opened = ch, i
        elif ch == "#" and (i == 0 or text[i - 1] in " \t"):
            break
        i += 1
    return opened + 1 if quote else None


def _syntax_error(text: str, err, errors) -> UsageError:
    open_quote = _unterminated_quote(text)
    if open_quote:
        return UsageError("unterminated quote", open_quote)
    column = getattr(err, "column", None) or len(text) + 1
    if isinstance(err, errors.UnexpectedCharacters):
        char = text[err.pos_in_stream] if err.pos_in_stream < len(text) else ""
        if char in "\"'":
            return UsageError("unterminated quote", column)
        if char == "=":
            return UsageError(
                "unexpected '=' (write key=value with no spaces, after the command)",
                column)
        return UsageError(f"unexpected '{_shown(char)}'", column)
    if isinstance(err, errors.UnexpectedToken):
        tok = err.token
        if tok.type == "$END":
            return UsageError("line ends too early", column)
        if str(tok).startswith("="):
            return UsageError("unexpected '=' (write key=value with no spaces, after the command)",
                              column)
        return UsageError(f"unexpected '{_shown(str(tok))}'", column)
    if isinstance(err, errors.UnexpectedEOF):
        return UsageError("line ends too early", column)
    return UsageError("syntax error", column)
