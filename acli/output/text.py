"""The aCLI text forms: borderless tables, protobuf-text records, task lines.

Each renderer yields lines as lists of (text, style) segments; a style is
a name from STYLES or None. A plain sink joins the text; a terminal sink
colours it. So the layout is decided here once for pipes and terminals.
"""

from __future__ import annotations

from acli.output.results import Record, Records, Table, Task, Tasks, Text

Segment = tuple[str, str | None]
Line = list[Segment]

COLUMN_GAP = 2


def render(result) -> list[Line]:
    if isinstance(result, Tasks):  # first: what most lines of a batch print
        return [task_line(t) for t in result.tasks if t.error is None]
    if isinstance(result, Table):
        return table_lines(result)
    if isinstance(result, Records):
        return [line for r in result.records for line in record_lines(r)]
    if isinstance(result, Record):
        return record_lines(result)
    if isinstance(result, Text):
        return [[(line, None)] for line in result.text.splitlines()]
    if result is None:
        return []
    raise TypeError(f"no text form for {type(result).__name__}")


def cell(value) -> str:
    return "" if value is None else str(value)


def table_lines(table: Table) -> list[Line]:
    header, rows = _laid_out(table)
    return [[(header, "header")]] + [[(row, None)] for row in rows]


def table_text(table: Table) -> str:
    """The table_lines() of `table` as plain text in one string: what a pipe
    gets, without segments for each of 10,000 rows (tests/test_output.py
    holds the two to the same text)."""
    header, rows = _laid_out(table)
    rows.append("")
    return header + "\n" + "\n".join(rows)


def _laid_out(table: Table) -> tuple[str, list[str]]:
    """The header and each row as a line: columns COLUMN_GAP apart, no
    blanks at the end (an empty last cell leaves none)."""
    rows = [[cell(v) for v in row] for row in table.rows]
    widths = [max([len(name)] + [len(value) for value in column])
              for name, column in zip(table.columns, zip(*rows) if rows else [()] * len(table.columns))]
    # one format for every line: "{:<W1}{:<W2}{}" pads in C
    pattern = "".join(f"{{:<{w + COLUMN_GAP}}}" for w in widths[:-1]) + "{}"
    layout = pattern.format
    return layout(*table.columns).rstrip(), [layout(*row).rstrip() for row in rows]


def scalar(value) -> tuple[str, str]:
    if isinstance(value, bool):
        return ("True" if value else "False"), "bool"
    if isinstance(value, int):
        return str(value), "number"
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"', "string"


def record_lines(record: Record) -> list[Line]:
    lines: list[Line] = [[(record.name, "name"), (" {", None)]]
    _block(record.fields, 1, lines)
    lines.append([("}", None)])
    return lines


def _block(fields: dict, depth: int, lines: list[Line]) -> None:
    indent = "  " * depth
    for key in sorted(fields):
        value = fields[key]
        items = value if isinstance(value, list) else [value]
        for item in items:
            if item is None:
                continue
            if isinstance(item, dict):
                lines.append([(indent, None), (key, "key"), (" {", None)])
                _block(item, depth + 1, lines)
                lines.append([(indent + "}", None)])
            else:
                text, style = scalar(item)
                lines.append([(indent, None), (key, "key"), (": ", None), (text, style)])


def task_line(task: Task) -> Line:
    """A task that completed (the session reports failed ones as errors)."""
    return [(task.label, "label"), (": ", None), ("complete", "ok")]


def pending_line(label: str) -> Line:
    """A task that takes time, as it starts (its complete line follows)."""
    return [(label, "label"), (": ", None), ("pending", None)]


def tasks_text(tasks: Tasks) -> str:
    """The task_line()s of `tasks` as plain text in one string: what a pipe
    gets for most lines of a batch, without building segments first
    (tests/test_output.py holds the two to the same text)."""
    return "".join([f"{t.label}: complete\n" for t in tasks.tasks if t.error is None])
