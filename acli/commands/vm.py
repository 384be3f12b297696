"""vm.*: VM lifecycle commands."""

from __future__ import annotations

import importlib

from acli.commands.common import MIB, VM, VMS, vm_of
from acli.commands.table import REQUIRED, command, keyword, positional
from acli.commands.types import (Bool, EntityRef, Enum, Int, KeyValues, ListOf, Mac, Name, NewNames,
                                 Size, Str)
from acli.limits import MAX_NEW_NAMES
from acli.names import check_vm_name
from acli.output.results import Record, Records, Table, Task, Tasks
# QEMU wants whole MiB; below 16 MiB nothing boots, above 16 TiB no host has it.
MEMORY = Size(bare_unit="M", minimum=16 * MIB, maximum=16 << 40, multiple=MIB)

DISK_ADDR = Str()
DISK_ADDR.shape = "BUS.INDEX"

_SHAPE = (
    keyword("memory", MEMORY, "memory, e.g. 2G or 4096M (a bare number is MiB)", 2 << 30),
    keyword("num_vcpus", Int(1, 240), "number of vCPU sockets", 1),
    keyword("num_cores_per_vcpu", Int(1, 64), "cores per vCPU socket", 1),
    keyword("num_threads_per_core", Int(1, 8), "threads per core", 1),
)


_MODULES: dict = {}


def _vms(name: str = "service"):
    """acli.vms.<name>, imported on first use (help and completion never need it)."""
    module = _MODULES.get(name)
    if module is None:
        module = _MODULES[name] = importlib.import_module(f"acli.vms.{name}")
    return module


@command("vm.create", "Create one or more VMs (powered off).",
         positional("vm_list", NewNames("VM", check_vm_name),
                    'names of the new VMs; web[01..12] makes twelve, "Prism Central" one with a '
                    f'blank (at most {MAX_NEW_NAMES:,})'),
         *_SHAPE,
         keyword("machine_type", Enum("pc", "q35"), "QEMU machine type", "pc"),
         keyword("uefi_boot", Bool(), "boot with UEFI firmware instead of BIOS", False),
         keyword("description", Str(), "free text shown by vm.get"),
         keyword("annotation", Str(), "the same as description"),
         keyword("cpu_passthrough", Bool(), "give the VMs the host's own CPU (they cannot "
                 "live-migrate then)", False),
         keyword("ha_priority", Int(-1, 1000), "restart order after a host fails (higher "
                 "first; -1: never restarted)"),
         mutates=True, scope="cluster")
def vm_create(ctx, vm_list, memory, num_vcpus, num_cores_per_vcpu, num_threads_per_core,
              machine_type, uefi_boot, description, annotation, cpu_passthrough, ha_priority):
    from acli.vms.spec import VmSpec

    host, cpu_model = ctx.host, ""
    if not ctx.cluster.single:  # defined where most memory is free; vm.on may move it
        from acli.cluster.cpu import baseline
        from acli.cluster.placement import choose

        host = choose(ctx.cluster, "", 0, []).member.host
        cpu_model = "" if cpu_passthrough else baseline(ctx.cluster)

    spec = VmSpec(name="", memory_mb=memory // MIB, num_vcpus=num_vcpus,
                  num_cores_per_vcpu=num_cores_per_vcpu, num_threads_per_core=num_threads_per_core,
                  machine_type=machine_type, uefi_boot=uefi_boot,
                  description=description if description is not None else annotation,
                  cpu_passthrough=cpu_passthrough, cpu_model=cpu_model)
    made = _vms().create(host, vm_list, spec)
    if ha_priority is not None:
        from acli.cluster.ha import set_priority

        for _name, uuid in made:
            set_priority(host.conn.lookupByUUIDString(uuid), ha_priority)
    return Tasks([Task(name, uuid=uuid) for name, uuid in made])


@command("vm.list", "List VMs.",
         keyword("power_state", Enum("on", "off", "paused", "suspended"), "only VMs in this state"),
         scope="cluster")
