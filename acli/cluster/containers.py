"""Containers (libvirt storage pools) and images as a cluster holds them:
one container, with one UUID, on every host, over storage every host sees
(docs/cluster.md), so a VM's disks and an image are where any host looks.

A container is made on the first host that answers and its definition
defined on the others (a host that refuses undoes it everywhere: all or
nothing); one is deleted only when it is empty on every host. A new
image's volume is made known to the others: on real hosts the file is on
the shared storage, and the pool is refreshed so that libvirt lists it; on
hosts whose volumes are accounting entries (the sandbox) the entry is
made there too, as a shared directory would show it.
"""

from __future__ import annotations

import libvirt

from acli.errors import AcliError, BackendError, InvalidState
from acli.hosts.libvirt_errors import translate


def _others(cluster, host) -> list:
    return [m for m in cluster.answering() if m.host is not host]


def share_container(cluster, source, pool) -> None:
    """Define `pool` (made on host `source`) on every other answering host."""
    from acli.storage import pools

    xml = pool.XMLDesc(0)
    done = []
    for member in _others(cluster, source):
        try:
            theirs = member.host.conn.storagePoolDefineXML(xml, 0)
            try:
                if member.host.caps.volume_data:
                    theirs.build(0)  # the shared directory is there already: nothing to do
                theirs.create(0)
                theirs.setAutostart(1)
            except libvirt.libvirtError:
                if theirs.isActive():
                    theirs.destroy()
                theirs.undefine()
                raise
            done.append((member, theirs))
        except libvirt.libvirtError as err:
            for _other, made in done:
                _forget_pool(made)
            pools.delete_container(source, pool)
            raise BackendError(f"host {member.name} refused the container: "
                               f"{translate(err).message}; it was made on no host") from None


def _forget_pool(pool) -> None:
    """Undefine a pool's definition on one host, leaving the shared directory."""
    try:
        if pool.isActive():
            pool.destroy()
        pool.undefine()
    except libvirt.libvirtError:
        pass


def check_empty_everywhere(cluster, name: str) -> None:
    for member in cluster.answering():
        try:
            pool = member.host.conn.storagePoolLookupByName(name)
        except libvirt.libvirtError:
            continue
        if pool.isActive():
            pool.refresh(0)
            used = len(pool.listAllVolumes())
            if used:
                raise InvalidState(f"container {name} is not empty on host {member.name} "
                                   f"({used} volumes)")


def forget_container(cluster, source, name: str) -> None:
    """After `name` was deleted on `source`: its definition on the others."""
    for member in _others(cluster, source):
        try:
            _forget_pool(member.host.conn.storagePoolLookupByName(name))
        except libvirt.libvirtError:
            continue  # not there


def share_volume(cluster, source, vol) -> None:
    """Make a volume made on `source` (an image's) known to the other hosts."""
    pool_name = vol.storagePoolLookupByVolume().name()
    for member in _others(cluster, source):
        try:
            pool = member.host.conn.storagePoolLookupByName(pool_name)
            if member.host.caps.volume_data:
                pool.refresh(0)
                continue
            try:
                pool.storageVolLookupByName(vol.name())
            except libvirt.libvirtError:
                pool.createXML(vol.XMLDesc(0), 0)
        except libvirt.libvirtError as err:
            raise BackendError(f"host {member.name} cannot see {vol.name()} in {pool_name}: "
                               f"{translate(err).message}") from None


def forget_volume(cluster, source, pool_name: str, vol_name: str) -> None:
    """A volume deleted on `source`: gone from the others' lists too."""
    for member in _others(cluster, source):
        try:
            pool = member.host.conn.storagePoolLookupByName(pool_name)
            if member.host.caps.volume_data:
                pool.refresh(0)
            else:
                pool.storageVolLookupByName(vol_name).delete(0)
        except libvirt.libvirtError:
            continue  # not there


def image_users_elsewhere(cluster, source, image) -> list[str]:
    """What uses the image on the other hosts (their VMs' disks)."""
    from acli.storage import images

    found = []
    for member in _others(cluster, source):
        try:
            found += [f"{use} on {member.name}" for use in images.users(member.host, image)]
        except AcliError:
            raise
    return found
