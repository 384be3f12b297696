"""container.*: storage containers (libvirt storage pools)."""

from __future__ import annotations

from acli.commands.table import command, keyword, positional
from acli.commands.types import Selector, Str
from acli.output.results import Record, Records, Table, Task, Tasks


# name, capacity and free space stay columns 1-3 for the scripts that read them
_LIST_KEYS = ("name", "capacity_bytes", "free_bytes", "provisioned_bytes", "used_bytes", "path",
              "uuid")


@command("container.list", "List storage containers (libvirt storage pools): capacity, free "
         "space, what is provisioned (thin: may exceed the capacity) and used.")
def container_list(ctx):
    from acli.storage import pools

    rows = []
    for pool in pools.all_containers(ctx.host):
        f = pools.container_fields(ctx.host, pool)
        rows.append([f[key] for key in _LIST_KEYS])
    return Table(["Container name", "Max capacity (bytes)", "Free space (bytes)",
                  "Provisioned (bytes)", "Used (bytes)", "Path", "Container UUID"],
                 list(_LIST_KEYS), rows)


@command("container.get", "Show storage containers.",
         positional("container_list", Selector("container"), "containers by name, UUID or glob"))
def container_get(ctx, container_list):
    from acli.storage import pools

    chosen = pools.select(ctx.host, container_list)
    out = []
    for pool in chosen:
        f = pools.container_fields(ctx.host, pool)
        out.append(Record(f["name"], f, f["uuid"]))
    return Records(out)


@command("container.create", "Create a storage container: a libvirt dir pool.",
         positional("name", Str(), "the new container's name"),
         keyword("path", Str(), "its directory (default: under /var/lib/acli/containers)"),
         mutates=True)
def container_create(ctx, name, path):
    from acli.names import check_name
    from acli.storage import pools

    check_name("name", name, None)
    pool = pools.create_container(ctx.host, name, path)
    if not ctx.cluster.single:  # the same container on every host
        from acli.cluster.containers import share_container

        share_container(ctx.cluster, ctx.host, pool)
    return Tasks([Task(name, uuid=pool.UUIDString())])


@command("container.delete", "Delete empty storage containers (asks first).",
         positional("container", Str(), "the container's name or UUID"),
         mutates=True)
def container_delete(ctx, container):
    from acli.storage import pools

    pool = pools.container(ctx.host, container)
    name = pool.name()
    if not ctx.cluster.single:
        from acli.cluster.containers import check_empty_everywhere

        check_empty_everywhere(ctx.cluster, name)
    ctx.confirm("Delete 1 containers?")
    pools.delete_container(ctx.host, pool)
    if not ctx.cluster.single:
        from acli.cluster.containers import forget_container

        forget_container(ctx.cluster, ctx.host, name)
    return Tasks([Task(name)])


@command("container.list_orphans", "List disk volumes no VM or snapshot uses (left by a "
         "command that was cut off).",
         positional("container", Str(), "the container's name or UUID", "default-container"),
         mutates=True)
def container_list_orphans(ctx, container):
    from acli.storage import ownership, pools

    pool = pools.container(ctx.host, container)
    rows = [[vol.name(), vol.info()[1], vol.path()] for vol in ownership.orphans(ctx.host, pool)]
    return Table(["Volume name", "Capacity (bytes)", "Path"], ["name", "capacity_bytes", "path"],
                 rows)


@command("container.delete_orphans", "Delete the disk volumes no VM or snapshot uses (asks first).",
         positional("container", Str(), "the container's name or UUID", "default-container"),
         mutates=True)
def container_delete_orphans(ctx, container):
    from acli.storage import ownership, pools

    pool = pools.container(ctx.host, container)
    found = ownership.orphans(ctx.host, pool)
    if not found:
        return Tasks([])
    ctx.confirm(f"Delete {len(found)} volumes no VM uses?")
    return ctx.each(found, pools.delete_volume, label=lambda vol: vol.name(),
                    uuid=lambda vol: vol.key())
