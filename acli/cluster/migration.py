"""Moving a VM to another host of the cluster (`vm.migrate`, maintenance).

A running VM on real hosts moves by libvirt's peer-to-peer migration
(live unless told otherwise) on shared storage: the source's libvirtd
talks to the destination's, the definition moves with the VM
(PERSIST_DEST, UNDEFINE_SOURCE), and libvirt plugs its NICs into the
destination's Open vSwitch with the tags of the destination's copy of
each network (the same everywhere: acli/cluster/objects.py); the source's
ports go with its QEMU. A refused or failed migration leaves the VM
running where it was: libvirt cancels it and the source keeps the guest.

A VM that is off has no guest to move: its definition is defined on the
destination, then undefined on the source.

A host whose libvirt cannot migrate (the sandbox's test driver,
caps.migration false) gets the same result from acli: the definition, the
volumes' entries and the power state move, the ports following the power
state as they always do there.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import libvirt

from acli.errors import AcliError, BackendError, InvalidState
from acli.hosts.libvirt_errors import translate

MIB_PER_MEGABIT = 1 / 8


def refusal(dom, root, dest_name: str | None, live: bool) -> str | None:
    """Why the VM may not move (to `dest_name`), or None."""
    from acli.cluster import affinity

    if dom.isActive() and live:
        cpu = root.find("cpu")
        if cpu is not None and cpu.get("mode") == "host-passthrough":
            return "it has the host's CPU (cpu_passthrough), which cannot live-migrate"
    bound = affinity.hosts_in_xml(root)
    if bound and dest_name is not None and dest_name not in bound:
        return f"its affinity keeps it on {', '.join(bound)}"
    return None


def move(source, dom, dest, *, live: bool = True, bandwidth_mbps: int | None = None,
         progress_stream=None):
    """Move `dom` from host `source` to host `dest` (Hosts); the domain
    on `dest`. On failure the VM is where it was, and AcliError says why.
    `progress_stream`: where a terminal's progress line goes (stderr)."""
    if not dom.isActive():
        return _move_definition(source, dom, dest)
    if source.caps.migration and dest.caps.migration:
        import threading

        if threading.current_thread() is not threading.main_thread():
            return _migrate(dom, dest, live, bandwidth_mbps)  # an evacuation's worker
        shows = progress_stream is not None and getattr(progress_stream, "isatty", bool)()
        return _watched(dom, dest, live, bandwidth_mbps, progress_stream if shows else None)
    return _move_as_acli(source, dom, dest)


PROGRESS_EVERY = 0.3  # seconds between two looks at a migration's job


def _watched(dom, dest, live: bool, bandwidth_mbps: int | None, stream):
    """_migrate on a thread of its own, so that this one can take Ctrl-C or
    SIGTERM (a blocking libvirt call would hold them back until it ends)
    and cancel the job, leaving the VM where it was; and, given a terminal
    `stream`, show how much of the guest's memory has gone (libvirt's job
    statistics) on one line."""
    import threading

    outcome = {}

    def run():
        try:
            outcome["dom"] = _migrate(dom, dest, live, bandwidth_mbps)
        except BaseException as err:  # noqa: BLE001 - handed to the caller below
            outcome["error"] = err

    worker = threading.Thread(target=run, name="acli-migrate", daemon=True)
    worker.start()
    name, shown = dom.name(), False
    try:
        while worker.is_alive():
            worker.join(PROGRESS_EVERY)
            if stream is not None:
                shown = _show_progress(dom, name, stream) or shown
    except KeyboardInterrupt:
        try:
            dom.abortJob()  # the source keeps the guest; libvirt undoes the destination
        except libvirt.libvirtError:
            pass  # it had ended: the VM is on the destination
        worker.join(30)
        if "error" in outcome:  # cancelled: wait for the destination's copy to go
            _gone_from(dest, dom.UUIDString())
        raise
    finally:
        if shown:
            stream.write("\n")
            stream.flush()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["dom"]


def _gone_from(host, uuid: str, wait: float = 10.0) -> None:
    """Wait (a little) until a cancelled migration's incoming domain has left
    `host`: libvirt removes it just after the source gives up."""
    import time

    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            host.conn.lookupByUUIDString(uuid)
        except libvirt.libvirtError:
            return
        time.sleep(0.1)


def _show_progress(dom, name: str, stream) -> bool:
    """One progress line; whether there was anything to show."""
    try:
        stats = dom.jobStats(0)
    except libvirt.libvirtError:
        return False  # between the job's phases, or done
    total = stats.get("memory_total") or 0
    if total:
        # how much of the guest's memory this pass has sent; a pass resends
        # what the guest wrote meanwhile
        sent = total - min(total, stats.get("memory_remaining") or 0)
        passes = stats.get("memory_iteration") or 1
        stream.write(f"\rMigrating {name}: {100 * sent // total:3d}% of "
                     f"{total / 1048576:.0f} MiB, pass {passes}   ")
        stream.flush()
        return True
    return False


