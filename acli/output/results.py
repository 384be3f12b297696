"""Plain-data results. Handlers build these; renderers decide how they look."""

from __future__ import annotations

from acli.plain import Plain


class Table(Plain):
    """A list command's answer: aCLI header names, rows, and JSON keys per column."""

    __slots__ = ("columns", "keys", "rows", "notes")

    def __init__(self, columns: list[str], keys: list[str], rows: list[list] | None = None,
                 notes: list[str] | None = None):
        self.columns = columns
        self.keys = keys
        self.rows = [] if rows is None else rows
        # what the user should know beside the rows (a failed background
        # upload): stderr in text, "notes" in JSON
        self.notes = notes or ()

    def json(self):
        return [dict(zip(self.keys, row)) for row in self.rows]


class Record(Plain):
    """A get command's answer: `name { ... }` in text, {key: fields} in JSON."""

    __slots__ = ("name", "fields", "key")

    def __init__(self, name: str, fields: dict, key: str):
        self.name = name
        self.fields = fields
        self.key = key  # the JSON object key (aCLI keys vm.get by UUID)


class Records(Plain):
    __slots__ = ("records", "notes")

    def __init__(self, records: list[Record], notes: list[str] | None = None):
        self.records = records
        self.notes = notes or ()  # as Table's

    def json(self):
        return {r.key: r.fields for r in self.records}


class Task(Plain):
    """One finished task: `LABEL: complete`, or the label and why it failed."""

    __slots__ = ("label", "error", "uuid")

    def __init__(self, label: str, error: str | None = None, uuid: str | None = None):
        self.label = label
        self.error = error
        self.uuid = uuid

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


class Tasks(Plain):
    __slots__ = ("tasks", "notes")

    def __init__(self, tasks: list[Task], notes: list[str] | None = None):
        self.tasks = tasks
        # what the tasks' lines do not say (the host placement chose): stderr
        # in text, "notes" in JSON, as Table's
        self.notes = notes or ()

    @property
    def ok(self) -> bool:
        for task in self.tasks:
            if task.error is not None:
                return False
        return True

    def json(self):
        return [t.json() for t in self.tasks]

    def failure_summary(self) -> str:
        return "; ".join(f"{t.label}: {t.error}" for t in self.tasks if not t.ok)


class Text(Plain):
    """Free text (help). `data` is what JSON output carries."""

    __slots__ = ("text", "data")

    def __init__(self, text: str, data: object = None):
        self.text = text
        self.data = data

    def json(self):
        return self.data if self.data is not None else self.text
