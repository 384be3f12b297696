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

import contextvars
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
AGENT_OFF = "powered off (agent VM)"
AGENTS_KEY = "acli-maintenance-agents"  # the host's agent VMs maintenance powered off
SHUTDOWN_WAIT = 120  # seconds a guest may take to shut down
PARALLEL = 4  # migrations at once during an evacuation (libvirt's own default limit is higher)


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
        from acli.vms import settings as vm_settings
        from acli.vms.spec import spec_from_xml

        if vm_settings.read(root)[0]:  # an agent VM serves its host: off, and on again at exit
            out.append((vm, AGENT_OFF, None))
            continue

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
    _check_reserve(cluster, member, steps)
    agents = [vm.uuid for vm, what, _target in steps if what == AGENT_OFF]
    settings.write(member.host, {settings.NODE_STATE: settings.ENTERING,
                                 AGENTS_KEY: ",".join(agents) or None})
    outcomes = _run(cluster, member, [step for step in steps if step[1] != STAYS_OFF])
    report = [(vm.name, done, error) for (vm, _what, _target), (done, error)
              in zip([s for s in steps if s[1] != STAYS_OFF], outcomes)]
    failed = any(error for _name, _done, error in report)
    final = settings.NORMAL if failed else settings.ENTERED
    settings.write(member.host, {settings.NODE_STATE: final})
    if failed:
        report.append((member.name, "stays out of maintenance mode",
                       "not every VM could leave it"))
    return report


def _check_reserve(cluster, member, steps) -> None:
    """HA admission control: with the host out and its VMs where the plan
    puts them, the others must still be able to restart the VMs of the
    failures the cluster tolerates."""
    from acli.cluster import reserve as ha

    tolerate = ha.tolerate(cluster)
    if not tolerate:
        return
    after = {load.member.name: load for load in placement.loads(cluster)}
    for vm, what, target in steps:
        if what == MIGRATE:
            dom = member.host.conn.lookupByUUIDString(vm.uuid)
            from acli.vms.spec import spec_from_xml

            after[target].used_mb += spec_from_xml(dom.XMLDesc(0)).memory_mb
    after[member.name].node_state = settings.ENTERED
    after[member.name].used_mb = 0
    ha.check_admission(cluster, list(after.values()), tolerate,
                       f"host {member.name} entering maintenance mode")


def _run(cluster, member, steps) -> list[tuple[str, str | None]]:
    """(what was done, error or None) of each step, in order. Where libvirt
    migrates (real hosts), up to PARALLEL migrations run at once: each is
    the source's libvirtd talking to a destination's, and an idle guest's
    migration is mostly waiting, so an evacuation takes a fraction of the
    time the same migrations take one after another."""
    source = member.host
    doms = [source.conn.lookupByUUIDString(vm.uuid) for vm, _what, _target in steps]
    dests = {target: cluster.named(target).host
             for _vm, what, target in steps if what == MIGRATE}
    for dest in dests.values():
        dest.conn  # noqa: B018 - connected here, not raced for by the threads

    def one(index):
        vm, what, target = steps[index]
        try:
            if what == MIGRATE:
                with tasks.run(source, tasks.VM_MIGRATE, vm.name, "kVM", vm.name, vm.uuid):
                    migration.move(source, doms[index], dests[target], live=True)
                return f"migrated to {target}", None
            if what == AGENT_OFF:
                from acli.vms.power import power

                power(source, doms[index], "off")
                return AGENT_OFF, None
            _shut_down(source, doms[index])
            return "shut down", None
        except AcliError as err:
            return what, err.message
        except libvirt.libvirtError as err:
            from acli.hosts.libvirt_errors import translate

            return what, translate(err).message

    if not source.caps.migration or len(steps) < 2:
        return [one(i) for i in range(len(steps))]
    from concurrent.futures import ThreadPoolExecutor

    # each migration runs in a copy of this thread's context, so that its
    # task's pending line reaches the session's listener (acli/tasklines.py)
    contexts = [contextvars.copy_context() for _ in steps]
    with ThreadPoolExecutor(PARALLEL) as pool:
        return list(pool.map(lambda i: contexts[i].run(one, i), range(len(steps))))


def _shut_down(host, dom) -> None:
    from acli.vms.power import power

    power(host, dom, "shutdown")
    deadline = time.monotonic() + SHUTDOWN_WAIT
    while dom.isActive():
        if time.monotonic() > deadline:
            raise InvalidState(f"its guest did not shut down within {SHUTDOWN_WAIT} s")
        time.sleep(0.5)


def exit(member) -> list[str]:
    """Schedulable again; the agent VMs maintenance powered off are powered
    on: the names of those that could not be (why)."""
    from acli.vms.power import power

    found = settings.read(member.host)
    if settings.node_state(found) == settings.NORMAL:
        raise InvalidState(f"host {member.name} is not in maintenance mode")
    settings.write(member.host, {settings.NODE_STATE: settings.NORMAL, AGENTS_KEY: None})
    problems = []
    for uuid in filter(None, (found.get(AGENTS_KEY) or "").split(",")):
        try:
            dom = member.host.conn.lookupByUUIDString(uuid)
            if not dom.isActive():
                power(member.host, dom, "on")
        except (AcliError, libvirt.libvirtError) as err:
            problems.append(f"agent VM {uuid}: {getattr(err, 'message', None) or err}")
    return problems
