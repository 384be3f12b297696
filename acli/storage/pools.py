"""Containers: libvirt storage pools, and the volumes in them.

A container is any libvirt storage pool; `container=NAME` picks one by name
or UUID. Every host has a default container, `default-container`: the
sandbox's node file starts with it; on a real host it is a `dir` pool
under /var/lib/acli (ACLI_CONTAINER_ROOT overrides), defined, built,
started and set to autostart on first use.
"""

from __future__ import annotations

import os
import uuid as uuidlib
import xml.etree.ElementTree as ET

from acli.errors import BackendError, Conflict, InvalidState, UsageError
from acli.hosts.events import SandboxEvent
from acli.hosts.libvirt_errors import libvirt_call, translate
from acli.selection import LIBVIRT_NAME, LIBVIRT_UUID, Kind, select_one
from acli.selection import select as select_entities

DEFAULT_CONTAINER = "default-container"
SANDBOX_ROOT = "/sandbox/containers"
REAL_ROOT = "/var/lib/acli/containers"


def container_root(host) -> str:
    if not host.caps.volume_data:
        return SANDBOX_ROOT  # a pretend path: no directory is made
    return os.environ.get("ACLI_CONTAINER_ROOT", REAL_ROOT)


def sandbox_initial_pool(event: SandboxEvent) -> str:
    """sandbox NODE_PARTS hook: the node-file fragment that gives a fresh
    sandbox its default container."""
    # a sandbox cluster's hosts all have the one default container
    cluster_dir = event.host.cluster_dir
    uuid = (uuidlib.uuid5(uuidlib.NAMESPACE_URL, f"acli-sandbox:{cluster_dir}:{DEFAULT_CONTAINER}")
            if cluster_dir else uuidlib.uuid4())
    return (f"<pool type='dir'><name>{DEFAULT_CONTAINER}</name><uuid>{uuid}</uuid>"
            f"<target><path>{SANDBOX_ROOT}/{DEFAULT_CONTAINER}</path></target></pool>")


def _lookup(host, ref: str):
    import libvirt

    conn = host.conn
    try:
        try:
            return conn.storagePoolLookupByUUIDString(ref)
        except libvirt.libvirtError:
            return conn.storagePoolLookupByName(ref)
    except libvirt.libvirtError as err:
        if err.get_error_code() == libvirt.VIR_ERR_NO_STORAGE_POOL:
            return None
        raise translate(err) from None


def container(host, ref: str | None):
    """The pool named `ref` (name or UUID), or the default container.

    The default is created on a real host when missing; a named container
    that does not exist is NotFound. The pool is started if it is not."""
    if ref is None:
        pool = _lookup(host, DEFAULT_CONTAINER) or create_container(host, DEFAULT_CONTAINER, None)
    else:
        pool = select_one(CONTAINERS, host, ref)
    if not pool.isActive():
        try:
            pool.create(0)
        except Exception as err:
            raise BackendError(f"container {pool.name()} cannot be started: {_msg(err)}") from None
    return pool


def _msg(err) -> str:
    getter = getattr(err, "get_error_message", None)
    return ((getter() if getter else None) or str(err)).splitlines()[0]


@libvirt_call
def create_container(host, name: str, path: str | None):
    """Define, build, start and autostart a dir pool; undone if a step fails."""
    import libvirt

    if _lookup(host, name) is not None:
        raise Conflict(f"container already exists: {name}")
    path = path or os.path.join(container_root(host), name)
    if not os.path.isabs(path):
        raise UsageError(f"Bad value for path: '{path}' is not an absolute path")
    root = ET.Element("pool", type="dir")
    ET.SubElement(root, "name").text = name
    target = ET.SubElement(root, "target")
    ET.SubElement(target, "path").text = path
    if host.caps.volume_data and not os.path.isdir(path):
        # a new directory: QEMU (libvirt-qemu) must reach the files. An
        # existing one is the user's: with no mode given, building the pool
        # leaves it as it is
        perms = ET.SubElement(target, "permissions")
        ET.SubElement(perms, "mode").text = "0755"
        _make_parents(path)
    pool = host.conn.storagePoolDefineXML(ET.tostring(root, encoding="unicode"), 0)
    try:
        if host.caps.volume_data:
            pool.build(0)
        pool.create(0)
        pool.setAutostart(1)
    except libvirt.libvirtError:
        if pool.isActive():
            pool.destroy()
        pool.undefine()
        raise
    return pool


