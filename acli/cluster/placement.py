"""Which host a VM runs on: a schedulable host (not in maintenance) that
answers, that the VM's affinity allows, where no running VM of one of its
anti-affinity groups is, and with room (memory not yet given to running
VMs); of those, the one with most room. A refusal names the rule that
left no host.
"""

from __future__ import annotations

import libvirt

from acli.cluster import settings
from acli.errors import InvalidState
from acli.plain import Plain


class HostLoad(Plain):
    """What placement knows of one host."""

    __slots__ = ("member", "memory_mb", "used_mb", "running", "node_state", "defined")

    def __init__(self, member, memory_mb: int, used_mb: int, running: set, node_state: str,
                 defined: int):
        self.defined = defined  # VMs defined there, running or not
        self.member = member
        self.memory_mb = memory_mb
        self.used_mb = used_mb
        self.running = running  # UUIDs of its running VMs
        self.node_state = node_state

    @property
    def free_mb(self) -> int:
        return self.memory_mb - self.used_mb

    @property
    def schedulable(self) -> bool:
        return self.node_state == settings.NORMAL


def _load(host):
    info = host.info()
    stats = host.conn.getAllDomainStats(libvirt.VIR_DOMAIN_STATS_BALLOON,
                                        libvirt.VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE)
    used_kib, running = 0, set()
    for dom, values in stats:
        running.add(dom.UUIDString())
        used_kib += values.get("balloon.maximum") or dom.maxMemory()
    state = settings.node_state(settings.read(host))
    defined = len(host.conn.listAllDomains())
    return info.memory_mb, used_kib // 1024, running, state, defined


def loads(cluster) -> list[HostLoad]:
    """Every answering host's load, asked of all at once."""
    out = []
    for member, result in cluster.each(_load, cluster.answering()):
        if isinstance(result, BaseException):
            continue  # stopped answering meanwhile: not a place for a VM
        out.append(HostLoad(member, *result))
    return out


def choose(cluster, vm_uuid: str, memory_mb: int, affinity: list[str], *,
           exclude=None, only=None, host_loads: list[HostLoad] | None = None,
           admission: bool = True) -> HostLoad:
    """The host for a VM of `memory_mb`, or InvalidState saying which rule
    left none. `exclude`: a member it must leave (its own host, when it
    migrates); `only`: the member asked for (host=)."""
    from acli.cluster import groups

    every_load = host_loads or loads(cluster)
    candidates = [h for h in every_load if h.member is not exclude]
    if only is not None:
        candidates = [h for h in candidates if h.member is only]
        if not candidates:
            raise InvalidState(f"host {only.name} does not answer")
    rules = []
    if affinity:
        kept = [h for h in candidates if h.member.name in affinity]
        if not kept:
            rules.append(f"its affinity to {', '.join(affinity)}")
        candidates = kept
    kept = [h for h in candidates if h.schedulable]
    if candidates and not kept:
        names = ", ".join(h.member.name for h in candidates)
        rules.append(f"{names} {'is' if len(candidates) == 1 else 'are'} in maintenance mode")
    candidates = kept
    for group in groups.groups_of(cluster, vm_uuid):
        if not group.anti_affinity:
            continue
        others = set(group.vms) - {vm_uuid}
        kept = [h for h in candidates if not (h.running & others)]
        if candidates and not kept:
            rules.append(f"anti-affinity of VM group {group.name}")
        candidates = kept
    kept = [h for h in candidates if h.free_mb >= memory_mb]
    if candidates and not kept:
        most = max(h.free_mb for h in candidates)
        rules.append(f"no room: it needs {memory_mb} MB, the most free is {most} MB")
    if not kept:
        why = "; ".join(rules) or "no other host answers"
        raise InvalidState(f"no host can take it: {why}")
    if admission and memory_mb:
        kept = _admitted(cluster, kept, every_load, exclude, memory_mb)
    # most room; of hosts with the same, the one with fewest VMs (VMs that
    # are off use no memory, but should not all gather on one host)
    return max(kept, key=lambda h: (h.free_mb, -h.defined))


def _admitted(cluster, kept, every_load, leaving, memory_mb: int) -> list:
    """The candidates where the VM leaves HA's reserve whole (ha.py): the
    VM's memory added there (and taken from the host it leaves)."""
    from acli.cluster import reserve as ha

    tolerate = ha.tolerate(cluster)
    if not tolerate:
        return kept
    admitted, missing = [], 0
    for candidate in kept:
        after = [_with(h, memory_mb if h is candidate else
                       -memory_mb if leaving is not None and h.member is leaving else 0)
                 for h in every_load]
        short = ha.shortfall(after, tolerate)
        if not short:
            admitted.append(candidate)
        missing = short if not missing else min(missing, short)
    if not admitted:
        raise InvalidState(f"no host can take it: HA admission control: it would leave too "
                           f"little memory to restart the VMs of {tolerate} failed "
                           f"host{'s' if tolerate > 1 else ''} "
                           f"(num_host_failures_to_tolerate={tolerate}): {missing} MB missing")
    return admitted


def _with(load: HostLoad, extra_mb: int) -> HostLoad:
    return HostLoad(load.member, load.memory_mb, load.used_mb + extra_mb, load.running,
                    load.node_state, load.defined)
