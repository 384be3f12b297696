"""Snapshots: libvirt internal domain snapshots.

libvirt 9.0 reverts only to internal snapshots (kept inside each qcow2
disk; with the VM's memory too when it runs) and cannot take them of a VM
that boots with UEFI (pflash NVRAM): such VMs are refused with that reason.
libvirt names a snapshot uniquely per VM only; aCLI also shows a Snapshot
ID, which acli derives from the VM's UUID, the name and the creation time
(a UUIDv5), so it needs no storage and never changes.
"""

from __future__ import annotations

import time
import uuid as uuidlib
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from operator import attrgetter

from acli.errors import AcliError, Conflict, InvalidState
from acli.hosts import tasks
from acli.hosts.libvirt_errors import libvirt_call, translate
from acli.limits import MAX_SNAPSHOTS_PER_VM
from acli.names import check_snapshot_name
from acli.selection import Kind, select_one
from acli.selection import select as select_entities
from acli.storage import disks as D
from acli.storage import pools, qemu_copy
from acli.vms import logical_timestamp
from acli.vms.domxml import inactive_root, snapshot_domain

SNAPSHOT_NS = uuidlib.UUID("6d1f3a8e-59a4-4c6f-9a55-0b1a2d3c4e5f")


@dataclass
class Snapshot:
    snap: object
    dom: object
    name: str
    uuid: str
    created: int
    state: str
    parent: str | None

    @property
    def creation_time(self) -> str:
        return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(self.created))


def _wrap(dom, snap, xml: str | None = None) -> Snapshot:
    root = _head(xml if xml is not None else snap.getXMLDesc(0))
    created = int(root.findtext("creationTime") or 0)
    name = snap.getName()
    sid = str(uuidlib.uuid5(SNAPSHOT_NS, f"{dom.UUIDString()}/{name}/{created}"))
    state = "kOn" if root.findtext("state") in ("running", "paused", "blocked") else "kOff"
    return Snapshot(snap, dom, name, sid, created, state, root.findtext("parent/name"))


def _head(xml: str) -> ET.Element:
    """A snapshot's own fields, parsed without the VM definition it holds
    (most of its XML): libvirt writes name, state, parent and creationTime
    before the <domain> element."""
    cut = xml.find("<domain ")
    if cut > 0:
        xml = xml[:cut] + "</domainsnapshot>"
    return ET.fromstring(xml)


def in_order(dom, snaps, xmls) -> list[Snapshot]:
    """A VM's snapshots (as libvirt lists them topologically, with their
    XML) oldest first. Creation times are whole seconds, so ties fall back
    on the topological order (parents first)."""
    ranked = [(_wrap(dom, s, x), i) for i, (s, x) in enumerate(zip(snaps, xmls))]
    return [s for s, _ in sorted(ranked, key=lambda pair: (pair[0].created, pair[1]))]


def of_vm(dom) -> list[Snapshot]:
    """A VM's snapshots, oldest first."""
    import libvirt

    snaps = dom.listAllSnapshots(libvirt.VIR_DOMAIN_SNAPSHOT_LIST_TOPOLOGICAL)
    return in_order(dom, snaps, [s.getXMLDesc(0) for s in snaps])


@libvirt_call
def all_snapshots(host) -> list[Snapshot]:
    """Every VM's snapshots, by VM name, each VM's oldest first.

    libvirt has no call that lists the snapshots of every VM: this is one
    listing of the VMs that have snapshots (the daemon leaves the others
    out), one listing a VM that has any, and one XML read a snapshot (for
    its creation time), the last two overlapped on a real host."""
    import libvirt

    doms = sorted(host.conn.listAllDomains(libvirt.VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT),
                  key=lambda d: d.name())
    listed = host.call_each(
        lambda d: d.listAllSnapshots(libvirt.VIR_DOMAIN_SNAPSHOT_LIST_TOPOLOGICAL), doms)
    xmls = iter(host.call_each(lambda s: s.getXMLDesc(0), [s for snaps in listed for s in snaps]))
    out = []
    for dom, snaps in zip(doms, listed):
        out.extend(in_order(dom, snaps, [next(xmls) for _ in snaps]))
    return out


@libvirt_call
def all_names(host) -> list[str]:
    """The names of every VM's snapshots (what completion offers): one
    listing of the VMs that have snapshots and one list of names each, made
    as strings by libvirt (no snapshot objects, no XML). One after another:
    this runs beside the shell, which must not wait for the interpreter."""
    import libvirt

    doms = host.conn.listAllDomains(libvirt.VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT)
    return [name for dom in doms for name in dom.snapshotListNames(0)]


