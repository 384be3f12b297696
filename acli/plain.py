"""Record classes without the dataclasses import.

`dataclasses` imports `inspect`, and with it ast, dis and tokenize: about
9 ms, where a whole batch of plain lines has a budget of tens. The records
on the path every command takes derive from Plain instead: each lists its
fields in __slots__ and writes its own __init__ (defaults in plain sight);
Plain gives field-wise ==, a readable repr and replace() over the fields:
the slots whose names do not start with "_" (those hold what a record
works out once from its fields). Records off that path (networking,
storage details) keep using dataclasses.
"""

from __future__ import annotations


class Plain:
    __slots__ = ()
    __hash__ = None  # mutable, so unhashable, as a non-frozen dataclass

    @classmethod
    def _fields(cls) -> tuple[str, ...]:
        return tuple(name for name in cls.__slots__ if not name.startswith("_"))

    def __eq__(self, other):
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in self._fields())

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields())
        return f"{type(self).__name__}({fields})"

    def replace(self, **changes):
        """A copy with some fields changed."""
        values = {name: getattr(self, name) for name in self._fields()}
        values.update(changes)
        return type(self)(**values)
