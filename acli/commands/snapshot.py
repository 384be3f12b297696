"""snapshot.*: the snapshots of every VM."""

from __future__ import annotations

from acli.commands.table import command, positional
from acli.commands.types import Selector
from acli.output.results import Record, Records, Table

SNAPSHOT_COLUMNS = ["Snapshot Name", "Snapshot ID", "Creation Time", "VM Name"]
SNAPSHOT_KEYS = ["name", "uuid", "creation_time", "vm_name"]


@command("snapshot.list", "List the snapshots of every VM.")
def snapshot_list(ctx):
    from acli.storage import snapshots

    rows = [[s.name, s.uuid, s.creation_time, s.dom.name()]
            for s in snapshots.all_snapshots(ctx.host)]
    return Table(SNAPSHOT_COLUMNS, SNAPSHOT_KEYS, rows)


@command("snapshot.get", "Show snapshots.",
         positional("snapshot_list", Selector("snapshot"), "snapshots by name, ID or glob"))
def snapshot_get(ctx, snapshot_list):
    from acli.storage import snapshots

    return Records([Record(s.name, snapshots.record_fields(s), s.uuid)
                    for s in snapshots.select(ctx.host, snapshot_list)])


@command("snapshot.delete", "Delete snapshots (asks first).",
         positional("snapshot_list", Selector("snapshot"), "snapshots by name, ID or glob"),
         mutates=True)
def snapshot_delete(ctx, snapshot_list):
    from acli.storage import snapshots

    chosen = snapshots.select(ctx.host, snapshot_list)
    ctx.confirm(f"Delete {len(chosen)} snapshots?")
    return ctx.each(chosen, lambda snap: snapshots.delete(ctx.host, snap),
                    label=lambda snap: snap.name, uuid=lambda snap: snap.uuid)