def vm_list(ctx, power_state):
    listing = _vms("listing")
    if ctx.cluster.single:
        rows = [list(row) for row in listing.list_vms(ctx.host, power_state)]
    else:  # every host at once; one listing's calls on each
        from acli.names import natural_key

        rows, notes = [], []
        cluster = ctx.cluster
        for member, found in cluster.each(lambda host: listing.list_vms(host, power_state)):
            if isinstance(found, BaseException):
                notes.append(f"host {member.name}: {getattr(found, 'message', found)}; "
                             "its VMs are not listed")
                continue
            rows.extend(list(row) for row in found)
        notes += [f"host {m.name} does not answer ({m.reason}): its VMs are not listed"
                  for m in cluster.members if m.state != "up"]
        rows.sort(key=lambda row: natural_key(row[0]))
        return Table(["VM name", "VM UUID"], ["name", "uuid"], rows, notes)
    return Table(["VM name", "VM UUID"], ["name", "uuid"], rows)


@command("vm.get", "Show the configuration and state of VMs.",
         positional("vm_list", VMS, "VMs by name, UUID or glob"),
         keyword("include_vmdisk_paths", Bool(), "show each disk's file (vmdisk_nfs_path)", False))
def vm_get(ctx, vm_list, include_vmdisk_paths):
    from acli.vms.fields import vm_fields

    records = []
    where = None if ctx.cluster.single else ctx.host.info()  # in a cluster: the VM's host
    for fields, definition in vm_fields(ctx.host, _vms().select(ctx.host, vm_list)):
        if where is not None:
            fields["host_name"], fields["host_uuid"] = where.name, where.uuid
            fields = dict(sorted(fields.items()))
        if include_vmdisk_paths:
            from acli.storage.records import add_vmdisk_paths

            add_vmdisk_paths(definition.root, fields)
        records.append(Record(fields["config"]["name"], fields, fields["uuid"]))
    return Records(records)


@command("vm.update", "Change a VM's settings.",
         positional("vm_list", VMS, "VMs by name, UUID or glob"),
         keyword("memory", MEMORY, "new memory size"),
         keyword("num_vcpus", Int(1, 240), "new number of vCPU sockets"),
         keyword("num_cores_per_vcpu", Int(1, 64), "new cores per vCPU socket"),
         keyword("num_threads_per_core", Int(1, 8), "new threads per core"),
         keyword("name", Name(check_vm_name), "new name (one VM only)"),
         keyword("description", Str(), "new description"),
         keyword("annotation", Str(), "the same as description"),
         keyword("cpu_passthrough", Bool(), "the host's own CPU (true: no live migration), "
                 "or back to the cluster's baseline CPU (false)"),
         keyword("ha_priority", Int(-1, 1000), "restart order after a host fails (higher "
                 "first; -1: never restarted)"),
         keyword("agent_vm", Bool(), "an agent VM (AHV: stays on its host in maintenance)"),
         keyword("extra_flags", KeyValues(), "flags to set (key=value;...); key= removes one"),
         mutates=True)
def vm_update(ctx, vm_list, memory, num_vcpus, num_cores_per_vcpu, num_threads_per_core, name,
              description, annotation, cpu_passthrough, ha_priority, agent_vm, extra_flags):
    from acli.errors import UsageError

    doms = _vms().select(ctx.host, vm_list)
    if name is not None:
        if len(doms) > 1:
            raise UsageError("name= renames one VM; the selection matched several")
    changes = dict(memory_mb=memory // MIB if memory else None, num_vcpus=num_vcpus,
                   num_cores_per_vcpu=num_cores_per_vcpu, num_threads_per_core=num_threads_per_core,
                   name=name, description=description if description is not None else annotation,
                   cpu_passthrough=cpu_passthrough, agent_vm=agent_vm, extra_flags=extra_flags)
    if ha_priority is not None:  # metadata only: any VM, on or off
        from acli.cluster.ha import set_priority

        if all(v is None for v in changes.values()):
            return ctx.each(doms, lambda dom: set_priority(dom, ha_priority))
        for dom in doms:
            set_priority(dom, ha_priority)
    if all(v is None for v in changes.values()):
        raise UsageError("vm.update: nothing to change (give memory, num_vcpus, name, ...)")
    if cpu_passthrough is False and not ctx.cluster.single:
        from acli.cluster.cpu import baseline

        changes["cpu_model"] = baseline(ctx.cluster)
    return ctx.each(doms, lambda dom: _vms().update(ctx.host, dom, **changes))


