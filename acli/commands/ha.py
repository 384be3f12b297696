"""ha.*: the cluster's high-availability settings (acli/cluster/ha.py; the
watcher that acts on them is `acli-ha`, acli/ha_agent.py)."""

from __future__ import annotations

from acli.commands.table import command, keyword
from acli.commands.types import Bool, Int
from acli.output.results import Record, Records, Task, Tasks

RESERVATION = "kAcropolisHAReserveHosts"


def _record(cluster) -> Records:
    from acli.cluster import placement
    from acli.cluster import reserve as ha

    values = ha.read_settings(cluster)
    tolerate = int(values["num_host_failures_to_tolerate"])
    missing = ha.shortfall(placement.loads(cluster), tolerate) if not cluster.single else 0
    fields = {
        "enable_failover": bool(values["enable_failover"]),
        "ha_state": "kOk" if not missing else "kUnderProvisioned",
        "num_host_failures_to_tolerate": tolerate,
        "reservation_type": RESERVATION,
    }
    if missing:
        fields["memory_missing_mb"] = missing
    return Records([Record("ha", fields, "ha")])


@command("ha.get", "Show the cluster's high-availability settings and whether they hold.",
         scope="cluster")
def ha_get(ctx):
    return _record(ctx.cluster)


@command("ha.update", "Change the cluster's high-availability settings.",
         keyword("num_host_failures_to_tolerate", Int(0, 31),
                 "host failures whose VMs the others must be able to restart"),
         keyword("enable_failover", Bool(), "restart a failed host's VMs on the others"),
         mutates=True, scope="cluster")
def ha_update(ctx, num_host_failures_to_tolerate, enable_failover):
    from acli.cluster import reserve as ha
    from acli.errors import InvalidState, UsageError

    if num_host_failures_to_tolerate is None and enable_failover is None:
        raise UsageError("ha.update: nothing to change (give num_host_failures_to_tolerate or "
                         "enable_failover)")
    values = ha.read_settings(ctx.cluster)
    if num_host_failures_to_tolerate is not None:
        hosts = len(ctx.cluster.members)
        if num_host_failures_to_tolerate >= hosts:
            raise InvalidState(f"num_host_failures_to_tolerate={num_host_failures_to_tolerate}: "
                               f"the cluster has {hosts} host{'s' if hosts > 1 else ''}; at most "
                               f"{hosts - 1} can fail with one left")
        values["num_host_failures_to_tolerate"] = num_host_failures_to_tolerate
    if enable_failover is not None:
        values["enable_failover"] = enable_failover
    ha.write_settings(ctx.cluster, values)
    return Tasks([Task("ha", None)])