def _in_scope(scope) -> list[Snapshot]:
    host, dom = scope
    return of_vm(dom) if dom is not None else all_snapshots(host)


# How selection finds snapshots in a scope (host, VM or None): of one VM, or
# of all (a name two VMs' snapshots share must then be given as its ID).
SNAPSHOTS = Kind("snapshot", _in_scope, name=attrgetter("name"), uuid=attrgetter("uuid"),
                 owner=lambda snap: snap.dom.name(), id_word="ID")


def select(host, patterns, dom=None) -> list[Snapshot]:
    """Snapshots by name, ID or glob (of one VM, or of all)."""
    return select_entities(SNAPSHOTS, (host, dom), patterns)


def lookup(host, ref: str, dom=None) -> Snapshot:
    """One snapshot by name or ID (of one VM, or of all)."""
    return select_one(SNAPSHOTS, (host, dom), ref)


def check_can_snapshot(host, dom) -> None:
    root = inactive_root(dom)
    os_el = root.find("os")
    loader = root.find("os/loader")
    if (os_el is not None and os_el.get("firmware") == "efi") or (
            loader is not None and loader.get("type") == "pflash"):
        raise InvalidState(f"cannot snapshot {dom.name()}: it boots with UEFI, and libvirt "
                           "9.0 takes only internal snapshots, which it cannot take of a VM "
                           "with UEFI firmware (pflash NVRAM)")
    if not host.caps.volume_data:
        return  # accounting entries hold no snapshots to refuse
    for disk in D.disks_of(root):
        if not disk.cdrom and disk.path and disk.fmt != "qcow2":
            raise InvalidState(f"cannot snapshot {dom.name()}: disk {disk.addr} is {disk.fmt}, "
                               "and libvirt takes internal snapshots of qcow2 disks only")


@libvirt_call
def create(host, dom, names: list[str]) -> list[Snapshot]:
    """Take one snapshot per name, all or nothing."""
    for name in names:
        check_snapshot_name("snapshot_name_list", name, None)
    existing = dom.snapshotListNames(0)  # names only: no snapshot's XML is read
    taken = set(existing) & set(names)
    if taken:
        raise Conflict(f"{dom.name()} already has a snapshot named {', '.join(sorted(taken))}")
    if len(existing) + len(names) > MAX_SNAPSHOTS_PER_VM:
        raise InvalidState(f"{dom.name()} has {len(existing)} snapshots and a VM has at most "
                           f"{MAX_SNAPSHOTS_PER_VM}; delete some first")
    check_can_snapshot(host, dom)
    made = []
    try:
        # one task for the command's snapshots: they are made (or undone) together
        with tasks.run(host, tasks.SNAPSHOT_CREATE, "SnapshotCreate", "kVM", dom.name(),
                       dom.UUIDString()):
            for name in names:
                root = ET.Element("domainsnapshot")
                ET.SubElement(root, "name").text = name
                made.append(dom.snapshotCreateXML(ET.tostring(root, encoding="unicode"), 0))
    except BaseException:
        for snap in reversed(made):
            try:
                snap.delete(0)
            except Exception:
                pass
        raise
    return [_wrap(dom, s) for s in made]


@libvirt_call
def delete(host, snapshot: Snapshot) -> None:
    """Delete a snapshot; a disk volume that only it still kept (the VM's
    disk was deleted since) goes with it."""
    from acli.storage import ownership

    owned = ownership.owned_paths(snapshot.dom)
    snapshot.snap.delete(0)
    ownership.drop_unused(host, snapshot.dom, owned)


@libvirt_call
def restore(host, dom, snapshot: Snapshot) -> None:
    """Bring the VM's disks (and, for a snapshot of a running VM, its memory
    and run state) back to the snapshot."""
    import libvirt

    from acli.storage import ownership
    from acli.vms.domxml import Definition
    from acli.vms.events import AFTER_RESTORE, BEFORE_RESTORE, RestoreEvent, VmEvent

    snap_dom = snapshot_domain(snapshot.snap)
    # a raise refuses the restore; nothing changed yet
    BEFORE_RESTORE.run(RestoreEvent(host, dom, Definition(dom), snap_dom))
    owned = ownership.owned_paths(dom)    # what the VM owns before the revert
    stamp = logical_timestamp.stored(host, dom)  # the snapshot's definition holds an older one
    try:
        dom.revertToSnapshot(snapshot.snap, 0)
    except libvirt.libvirtError as err:
        if err.get_error_code() != libvirt.VIR_ERR_SNAPSHOT_REVERT_RISKY:
            raise
        dom.revertToSnapshot(snapshot.snap, libvirt.VIR_DOMAIN_SNAPSHOT_REVERT_FORCE)
    try:
        # as AHV does, disks added after the snapshot are dropped: their
        # volumes go unless another snapshot of the VM (or another VM) uses them
        ownership.drop_unused(host, dom, owned)
    finally:
        try:
            AFTER_RESTORE.run(VmEvent(host, dom, Definition(dom)))
        finally:
            logical_timestamp.bump(host, dom, since=stamp)


