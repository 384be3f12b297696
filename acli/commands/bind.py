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
from acli.syntax.words import ParsedLine


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
    cmd = REGISTRY.get(line.command) or find_command(line.command, line.command_column)
    positionals, keywords, defaults, required = cmd.binding
    args: dict = dict(defaults)  # what the line gives replaces these
    given: set = set()
    next_positional = 0
    for arg in line.args:
        if arg.key is None:
            if next_positional >= len(positionals):
                expected = " ".join(p.name for p in positionals) or "no positional arguments"
                raise UsageError(
                    f"Unexpected argument '{arg.text}' ({cmd.name} takes {expected})", arg.column)
            param = positionals[next_positional]
            next_positional += 1
        else:
            param = keywords.get(arg.key)
            if param is None:
                raise UsageError(
                    f"Unknown keyword argument: {arg.key}{suggest(arg.key, keywords)}", arg.column)
            if param.name in given:
                raise UsageError(f"Keyword argument given twice: {arg.key}", arg.column)
        value = arg.value
        if value is None:
            args[param.name] = _no_value(param, arg.column)
        else:
            args[param.name] = param.type.convert(param.name, value)
        given.add(param.name)
    for param in required:
        if param.name not in given:
            raise UsageError(f"Missing argument: {param.name} ({cmd.usage()})", None)
    output = line.output
    if output is not None and output not in OUTPUT_FORMATS:
        raise UsageError(
            f"Unknown output format: {output}{suggest(output, OUTPUT_FORMATS)}", line.output_column)
    return Invocation(cmd, args, given, line.yes, output, line)




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
    yes, output, _, command, _, args = parts
    if output is not None and output not in OUTPUT_FORMATS:
        return None
    cmd = REGISTRY.get(command) or lookup(command)
    if cmd is None:
        return None
    positionals, keywords, defaults, required = cmd.binding
    values = dict(defaults)
    given: set = set()
    next_positional = 0
    try:
        for key, value, _, value_column in args:
            if key is None:
                if next_positional >= len(positionals):
                    return None
                param = positionals[next_positional]
                next_positional += 1
            else:
                param = keywords.get(key)
                if param is None or param.name in given:
                    return None
            values[param.name] = param.type.convert_text(param.name, value, value_column)
            given.add(param.name)
    except UsageError:
        return None
    for param in required:
        if param.name not in given:
            return None
    return Invocation(cmd, values, given, yes, output, None)


def _no_value(param, column: int):
    """`key=` with nothing after it: an empty string, where that is a value."""
    if isinstance(param.type, Str):
        return ""
    raise UsageError(f"Bad value for {param.name}: no value after '='", column)
