"""Every failure a user can see, as a type with a one-line message and an exit status.

Handlers and backends raise these; the front ends (one-shot, batch, REPL)
print `message` and exit with `status`. libvirt's and OVSDB's own errors
are translated into these where they are caught (acli/backends).
"""

from __future__ import annotations

EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class AcliError(Exception):
    """A failure with a one-line message. `column` (1-based) points into the
    line that caused it, when the fault is a word of that line."""

    status = EXIT_FAILED

    def __init__(self, message: str, column: int | None = None):
        super().__init__(message)
        self.message = message
        self.column = column


class UsageError(AcliError):
    """The line itself is wrong: syntax, unknown command or keyword, bad value."""

    status = EXIT_USAGE


class NotFound(AcliError):
    """A named entity does not exist."""


class Conflict(AcliError):
    """The request clashes with what exists (a name taken, a network in use)."""


class InvalidState(AcliError):
    """The entity is in a state that does not allow the request."""


class Refused(AcliError):
    """A confirmation was declined, or could not be asked."""


class BackendError(AcliError):
    """libvirt or OVSDB failed or did not answer."""


class Interrupted(AcliError):
    status = EXIT_INTERRUPTED

    def __init__(self, message: str = "interrupted"):
        super().__init__(message)


def suggest(word: str, choices) -> str:
    """' (did you mean X?)' for the nearest of `choices`, or ''."""
    import difflib

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]}?)" if close else ""
