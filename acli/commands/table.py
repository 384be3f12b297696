"""The command table: one declarative entry per aCLI command.

An entry names the command, its parameters (type, default, required, help)
and its handler. The same entry drives binding a parsed line to typed
arguments (bind.py), `help`, REPL completion and the JSON shape of results.
Handlers live beside their entries in one module per namespace and are
registered with the @command decorator.
"""

from __future__ import annotations

from typing import Callable, NamedTuple

from acli.commands.types import ParamType
from acli.plain import Plain

REQUIRED = object()  # default marker: the user must give this parameter


class Param(NamedTuple):
    name: str
    type: ParamType
    help: str
    default: object = None
    positional: bool = False

    @property
    def required(self) -> bool:
        return self.default is REQUIRED


def positional(name, type_, help, default=REQUIRED):
    return Param(name, type_, help, default, positional=True)


def keyword(name, type_, help, default=None):
    return Param(name, type_, help, default)


class Command(Plain):
    __slots__ = ("name", "summary", "handler", "params", "mutates", "needs_host", "scope",
                 "_positionals", "_keywords", "_defaults", "_required", "_binding")

    def __init__(self, name: str, summary: str, handler: Callable,
                 params: list[Param] | None = None, mutates: bool = False,
                 needs_host: bool = True, scope: str | None = None):
        self.name = name
        self.summary = summary
        self.handler = handler
        self.params = [] if params is None else params
        self.mutates = mutates  # changes the host: the sandbox writes its state back
        self.needs_host = needs_host
        # Which host of a cluster the handler runs on (commands/routing.py):
        # "vm", the host of each VM its VM parameter names (the default for a
        # command with one); "cluster", once, handed every host (ctx.cluster);
        # "each", on every host in turn (a network's VMs, on all hosts);
        # "first", once, on the first host that answers (the default).
        self.scope = scope or ("vm" if vm_param(self.params) else "first")
        # Worked out once: binding reads them on every line.
        self._positionals = [p for p in self.params if p.positional]
        self._keywords = {p.name: p for p in self.params if not p.positional}
        self._defaults = {p.name: p.default for p in self.params if not p.required}
        self._required = [p for p in self.params if p.required]
        self._binding = (self._positionals, self._keywords, self._defaults, self._required)

    @property
    def namespace(self) -> str:
        return self.name.split(".")[0]

    @property
    def positionals(self) -> list[Param]:
        return self._positionals

    @property
    def keywords(self) -> dict[str, Param]:
        return self._keywords

    @property
    def defaults(self) -> dict[str, object]:
        """Parameter name -> default, for every parameter that has one."""
        return self._defaults

    @property
    def required(self) -> list[Param]:
        return self._required

    @property
    def binding(self) -> tuple:
        """(positionals, keywords, defaults, required): what bind.py reads
        of every line's command, in one attribute."""
        return self._binding

    def usage(self) -> str:
        parts = [self.name]
        for p in self.positionals:
            parts.append(p.name if p.required else f"[{p.name}]")
        for p in self.keywords.values():
            parts.append(f"{p.name}={p.type.shape}" if p.required else f"[{p.name}={p.type.shape}]")
        return " ".join(parts)


REGISTRY: dict[str, Command] = {}


def vm_param(params) -> Param | None:
    """The parameter naming existing VMs (a Selector or EntityRef of VMs)."""
    for param in params:
        if getattr(param.type, "entity", None) == "vm":
            return param
    return None


def command(name: str, summary: str, *params: Param, mutates: bool = False,
            needs_host: bool = True, scope: str | None = None):
    """Register the decorated handler as aCLI command `name`."""

    def register(handler):
        if name in REGISTRY:
            raise ValueError(f"command {name} registered twice")
        _check_signature(name, handler, params)
        REGISTRY[name] = Command(name, summary, handler, list(params), mutates, needs_host, scope)
        return handler

    return register


def _check_signature(name: str, handler: Callable, params) -> None:
    """A handler takes the context, then exactly the declared parameters by
    name (binding calls it with them as keywords): anything else is a bug
    found when the module loads, not when a user runs the command. Read off
    the code object, not inspect: this runs for every command at start-up."""
    code = handler.__code__
    takes = code.co_varnames[1:code.co_argcount + code.co_kwonlyargcount]
    declared = tuple(p.name for p in params)
    if sorted(takes) != sorted(declared) or code.co_flags & 0x0C:  # *args, **kwargs
        raise TypeError(f"command {name}: handler {handler.__qualname__} takes "
                        f"({', '.join(takes)}) but the command declares ({', '.join(declared)})")
