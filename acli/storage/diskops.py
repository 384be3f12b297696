"""vm.disk_create / vm.disk_update / vm.disk_delete on libvirt.

A change to a running VM on a real host goes through attach/detach/update
device with AFFECT_LIVE | AFFECT_CONFIG (hot-plug). Everywhere else (a VM
that is off, and the sandbox, whose test driver has no device hot-plug)
the inactive XML is changed and redefined. The rules about what may change
while a VM runs are acli's own and the same in both cases: SCSI and PCI
disks hot-plug; IDE and SATA devices do not (QEMU cannot), but a CD-ROM's
medium can be changed while the VM runs.

Every operation undoes what it did when a later step fails. Copying disks
(for a clone, or from another VM's disk) is in diskcopy.py.
"""

from __future__ import annotations

import contextlib
import xml.etree.ElementTree as ET

from acli.errors import AcliError, Conflict, Interrupted, InvalidState, UsageError
from acli.hosts import tasks
from acli.hosts.libvirt_errors import libvirt_call
from acli.storage import disks as D
from acli.storage import pools
from acli.storage.diskcopy import full_copy, new_vmdisk_name, source_volume
from acli.storage.ownership import delete_paths, paths_still_used
from acli.storage.thin import check_capacity, qcow2_metadata_bytes
from acli.vms import logical_timestamp
from acli.vms.domxml import inactive_root, xml_of


def _live(host, dom) -> bool:
    """Whether a change must also reach a running QEMU (a real host, VM on)."""
    return host.caps.live_devices and bool(dom.isActive())


def refuse_unplug(dom, bus: str, what: str) -> None:
    if dom.isActive() and bus not in D.HOTPLUG_BUSES:
        raise InvalidState(f"{dom.name()} is on and QEMU cannot {what} {bus.upper()} devices while it runs; "
                           "power the VM off first" + (" or use bus=scsi" if what == "hot-plug" else ""))


# create --------------------------------------------------------------------

@libvirt_call
def create(host, dom, *, bus=None, index=None, create_size=None, container=None,
           clone_from_image=None, clone_from_vmdisk=None, clone_from_adsf_file=None,
           cdrom=False, empty=False, counted=True) -> str:
    """Add one disk or CD-ROM; return its address (bus.index). `counted`:
    the VM's logical_timestamp grows now (create_on_all counts once all
    VMs have their disk, so an undone one is left exactly as it was)."""
    from acli.storage import images

    root = inactive_root(dom)
    image = images.lookup(host, clone_from_image) if clone_from_image else None
    _check_sources(create_size, image, clone_from_vmdisk, clone_from_adsf_file, cdrom, empty)
    bus = bus or D.default_bus(root, cdrom)
    D.check_bus_allowed(root, bus)
    if index is None:
        index = D.next_index(root, bus)
    D.check_index(bus, index)
    if any(d.bus == bus and d.index == index for d in D.disks_of(root)):
        raise Conflict(f"{dom.name()} already has a disk at {bus}.{index}")
    refuse_unplug(dom, bus, "hot-plug")
    vol = None
    # a copy of a disk takes time: a task, started once its source is found
    # (a new disk, or one cloned from an image, is made at once)
    src = source_volume(host, clone_from_vmdisk) if clone_from_vmdisk else None
    if src is not None:
        pools.container(host, container)  # a missing one is refused before the task too
    copying = (tasks.run(host, tasks.VM_DISK_CREATE, "DiskCreate", "kVM", dom.name(),
                         dom.UUIDString())
               if src is not None else contextlib.nullcontext())
    with copying:
        if cdrom:
            path, fmt = (image.path, "raw") if image else (None, "raw")
        else:
            vol = _new_volume(host, container, create_size, image, src,
                                  clone_from_adsf_file)
            path, fmt = vol.path(), "qcow2"
        try:
            el = D.disk_element(root, bus, index, path=path, fmt=fmt, cdrom=cdrom)
            attach_device(host, dom, root, el, bus)
        except BaseException:
            if vol is not None:
                pools.delete_volume(vol)
            raise
    if counted:
        logical_timestamp.bump(host, dom)
    return f"{bus}.{index}"


def create_on_all(host, doms, **kwargs) -> None:
    """vm.disk_create on several VMs, all or nothing (as vm.create and
    vm.clone are): when one fails, the disks already made by this command
    are taken off their VMs and their volumes deleted, and the error names
    the VM that failed."""
    done = []
    for dom in doms:
        before = xml_of(dom)  # libvirt's own text: put back, it reads exactly as before
        try:
            addr = create(host, dom, counted=False, **kwargs)
        except BaseException as err:
            for made in reversed(done):
                try:
                    _undo_create(host, *made)
                except Exception:
                    pass
            if not isinstance(err, AcliError) or isinstance(err, Interrupted):
                raise
            if not done and isinstance(err, UsageError):
                raise  # a bad argument is the command's error, not a VM's
            undone = " (no disk was created)" if done else ""
            who = "" if dom.name() in err.message else f"{dom.name()}: "
            raise type(err)(f"{who}{err.message}{undone}", err.column) from None
        done.append((dom, addr, before))
    for dom, _, _ in done:
        logical_timestamp.bump(host, dom)


