"""Writing a file so that readers see the old text or the new, never half."""

from __future__ import annotations

import os

# for the tools acli runs to make a sandbox's files: no access but the user's
PRIVATE_UMASK = 0o077


def write_atomic(path: str, text: str, mode: int = 0o600) -> None:
    """Write `text` to a temporary file beside `path`, sync it, and rename it
    over `path` (a rename within a directory is atomic). The file is the
    user's alone unless `mode` says otherwise: acli's files hold a host's
    whole state."""
    tmp = f"{path}.{os.getpid()}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    os.fchmod(fd, mode)  # a stale temp file of a killed process keeps its own
    with open(fd, "w") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
