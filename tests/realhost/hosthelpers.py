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


def drop_networks(conn, prefix: str) -> None:
    """Remove the libvirt networks whose names start with `prefix`."""
    for net in conn.listAllNetworks():
        if net.name().startswith(prefix):
            if net.isActive():
                net.destroy()
            net.undefine()


def drop_bridge(name: str) -> None:
    import subprocess

    subprocess.run(["ovs-vsctl", "--timeout=10", "--if-exists", "del-br", name],
                   capture_output=True)