def _migrate(dom, dest, live: bool, bandwidth_mbps: int | None):
    flags = (libvirt.VIR_MIGRATE_PEER2PEER | libvirt.VIR_MIGRATE_PERSIST_DEST
             | libvirt.VIR_MIGRATE_UNDEFINE_SOURCE)
    if live:
        flags |= libvirt.VIR_MIGRATE_LIVE
    params = {}
    if bandwidth_mbps:
        params[libvirt.VIR_MIGRATE_PARAM_BANDWIDTH] = max(1, int(bandwidth_mbps * MIB_PER_MEGABIT))
    name = dom.name()
    try:
        dom.migrateToURI3(dest.uri, params, flags)
    except libvirt.libvirtError as err:
        raise BackendError(f"libvirt refused the migration: {translate(err).message}; "
                           "the VM runs where it was") from None
    return dest.conn.lookupByName(name)


def _move_definition(source, dom, dest):
    xml = dom.XMLDesc(libvirt.VIR_DOMAIN_XML_SECURE | libvirt.VIR_DOMAIN_XML_INACTIVE)
    moved_volumes = _copy_volume_entries(source, dest, xml)
    try:
        new = dest.conn.defineXML(xml)
    except libvirt.libvirtError as err:
        _drop_volume_entries(dest, moved_volumes)
        raise translate(err) from None
    try:
        _copy_snapshots(dom, new)
        _undefine(source, dom)
    except BaseException:
        new.undefine()
        _drop_volume_entries(dest, moved_volumes)
        raise
    _drop_volume_entries(source, moved_volumes)
    return new


def _move_as_acli(source, dom, dest):
    """A running VM between hosts whose libvirt cannot migrate: the
    definition moves, the VM is started there, then stopped and undefined
    here (ports follow each power change, as everywhere on such hosts)."""
    from acli.vms.power import power

    xml = dom.XMLDesc(libvirt.VIR_DOMAIN_XML_SECURE | libvirt.VIR_DOMAIN_XML_INACTIVE)
    moved_volumes = _copy_volume_entries(source, dest, xml)
    new = None
    try:
        new = dest.conn.defineXML(xml)
        _copy_snapshots(dom, new)
        power(dest, new, "on")
    except BaseException as err:
        if new is not None:
            try:
                if new.isActive():
                    power(dest, new, "off")
                new.undefine()
            except Exception:  # noqa: BLE001 - the first error is the one to report
                pass
        _drop_volume_entries(dest, moved_volumes)
        if isinstance(err, libvirt.libvirtError):
            raise translate(err) from None
        raise
    power(source, dom, "off")
    _undefine(source, dom)
    _drop_volume_entries(source, moved_volumes)
    return new


def _undefine(host, dom) -> None:
    flags = libvirt.VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA
    if host.caps.nvram:
        flags |= libvirt.VIR_DOMAIN_UNDEFINE_KEEP_NVRAM
    if host.domain_cache is not None:
        host.domain_cache.pop(dom.name(), None)
    dom.undefineFlags(flags)


def _copy_snapshots(dom, new) -> None:
    """Snapshots' definitions follow the VM (their disks' data is on the
    shared storage already)."""
    snaps = dom.listAllSnapshots(libvirt.VIR_DOMAIN_SNAPSHOT_LIST_TOPOLOGICAL)
    for snap in snaps:
        flags = libvirt.VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE
        if snap.isCurrent():
            flags |= libvirt.VIR_DOMAIN_SNAPSHOT_CREATE_CURRENT
        new.snapshotCreateXML(snap.getXMLDesc(libvirt.VIR_DOMAIN_SNAPSHOT_XML_SECURE), flags)


def _copy_volume_entries(source, dest, xml: str) -> list[tuple[str, str]]:
    """On hosts whose volumes are accounting entries (no shared directory
    behind them), the VM's volumes are entered in the destination's pool of
    the same name: (pool name, volume name) of each entered."""
    if source.caps.volume_data:
        return []  # real shared storage: the destination sees the files
    entered = []
    for disk in ET.fromstring(xml).findall("devices/disk/source"):
        path = disk.get("file")
        if not path:
            continue
        try:
            vol = source.conn.storageVolLookupByPath(path)
            pool_name = vol.storagePoolLookupByVolume().name()
            pool = dest.conn.storagePoolLookupByName(pool_name)
        except libvirt.libvirtError:
            continue  # not in a pool of both: nothing to enter
        try:
            pool.storageVolLookupByName(vol.name())
            continue  # the destination has it already
        except libvirt.libvirtError:
            pass
        try:
            pool.createXML(vol.XMLDesc(0), 0)
        except libvirt.libvirtError as err:
            _drop_volume_entries(dest, entered)
            raise translate(err) from None
        entered.append((pool_name, vol.name()))
    return entered


def _drop_volume_entries(host, entries) -> None:
    for pool_name, vol_name in entries:
        try:
            host.conn.storagePoolLookupByName(pool_name).storageVolLookupByName(vol_name).delete(0)
        except libvirt.libvirtError:
            pass  # gone already


def check(source_name: str, dom, root, dest_name: str | None, live: bool) -> None:
    reason = refusal(dom, root, dest_name, live)
    if reason:
        raise InvalidState(f"cannot migrate from {source_name}: {reason}")


__all__ = ["AcliError", "check", "move", "refusal"]