@libvirt_call
def _undo_create(host, dom, addr: str, before_xml: str) -> None:
    """Take back a disk `create` just added: the VM's definition as it was
    (or, running on a real host, a live detach), and its new volume."""
    import libvirt

    bus, index = D.parse_addr(addr)
    disk = D.find_disk(inactive_root(dom), bus, index, dom.name())
    if _live(host, dom):
        flags = libvirt.VIR_DOMAIN_AFFECT_CONFIG | libvirt.VIR_DOMAIN_AFFECT_LIVE
        dom.detachDeviceFlags(D.to_xml(disk.element), flags)
        _released(dom, disk.target)
    else:
        host.conn.defineXML(before_xml)
    if disk.owned_volume:
        vol = pools.volume_by_path(host, disk.path)
        if vol is not None:
            pools.delete_volume(vol)


def _check_sources(create_size, image, vmdisk, adsf_file, cdrom, empty) -> None:
    from acli.storage.images import ISO_IMAGE

    if cdrom:
        if create_size is not None or vmdisk or adsf_file:
            raise UsageError("cdrom=true takes empty=true or clone_from_image=ISO, "
                             "not create_size, clone_from_vmdisk or clone_from_adsf_file")
        if empty and image:
            raise UsageError("empty=true and clone_from_image contradict each other")
        if not empty and not image:
            raise UsageError("cdrom=true needs empty=true or clone_from_image=ISO")
        if image and image.image_type != ISO_IMAGE:
            raise UsageError(f"Bad value for clone_from_image: {image.name} is a disk image, "
                             "not an ISO image")
        return
    if empty:
        raise UsageError("empty=true is for CD-ROMs; add cdrom=true")
    given = [n for n, v in (("create_size", create_size), ("clone_from_image", image),
                            ("clone_from_vmdisk", vmdisk), ("clone_from_adsf_file", adsf_file)) if v]
    if not given:
        raise UsageError("vm.disk_create needs create_size, clone_from_image, clone_from_vmdisk "
                         "or clone_from_adsf_file")
    if len(given) > 1 and given != ["create_size", "clone_from_image"]:
        raise UsageError(f"give only one of {' and '.join(given)}")
    if image and image.image_type == ISO_IMAGE:
        raise UsageError(f"Bad value for clone_from_image: {image.name} is an ISO image; "
                         "add cdrom=true to attach it")


def _new_volume(host, container, size, image, src, adsf_file):
    pool = pools.container(host, container)
    name = new_vmdisk_name()
    if adsf_file:
        from acli.storage import adsf

        return adsf.copy(host, adsf_file, pool, name)
    if image is not None:
        base = image.size()
        if size is not None and size < base:
            raise UsageError(f"Bad value for create_size: {size} bytes is smaller than "
                             f"image {image.name} ({base} bytes)")
        return pools.make_volume(host, pool, name, size or base, "qcow2",
                                 backing=(image.path, image.fmt))
    if src is not None:  # a VM's disk (diskcopy.source_volume)
        return full_copy(host, src, pool, name)
    return pools.make_volume(host, pool, name, size, "qcow2")


def attach_device(host, dom, root, el, bus) -> None:
    import libvirt

    flags = libvirt.VIR_DOMAIN_AFFECT_CONFIG | libvirt.VIR_DOMAIN_AFFECT_LIVE
    if _live(host, dom):
        if bus == "scsi" and D.needs_scsi_controller(root):
            dom.attachDeviceFlags(D.to_xml(D.scsi_controller()), flags)
        dom.attachDeviceFlags(D.to_xml(el), flags)
        return
    if bus == "scsi" and D.needs_scsi_controller(root):
        D.add_device(root, D.scsi_controller())
    D.add_device(root, el)
    host.conn.defineXML(D.to_xml(root))


# update --------------------------------------------------------------------

@libvirt_call
def update(host, dom, bus, index, *, new_size=None, clone_from_image=None, empty=None) -> None:
    root = inactive_root(dom)
    disk = D.find_disk(root, bus, index, dom.name())
    if new_size is None and clone_from_image is None and not empty:
        raise UsageError("vm.disk_update: nothing to change (give new_size, or for a CD-ROM "
                         "clone_from_image=ISO or empty=true)")
    if disk.cdrom:
        if new_size is not None:
            raise UsageError(f"Bad value for new_size: {disk.addr} is a CD-ROM")
        _change_medium(host, dom, root, disk, clone_from_image, bool(empty))
    else:
        if clone_from_image or empty:
            raise UsageError(f"{disk.addr} of {dom.name()} is a disk, not a CD-ROM: only new_size applies")
        _grow(host, dom, disk, new_size)
    logical_timestamp.bump(host, dom)


