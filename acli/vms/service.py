"""VM operations with aCLI's meaning, on a host's libvirt connection:
finding, creating, changing, deleting and cloning VMs (power actions are
in power.py, listings in listing.py).

Every function takes the host and plain values and returns plain values;
it raises AcliError subclasses (never libvirt's own errors).
"""

from __future__ import annotations

import libvirt

from acli.errors import AcliError, BackendError, Conflict, InvalidState, UsageError
from acli.hosts.libvirt_errors import libvirt_call, translate
from acli.names import is_uuid, natural_key
from acli.selection import LIBVIRT_NAME, LIBVIRT_UUID, Kind, select_one
from acli.selection import select as select_entities
from acli.vms import logical_timestamp
from acli.vms.domxml import Definition, inactive_root, xml_of
from acli.vms.events import AFTER_POWER, BEFORE_DELETE, CLONE_DEVICES, CloneEvent, PowerEvent, VmEvent
from acli.vms.spec import VmSpec, apply_changes, new_domain_xml


def find(host, ref: str):
    """A domain by name or UUID, or None."""
    cache = host.domain_cache
    if cache is not None:
        dom = cache.get(ref)
        if dom is not None:
            return dom
    conn = host.conn
    try:
        if is_uuid(ref):
            try:
                return conn.lookupByUUIDString(ref)
            except libvirt.libvirtError:
                pass
        dom = conn.lookupByName(ref)
        if cache is not None:
            cache[ref] = dom
        return dom
    except libvirt.libvirtError as err:
        if err.get_error_code() == libvirt.VIR_ERR_NO_DOMAIN:
            return None
        raise translate(err) from None


def lookup(host, ref: str, column: int | None = None):
    """A domain by name or UUID, or NotFound."""
    return select_one(VMS, host, ref, column)


def select(host, patterns) -> list:
    """Domains named by a Selector's patterns, in order, each once."""
    return select_entities(VMS, host, patterns)


@libvirt_call
def _all_domains(host):
    """Every domain, in no particular order (selection sorts what it picks)."""
    return host.conn.listAllDomains()


def _in_name_order(dom):
    return natural_key(dom.name())


# How selection finds VMs on a host.
VMS = Kind("VM", _all_domains, lookup=find, name=LIBVIRT_NAME, uuid=LIBVIRT_UUID,
           order=_in_name_order)


def check_uefi(host, machine_type: str) -> None:
    """Refuse uefi_boot plainly when the host has no UEFI firmware for QEMU."""
    if not host.has_uefi_firmware(machine_type):
        raise InvalidState("uefi_boot: this host has no UEFI firmware for QEMU (install the ovmf package)")


def _names_in_use(host, names) -> set[str]:
    """Which of `names` are taken: one lookup each, not a listing of every VM
    (a long batch of creates would otherwise cost O(n^2))."""
    taken = set()
    for name in names:
        try:
            host.conn.lookupByName(name)
            taken.add(name)
        except libvirt.libvirtError as err:
            if err.get_error_code() != libvirt.VIR_ERR_NO_DOMAIN:
                raise
    return taken


def refuse_taken(host, names) -> None:
    """Conflict if any of `names` is already a VM's."""
    taken = _names_in_use(host, names)
    if taken:
        raise Conflict(f"VM name already exists: {', '.join(sorted(taken))}")


@libvirt_call
def create(host, names: list[str], spec: VmSpec) -> list[tuple[str, str]]:
    """Define one VM per name; all or nothing. Returns (name, uuid) pairs.

    Taken names are not looked up first: libvirt refuses to define a second
    domain of a name (with another UUID), and only then are the names
    checked, for the message. A batch of creates so saves a failing lookup
    a VM."""
    if spec.uefi_boot:
        refuse_taken(host, names)  # the name is the first thing to be wrong about
        check_uefi(host, spec.machine_type)
    import uuid as uuidlib  # loads `platform`: a few ms that listing VMs does without

    kind = host.domain_type()
    conn = host.conn
    made, pairs = [], []
    uuid = None
    try:
        for name in names:
            uuid = str(uuidlib.uuid4())
            made.append(conn.defineXML(new_domain_xml(spec, kind, name=name, uuid=uuid)))
            pairs.append((name, uuid))
    except KeyboardInterrupt as err:
        raise _undo_interrupted(err, made, host, uuid) from None
    except Exception as err:
        _undo_defines(made)
        refuse_taken(host, names)
        failed = names[len(made)]
        detail = err.message if isinstance(err, AcliError) else _libvirt_message(err)
        raise BackendError(f"{failed}: {detail} (no VM was created)") from None
    if host.domain_cache is not None:
        host.domain_cache.update(zip(names, made))
    return pairs


def _libvirt_message(err) -> str:
    getter = getattr(err, "get_error_message", None)
    # libvirt's XML errors go on with the whole definition and a caret line
    return ((getter() if getter else str(err)) or str(err)).split("\n", 1)[0]


def _undo_defines(doms) -> list[str]:
    """Undefine what a command defined; the names of those it could not."""
    from acli.interrupts import undo_all

    return undo_all(doms, lambda dom: dom.undefine(), lambda dom: dom.name())


def _undo_interrupted(err: KeyboardInterrupt, made, host, last_uuid) -> AcliError:
    """Ctrl-C or SIGTERM during a create or clone: undo, and say what is left.
    The interrupt may land after libvirt defined a VM and before acli noted
    it: the UUID it was given finds it."""
    from acli.interrupts import interrupted

    made = list(made)
    if last_uuid is not None and all(dom.UUIDString() != last_uuid for dom in made):
        try:
            made.append(host.conn.lookupByUUIDString(last_uuid))
        except libvirt.libvirtError:
            pass  # it was not defined
    return interrupted(err, "no VM was created", _undo_defines(made), "VMs",
                       "remove them with vm.delete")


