"""Copies libvirt cannot make itself, made with `qemu-img convert` straight
into a container's directory: a disk as one of its internal snapshots holds
it (vm.clone clone_from_snapshot), and a file of a container that is not a
volume (vm.disk_create clone_from_adsf_file). This reads and writes the
pool's files directly, so it needs a local host.

The new file is a volume once the pool is refreshed. A copy that fails or
is interrupted leaves no file behind.
"""

from __future__ import annotations

import os
import subprocess
import xml.etree.ElementTree as ET

from acli.errors import BackendError, InvalidState
from acli.storage import pools


def pool_path(pool) -> str:
    """The directory of a dir pool, without a trailing slash."""
    return ET.fromstring(pool.XMLDesc(0)).findtext("target/path").rstrip("/")


def qemu_option(key: str, value: str) -> str:
    """`key=value` for a QEMU option list, where a comma ends the value
    unless doubled: a snapshot named "x,snapshot.name=y" must not select y."""
    return f"{key}={value.replace(',', ',,')}"


def convert_into(pool, name: str, args: list[str], needs: int, what: str, pass_fds=()):
    """The new volume `name` of `pool`, written by `qemu-img convert ARGS
    TARGET`. `needs`: the bytes it will take (checked against the free
    space first); `what`: the source, for messages; `pass_fds`: descriptors
    the source is read through (/dev/fd/N)."""
    pools.check_room(pool, needs)
    target = pool_path(pool) + "/" + name
    try:
        # run() kills qemu-img if acli is interrupted meanwhile
        done = subprocess.run(["qemu-img", "convert", *args, target], capture_output=True,
                              text=True, pass_fds=pass_fds)
    except BaseException:
        _remove(target)
        raise
    if done.returncode != 0:
        _remove(target)
        raise _failure(done.stderr, pool, needs, what)
    pool.refresh(0)
    return pool.storageVolLookupByName(name)


def _failure(stderr: str, pool, needs: int, what: str):
    text = stderr.strip()
    if "no space left on device" in text.lower():
        return pools.out_of_space(pool, needs)
    if 'get shared "write" lock' in text or 'get "write" lock' in text:
        # QEMU's image locking: a running VM writes the file
        return InvalidState(f"cannot copy {what}: a running VM is writing it; power that VM off first")
    return BackendError(f"cannot copy {what}: {text.splitlines()[-1] if text else 'qemu-img failed'}")


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
