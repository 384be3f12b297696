"""Clean-up shared by the real-host tests."""

from __future__ import annotations


def drop_pool(conn, name: str) -> None:
    """Remove a test's storage pool with its volumes, if it exists."""
    import libvirt

    try:
        pool = conn.storagePoolLookupByName(name)
    except libvirt.libvirtError:
        return
    if pool.isActive():
        for vol in pool.listAllVolumes():
            vol.delete(0)
        pool.destroy()
    pool.undefine()
