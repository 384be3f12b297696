"""Tab completion from the command table: command names, `key=` names, enum
and boolean values, and names of VMs (networks, images...) from a cache.

The cache is refreshed by the REPL between commands, so completing never
waits on the host while the user types.
"""

from __future__ import annotations

from prompt_toolkit.completion import Completer, Completion

from acli.commands import load_all
from acli.repl.words import context

REGISTRY = load_all()  # the shell completes and colours every command


def candidates(text_before_cursor: str, names_of=lambda kind: []) -> tuple[int, list[str]]:
    """(how many characters of the current word to replace, the completions).

    A pure function of the text: the Completer below only wraps it."""
    ctx = context(text_before_cursor)
    word = ctx.current
    if ctx.options_only:
        if word.startswith("-"):
            return len(word), _starting(word, ["-y", "-o"])
        return len(word), _starting(word, sorted(REGISTRY) + ["exit", "quit"])
    cmd = REGISTRY.get(ctx.command)
    if cmd is None:
        return len(word), []
    key, eq, value = word.partition("=")
    if eq and key in cmd.keywords:
        param = cmd.keywords[key]
        head, comma, last = value.rpartition(",")
        options = _values(param, names_of)
        return len(last), _starting(last, options)
    given = {t.text.partition("=")[0] for t in ctx.words if "=" in t.text}
    positionals_done = sum(1 for t in ctx.words if "=" not in t.text)
    out = []
    positional = cmd.positionals[positionals_done] if positionals_done < len(cmd.positionals) else None
    if positional is not None and positional.type.entity:
        head, comma, last = word.rpartition(",")
        return len(last), _starting(last, _values(positional, names_of)) + \
            ([] if comma else _starting(word, [f"{k}=" for k in cmd.keywords if k not in given]))
    out += [f"{k}=" for k in cmd.keywords if k not in given]
    return len(word), _starting(word, out)


def _values(param, names_of) -> list[str]:
    if param.type.choices:
        return list(param.type.choices)
    if param.type.entity:
        return sorted(names_of(param.type.entity))
    return []


def _starting(prefix: str, options) -> list[str]:
    """Options that start with what is typed; names with blanks come quoted,
    as they must be written (a typed opening quote still matches)."""
    out = []
    for option in options:
        shown = f'"{option}"' if any(c.isspace() for c in option) else option
        if shown.startswith(prefix) or option.startswith(prefix):
            out.append(shown)
    return out


class AcliCompleter(Completer):
    def __init__(self, names_of):
        self.names_of = names_of

    def get_completions(self, document, complete_event):
        replace, found = candidates(document.text_before_cursor, self.names_of)
        for text in found:
            cmd = REGISTRY.get(text)
            yield Completion(text, start_position=-replace,
                             display_meta=cmd.summary if cmd else None)
