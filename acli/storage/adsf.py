"""ADSF paths: `/CONTAINER/dir/file` names a file inside a container, as
AHV's `vm.disk_create clone_from_adsf_file=` takes them. The first element
is the container (a libvirt pool, by name or UUID), the rest a file inside
the pool's directory. `copy` makes a qcow2 volume holding the file's data.

Only files inside the container can be named, whatever the path says:

* `.` and `..` are refused as elements of the path, before anything is
  looked at (a path that climbs and comes back down is not an ADSF path).
* On a real host the file's real path (symbolic links followed) must be
  inside the pool's real directory, the file must be a regular file, and it
  is opened once, without following a link, and read through that
  descriptor (`/dev/fd/N`): swapping it for a link between the check and
  the copy changes nothing.
* A qcow2 that refers to another file (a backing file, an external data
  file) is refused: its copy would read a file the path does not name,
  perhaps outside the container. Such a disk is copied with
  clone_from_vmdisk, which reads volumes only.

The sandbox's containers have no directory: the test driver keeps volumes
as records whose path is the pool's path and the volume's name, so there a
container's files are its volumes, found by that path.
"""

from __future__ import annotations

import os
import stat
import struct

from acli.errors import InvalidState, NotFound, UsageError
from acli.storage import pools, qemu_copy
from acli.storage.sources import HEAD, sniff
from acli.storage.thin import check_capacity, qcow2_metadata_bytes

PARAM = "clone_from_adsf_file"
_QCOW2_DATA_FILE = 1 << 2  # qcow2 v3 incompatible feature: the data lives in another file


def parse(text: str) -> tuple[str, str]:
    """'/ctr/dir/f.qcow2' -> ('ctr', 'dir/f.qcow2'), or a UsageError."""
    if not text.startswith("/") or "\0" in text:
        raise UsageError(f"Bad value for {PARAM}: '{text}' is not an ADSF path like "
                         "/default-container/dir/disk.qcow2")
    parts = [p for p in text.split("/") if p]
    if any(p in (".", "..") for p in parts):
        raise UsageError(f"Bad value for {PARAM}: '{text}' holds '.' or '..'; an ADSF path names "
                         "a file by its place inside the container")
    if len(parts) < 2:
        raise UsageError(f"Bad value for {PARAM}: '{text}' names a container but no file in it")
    return parts[0], "/".join(parts[1:])


def copy(host, text: str, target_pool, name: str):
    """A new qcow2 volume `name` in `target_pool` with the data of the file
    `text` names (flattened, self-contained)."""
    container_ref, rel = parse(text)
    pool = pools.container(host, container_ref)
    if not host.caps.volume_data:
        return _copy_entry(host, pool, rel, text, target_pool, name)
    fd = _open_inside(pool, rel, text)
    try:
        fmt, capacity, needs = _look_at(fd, text)
        check_capacity("qcow2", capacity, PARAM)
        return qemu_copy.convert_into(target_pool, name,
                                      ["-f", fmt, "-O", "qcow2", f"/dev/fd/{fd}"],
                                      needs, text, pass_fds=(fd,))
    finally:
        os.close(fd)


# a real host: the pool's directory -------------------------------------------

def _open_inside(pool, rel: str, text: str) -> int:
    """A read-only descriptor of the regular file `rel` inside `pool`'s
    directory, or a one-line error."""
    base = os.path.realpath(qemu_copy.pool_path(pool))
    real = os.path.realpath(os.path.join(base, rel))
    if real == base or os.path.commonpath([base, real]) != base:
        raise UsageError(f"Bad value for {PARAM}: {text} leads outside container {pool.name()} "
                         "(a symbolic link)")
    try:
        seen = os.lstat(real)
    except (FileNotFoundError, NotADirectoryError):
        raise NotFound(f"container {pool.name()} has no file {rel}") from None
    _check_regular(seen.st_mode, text)
    # O_NOFOLLOW: a link put in its place since lstat is refused, not followed;
    # O_NONBLOCK: a FIFO put there would otherwise hold the open
    try:
        fd = os.open(real, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as err:
        raise InvalidState(f"cannot open {text}: {err.strerror}") from None
    now = os.fstat(fd)
    if (now.st_dev, now.st_ino) != (seen.st_dev, seen.st_ino) or not stat.S_ISREG(now.st_mode):
        os.close(fd)
        raise InvalidState(f"{text} changed while acli looked at it; try again")
    return fd


def _check_regular(mode: int, text: str) -> None:
    if not stat.S_ISREG(mode):
        what = "a directory" if stat.S_ISDIR(mode) else "not a regular file"
        raise UsageError(f"Bad value for {PARAM}: {text} is {what}")


def _look_at(fd: int, text: str) -> tuple[str, int, int]:
    """(qemu-img format, virtual size, bytes the copy may take) of the file."""
    st = os.fstat(fd)
    head = os.pread(fd, HEAD, 0)
    fmt, capacity = sniff(head, st.st_size)
    if fmt == "qcow2":
        refuse_other_files(*qcow2_references(head), text)
    else:
        fmt = "raw"  # an ISO's bytes too: the disk gets them as they are
    # the copy holds what the file holds, in a qcow2 of its size
    return fmt, capacity, st.st_blocks * 512 + qcow2_metadata_bytes(capacity)


def qcow2_references(head: bytes) -> tuple[bool, bool]:
    """(has a backing file, has an external data file) from a qcow2 header."""
    backing_offset = struct.unpack(">Q", head[8:16])[0] if len(head) >= 16 else 0
    version = struct.unpack(">I", head[4:8])[0] if len(head) >= 8 else 0
    incompatible = struct.unpack(">Q", head[72:80])[0] if version >= 3 and len(head) >= 80 else 0
    return backing_offset != 0, bool(incompatible & _QCOW2_DATA_FILE)


def refuse_other_files(backing: bool, data_file: bool, text: str) -> None:
    if backing or data_file:
        what = "a backing file" if backing else "an external data file"
        raise UsageError(f"Bad value for {PARAM}: {text} is a qcow2 that reads {what}; acli copies "
                         "only a file that holds its own data (copy a VM's disk with "
                         "clone_from_vmdisk)")


# the sandbox: the pool's volumes ---------------------------------------------

def _copy_entry(host, pool, rel: str, text: str, target_pool, name: str):
    vol = pools.volume_by_path(host, qemu_copy.pool_path(pool) + "/" + rel)
    if vol is None or pools.pool_of(vol).UUIDString() != pool.UUIDString():
        raise NotFound(f"container {pool.name()} has no file {rel}")
    refuse_other_files(pools.backing_path(vol) is not None, False, text)
    from acli.storage.diskcopy import full_copy

    return full_copy(host, vol, target_pool, name)