def _change_medium(host, dom, root, disk, image_ref, empty) -> None:
    import libvirt

    from acli.storage import images

    if empty and image_ref:
        raise UsageError("empty=true and clone_from_image contradict each other")
    path = None
    if image_ref:
        image = images.lookup(host, image_ref)
        if image.image_type != images.ISO_IMAGE:
            raise UsageError(f"Bad value for clone_from_image: {image.name} is not an ISO image")
        path = image.path
    el = disk.element
    src = el.find("source")
    if src is not None:
        el.remove(src)
    if path:
        src = ET.Element("source", file=path)
        el.insert(1, src)
    if _live(host, dom):
        flags = libvirt.VIR_DOMAIN_AFFECT_CONFIG | libvirt.VIR_DOMAIN_AFFECT_LIVE
        dom.updateDeviceFlags(D.to_xml(el), flags)
    else:
        host.conn.defineXML(D.to_xml(root))


def _grow(host, dom, disk, new_size) -> None:
    import libvirt

    vol = pools.volume_by_path(host, disk.path) if disk.path else None
    current = vol.info()[1] if vol is not None else None
    if current is not None and new_size < current:
        raise UsageError(f"Bad value for new_size: {new_size} bytes is smaller than the disk "
                         f"({current} bytes); disks can only grow")
    if current == new_size:
        return
    if vol is not None:
        check_capacity(pools.volume_format(vol), new_size, "new_size")
    if _live(host, dom):
        dom.blockResize(disk.target, new_size, libvirt.VIR_DOMAIN_BLOCK_RESIZE_BYTES)
    elif vol is None:
        raise InvalidState(f"disk {disk.addr} of {dom.name()} is not in a container; acli cannot resize it")
    elif not host.caps.volume_data:
        _resize_entry(vol, new_size)
    else:
        vol.resize(new_size, 0)


def _resize_entry(vol, new_size) -> None:
    """The test driver has no resize: re-make the accounting entry, larger.
    A grown qcow2 takes what it held plus its larger L1 table, as on a real
    host; the new size is checked first, so a failed re-make cannot lose
    the disk."""
    fmt = pools.volume_format(vol)
    pool = pools.pool_of(vol)
    root = ET.fromstring(vol.XMLDesc(0))
    backing = root.findtext("backingStore/path")
    backing_fmt = root.find("backingStore/format")
    _, capacity, allocation = vol.info()
    grow_by = 0
    if fmt == "qcow2":
        grow_by = qcow2_metadata_bytes(new_size) - qcow2_metadata_bytes(capacity)
    xml = pools.volume_xml(vol.name(), new_size, fmt, allocation=allocation + grow_by,
                           backing=(backing, backing_fmt.get("type")) if backing else None)
    pools.check_room(pool, grow_by)
    vol.delete(0)
    pool.createXML(xml, 0)


# delete --------------------------------------------------------------------

@libvirt_call
def delete(host, dom, bus, index) -> None:
    """Detach a disk; delete its volume if this VM owned it alone."""
    root = inactive_root(dom)
    disk = D.find_disk(root, bus, index, dom.name())
    refuse_unplug(dom, bus, "unplug")
    released = detach_device(host, dom, root, disk)
    logical_timestamp.bump(host, dom)
    if disk.owned_volume and disk.path not in paths_still_used(host, dom, include_own_snapshots=True):
        delete_paths(host, [disk.path])
    if not released:
        raise InvalidState(
            "the guest did not release the disk (no OS, or no PCI hot-unplug support); it is gone "
            "from the VM's configuration (its volume too, if the VM owned it) and leaves the VM "
            "when the guest releases it or the VM powers off")


def detach_device(host, dom, root, disk) -> bool:
    """Take `disk` off the VM (`root`: its inactive XML), live too on a
    running VM of a real host; whether the running VM let it go."""
    import libvirt

    if _live(host, dom):
        flags = libvirt.VIR_DOMAIN_AFFECT_CONFIG | libvirt.VIR_DOMAIN_AFFECT_LIVE
        dom.detachDeviceFlags(D.to_xml(disk.element), flags)
        return _released(dom, disk.target)
    D.remove_device(root, disk.element)
    host.conn.defineXML(D.to_xml(root))
    return True


def _released(dom, target: str) -> bool:
    """After a live detach, whether the disk (by target dev) has left the live
    XML. A SCSI disk leaves at once (QEMU needs no guest to take it off the
    virtio-scsi bus); a PCI (virtio-blk) disk needs the guest, as a NIC does."""
    from acli.hosts.unplug import wait_until_gone

    def still_there():
        live = ET.fromstring(dom.XMLDesc(0))
        return any(t.get("dev") == target for t in live.findall("devices/disk/target"))

    return wait_until_gone(still_there)
