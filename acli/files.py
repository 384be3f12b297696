"""Writing a file so that readers see the old text or the new, never half."""

from __future__ import annotations

import os


def write_atomic(path: str, text: str) -> None:
    """Write `text` to a temporary file beside `path`, sync it, and rename it
    over `path` (a rename within a directory is atomic)."""
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, "w") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
