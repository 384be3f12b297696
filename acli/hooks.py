"""Hook points: the places where one part of acli lets another add to what
it does, each with one declared event type and one calling convention.

A hook is a function of one argument, the event (a record the point
declares), registered as the string "module:function" and imported on its
first call, so loading the command table imports none of the code behind
it: start-up time is a feature. Every registration is in acli/wiring.py;
the points are declared beside the code that runs them (acli/vms/events.py,
acli/hosts/events.py). A test checks that each registered function takes
exactly the event its point declares.

A hook on a VM may say which device it is about (`needs="interface"`): the
point then skips it, without importing it, for a VM whose definition has
none (the event's `definition` answers), so a long batch of plain VMs pays
one read of the XML a command, not one per hook.

Imports nothing of acli: every layer may declare hook points.
"""

from __future__ import annotations

import importlib


class HookPoint:
    """A named place that calls its hooks with one `event` type."""

    __slots__ = ("name", "event", "hooks")

    def __init__(self, name: str, event: type):
        self.name = name
        self.event = event
        self.hooks: list = []

    def add(self, target, needs: str | None = None) -> None:
        """Register the function `target` ("module:function", or a function
        itself) once."""
        hook = _Lazy(target, needs)
        if all(other.target != hook.target for other in self.hooks):
            self.hooks.append(hook)

    def remove(self, target) -> None:
        """Take a registration back (what add() was given)."""
        name = target if isinstance(target, str) else _name_of(target)
        self.hooks = [hook for hook in self.hooks if hook.target != name]

    def run(self, event) -> None:
        """Call every hook with `event`, in registration order."""
        for hook in self.hooks:
            needs = hook.needs
            if needs is None or event.definition.has(needs):
                hook(event)

    def results(self, event) -> list:
        """Call every hook with `event`, in registration order; their results."""
        return [hook(event) for hook in self.hooks
                if hook.needs is None or event.definition.has(hook.needs)]

    def __repr__(self):
        return f"HookPoint({self.name!r}, {self.event.__name__})"


class _Lazy:
    """A hook: `module:function`, imported on first call."""

    __slots__ = ("target", "needs", "_fn")

    def __init__(self, target, needs: str | None):
        self.needs = needs
        if isinstance(target, str):
            self.target, self._fn = target, None
        else:
            self.target, self._fn = _name_of(target), target

    def resolve(self):
        if self._fn is None:
            module_name, _, name = self.target.partition(":")
            self._fn = getattr(importlib.import_module(module_name), name)
        return self._fn

    def __call__(self, event):
        fn = self._fn or self.resolve()
        return fn(event)


def _name_of(fn) -> str:
    return f"{fn.__module__}:{fn.__qualname__}"
