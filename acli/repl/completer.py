"""Tab completion from the command table: command names, `key=` names, enum
and boolean values, and names of VMs (networks, images...) from a cache.

The cache (names.py) is kept fresh on a thread of its own, so completing
never waits on the host while the user types, and finds a name among
thousands by its prefix without looking at the others.
"""

from __future__ import annotations

from prompt_toolkit.completion import Completer, Completion

from acli.commands import load_all
from acli.repl.names import SortedNames, starting
from acli.repl.words import context

REGISTRY = load_all()  # the shell completes and colours every command


def candidates(text_before_cursor: str, names_of=lambda kind: []) -> tuple[int, list[str]]:
    """(how many characters of the current word to replace, the completions).

    A pure function of the text: the Completer below only wraps it."""
    ctx = context(text_before_cursor)
    word = ctx.current
    if ctx.options_only:
        if word.startswith("-"):
            return len(word), starting(word, ["-y", "-o"])
        return len(word), starting(word, sorted(REGISTRY) + ["exit", "quit"])
    cmd = REGISTRY.get(ctx.command)
    if cmd is None:
        return len(word), []
    key, eq, value = word.partition("=")
    if eq and key in cmd.keywords:
        param = cmd.keywords[key]
        head, comma, last = value.rpartition(",")
        return len(last), _values(param, names_of, last)
    given = {t.text.partition("=")[0] for t in ctx.words if "=" in t.text}
    positionals_done = sum(1 for t in ctx.words if "=" not in t.text)
    out = []
    positional = cmd.positionals[positionals_done] if positionals_done < len(cmd.positionals) else None
    if positional is not None and positional.type.entity:
        head, comma, last = word.rpartition(",")
        return len(last), _values(positional, names_of, last) + \
            ([] if comma else starting(word, [f"{k}=" for k in cmd.keywords if k not in given]))
    out += [f"{k}=" for k in cmd.keywords if k not in given]
    return len(word), starting(word, out)


def _values(param, names_of, prefix: str) -> list[str]:
    """The values of `param` that complete `prefix`: its choices, or the
    names of the entities it takes, sorted."""
    if param.type.choices:
        return starting(prefix, param.type.choices)
    if param.type.entity:
        names = names_of(param.type.entity)
        if not isinstance(names, SortedNames):
            names = SortedNames(names)
        return names.starting(prefix)
    return []


# The most completions the menu is given. prompt_toolkit handles every one
# it is given on each key (10,000 names: 0.2-0.4 s a key; 100: p99 ~15 ms),
# and a person reads a screenful: past this many, the menu shows the first
# ones and says how many more there are; typing narrows them.
MENU_LIMIT = 100


class AcliCompleter(Completer):
    def __init__(self, names_of):
        self.names_of = names_of

    def get_completions(self, document, complete_event):
        replace, found = candidates(document.text_before_cursor, self.names_of)
        menu = found[:MENU_LIMIT]
        for text in menu:
            cmd = REGISTRY.get(text)
            yield Completion(text, start_position=-replace,
                             display_meta=cmd.summary if cmd else None)
        if len(found) > len(menu):  # the menu's last line; choosing it keeps the line as it is
            word = document.text_before_cursor[len(document.text_before_cursor) - replace:]
            yield Completion(word, start_position=-replace,
                             display=f"... {len(found) - len(menu):,} more: type more")
