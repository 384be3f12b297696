"""VMs across the hosts of a cluster: one listing a host, asked of all at
once, and selection over the union (names, UUIDs, globs, `name:uuid`, and
aCLI's `Unknown name: X`, as on one host)."""

from __future__ import annotations

from operator import itemgetter

from acli.errors import AcliError, Conflict
from acli.names import natural_key
from acli.selection import Kind
from acli.selection import select as select_entities


class Located(tuple):
    """(name, uuid, member): a VM and the cluster member holding it."""

    __slots__ = ()
    name = property(itemgetter(0))
    uuid = property(itemgetter(1))
    member = property(itemgetter(2))


def _names_and_uuids(host):
    # name() and UUIDString() are read off the handles: one call a host
    return [(dom.name(), dom.UUIDString()) for dom in host.conn.listAllDomains()]


def every(cluster) -> list[Located]:
    """Every VM of every answering host; a host whose listing fails is an
    error (a VM could hide there), one that does not answer is skipped."""
    found = []
    for member, result in cluster.each(_names_and_uuids, cluster.answering()):
        if isinstance(result, AcliError):
            raise result
        if isinstance(result, BaseException):
            raise result
        found.extend(Located((name, uuid, member)) for name, uuid in result)
    return found


CLUSTER_VMS = Kind("VM", every, name=itemgetter(0), uuid=itemgetter(1),
                   owner=lambda vm: vm.member.name, order=lambda vm: natural_key(vm.name))


def locate(cluster, patterns) -> list[Located]:
    """The VMs `patterns` name, in order, each once, with their hosts."""
    return select_entities(CLUSTER_VMS, cluster, patterns)


def refuse_taken(cluster, names) -> None:
    """Conflict if any of `names` is a VM's on any host: names are unique
    across the cluster."""
    wanted = set(names)
    taken = sorted({vm.name for vm in every(cluster) if vm.name in wanted})
    if taken:
        raise Conflict(f"VM name already exists: {', '.join(taken)}")
