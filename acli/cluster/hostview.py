"""What host.list and host.get show of each host: its description, VM
count and maintenance state, asked of every host at once; a host that does
not answer within the cluster's wait is shown as such."""

from __future__ import annotations

from acli.cluster import settings
from acli.hosts.cluster import UP
from acli.plain import Plain


class HostView(Plain):
    __slots__ = ("name", "address", "info", "node_state", "num_vms", "connection", "reason")

    def __init__(self, name, address, info, node_state, num_vms, connection, reason=""):
        self.name = name
        self.address = address
        self.info = info  # hosts.base.HostInfo, None for a host that does not answer
        self.node_state = node_state
        self.num_vms = num_vms
        self.connection = connection
        self.reason = reason

    @property
    def schedulable(self) -> bool:
        return self.info is not None and self.node_state == settings.NORMAL


def _describe(host):
    info = host.info()
    return info, len(host.conn.listAllDomains()), settings.node_state(settings.read(host))


def views(cluster, members=None) -> list[HostView]:
    members = list(members or cluster.members)
    cluster.answering()
    answers = dict((m.name, r) for m, r in cluster.each(_describe, [m for m in members
                                                                  if m.state == UP]))
    out = []
    for member in members:
        result = answers.get(member.name)
        if result is None or isinstance(result, BaseException):
            reason = member.reason or getattr(result, "message", str(result))
            out.append(HostView(member.name, _address_of(member), None, settings.NOT_ANSWERING,
                                0, "down", reason))
            continue
        info, num_vms, state = result
        out.append(HostView(info.name if cluster.single else member.name, info.address, info,
                            state, num_vms, info.kind))
    return out


def _address_of(member) -> str:
    return member.spec.address if member.spec is not None else ""


def fields(view: HostView, cpu_baseline: str = "") -> dict:
    info = view.info
    if info is None:
        return {"name": view.name, "node_state": view.node_state, "schedulable": False,
                "connection": "down", "reason": view.reason}
    return {
        "name": info.name if view.name == info.name else view.name, "uuid": info.uuid,
        "hypervisor_address": info.address, "hypervisor_type": "kKvm",
        "hypervisor_uri": info.uri, "node_state": view.node_state,
        "schedulable": view.schedulable, "cpu_model": info.cpu_model,
        "cpu_frequency_mhz": info.cpu_mhz, "num_cpu_sockets": info.sockets,
        "num_cpu_cores": info.sockets * info.cores, "num_cpu_threads": info.cpus,
        "memory_mb": info.memory_mb, "num_vms": view.num_vms, "sandbox": info.kind == "sandbox",
        **({"cpu_baseline": cpu_baseline} if cpu_baseline else {}),
    }
