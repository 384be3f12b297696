"""Tasks: operations that take time (a migration, an upload, a snapshot, a
disk copy), recorded on the host they run on while they run and after.

No private database: a task is a key `acli-task.<UUID>` in the external_ids
of the host's OVSDB Open_vSwitch row, its value a JSON record, so
`ovs-vsctl get Open_vSwitch . external_ids` shows it and every acli that
reaches the host, from any machine, lists it (task.list). Each write
verifies the column it read (OVSDB's compare-and-set), so two acli
processes never lose each other's task. A host keeps the tasks of the last
KEEP_SECONDS, at most KEEP of them; older ones go when a new one starts.

A task left kRunning by a process that died is shown kAborted: the record
names its owner (task_owner.py); on the owner's machine its process is
checked, from another machine a record not written for STALE_SECONDS is
taken as abandoned.

run() brackets an operation: the record (kRunning) is written, then the
`NAME: pending` line goes out (tasklines.started), then the work; at its
end the record says kSucceeded, kFailed (with the error) or kAborted
(interrupted).
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
import uuid as uuidlib

from acli import tasklines
from acli.hosts import task_owner

PREFIX = "acli-task."

QUEUED, RUNNING, SUCCEEDED, FAILED, ABORTED = (
    "kQueued", "kRunning", "kSucceeded", "kFailed", "kAborted")
FINISHED = (SUCCEEDED, FAILED, ABORTED)

# aCLI's operation types of the operations acli records
VM_MIGRATE = "kVmMigrate"
IMAGE_CREATE = "kImageCreate"
SNAPSHOT_CREATE = "kSnapshotCreate"
VM_DISK_CREATE = "kVmDiskCreate"
VM_CLONE = "kVmClone"
OPERATION_TYPES = (IMAGE_CREATE, SNAPSHOT_CREATE, VM_DISK_CREATE, VM_MIGRATE)

KEEP = 100  # tasks a host keeps at most
KEEP_SECONDS = 24 * 3600  # and none finished longer ago than this
STALE_SECONDS = 24 * 3600  # a running task of another machine not written for this long: abandoned
PROGRESS_EVERY = 1.0  # seconds between two writes of a task's percentage


class Running:
    """A task while it runs: what the operation may add to its record."""

    __slots__ = ("host", "record", "_written_at")

    def __init__(self, host, record: dict):
        self.host = host
        self.record = record
        self._written_at = time.monotonic()

    @property
    def uuid(self) -> str:
        return self.record["uuid"]

    def entity(self, uuid: str | None = None, name: str | None = None) -> None:
        """The entity, once known (an image's UUID is made by the upload)."""
        if uuid:
            self.record["entity"]["uuid"] = uuid
        if name:
            self.record["entity"]["name"] = name

    def progress(self, percent: int) -> None:
        """How far the work is; written at most every PROGRESS_EVERY s."""
        self.record["percentage_complete"] = max(0, min(100, int(percent)))
        now = time.monotonic()
        if now - self._written_at >= PROGRESS_EVERY:
            self._written_at = now
            with contextlib.suppress(Exception):  # a missed percentage is no failure
                _put(self.host, self.record)


@contextlib.contextmanager
def run(host, operation: str, label: str, entity_type: str, entity_name: str | None = None,
        entity_uuid: str | None = None, percentage: bool = False):
    """Record the operation the block does on `host` as a task; yields a
    Running. `percentage`: the work will say how far it is (else the
    record has no percentage until it ends). The start is written before
    the block runs, so a failure to write it changes nothing."""
    now = time.time()
    record = {"uuid": str(uuidlib.uuid4()), "operation_type": operation, "label": label,
              "entity": {"type": entity_type, "name": entity_name, "uuid": entity_uuid},
              "status": RUNNING, "create_time": now, "start_time": now, "updated": now,
              "owner": task_owner.me()}
    if percentage:
        record["percentage_complete"] = 0
    _put(host, record, new=True)
    task = Running(host, record)
    tasklines.started(label)
    try:
        yield task
    except BaseException as err:
        _finish(host, record, *_outcome(err))
        raise
    record["percentage_complete"] = 100
    _finish(host, record, SUCCEEDED, None)


def _outcome(err: BaseException) -> tuple[str, str]:
    from acli.echo import one_line_message
    from acli.errors import AcliError

    if isinstance(err, KeyboardInterrupt):
        from acli.interrupts import what

        return ABORTED, what(err)
    if isinstance(err, AcliError):
        return FAILED, one_line_message(err.message)
    if type(err).__name__ == "libvirtError":  # what the service's caller translates
        from acli.hosts.libvirt_errors import translate

        return FAILED, one_line_message(translate(err).message)
    return FAILED, one_line_message(f"internal error: {type(err).__name__}: {err}")


def _finish(host, record: dict, status: str, error: str | None) -> None:
    record["status"] = status
    record["complete_time"] = time.time()
    if error:
        record["error"] = error
    # The operation's own outcome is what the command reports; a record
    # that cannot be written now is shown kAborted once this process ends.
    with contextlib.suppress(Exception):
        _put(host, record)


# An evacuation migrates several VMs at once from one host, each on a
# thread of its own; the host's OVSDB connection is one and not made for
# threads, so their tasks' writes take turns.
_WRITING = threading.Lock()


def _put(host, record: dict, new: bool = False) -> None:
    """Write `record` into the host's OVSDB (a new one: with the next
    sequence number, and the old tasks pruned), verified."""
    with _WRITING:
        _put_now(host, record, new)


def _put_now(host, record: dict, new: bool) -> None:
    def plan(txn, db):
        root = db.root()
        root.verify("external_ids")
        ids = dict(root.external_ids)
        record["updated"] = time.time()
        if new:
            record["sequence_id"] = 1 + max((_decode(v).get("sequence_id", 0)
                                             for k, v in ids.items() if k.startswith(PREFIX)),
                                            default=0)
            _prune(ids, record["updated"])
        ids[PREFIX + record["uuid"]] = json.dumps(record, separators=(",", ":"))
        root.external_ids = ids

    host.ovsdb().transact(plan, expect_change=False)


def _prune(ids: dict, now: float) -> None:
    """Drop tasks finished more than KEEP_SECONDS ago, then the oldest
    finished ones beyond KEEP - 1 (room for the one being added)."""
    finished = []
    for key, value in list(ids.items()):
        if not key.startswith(PREFIX):
            continue
        record = shown(_decode(value), now)
        if record.get("status") not in FINISHED:
            continue
        if now - record.get("complete_time", record.get("updated", 0)) > KEEP_SECONDS:
            del ids[key]
        else:
            finished.append((record.get("create_time", 0), key))
    running = sum(1 for key in ids if key.startswith(PREFIX)) - len(finished)
    finished.sort()
    for _, key in finished[:max(0, len(finished) + running - (KEEP - 1))]:
        del ids[key]


def _decode(value: str) -> dict:
    try:
        record = json.loads(value)
    except ValueError:
        return {}
    return record if isinstance(record, dict) else {}


def shown(record: dict, now: float | None = None) -> dict:
    """The record as it stands now: a running task whose owner is gone is
    kAborted (a copy; the stored record is not changed by reading it)."""
    if record.get("status") not in (QUEUED, RUNNING):
        return record
    owner = record.get("owner") or {}
    gone = task_owner.gone(owner)
    now = time.time() if now is None else now
    if gone is None:
        gone = now - record.get("updated", 0) > STALE_SECONDS
        why = f"no word from its owner on {owner.get('host', '?')} for a day"
    else:
        why = f"the acli process running it (pid {owner.get('pid')}) ended before it finished"
    if not gone:
        return record
    return {**record, "status": ABORTED, "error": why,
            "complete_time": record.get("updated", record.get("start_time", 0))}


def read(host) -> list[dict]:
    """The host's tasks as they stand now, oldest first."""
    db = host.ovsdb()
    db.refresh()
    now = time.time()
    records = [shown(_decode(value), now) for key, value in db.root().external_ids.items()
               if key.startswith(PREFIX)]
    records = [r for r in records if r.get("uuid")]
    records.sort(key=lambda r: (r.get("create_time", 0), r.get("sequence_id", 0)))
    return records