def _make_parents(path: str) -> None:
    parent = os.path.dirname(path.rstrip("/"))
    if parent and not os.path.isdir(parent):
        os.makedirs(parent, mode=0o755, exist_ok=True)


@libvirt_call
def delete_container(host, pool) -> None:
    """Remove an empty container (its directory too on a real host)."""
    import libvirt

    if pool.isActive():
        pool.refresh(0)
        used = [v.name() for v in pool.listAllVolumes()]
        if used:
            raise InvalidState(f"container {pool.name()} is not empty ({len(used)} volumes)")
        pool.destroy()
    if host.caps.volume_data:
        try:  # libvirt removes a pool's directory only once the pool is stopped
            pool.delete(libvirt.VIR_STORAGE_POOL_DELETE_NORMAL)
        except libvirt.libvirtError:
            pass  # not empty (files that are no volumes): not ours to force away
    pool.undefine()


@libvirt_call
def all_containers(host) -> list:
    return sorted(host.conn.listAllStoragePools(), key=lambda p: p.name())


# How selection finds containers (libvirt pools).
CONTAINERS = Kind("container", all_containers, lookup=_lookup,
                  name=LIBVIRT_NAME, uuid=LIBVIRT_UUID)


def select(host, patterns) -> list:
    """Containers named by a Selector's patterns, in order, each once."""
    return select_entities(CONTAINERS, host, patterns)


def container_fields(host, pool) -> dict:
    """Name, UUID, path, and in bytes: capacity, what its volumes take on the
    host (used), free space, and their virtual sizes (provisioned, which
    may exceed the capacity: containers are thin)."""
    from acli.storage.thin import provisioned_bytes

    root = ET.fromstring(pool.XMLDesc(0))
    active = bool(pool.isActive())
    state, capacity, allocation, available = pool.info() if active else (0, 0, 0, 0)
    return {"name": pool.name(), "uuid": pool.UUIDString(), "type": root.get("type"),
            "path": root.findtext("target/path") or "", "capacity_bytes": capacity,
            "used_bytes": allocation, "free_bytes": available, "active": active,
            "num_volumes": pool.numOfVolumes() if active else 0,
            "provisioned_bytes": provisioned_bytes(host, pool)}


# volumes -------------------------------------------------------------------

def volume_xml(name: str, capacity: int, fmt: str, backing: tuple[str, str] | None = None,
               allocation: int | None = None) -> str:
    """A volume's XML. `allocation` defaults to what a new, empty volume
    takes on the host (thin.py): the sandbox accounts exactly that; a real
    dir pool makes a qcow2 with qemu-img whatever it says, and a raw file
    sparse (libvirt would otherwise preallocate a raw file's capacity)."""
    from acli.storage.thin import new_volume_bytes

    if allocation is None:
        allocation = new_volume_bytes(fmt, capacity)
    root = ET.Element("volume")
    ET.SubElement(root, "name").text = name
    ET.SubElement(root, "capacity", unit="bytes").text = str(capacity)
    ET.SubElement(root, "allocation", unit="bytes").text = str(allocation)
    target = ET.SubElement(root, "target")
    ET.SubElement(target, "format", type=fmt)
    if backing:
        store = ET.SubElement(root, "backingStore")
        ET.SubElement(store, "path").text = backing[0]
        ET.SubElement(store, "format", type=backing[1])
    return ET.tostring(root, encoding="unicode")


def volume_by_path(host, path: str):
    """The volume at `path`, or None when no pool holds it."""
    import libvirt

    try:
        return host.conn.storageVolLookupByPath(path)
    except libvirt.libvirtError:
        return None


