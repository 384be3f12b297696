"""Bind a line to a command of the table: typed arguments or a UsageError.

bind() takes what parse_line() read; bind_plain() takes a plain line's text
itself, and leaves every other line, and every mistake, to those two."""

from __future__ import annotations

from acli.commands import lookup
from acli.commands.table import REGISTRY, Command
from acli.commands.types import Str
from acli.errors import UsageError, suggest
from acli.output import OUTPUT_FORMATS
from acli.plain import Plain
from acli.syntax.fastpath import plain_parts
from acli.syntax.words import ParsedLine, Value


class Invocation(Plain):
    __slots__ = ("command", "args", "given", "yes", "output", "line")

    def __init__(self, command: Command, args: dict, given: set, yes: bool,
                 output: str | None, line: ParsedLine | None):
        self.command = command
        self.args = args
        self.given = given  # names the user wrote, as opposed to defaults
        self.yes = yes
        self.output = output
        self.line = line  # what parse_line() read; None for a line bind_plain() took


def find_command(name: str, column: int | None = None) -> Command:
    found = lookup(name)  # a miss has loaded the whole table, for the suggestions
    if found:
        return found
    namespaces = {c.namespace for c in REGISTRY.values() if "." in c.name}
    space, dot, _ = name.partition(".")
    if dot and space not in namespaces:
        raise UsageError(f"Unknown namespace: {space}{suggest(space, namespaces)}", column)
    raise UsageError(f"Unknown command: {name}{suggest(name, REGISTRY)}", column)


def bind(line: ParsedLine) -> Invocation:
    cmd = find_command(line.command, line.command_column)
    return _bound(cmd, [(arg.key, arg.value, arg.column) for arg in line.args], _convert_value,
                  line.yes, line.output, line.output_column, line)


def bind_plain(text: str) -> Invocation | None:
    """A plain line (bare words, see syntax/fastpath.py) bound straight to
    its command, without building the parsed line's records first: what
    most lines of a script take. None for any other line and for any line
    with a mistake, which parse_line() and bind() then read and report
    (so each error has one wording and one column, theirs).
    `text` is the line with trailing blanks stripped."""
    parts = plain_parts(text)
    if parts is None:
        return None
    yes, output, output_column, command, _, args = parts
    cmd = lookup(command)
    if cmd is None:
        return None
    try:
        return _bound(cmd, [(key, value, value_column) for key, value, _, value_column in args],
                      _convert_text, yes, output, output_column, None)
    except UsageError:
        return None


def _bound(cmd: Command, args: list, convert, yes: bool, output: str | None,
           output_column: int, line: ParsedLine | None) -> Invocation:
    """The Invocation of `cmd` with `args`, (key or None, value, column)
    each, whose values convert(param, value, column) makes typed; or the
    UsageError that names the first thing wrong."""
    positionals, keywords, defaults, required = cmd.binding
    values: dict = dict(defaults)  # what the line gives replaces these
    given: set = set()
    next_positional = 0
    for key, value, column in args:
        if key is None:
            if next_positional >= len(positionals):
                expected = " ".join(p.name for p in positionals) or "no positional arguments"
                raise UsageError(f"Unexpected argument '{_shown(value)}' ({cmd.name} takes {expected})",
                                 column)
            param = positionals[next_positional]
            next_positional += 1
        else:
            param = keywords.get(key)
            if param is None:
                raise UsageError(f"Unknown keyword argument: {key}{suggest(key, keywords)}", column)
            if param.name in given:
                raise UsageError(f"Keyword argument given twice: {key}", column)
        values[param.name] = convert(param, value, column)
        given.add(param.name)
    for param in required:
        if param.name not in given:
            raise UsageError(f"Missing argument: {param.name} ({cmd.usage()})", None)
    if output is not None and output not in OUTPUT_FORMATS:
        raise UsageError(f"Unknown output format: {output}{suggest(output, OUTPUT_FORMATS)}",
                         output_column)
    return Invocation(cmd, values, given, yes, output, line)


def _convert_value(param, value: Value | None, column: int):
    """A parsed argument's value, typed; `key=` with nothing after it is
    an empty string where that is a value."""
    if value is not None:
        return param.type.convert(param.name, value)
    if isinstance(param.type, Str):
        return ""
    raise UsageError(f"Bad value for {param.name}: no value after '='", column)


def _convert_text(param, text: str, column: int):
    """A plain line's value (bare words starting at `column`), typed."""
    return param.type.convert_text(param.name, text, column)


def _shown(value) -> str:
    """An argument's value as the user wrote it, for a message."""
    if isinstance(value, str):
        return value
    return value.text if value is not None else ""
