"""Where rendered lines go: plain text for pipes and files, colour for terminals.

Colour comes from rich, imported only when stdout is a terminal (it costs
tens of milliseconds). NO_COLOR turns colour off, as everywhere.

A terminal gets every line at once. A pipe or file gets output whenever
FLUSH_EVERY seconds have passed since the last time, before any error line
(so `2>&1` logs keep their order) and at the end: a write per line would
wake the reader a thousand times in a 1,000-line batch, which costs more
than the batch's parsing. The price: a line that finishes just before a
slow one reaches a pipe together with it.
"""

from __future__ import annotations

import os
import sys
import time

from acli.output import JSON_FORMATS
from acli.output import text as text_render
from acli.output.results import Table, Tasks

STYLES = {
    "header": "bold",
    "name": "bold cyan",
    "key": "cyan",
    "string": "green",
    "number": "magenta",
    "bool": "yellow",
    "label": "bold",
    "ok": "green",
    "error": "bold red",
}


FLUSH_EVERY = 0.2  # seconds


def is_terminal(stream) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def wants_colour(stream) -> bool:
    return not os.environ.get("NO_COLOR") and is_terminal(stream)


class Sink:
    """Writes results and errors in one output format to a pair of streams."""

    def __init__(self, out=None, err=None, colour: bool | None = None):
        self.out = out or sys.stdout
        self.err = err or sys.stderr
        self.colour = wants_colour(self.out) if colour is None else colour
        self._console = None
        self._out_is_terminal = is_terminal(self.out)
        self._flushed_at = float("-inf")  # the first line goes out at once
        if not self._out_is_terminal and hasattr(self.out, "reconfigure"):
            # The policy above decides when output goes out, also where
            # PYTHONUNBUFFERED (common in container images) made every
            # write a system call.
            self.out.reconfigure(write_through=False)

    # text ------------------------------------------------------------------
    def lines(self, lines):
        if self.colour:
            console = self._rich()
            from rich.text import Text

            for line in lines:
                if all(style is None for _, style in line):  # a listing's rows: no colour
                    self.out.write("".join([chunk for chunk, _ in line]) + "\n")
                    continue
                text = Text(no_wrap=True, overflow="ignore")
                for chunk, style in line:
                    text.append(chunk, STYLES.get(style) if style else None)
                console.print(text, soft_wrap=True)
            return
        text = []
        for line in lines:
            text.extend([chunk for chunk, _ in line])
            text.append("\n")
        self.out.write("".join(text))
        self._written()

    def _written(self) -> None:
        if self._out_is_terminal or time.monotonic() - self._flushed_at >= FLUSH_EVERY:
            self.flush()

    def flush(self) -> None:
        """Send what is buffered for stdout (before an error, and at the end)."""
        self.out.flush()
        self._flushed_at = time.monotonic()

    def _rich(self):
        if self._console is None:
            from rich.console import Console

            # The colour decision is already made (wants_colour): rich must not
            # make its own from the stream.
            self._console = Console(file=self.out, highlight=False, soft_wrap=True,
                                    force_terminal=True)
        return self._console

    # results ---------------------------------------------------------------
    def result(self, fmt: str, result, status: int, error: str | None):
        if fmt in JSON_FORMATS:
            import json

            data = None if status else (result.json() if hasattr(result, "json") else result)
            doc = {"data": data, "error": error, "status": status}
            notes = getattr(result, "notes", None)
            if notes:
                doc["notes"] = list(notes)
            indent = 2 if fmt == "json-pretty" else None
            self.out.write(json.dumps(doc, indent=indent, sort_keys=False) + "\n")
            self._written()
            return
        if result is None:
            return
        if type(result) is Tasks and not self.colour:  # most lines of a batch
            self.out.write(text_render.tasks_text(result))
            self._written()
            for note in result.notes:
                self.error(f"note: {note}")
            return
        if type(result) is Table and not self.colour:  # a listing, maybe of 10,000 VMs
            self.out.write(text_render.table_text(result))
            self._written()
        else:
            self.lines(text_render.render(result))
        for note in getattr(result, "notes", ()):
            self.error(f"note: {note}")

    def pending(self, label: str):
        """A task has started: its line goes out now, whatever the policy
        above, so that a pipe sees it while the work runs."""
        self.lines([text_render.pending_line(label)])
        self.flush()

    def error(self, message: str):
        self.flush()
        self.err.write(message + "\n")
        self.err.flush()