# vm.clone clone_from_snapshot ----------------------------------------------

_LIVE_ONLY = ("alias", "seclabel")


def clone(host, snapshot: Snapshot, names: list[str], *, memory_mb=None, num_vcpus=None):
    """New VMs made from a snapshot: its settings and its disks' contents at
    the time it was taken (full copies). All or nothing."""
    from acli.storage import diskcopy
    from acli.vms import service
    from acli.vms.events import CLONE_DEVICES, CloneEvent
    from acli.vms.spec import apply_changes

    service.refuse_taken(host, names)
    dom_el = snapshot_domain(snapshot.snap)
    if dom_el is None:
        raise InvalidState(f"snapshot {snapshot.name} holds no VM configuration")
    _strip_live(dom_el)
    base = apply_changes(ET.tostring(dom_el, encoding="unicode"), memory_mb=memory_mb,
                         num_vcpus=num_vcpus)
    made = []
    with diskcopy.undo_on_failure():
        try:
            for name in names:
                root = ET.fromstring(base)
                root.find("name").text = name
                root.find("uuid").text = str(uuidlib.uuid4())
                logical_timestamp.restart(root)
                # storage's own hook leaves the disks: they are copied as
                # they were at the snapshot, just below
                CLONE_DEVICES.run(CloneEvent(host, snapshot.dom, root, name, True))
                try:
                    diskcopy.copy_disks(host, snapshot.dom, root,
                                       lambda disk: _copy_at_snapshot(host, snapshot, disk))
                except pools.OutOfSpace as err:
                    raise pools.OutOfSpace(f"{name}: {err.message} (no VM was created)") from None
                made.append(host.conn.defineXML(ET.tostring(root, encoding="unicode")))
        except BaseException as err:
            for dom in made:
                try:
                    dom.undefine()
                except Exception:
                    pass
            if isinstance(err, AcliError) or not hasattr(err, "get_error_code"):
                raise
            raise translate(err) from None
    return [(d.name(), d.UUIDString()) for d in made]


def _strip_live(root: ET.Element) -> None:
    for parent in root.iter():
        for child in list(parent):
            if child.tag in _LIVE_ONLY or (parent.tag == "interface" and child.tag == "target"):
                parent.remove(child)
    for graphics in root.iter("graphics"):
        if graphics.get("autoport") == "yes":
            graphics.attrib.pop("port", None)


def _copy_at_snapshot(host, snapshot: Snapshot, disk):
    """A new volume holding `disk` as it was when the snapshot was taken."""
    src = pools.volume_by_path(host, disk.path)
    if src is None:
        raise InvalidState(f"disk {disk.addr} of snapshot {snapshot.name} is gone from its container")
    pool = pools.pool_of(src)
    from acli.storage.diskcopy import full_copy, new_vmdisk_name

    name = new_vmdisk_name()
    if not host.caps.volume_data:  # an accounting entry: the source's size and bytes
        return full_copy(host, src, pool, name)
    allocation = src.info()[2]
    # libvirt cannot read an internal snapshot out of a volume: qemu-img can
    # (-U: the source may be in use; a snapshot's clusters never change).
    return qemu_copy.convert_into(
        pool, name, ["-U", "-f", "qcow2", "-O", "qcow2",
                     "-l", qemu_copy.qemu_option("snapshot.name", snapshot.name), disk.path],
        allocation, f"disk {disk.addr} of snapshot {snapshot.name}")


def record_fields(s: Snapshot) -> dict:
    fields = {"name": s.name, "uuid": s.uuid, "creation_time": s.creation_time,
              "vm_name": s.dom.name(), "vm_uuid": s.dom.UUIDString(),
              "vm_state": s.state}
    if s.parent:
        fields["parent_snapshot"] = s.parent
    return fields