def volume_format(vol) -> str:
    root = ET.fromstring(vol.XMLDesc(0))
    fmt = root.find("target/format")
    return fmt.get("type") if fmt is not None else "raw"


def backing_path(vol) -> str | None:
    root = ET.fromstring(vol.XMLDesc(0))
    return root.findtext("backingStore/path")


def pool_of(vol):
    return vol.storagePoolLookupByVolume()


def delete_volume(vol) -> None:
    """Delete a volume; a volume already gone is fine (undo paths call this)."""
    import libvirt

    try:
        vol.delete(0)
    except libvirt.libvirtError as err:
        if err.get_error_code() != libvirt.VIR_ERR_NO_STORAGE_VOL:
            raise translate(err) from None


def all_volumes(host) -> list:
    out = []
    for pool in host.conn.listAllStoragePools():
        if pool.isActive():
            out.extend(pool.listAllVolumes())
    return out


# out of space --------------------------------------------------------------

class OutOfSpace(InvalidState):
    """A container has no room for a volume: one line naming the container,
    the size asked for and the free space."""


def human_size(n: int) -> str:
    for unit, shift in (("TiB", 40), ("GiB", 30), ("MiB", 20), ("KiB", 10)):
        if n >= 1 << shift:
            value = n / (1 << shift)
            text = f"{value:.1f}".rstrip("0").rstrip(".")
            return f"{text} {unit}"
    return f"{n} bytes"


def free_bytes(pool) -> int:
    return pool.info()[3]


def out_of_space(pool, asked: int, free: int | None = None) -> OutOfSpace:
    if free is None:
        try:
            pool.refresh(0)
        except Exception:
            pass
        free = free_bytes(pool)
    return OutOfSpace(f"container {pool.name()} has not enough free space: "
                      f"{human_size(asked)} ({asked} bytes) asked for, "
                      f"{human_size(free)} ({free} bytes) free")


def is_out_of_space(err) -> bool:
    """libvirt's (test driver: "Not enough free space in pool") or the host's
    (ENOSPC) way of saying a volume did not fit."""
    getter = getattr(err, "get_error_message", None)
    text = ((getter() if getter else None) or str(err)).lower()
    return "not enough free space" in text or "no space left on device" in text


def check_room(pool, needs: int) -> None:
    """Refuse before creating a volume whose bytes on the host (`needs`: a
    new qcow2's metadata, a copy's data, an upload) do not fit. A volume's
    virtual size is not counted: containers are thin (thin.py)."""
    if needs <= 0:
        return
    free = free_bytes(pool)
    if needs > free:
        raise out_of_space(pool, needs, free)


def create_volume(host, pool, xml: str, needs: int, *, src=None):
    """createXML (or createXMLFrom `src`), with the free space checked first
    against `needs` (the bytes it takes on the host, as its XML's
    allocation says) and libvirt's out-of-space error made one clear line."""
    import libvirt

    check_room(pool, needs)
    try:
        # a copy in the sandbox is a new accounting entry (its XML says the
        # size and bytes): the test driver's createXMLFrom holds no data and
        # finds its source only in the destination pool
        if src is not None and host.caps.volume_data:
            return pool.createXMLFrom(xml, src, 0)
        return pool.createXML(xml, 0)
    except libvirt.libvirtError as err:
        if is_out_of_space(err):
            raise out_of_space(pool, needs) from None
        raise


def make_volume(host, pool, name: str, capacity: int, fmt: str, *, backing=None, src=None,
                allocation: int | None = None):
    """A new volume `name` (a copy of `src` if given); `allocation` is what it
    takes on the host (default: an empty one's, thin.py). Sizes the format
    cannot hold are refused first."""
    from acli.storage.thin import check_capacity, new_volume_bytes

    check_capacity(fmt, capacity)
    if allocation is None:
        allocation = new_volume_bytes(fmt, capacity)
    xml = volume_xml(name, capacity, fmt, backing=backing, allocation=allocation)
    return create_volume(host, pool, xml, allocation, src=src)
