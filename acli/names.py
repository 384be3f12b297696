"""Naming rules every part of acli shares: what a new name may be, what a
UUID looks like, and the order people read names in.

Neutral ground: the command types use these to check a line, the services
to check what reaches them by other roads. Imports nothing of acli but
errors.
"""

from __future__ import annotations

import re

from acli.errors import UsageError

_NAME_RE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.+\-]*")
_UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"  # compiled on first use
_DIGITS = r"(\d+)"


def is_uuid(text: str) -> bool:
    # The length test first: most words are names, and a batch asks once a line.
    return len(text) == 36 and re.fullmatch(_UUID, text) is not None


def check_name(param: str, text: str, column: int | None) -> str:
    """A device-safe name (a VM's, a network's): letters, digits and _ . + -,
    at most 64, not shaped like a UUID; else UsageError naming `param`."""
    if not _NAME_RE.fullmatch(text) or len(text) > 64:
        raise UsageError(f"Bad value for {param}: '{text}' is not a valid name "
                         "(letters, digits, _ . + -; at most 64)", column)
    _refuse_uuid_shape(param, text, column)
    return text


def check_display_name(param: str, text: str, column: int | None) -> str:
    """A name people read rather than a file or device name (an image's:
    "CentOS 7 ISO"): any printable text with no blanks at either end, at most
    128 characters, and not shaped like a UUID."""
    if (not text or text != text.strip() or len(text) > 128
            or not all(c.isprintable() for c in text)):
        raise UsageError(f"Bad value for {param}: '{text}' is not a valid name (printable text, "
                         "no blanks at either end; at most 128)", column)
    _refuse_uuid_shape(param, text, column)
    return text


def _refuse_uuid_shape(param: str, text: str, column: int | None) -> None:
    # Everything is found by name or UUID: a name shaped like a UUID could
    # name another entity.
    if is_uuid(text):
        raise UsageError(f"Bad value for {param}: '{text}' looks like a UUID; names may not", column)


_split_digits = None


def natural_key(name: str):
    """app8 before app10, as a person reads them: the name's runs of digits
    (every other part of the split) compare as numbers."""
    global _split_digits
    if _split_digits is None:
        _split_digits = re.compile(_DIGITS).split
    parts = _split_digits(name)
    parts[1::2] = map(int, parts[1::2])
    return parts
