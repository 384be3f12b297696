"""Thin provisioning: what a new volume takes on the host, and what a
container has handed out.

A container hands out more than its free space, as AHV's do: a new disk is
a qcow2 file that holds only its metadata until the guest writes, so
`create_size=500G` on a 100 GiB container works. What the host cannot
make is refused: a qcow2 beyond the format's limit, or a volume whose
bytes (metadata, a copy's data, an upload) do not fit in the free space.

The sandbox's test driver accounts a volume by the <allocation> its XML
gives (or its whole capacity when none is given), so every volume acli
makes says what the real host would write: the same numbers, the same
refusals on both.
"""

from __future__ import annotations

from acli.errors import UsageError

# qemu-img's qcow2 with its default 64 KiB clusters: a header, a refcount
# table and a refcount block (one cluster each), then the L1 table, 8 bytes
# per 512 MiB of virtual size (an L2 table maps 8192 clusters). Exact for
# what `qemu-img create -f qcow2` writes up to its limit.
_CLUSTER = 64 << 10
_L1_ENTRY_SPAN = 512 << 20
QCOW2_MAX_BYTES = 2 << 50  # the L1 table may hold 4 Mi entries: 2 PiB


def qcow2_metadata_bytes(capacity: int) -> int:
    """The bytes an empty qcow2 (or an overlay) of `capacity` takes."""
    return 3 * _CLUSTER + 8 * -(-capacity // _L1_ENTRY_SPAN)


def new_volume_bytes(fmt: str, capacity: int) -> int:
    """What a new, empty volume takes on the host: a qcow2 its metadata, a
    raw file nothing (it is made sparse)."""
    return qcow2_metadata_bytes(capacity) if fmt == "qcow2" else 0


def check_capacity(fmt: str, capacity: int, param: str = "create_size") -> None:
    """Refuse a size the format cannot hold, before anything is made."""
    if fmt == "qcow2" and capacity > QCOW2_MAX_BYTES:
        raise UsageError(f"Bad value for {param}: {capacity} bytes is more than a qcow2 disk "
                         f"can hold ({QCOW2_MAX_BYTES} bytes, 2 PiB)")


def provisioned_bytes(host, pool) -> int:
    """The sum of the virtual sizes of the container's volumes: what it has
    handed out, which may be more than its capacity. One info() per volume
    (libvirt has no bulk call for volumes), overlapped on a real host."""
    if not pool.isActive():
        return 0
    return sum(info[1] for info in host.call_each(lambda vol: vol.info(), pool.listAllVolumes()))
