"""snapshot.*: the snapshots of every VM."""

from __future__ import annotations

from acli.commands.table import command, positional
from acli.commands.types import Selector
from acli.output.results import Record, Records, Table

SNAPSHOT_COLUMNS = ["Snapshot Name", "Snapshot ID", "Creation Time", "VM Name"]
SNAPSHOT_KEYS = ["name", "uuid", "creation_time", "vm_name"]

_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def creation_time(created: int) -> str:
    """A snapshot's creation time as aCLI's listings print it, in local time:
    `Wednesday March 23 2022, 09:27:16 AM`. English names whatever the
    locale: scripts parse them."""
    import time

    t = time.localtime(created)
    return (f"{_DAYS[t.tm_wday]} {_MONTHS[t.tm_mon - 1]} {t.tm_mday:02d} {t.tm_year}, "
            f"{(t.tm_hour + 11) % 12 + 1:02d}:{t.tm_min:02d}:{t.tm_sec:02d} "
            f"{'AM' if t.tm_hour < 12 else 'PM'}")


@command("snapshot.list", "List the snapshots of every VM.")
def snapshot_list(ctx):
    from acli.storage import snapshots

    rows = [[s.name, s.uuid, creation_time(s.created), s.dom.name()]
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