@command("vm.update_boot_device", "Choose the device a VM boots from (a disk, CD-ROM or NIC), "
         "and the order of the rest.",
         positional("vm", VM, "the VM's name or UUID"),
         keyword("disk_addr", DISK_ADDR, "boot from this disk or CD-ROM, e.g. scsi.0 or ide.0"),
         keyword("mac_addr", Mac(), "boot from this NIC (PXE)"),
         keyword("boot_device_order", ListOf(Enum("kCdrom", "kDisk", "kNetwork")),
                 "device classes tried after it (default kCdrom,kDisk,kNetwork)"),
         mutates=True)
def vm_update_boot_device(ctx, vm, disk_addr, mac_addr, boot_device_order):
    from acli.errors import UsageError
    from acli.vms import boot

    if disk_addr is not None and mac_addr is not None:
        raise UsageError("give disk_addr or mac_addr, not both (one device boots first)")
    if disk_addr is None and mac_addr is None and boot_device_order is None:
        raise UsageError("vm.update_boot_device: nothing to change "
                         "(give disk_addr, mac_addr or boot_device_order)")
    pick = None
    if disk_addr is not None:
        from acli.storage.disks import find_disk, parse_addr

        bus, index = parse_addr(disk_addr)
        pick = lambda root: find_disk(root, bus, index, dom.name()).element  # noqa: E731
    elif mac_addr is not None:
        pick = lambda root: _nic_element(root, dom, mac_addr)  # noqa: E731
    dom = vm_of(ctx, vm)
    boot.update(ctx.host, dom, pick, boot_device_order)
    return Tasks([Task(dom.name(), uuid=dom.UUIDString())])


def _nic_element(root, dom, mac: str):
    from acli.errors import NotFound
    from acli.network.nics import find

    el = find(root, mac)
    if el is None:
        raise NotFound(f"{dom.name()} has no NIC {mac}")
    return el


def _power_command(action: str, summary: str):
    @command(f"vm.{action}", summary, positional("vm_list", VMS, "VMs by name, UUID or glob"),
             mutates=True)
    def handler(ctx, vm_list):
        power, host = _vms("power"), ctx.host
        doms = _vms().select(host, vm_list)
        return ctx.each(doms, lambda dom: power.power(host, dom, action))

    handler.__name__ = f"vm_{action}"
    return handler


@command("vm.on", "Power VMs on (in a cluster: where placement or host= says).",
         positional("vm_list", VMS, "VMs by name, UUID or glob"),
         keyword("host", Str(), "the host to start them on (default: theirs, if it may run "
                 "them, else the one placement picks)"),
         mutates=True)
def vm_on(ctx, vm_list, host):
    power, here = _vms("power"), ctx.host
    doms = _vms().select(here, vm_list)
    if host is None and ctx.cluster.single:
        return ctx.each(doms, lambda dom: power.power(here, dom, "on"))
    from acli.cluster.vmplace import place_for_power_on

    def on(dom):
        where, placed = place_for_power_on(ctx.cluster, here, dom, host)
        power.power(where, placed, "on")

    return ctx.each(doms, on)


for _action, _summary in (
    ("off", "Power VMs off at once (like pulling the plug)."),
    ("shutdown", "Ask VMs' guests to shut down (ACPI); returns when the request is sent."),
    ("reboot", "Ask VMs' guests to reboot (ACPI)."),
    ("guest_reboot", "Reboot VMs through their guest agent."),
    ("reset", "Reset VMs at once (like the reset button)."),
    ("pause", "Pause running VMs."),
    ("resume", "Resume paused VMs."),
    ("power_cycle", "Power VMs off at once, then on again."),
    ("force_off", "Power VMs off at once, whatever they are doing (libvirt destroy)."),
):
    _power_command(_action, _summary)


@command("vm.delete", "Delete VMs (asks first; -y skips the question).",
         positional("vm_list", VMS, "VMs by name, UUID or glob"),
         keyword("delete_snapshots", Bool(), "delete the VMs' snapshots with them; false refuses "
                 "VMs that have any (a snapshot cannot outlive its VM here)"),
         mutates=True)
def vm_delete(ctx, vm_list, delete_snapshots):
    service, host = _vms(), ctx.host
    doms = service.select(host, vm_list)
    if delete_snapshots is False:  # checked for all before any goes: all or nothing
        service.refuse_snapshots(host, doms)
    ctx.confirm(f"Delete {len(doms)} VMs?")
    return ctx.each(doms, lambda dom: service.delete(host, dom))


