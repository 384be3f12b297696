"""The inline transformer: grammar rules straight to ParsedLine parts."""

from __future__ import annotations

import re

from acli.syntax.words import BARE, BRACKET, QUOTED, RANGE, Argument, MapValue, Piece, Value, Word

_ESCAPE_RE = re.compile(r"\\(.)")


def _token_column(tok) -> int:
    return tok.column if tok.column is not None else 1


class LineBuilder:
    """Builds the ParsedLine pieces; method names match grammar rules and aliases.

    A mixin: the backend combines it with its Lark's Transformer class (the
    standalone parser has its own copy of Lark's runtime classes)."""

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
        return ("command", str(tok), _token_column(tok))

    def statement(self, children):
        return children

    def start(self, children):
        return children
