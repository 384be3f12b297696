"""Maintenance mode: a host's VMs leave it by live migration, and it takes
no VMs until it leaves maintenance again.

The state is the host's own setting (`acli-node-state` in its OVSDB,
settings.py): kEnteringMaintenanceMode while its VMs move (placement
already avoids it), kEnteredMaintenanceMode when it is empty, and back to
kAcropolisNormal on exit, or when entering fails. VMs that are off stay
defined where they are (they use nothing of the host).

A running VM that cannot move (the host's own CPU, an affinity to this host
only, no room or rule allowing another host) is handled as
non_migratable_vm_action says: kBlock refuses the whole request before
anything moves; kAcpiShutdown asks its guest to shut down.
"""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET

import libvirt

from acli.cluster import migration, placement, settings
from acli.cluster.vms import every
from acli.errors import AcliError, InvalidState
from acli.hosts import tasks

MIGRATE = "migrate"
SHUTDOWN = "shut down"
BLOCKS = "blocks"
STAYS_OFF = "stays (off)"
SHUTDOWN_WAIT = 120  # seconds a guest may take to shut down


def plan(cluster, member, action: str) -> list[tuple]:
    """(located VM, what happens, destination or reason) for each VM of the host."""
    from acli.cluster import affinity

    if cluster.single:
        loads = []
    else:
        loads = [load for load in placement.loads(cluster) if load.member is not member]
    from acli.names import natural_key

    out = []
    for vm in sorted(every(cluster), key=lambda vm: natural_key(vm.name)):
        if vm.member is not member:
            continue
        dom = member.host.conn.lookupByUUIDString(vm.uuid)
        if not dom.isActive():
            out.append((vm, STAYS_OFF, None))
            continue
        root = ET.fromstring(dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE))
        from acli.vms.spec import spec_from_xml

        memory = spec_from_xml(root).memory_mb
        try:
            if not loads:
                raise InvalidState("no other host can take it")
            reason = migration.refusal(dom, root, None, True)
            if reason:
                raise InvalidState(reason)
            chosen = placement.choose(cluster, vm.uuid, memory, affinity.hosts_in_xml(root),
                                      exclude=member, host_loads=loads)
            chosen.used_mb += memory  # the next VM sees this one there
            chosen.running.add(vm.uuid)
            out.append((vm, MIGRATE, chosen.member.name))
        except InvalidState as err:
            out.append((vm, SHUTDOWN if action == "kAcpiShutdown" else BLOCKS, err.message))
    return out


def enter(cluster, member, action: str) -> list[tuple[str, str, str | None]]:
    """Empty the host and mark it; (VM name, what was done, error) for each VM."""
    steps = plan(cluster, member, action)
    blocked = [(vm, why) for vm, what, why in steps if what == BLOCKS]
    if blocked:
        said = "; ".join(f"{vm.name}: {why}" for vm, why in blocked[:5])
        raise InvalidState(f"host {member.name} cannot enter maintenance mode, nothing was "
                           f"changed: {said} (non_migratable_vm_action=kAcpiShutdown shuts "
                           "such VMs down)")
    settings.write(member.host, {settings.NODE_STATE: settings.ENTERING})
    report, failed = [], False
    for vm, what, target in steps:
        if what == STAYS_OFF:
            continue
        try:
            dom = member.host.conn.lookupByUUIDString(vm.uuid)
            if what == MIGRATE:
                dest = cluster.named(target)
                with tasks.run(member.host, tasks.VM_MIGRATE, vm.name, "kVM", vm.name, vm.uuid):
                    migration.move(member.host, dom, dest.host, live=True)
                report.append((vm.name, f"migrated to {target}", None))
            else:
                _shut_down(member.host, dom)
                report.append((vm.name, "shut down", None))
        except AcliError as err:
            failed = True
            report.append((vm.name, what, err.message))
        except libvirt.libvirtError as err:
            from acli.hosts.libvirt_errors import translate

            failed = True
            report.append((vm.name, what, translate(err).message))
    final = settings.NORMAL if failed else settings.ENTERED
    settings.write(member.host, {settings.NODE_STATE: final})
    if failed:
        report.append((member.name, "stays out of maintenance mode",
                       "not every VM could leave it"))
    return report


def _shut_down(host, dom) -> None:
    from acli.vms.power import power

    power(host, dom, "shutdown")
    deadline = time.monotonic() + SHUTDOWN_WAIT
    while dom.isActive():
        if time.monotonic() > deadline:
            raise InvalidState(f"its guest did not shut down within {SHUTDOWN_WAIT} s")
        time.sleep(0.5)


def exit(member) -> None:
    state = settings.node_state(settings.read(member.host))
    if state == settings.NORMAL:
        raise InvalidState(f"host {member.name} is not in maintenance mode")
    settings.write(member.host, {settings.NODE_STATE: settings.NORMAL})