@command("vm.clone", "Make new VMs as copies of an existing one, or of a snapshot.",
         positional("vm_list", NewNames("VM", check_vm_name),
                    f"names of the new VMs; copy[1..3] makes three (at most {MAX_NEW_NAMES:,})"),
         keyword("clone_from_vm", EntityRef("vm"), "the VM to copy"),
         keyword("clone_from_snapshot", EntityRef("snapshot"), "the snapshot to copy (name or ID)"),
         keyword("memory", MEMORY, "memory of the copies (default: the source's)"),
         keyword("num_vcpus", Int(1, 240), "vCPU sockets of the copies (default: the source's)"),
         mutates=True)
def vm_clone(ctx, vm_list, clone_from_vm, clone_from_snapshot, memory, num_vcpus):
    from acli.errors import UsageError
    from acli.storage import diskcopy, snapshots

    if clone_from_vm is None and clone_from_snapshot is None:
        raise UsageError("Missing argument: clone_from_vm or clone_from_snapshot (vm.clone takes one)")
    if clone_from_vm is not None and clone_from_snapshot is not None:
        raise UsageError("give clone_from_vm or clone_from_snapshot, not both")
    memory_mb = memory // MIB if memory else None
    if clone_from_snapshot is not None:
        snap = snapshots.lookup(ctx.host, clone_from_snapshot)
        made = snapshots.clone(ctx.host, snap, vm_list, memory_mb=memory_mb, num_vcpus=num_vcpus)
    else:
        source = _vms().lookup(ctx.host, clone_from_vm)
        with diskcopy.undo_on_failure():  # the clones' disk volumes, if defining fails
            made = _vms().clone(ctx.host, source, vm_list, memory_mb=memory_mb, num_vcpus=num_vcpus)
    return Tasks([Task(name, uuid=uuid) for name, uuid in made])


@command("vm.restore", "Bring a VM back to one of its snapshots.",
         positional("vm", VM, "the VM's name or UUID"),
         keyword("snapshot_name", EntityRef("snapshot"), "the snapshot's name or ID", REQUIRED),
         mutates=True)
def vm_restore(ctx, vm, snapshot_name):
    from acli.storage import snapshots

    dom = vm_of(ctx, vm)
    snap = snapshots.lookup(ctx.host, snapshot_name, dom)
    snapshots.restore(ctx.host, dom, snap)
    return Tasks([Task(dom.name(), uuid=dom.UUIDString())])


# The cluster: where VMs run ---------------------------------------------------

@command("vm.migrate", "Move running VMs to another host of the cluster (live by default).",
         positional("vm_list", VMS, "VMs by name, UUID or glob"),
         keyword("host", Str(), "the host to move to (default: placement picks one per VM)"),
         keyword("live", Bool(), "move the running guest without stopping it", True),
         keyword("bandwidth_mbps", Int(1, 1_000_000), "most bandwidth the migration may use, Mb/s"),
         mutates=True, scope="cluster")
def vm_migrate(ctx, vm_list, host, live, bandwidth_mbps):
    from acli.cluster import vmplace

    moved = vmplace.migrate(ctx.cluster, vm_list, host, live, bandwidth_mbps)
    return Tasks([Task(name, error, None if error else uuid) for name, uuid, error in moved])


@command("vm.affinity_set", "Keep VMs on the hosts named (placement, migration and "
         "maintenance follow it).",
         positional("vm_list", VMS, "VMs by name, UUID or glob"),
         keyword("host_list", ListOf(Str()), "the hosts the VMs may run on", REQUIRED),
         mutates=True)
def vm_affinity_set(ctx, vm_list, host_list):
    from acli.cluster import affinity

    names = [ctx.cluster.named(name).name if not ctx.cluster.single else _only_host(ctx, name)
             for name in host_list]
    doms = _vms().select(ctx.host, vm_list)
    return ctx.each(doms, lambda dom: affinity.set_hosts(dom, names))


@command("vm.affinity_unset", "Let VMs run on any host again.",
         positional("vm_list", VMS, "VMs by name, UUID or glob"),
         mutates=True)
def vm_affinity_unset(ctx, vm_list):
    from acli.cluster import affinity

    doms = _vms().select(ctx.host, vm_list)
    return ctx.each(doms, lambda dom: affinity.set_hosts(dom, None))


def _only_host(ctx, text: str) -> str:
    """A cluster of one: `text` must name its host."""
    from acli.errors import NotFound

    info = ctx.host.info()
    if text not in (info.name, info.uuid, info.address):
        raise NotFound(f"Unknown name: {text}")
    return info.name
