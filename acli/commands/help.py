"""help: the command table, read back to the user."""

from __future__ import annotations

from acli.commands.table import REGISTRY, command, positional
from acli import limits
from acli.commands.types import Str
from acli.output.results import Text


@command("help", "Show commands, or one command's parameters.",
         positional("topic", Str(), "a namespace (vm) or a command (vm.create)", None),
         needs_host=False)
def help_command(ctx, topic):
    from acli.commands import load_all
    from acli.commands.bind import find_command
    from acli.errors import UsageError

    load_all()
    if topic is None:
        return Text(_overview(), data=sorted(REGISTRY))
    if topic in REGISTRY:
        return _one(REGISTRY[topic])
    matches = [c for c in REGISTRY.values() if c.namespace == topic]
    if matches:
        width = max(len(c.name) for c in matches)
        lines = [f"{c.name.ljust(width)}  {c.summary}" for c in sorted(matches, key=lambda c: c.name)]
        return Text("\n".join(lines), data=[c.name for c in matches])
    find_command(topic)  # raises with a suggestion
    raise UsageError(f"no help for {topic}")


def _overview() -> str:
    names = sorted(REGISTRY)
    width = max(len(n) for n in names)
    lines = ["Commands (help NAMESPACE or help COMMAND for more):"]
    lines += [f"  {n.ljust(width)}  {REGISTRY[n].summary}" for n in names]
    lines.append("Lines are `namespace.command positional... key=value...`; "
                 "exit, quit or Ctrl-D leave the shell.")
    lines.append(limits.summary())
    return "\n".join(lines)


def _one(cmd) -> Text:
    lines = [cmd.summary, "", "usage: " + cmd.usage()]
    if cmd.params:
        lines.append("")
        width = max(len(p.name) for p in cmd.params)
        for p in cmd.params:
            default = ""
            if p.required:
                default = " (required)"
            elif p.default not in (None, False):
                default = f" (default {p.type.show(p.default)})"
            lines.append(f"  {p.name.ljust(width)}  {p.type.shape}: {p.help}{default}")
    data = {"name": cmd.name, "summary": cmd.summary,
            "params": [{"name": p.name, "type": p.type.shape, "required": p.required,
                        "positional": p.positional, "help": p.help} for p in cmd.params]}
    return Text("\n".join(lines), data=data)