@libvirt_call
def update(host, dom, *, memory_mb=None, num_vcpus=None, num_cores_per_vcpu=None,
           num_threads_per_core=None, name=None, description=None, cpu_passthrough=None,
           cpu_model: str = "", agent_vm=None, extra_flags=None) -> None:
    running = dom.isActive()
    hardware = (memory_mb, num_vcpus, num_cores_per_vcpu, num_threads_per_core, cpu_passthrough)
    if running and any(v is not None for v in hardware[:4]):
        raise InvalidState("VM is on; power it off to change memory or vCPUs")
    if running and cpu_passthrough is not None:
        raise InvalidState("VM is on; power it off to change its CPU (cpu_passthrough)")
    if name is not None and name != dom.name():
        if running:
            raise InvalidState("VM is on; power it off to rename it")
        if dom.snapshotNum(0):
            # libvirt's QEMU driver refuses this too; the test driver does
            # not, and a restore would then bring the old name back.
            raise InvalidState("cannot rename a VM that has snapshots (delete them first)")
        if _names_in_use(host, [name]):
            raise Conflict(f"VM name already exists: {name}")
    if description is not None:
        flags = libvirt.VIR_DOMAIN_AFFECT_CONFIG
        if running:
            flags |= libvirt.VIR_DOMAIN_AFFECT_LIVE
        dom.setMetadata(libvirt.VIR_DOMAIN_METADATA_DESCRIPTION, description, None, None, flags)
    if agent_vm is not None or extra_flags is not None:
        from acli.vms import settings

        root = inactive_root(dom)
        settings.store(dom, *settings.merged(root, agent_vm, extra_flags), settings.boot_order(root))
    if any(v is not None for v in hardware):
        new_xml = apply_changes(xml_of(dom), memory_mb=memory_mb, num_vcpus=num_vcpus,
                                num_cores_per_vcpu=num_cores_per_vcpu,
                                num_threads_per_core=num_threads_per_core,
                                cpu_passthrough=cpu_passthrough, cpu_model=cpu_model)
        host.conn.defineXML(new_xml)
    if name is not None and name != dom.name():
        dom.rename(name, 0)
        if host.domain_cache is not None:
            host.domain_cache.clear()  # rare; what a handle's name() says may lag
    logical_timestamp.bump(host, dom)


# delete and clone ---------------------------------------------------------

@libvirt_call
def refuse_snapshots(host, doms) -> None:
    """vm.delete delete_snapshots=false: refuse if any VM has snapshots.
    libvirt keeps a VM's snapshots inside its definition and its disks, so
    none can outlive the VM (AHV keeps them); nothing is deleted then."""
    having = [(dom.name(), count) for dom in doms if (count := dom.snapshotNum(0))]
    if having:
        named = ", ".join(f"{name} has {count} snapshots" for name, count in having[:5])
        more = f" (and {len(having) - 5} more VMs)" if len(having) > 5 else ""
        raise InvalidState(f"cannot keep the snapshots of a deleted VM (libvirt keeps them "
                           f"with the VM): {named}{more}; give delete_snapshots=true, or "
                           "clone from them first")


@libvirt_call
def delete(host, dom) -> None:
    """Power off and remove one VM with its snapshots' metadata and NVRAM."""
    definition = Definition(dom)  # one read of the XML for both hook points
    if dom.isActive():
        dom.destroy()
        AFTER_POWER.run(PowerEvent(host, dom, definition, "off"))
    BEFORE_DELETE.run(VmEvent(host, dom, definition))
    logical_timestamp.forget(host, dom)
    flags = libvirt.VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA | libvirt.VIR_DOMAIN_UNDEFINE_MANAGED_SAVE
    if host.caps.nvram:  # the test driver refuses the NVRAM flag
        flags |= libvirt.VIR_DOMAIN_UNDEFINE_NVRAM
    dom.undefineFlags(flags)
    if host.domain_cache is not None:
        host.domain_cache.pop(dom.name(), None)


@libvirt_call
def clone(host, source, names: list[str], *, memory_mb=None, num_vcpus=None) -> list[tuple[str, str]]:
    """Define copies of `source` (its current settings), all or nothing."""
    import xml.etree.ElementTree as ET
    from uuid import uuid4

    import contextlib

    from acli.hosts import tasks

    refuse_taken(host, names)
    base = apply_changes(xml_of(source), memory_mb=memory_mb, num_vcpus=num_vcpus)
    # a copy with disks copies them, which takes time: a task each (a pending line)
    copies_disks = ET.fromstring(base).find("devices/disk") is not None
    made = []
    uuid = None
    try:
        # each copy's task starts with it and all end with the command: an
        # undone clone's copies fail together
        with contextlib.ExitStack() as running:
            for name in names:
                root = ET.fromstring(base)
                root.find("name").text = name
                root.find("uuid").text = uuid = str(uuid4())
                logical_timestamp.restart(root)
                if copies_disks:
                    running.enter_context(tasks.run(host, tasks.VM_CLONE, name, "kVM", name,
                                                    uuid))
                CLONE_DEVICES.run(CloneEvent(host, source, root, name, False))
                if not CLONE_DEVICES.hooks and root.find("devices/disk") is not None:
                    raise UsageError("cloning a VM with disks needs the storage support")
                made.append(host.conn.defineXML(ET.tostring(root, encoding="unicode")))
    except KeyboardInterrupt as err:
        raise _undo_interrupted(err, made, host, uuid) from None
    except Exception as err:
        _undo_defines(made)
        if isinstance(err, AcliError):
            raise
        raise BackendError(f"{names[len(made)]}: {_libvirt_message(err)} (no VM was created)") from None
    return [(d.name(), d.UUIDString()) for d in made]
