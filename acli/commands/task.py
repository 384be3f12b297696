"""task.*: the operations that take time (migrations, uploads, snapshots,
disk copies), while they run and after; each host keeps its own
(acli/hosts/tasks.py), and a cluster's are asked of every host at once."""

from __future__ import annotations

from acli.commands.table import REQUIRED, command, keyword, positional
from acli.commands.types import Bool, Enum, ListOf, Str
from acli.hosts.tasks import OPERATION_TYPES
from acli.output.results import Record, Records, Table

_COLUMNS = ["Task UUID", "Parent Task UUID", "Component", "Sequence-id", "Type", "Status"]
_KEYS = ["uuid", "parent_task_uuid", "component", "sequence_id", "operation_type", "status"]
COMPONENT = "Acropolis"  # what aCLI's tasks of VMs, images and snapshots say


def _gathered(ctx) -> tuple[list[tuple[str, dict]], list[str]]:
    """(host name, record) of every host's tasks, oldest first, and a note
    for each host that did not answer."""
    from acli.hosts import tasks

    found, notes = [], []
    for member, answer in ctx.cluster.each(tasks.read):
        if isinstance(answer, BaseException):
            if not isinstance(answer, Exception):
                raise answer  # an interrupt
            reason = getattr(answer, "message", None) or str(answer)
            notes.append(f"host {member.name}: {reason}; its tasks are not listed")
            continue
        found += [(member.name, record) for record in answer]
    notes += [f"host {m.name} does not answer ({m.reason}): its tasks are not listed"
              for m in ctx.cluster.members if m.state != "up"]
    found.sort(key=lambda pair: (pair[1].get("create_time", 0), pair[0],
                                 pair[1].get("sequence_id", 0)))
    return found, notes


@command("task.list", "List the tasks of operations that take time (running and recent).",
         keyword("operation_type_list", ListOf(Enum(*OPERATION_TYPES)),
                 "only tasks of these types, e.g. kVmMigrate,kImageCreate"),
         keyword("include_completed", Bool(), "list finished tasks too", True),
         scope="cluster")
def task_list(ctx, operation_type_list, include_completed):
    from acli.hosts.tasks import FINISHED

    found, notes = _gathered(ctx)
    rows = []
    for _, record in found:
        if operation_type_list and record.get("operation_type") not in operation_type_list:
            continue
        if not include_completed and record.get("status") in FINISHED:
            continue
        rows.append([record["uuid"], "", COMPONENT, record.get("sequence_id", ""),
                     record.get("operation_type", ""), record.get("status", "")])
    return Table(_COLUMNS, _KEYS, rows, notes=notes)


def _usecs(seconds) -> int | None:
    return None if seconds is None else int(seconds * 1_000_000)


def task_fields(host_name: str, record: dict) -> dict:
    """A task's record as task.get shows it (aCLI's keys and units)."""
    entity = record.get("entity") or {}
    fields = {
        "uuid": record["uuid"],
        "operation_type": record.get("operation_type", ""),
        "status": record.get("status", ""),
        "component": COMPONENT,
        "sequence_id": record.get("sequence_id"),
        "entity_list": {"entity_type": entity.get("type"), "entity_id": entity.get("uuid"),
                        "entity_name": entity.get("name")},
        "percentage_complete": record.get("percentage_complete"),
        "create_time_usecs": _usecs(record.get("create_time")),
        "start_time_usecs": _usecs(record.get("start_time")),
        "last_updated_time_usecs": _usecs(record.get("updated")),
        "complete_time_usecs": _usecs(record.get("complete_time")),
        "error_detail": record.get("error"),
    }
    if host_name:  # a cluster: the host that ran it
        fields["host_name"] = host_name
    return {key: value for key, value in fields.items() if value is not None}


@command("task.get", "Show a task.",
         positional("task", Str(), "the task's UUID", REQUIRED),
         scope="cluster")
def task_get(ctx, task):
    from acli.selection import Kind, select_one

    found, _ = _gathered(ctx)
    # tasks have no names: a task is found by its UUID, and a miss is
    # "Unknown name" in the words of every other kind
    kind = Kind("task", lambda scope: scope, name=lambda pair: pair[1]["uuid"],
                uuid=lambda pair: pair[1]["uuid"])
    host_name, record = select_one(kind, found, task)
    return Records([Record(record["uuid"], task_fields(host_name, record), record["uuid"])])
