"""The objects every host of a cluster holds the same: aCLI networks (with
their IPAM, which lives in the network's definition).

A command changes a network on one host (the first that answers, or the
host of the VM whose NIC took an address); the host notes it
(`Host.network_changed`), and when the command ends, still holding every
host, the definition is copied to the others: defined with the same UUID,
redefined, or deleted. A network new to the cluster that a host refuses is
deleted again everywhere (all or nothing); any other refusal is named, and
the host is brought in line later (`bring_in_line`), as is a host that was
away while the cluster changed.
"""

from __future__ import annotations

from acli.errors import AcliError, BackendError
from acli.hosts.cluster import UP


def copy_changed_networks(cluster) -> None:
    members = [m for m in cluster.members if m.opened and m.state == UP]
    changes = []
    for member in members:
        changed = member.host.networks_changed
        if changed:
            changes.append((member, list(changed)))
        member.host.networks_changed = None
    if not changes:
        return
    cluster.objects_changed = True
    problems = []
    for source, uuids in changes:
        targets = [m for m in members if m is not source]
        for uuid in uuids:
            problems += copy_network(source.host, targets, uuid)
    for member in members:  # the copies noted themselves too
        member.host.networks_changed = None
    if problems:
        raise BackendError("; ".join(problems))


def copy_network(source, targets, uuid: str) -> list[str]:
    """Make `uuid` on every target what it is on `source`; the problems, as
    one phrase each."""
    from acli.network import networks

    found = networks.find(source, uuid)
    net = found[0] if found else None
    done, problems = [], []
    created = net is not None
    for member in targets:
        host = member.host
        try:
            old = networks.find(host, uuid)
            if old is not None:
                created = False
            if net is None:
                if old is not None:
                    networks.delete(host, old[1])
            elif old is None:
                _make_room(host, net)
                networks.create(host, net)
                done.append(member)
            elif old[0] != net:
                networks.redefine(host, old[0], net)
        except AcliError as err:
            problems.append(f"network {net.name if net else uuid} on host {member.name}: "
                            f"{err.message}")
    if problems and created and net is not None:
        _undo_creation(source, done, uuid)
        problems.append(f"network {net.name} was made on no host (all or nothing)")
    return problems


def _make_room(host, net) -> None:
    """A same-named network with another UUID (one made on a host before it
    joined): it is replaced when no VM uses it, else a Conflict."""
    from acli.errors import Conflict
    from acli.network import netservice, networks

    clash = networks.find(host, net.name)
    if clash is None:
        return
    if netservice.nics_on(host, clash[0]):
        raise Conflict(f"it has a network {net.name} of its own (UUID {clash[0].uuid}) "
                       "that VMs use")
    networks.delete(host, clash[1])


def _undo_creation(source, done, uuid: str) -> None:
    from acli.network import networks

    for host in [source] + [member.host for member in done]:
        try:
            found = networks.find(host, uuid)
            if found is not None:
                networks.delete(host, found[1])
        except AcliError:
            pass  # the error already names the network


def bring_in_line(reference, member) -> list[str]:
    """Make `member`'s networks those of `reference` (a host that was away
    while the cluster changed, or one just made): the problems, if any."""
    from acli.network import networks

    want = {net.uuid for net, _ in networks.all_networks(reference.host)}
    have = {net.uuid for net, _ in networks.all_networks(member.host)}
    problems = []
    for uuid in sorted(want | have):
        problems += copy_network(reference.host, [member], uuid)
    member.host.networks_changed = None
    reference.host.networks_changed = None
    return problems


# a host that was away ------------------------------------------------------------
#
# Every change to what all hosts hold (a network copied, a VM group or the HA
# settings written) ends by raising the cluster generation on every
# answering host (settings.GENERATION). A changing command first compares the
# hosts' generations: one behind was away while the cluster changed, and
# takes the networks and the cluster-wide settings of a host that is not.

def raise_generation(members) -> None:
    from acli.cluster import settings

    found = [settings.generation(settings.read(m.host)) for m in members]
    top = str(max(found, default=0) + 1)
    for member in members:
        settings.write(member.host, {settings.GENERATION: top})


def catch_up(members) -> list[str]:
    """Bring every member behind the others in line; what could not be, as
    phrases (the command goes on: the next one tries again)."""
    from acli.cluster import settings

    if len(members) < 2:
        return []
    seen = [(m, settings.read(m.host)) for m in members]
    top = max(settings.generation(found) for _m, found in seen)
    reference = next((m, found) for m, found in seen if settings.generation(found) == top)
    problems = []
    for member, found in seen:
        if settings.generation(found) == top:
            continue
        problems += bring_in_line(reference[0], member)
        shared = {k: v for k, v in reference[1].items() if _is_cluster_wide(k)}
        gone = {k: None for k in found if _is_cluster_wide(k) and k not in shared}
        settings.write(member.host, {**gone, **shared, settings.GENERATION: str(top)})
    return problems


def _is_cluster_wide(key: str) -> bool:
    from acli.cluster import settings

    return key.startswith(settings.VM_GROUP_PREFIX) or key == "acli-ha"
