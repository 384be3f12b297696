"""VM groups (`vm_group.*`): named sets of VMs, with anti-affinity (no two
running members on one host). A group is a cluster setting
(acli/cluster/settings.py): JSON under `acli-vm-group.<UUID>` in every
host's OVSDB, written on every answering host (a write that fails on one
is undone on those before), read from the first that answers.
"""

from __future__ import annotations

import json
import uuid as uuidlib

from acli.cluster import settings
from acli.errors import Conflict
from acli.selection import Kind, select_one
from acli.selection import select as select_entities


class Group:
    __slots__ = ("uuid", "name", "vms", "anti_affinity")

    def __init__(self, uuid: str, name: str, vms: list[str], anti_affinity: bool):
        self.uuid = uuid
        self.name = name
        self.vms = vms  # VM UUIDs
        self.anti_affinity = anti_affinity

    def to_json(self) -> str:
        return json.dumps({"name": self.name, "vms": self.vms,
                           "anti_affinity": self.anti_affinity}, sort_keys=True)


def all_groups(cluster) -> list[Group]:
    found = []
    for key, value in settings.read(cluster.first().host).items():
        if key.startswith(settings.VM_GROUP_PREFIX):
            try:
                data = json.loads(value)
                found.append(Group(key[len(settings.VM_GROUP_PREFIX):], data["name"],
                                   list(data.get("vms", [])), bool(data.get("anti_affinity"))))
            except (ValueError, KeyError, TypeError):
                continue  # not one of ours to read: left as it is
    from acli.names import natural_key

    return sorted(found, key=lambda g: natural_key(g.name))


GROUPS = Kind("VM group", all_groups, name=lambda g: g.name, uuid=lambda g: g.uuid)


def lookup(cluster, ref: str) -> Group:
    return select_one(GROUPS, cluster, ref)


def select(cluster, patterns) -> list[Group]:
    return select_entities(GROUPS, cluster, patterns)


def store(cluster, group: Group | None, uuid: str | None = None) -> None:
    """Write `group` (None: delete `uuid`) on every answering host, all or nothing."""
    key = settings.VM_GROUP_PREFIX + (group.uuid if group else uuid)
    settings.write_everywhere(cluster, key, group.to_json() if group else None, "the VM group")


def create(cluster, name: str) -> Group:
    if any(g.name == name for g in all_groups(cluster)):
        raise Conflict(f"VM group name already exists: {name}")
    group = Group(str(uuidlib.uuid4()), name, [], False)
    store(cluster, group)
    return group


def groups_of(cluster, vm_uuid: str) -> list[Group]:
    return [g for g in all_groups(cluster) if vm_uuid in g.vms]
