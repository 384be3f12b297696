"""Sample media a fresh sandbox starts with, so `image.create` can be tried
at once: DIR/media/tiny.qcow2 (an empty 1 GiB qcow2 made by qemu-img, or
a 1 MiB raw file where qemu-img is missing) and DIR/media/tiny.iso (a
64 KiB ISO 9660 stub)."""

from __future__ import annotations

import os
import shutil
import subprocess

from acli.files import PRIVATE_UMASK
from acli.hosts.events import SandboxEvent

ISO_SIZE = 64 * 1024


def write_media(event: SandboxEvent) -> None:
    """sandbox SETUP hook."""
    media = os.path.join(event.host.dir, "media")
    os.makedirs(media, mode=0o700, exist_ok=True)
    disk = os.path.join(media, "tiny.qcow2")
    made = False
    if shutil.which("qemu-img"):
        done = subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", disk, "1G"],
                              capture_output=True, umask=PRIVATE_UMASK)
        made = done.returncode == 0
    if not made:
        with open(os.path.join(media, "tiny.raw"), "wb", opener=_private) as f:
            f.truncate(1 << 20)
    iso = bytearray(ISO_SIZE)
    iso[0x8000:0x8007] = b"\x01CD001\x01"  # a primary volume descriptor's signature
    with open(os.path.join(media, "tiny.iso"), "wb", opener=_private) as f:
        f.write(iso)


def _private(path, flags):
    return os.open(path, flags, 0o600)
