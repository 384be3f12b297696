"""The cluster's own settings, kept on the hosts themselves: in each host's
OVSDB, in the external_ids of its Open_vSwitch row, where `ovs-vsctl get
Open_vSwitch . external_ids` shows them and every acli that reaches the
host reads them. No private database.

* `acli-node-state` (a host's own): its maintenance state.
* `acli-cluster-generation` (every host): how many cluster-wide changes the
  host has taken; one behind the others was away, and is brought in line.
* `acli-vm-group.<UUID>` (every host): a VM group, as JSON.
* `acli-ha` (every host): the HA settings, as JSON.

Writes verify the column they read, so two acli processes never lose each
other's change (OVSDB's own compare-and-set).
"""

from __future__ import annotations

NODE_STATE = "acli-node-state"
GENERATION = "acli-cluster-generation"
VM_GROUP_PREFIX = "acli-vm-group."

NORMAL = "kAcropolisNormal"
ENTERING = "kEnteringMaintenanceMode"
ENTERED = "kEnteredMaintenanceMode"
NOT_ANSWERING = "kNotAnswering"


def read(host) -> dict:
    """The host's acli settings (every acli- key of its external_ids)."""
    db = host.ovsdb()
    db.refresh()
    return {k: v for k, v in db.root().external_ids.items() if k.startswith("acli-")}


def write(host, changes: dict) -> None:
    """Set (a value) or remove (None) keys, verified against a concurrent write."""
    def plan(txn, db):
        root = db.root()
        root.verify("external_ids")
        ids = dict(root.external_ids)
        for key, value in changes.items():
            if value is None:
                ids.pop(key, None)
            else:
                ids[key] = value
        root.external_ids = ids

    host.ovsdb().transact(plan, expect_change=False)


def node_state(settings: dict) -> str:
    return settings.get(NODE_STATE, NORMAL)


def generation(settings: dict) -> int:
    try:
        return int(settings.get(GENERATION, "0"))
    except ValueError:
        return 0


def write_everywhere(cluster, key: str, value: str | None, what: str) -> None:
    """Set (or remove: None) one cluster-wide setting on every answering
    host, all or nothing: a host that refuses undoes the hosts before, and
    the error names it and says `what` is unchanged."""
    from acli.errors import AcliError, BackendError

    cluster.objects_changed = True  # the generation follows (objects.py)
    done = []
    for member in cluster.answering():
        try:
            before = read(member.host).get(key)
            write(member.host, {key: value})
            done.append((member, before))
        except AcliError as err:
            for other, old in done:
                try:
                    write(other.host, {key: old})
                except AcliError:
                    pass  # the error below names the host that refused
            raise BackendError(f"host {member.name}: {err.message}; {what} is "
                               "unchanged") from None
