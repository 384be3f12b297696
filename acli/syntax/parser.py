"""Turn one line of text into a ParsedLine with the Lark grammar in grammar/acli.lark.

The LALR parser runs with an inline transformer, so no parse tree is built:
each rule's method below makes the ParsedLine parts directly. The analysed
grammar is cached on disk, which roughly halves start-up time.
"""

from __future__ import annotations

import hashlib
import os
import re
from functools import lru_cache

from lark import Lark, Transformer, Token
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from acli.errors import UsageError
from acli.syntax.words import (
    BARE, BRACKET, QUOTED, RANGE, Argument, MapValue, ParsedLine, Piece, Value, Word,
)

_ESCAPE_RE = re.compile(r"\\(.)")


def _token_column(tok: Token) -> int:
    return tok.column if tok.column is not None else 1


class _LineBuilder(Transformer):
    """Builds the ParsedLine pieces; method names match grammar rules and aliases."""

    def bare(self, children):
        tok = children[0]
        return Piece(BARE, str(tok)), _token_column(tok)

    def dq_string(self, children):
        tok = children[0]
        return Piece(QUOTED, _ESCAPE_RE.sub(r"\1", str(tok)[1:-1])), _token_column(tok)

    def sq_string(self, children):
        tok = children[0]
        return Piece(QUOTED, str(tok)[1:-1]), _token_column(tok)

    def range(self, children):
        tok = children[0]
        return Piece(RANGE, str(tok)), _token_column(tok)

    def bracket(self, children):
        tok = children[0]
        return Piece(BRACKET, str(tok)), _token_column(tok)

    def word(self, children):
        return Word(tuple(p for p, _ in children), children[0][1])

    def pair(self, children):
        return str(children[0]), str(children[2])

    def map(self, children):
        pairs = tuple(c for c in children if isinstance(c, tuple))
        return MapValue(pairs, _token_column(children[0]))

    def value(self, children):
        return Value(tuple(children), children[0].column)

    def keyword(self, children):
        key_tok = children[0]
        value = children[1] if len(children) > 1 else None
        return Argument(str(key_tok)[:-1], value, _token_column(key_tok))

    def positional(self, children):
        value = children[0]
        return Argument(None, value, value.column)

    def flag(self, children):
        return ("yes", True, _token_column(children[0]))

    def output_option(self, children):
        return ("output", str(children[1]), _token_column(children[1]))

    def command(self, children):
        tok = children[0]
        return (str(tok), _token_column(tok))

    def statement(self, children):
        return children

    def start(self, children):
        return children


def _grammar_path() -> str:
    # A plain file path: importlib.resources would cost ~10 ms of start-up.
    try:
        import acli.grammar

        return os.path.join(os.path.dirname(acli.grammar.__file__), "acli.lark")
    except ModuleNotFoundError:
        # Running from a source tree (python -m acli in a checkout): the
        # grammar is not yet mapped into the package, it sits at the top.
        here = os.path.dirname(os.path.abspath(__file__))
        return os.path.join(os.path.dirname(os.path.dirname(here)), "grammar", "acli.lark")


def _grammar_text() -> str:
    with open(_grammar_path()) as f:
        return f.read()


def _cache_path(grammar: str) -> str | None:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    digest = hashlib.sha1(grammar.encode()).hexdigest()[:16]
    folder = os.path.join(base, "acli")
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError:
        return None
    path = os.path.join(folder, f"grammar-{digest}.cache")
    return path if os.access(folder, os.W_OK) else None


@lru_cache(maxsize=1)
def _lark() -> Lark:
    grammar = _grammar_text()
    options = dict(parser="lalr", lexer="contextual", transformer=_LineBuilder(),
                   propagate_positions=False, maybe_placeholders=True)
    path = _cache_path(grammar)
    if path:
        try:
            return Lark(grammar, cache=path, **options)
        except OSError:
            pass
    return Lark(grammar, **options)


def parse_line(text: str) -> ParsedLine:
    """Parse one line; raise UsageError with the column of the fault."""
    source = text.rstrip("\r\n")
    stripped = source.rstrip()
    line = ParsedLine(source=source)
    if not stripped:
        return line
    try:
        parts = _lark().parse(stripped)
    except UnexpectedInput as err:
        raise _syntax_error(stripped, err) from None
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
        else:
            line.command, line.command_column = item


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


def _syntax_error(text: str, err: UnexpectedInput) -> UsageError:
    open_quote = _unterminated_quote(text)
    if open_quote:
        return UsageError("unterminated quote", open_quote)
    column = getattr(err, "column", None) or len(text) + 1
    if isinstance(err, UnexpectedCharacters):
        char = text[err.pos_in_stream] if err.pos_in_stream < len(text) else ""
        if char in "\"'":
            return UsageError("unterminated quote", column)
        if char == "=":
            return UsageError(
                "unexpected '=' (write key=value with no spaces, after the command)",
                column)
        return UsageError(f"unexpected '{_shown(char)}'", column)
    if isinstance(err, UnexpectedToken):
        tok = err.token
        if tok.type == "$END":
            return UsageError("line ends too early", column)
        if str(tok).startswith("="):
            return UsageError("unexpected '=' (write key=value with no spaces, after the command)",
                              column)
        return UsageError(f"unexpected '{_shown(str(tok))}'", column)
    if isinstance(err, UnexpectedEOF):
        return UsageError("line ends too early", column)
    return UsageError("syntax error", column)
