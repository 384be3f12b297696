"""Plain-data results. Handlers build these; renderers decide how they look."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Table:
    """A list command's answer: aCLI header names, rows, and JSON keys per column."""

    columns: list[str]
    keys: list[str]
    rows: list[list] = field(default_factory=list)

    def json(self):
        return [dict(zip(self.keys, row)) for row in self.rows]


@dataclass
class Record:
    """A get command's answer: `name { ... }` in text, {key: fields} in JSON."""

    name: str
    fields: dict
    key: str  # the JSON object key (aCLI keys vm.get by UUID)


@dataclass
class Records:
    records: list[Record]

    def json(self):
        return {r.key: r.fields for r in self.records}


@dataclass
class Task:
    """One finished task: `LABEL: complete`, or the label and why it failed."""

    label: str
    error: str | None = None
    uuid: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def json(self):
        out = {"label": self.label, "status": "complete" if self.ok else "failed"}
        if self.uuid:
            out["uuid"] = self.uuid
        if self.error:
            out["error"] = self.error
        return out


@dataclass
class Tasks:
    tasks: list[Task]

    @property
    def ok(self) -> bool:
        return all(t.ok for t in self.tasks)

    def json(self):
        return [t.json() for t in self.tasks]

    def failure_summary(self) -> str:
        return "; ".join(f"{t.label}: {t.error}" for t in self.tasks if not t.ok)


@dataclass
class Text:
    """Free text (help). `data` is what JSON output carries."""

    text: str
    data: object = None

    def json(self):
        return self.data if self.data is not None else self.text
