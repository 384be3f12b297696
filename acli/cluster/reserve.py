"""HA's settings and its reserve: `num_host_failures_to_tolerate` and
`enable_failover` (`acli-ha`, JSON, in every host's OVSDB, as the cluster's
other settings), and admission control: whatever would put a VM on a host
is refused when the other hosts' free memory could not take the running
VMs of the N most loaded hosts. Placement (placement.py) asks here; the
watcher's side is ha.py. See docs/ha.md.
"""

from __future__ import annotations

import json

from acli.cluster import settings
from acli.errors import InvalidState

HA_KEY = "acli-ha"
DEFAULT = {"num_host_failures_to_tolerate": 0, "enable_failover": True}


# settings -------------------------------------------------------------------

def read_settings(cluster) -> dict:
    raw = settings.read(cluster.first().host).get(HA_KEY)
    found = dict(DEFAULT)
    if raw:
        try:
            found.update(json.loads(raw))
        except ValueError:
            pass  # not ours to read: the defaults
    return found


def write_settings(cluster, values: dict) -> None:
    """On every answering host; a failure undoes the hosts before."""
    settings.write_everywhere(cluster, HA_KEY, json.dumps(values, sort_keys=True),
                              "the HA settings")


# admission control ---------------------------------------------------------------

def shortfall(loads, tolerate: int) -> int:
    """MB the hosts lack to restart the running VMs of the `tolerate` most
    loaded schedulable hosts on the others (0: none lacking). Memory is
    counted as one pool a host: a simplification (a VM needs its memory on
    one host) that docs/ha.md states."""
    hosts = sorted((h for h in loads if h.schedulable), key=lambda h: h.used_mb, reverse=True)
    if tolerate <= 0:
        return 0
    if len(hosts) <= tolerate:  # no host would be left to restart them on
        return sum(h.used_mb for h in hosts)
    need = sum(h.used_mb for h in hosts[:tolerate])
    have = sum(max(0, h.free_mb) for h in hosts[tolerate:])
    return max(0, need - have)


def check_admission(cluster, loads, tolerate: int, what: str) -> None:
    missing = shortfall(loads, tolerate)
    if missing:
        raise InvalidState(f"{what} would leave too little memory to restart the VMs of "
                           f"{tolerate} failed host{'s' if tolerate > 1 else ''} "
                           f"(num_host_failures_to_tolerate={tolerate}): {missing} MB missing")


def tolerate(cluster) -> int:
    if cluster.single:
        return 0
    return int(read_settings(cluster).get("num_host_failures_to_tolerate") or 0)
