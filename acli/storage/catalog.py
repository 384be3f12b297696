"""The image catalog: what libvirt has no place for (an image's name, type
and annotation), keyed by the image's UUID.

The bytes are a volume `acli-image-<uuid>.<fmt>` in a container; the UUID
in the volume name ties the two together, so the catalog never holds a
path. It is one JSON file written atomically under a flock: in the
sandbox's directory (images.json), or on a real host in ACLI_STATE_DIR
(default /var/lib/acli/images.json). A volume named acli-image-* with no
catalog entry is still listed, by its volume name, so nothing is lost if
the file is.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os

from acli.files import write_atomic

def _path(host) -> str:
    return os.path.join(host.state_dir(), "images.json")


def load(host) -> dict[str, dict]:
    try:
        with open(_path(host)) as f:
            return json.load(f)
    except FileNotFoundError:
        return {}


@contextlib.contextmanager
def editing(host):
    """Yield the catalog dict; write it back (atomically) when the block ends
    without an exception."""
    directory = host.state_dir()
    os.makedirs(directory, mode=0o755, exist_ok=True)
    fd = os.open(os.path.join(directory, "images.lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        entries = load(host)
        yield entries
        write_atomic(_path(host), json.dumps(entries, indent=1, sort_keys=True) + "\n")
    finally:
        os.close(fd)
