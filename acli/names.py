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
    if is_uuid(text):  # inline, not a helper: this runs for every new name of a batch
        raise _uuid_shaped(param, text, column)
    return text


def check_vm_name(param: str, text: str, column: int | None) -> str:
    """A VM's name, as AHV allows it ("Prism Central", "Windows 2012 R2"):
    printable text with no blanks at either end and no '/' (libvirt refuses
    it in a domain name), at most 64 characters, not shaped like a UUID.
    Nothing of acli builds a path or a command line from it: disks are
    named by UUID, NVRAM and QEMU's arguments are libvirt's to escape."""
    if not _printable(text, 64) or "/" in text:
        raise UsageError(f"Bad value for {param}: '{_shown(text)}' is not a valid VM name "
                         "(printable text, no blanks at either end, no '/'; at most 64)", column)
    if is_uuid(text):
        raise _uuid_shaped(param, text, column)
    return text


def check_display_name(param: str, text: str, column: int | None) -> str:
    """A name people read rather than a file or device name (an image's:
    "CentOS 7 ISO"): any printable text with no blanks at either end, at most
    128 characters, and not shaped like a UUID."""
    if not _printable(text, 128):
        raise UsageError(f"Bad value for {param}: '{_shown(text)}' is not a valid name (printable "
                         "text, no blanks at either end; at most 128)", column)
    if is_uuid(text):
        raise _uuid_shaped(param, text, column)
    return text


def _printable(text: str, limit: int) -> bool:
    """Some printable text of at most `limit` characters, no blanks at either end."""
    return bool(text) and text == text.strip() and len(text) <= limit and text.isprintable()


def _shown(text: str) -> str:
    """A refused name in a one-line message: control characters escaped."""
    return text if text.isprintable() else text.encode("unicode_escape").decode()


def check_snapshot_name(param: str, text: str, column: int | None) -> str:
    """A snapshot's name: text people read ("before upgrade"), 1 to 64
    printable characters; not starting with '.' and without '/', as the
    real host's libvirt keeps each snapshot in a file of its name and
    refuses those (the sandbox's would not: one rule for both, here)."""
    if (not text.strip() or len(text) > 64 or not text.isprintable() or "/" in text
            or text.startswith(".")):
        raise UsageError(f"Bad value for {param}: '{_shown(text)}' is not a valid snapshot name "
                         "(1 to 64 printable characters, not starting with '.', no '/')", column)
    return text


def _uuid_shaped(param: str, text: str, column: int | None) -> UsageError:
    # Everything is found by name or UUID: a name shaped like a UUID could
    # name another entity.
    return UsageError(f"Bad value for {param}: '{text}' looks like a UUID; names may not", column)


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
