"""The shell's history: a file only the user can read, which keeps every
line but the passwords in it.

prompt_toolkit's FileHistory appends each line to the file; here the file
is made (or, made by an older acli, turned) 0600 in a 0700 directory, and a
URL's `user:password@` is taken out before a line is written. The session's
own recall (up-arrow) still has the line as typed: it lives in memory only.
"""

from __future__ import annotations

import os

from prompt_toolkit.history import FileHistory

from acli.echo import without_credentials


def history_path() -> str:
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    folder = os.path.join(base, "acli")
    os.makedirs(folder, mode=0o700, exist_ok=True)
    return os.path.join(folder, "history")


class PrivateHistory(FileHistory):
    def __init__(self, path: str):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
        os.chmod(path, 0o600)
        super().__init__(path)

    def store_string(self, string: str) -> None:
        super().store_string(without_credentials(string))
