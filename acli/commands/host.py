"""host.*: the hypervisor hosts of the cluster (one, without a cluster
file), and their maintenance mode."""

from __future__ import annotations

from acli.commands.table import REQUIRED, command, keyword, positional
from acli.commands.types import Bool, Enum, Str
from acli.output.results import Record, Records, Table, Task, Tasks

_COLUMNS = ["Hypervisor IP", "Hypervisor DNS Name", "Host UUID", "Node state", "Schedulable",
            "Hypervisor Type", "CPUs", "Memory MB", "VMs", "Connection"]
_KEYS = ["hypervisor_address", "name", "uuid", "node_state", "schedulable", "hypervisor_type",
         "num_cpus", "memory_mb", "num_vms", "connection"]


def _views(ctx, members=None):
    from acli.cluster.hostview import views

    return views(ctx.cluster, members)


@command("host.list", "List the hypervisor hosts of the cluster.", scope="cluster")
def host_list(ctx):
    rows = []
    for view in _views(ctx):
        info = view.info
        rows.append([info.address if info else view.address, view.name, info.uuid if info else "",
                     view.node_state[1:], view.schedulable, "kKvm", info.cpus if info else 0,
                     info.memory_mb if info else 0, view.num_vms, view.connection])
    return Table(_COLUMNS, _KEYS, rows)


@command("host.get", "Show hypervisor hosts.",
         positional("host", Str(), "host name, UUID or address (default: every host)", None),
         scope="cluster")
def host_get(ctx, host):
    from acli.cluster.hostview import fields

    members = [ctx.cluster.named(host)] if host is not None and not ctx.cluster.single else None
    baseline = ""
    if not ctx.cluster.single:  # the CPU the cluster's VMs get, so that they migrate anywhere
        from acli.cluster.cpu import baseline as cluster_baseline, model_name

        baseline = model_name(cluster_baseline(ctx.cluster))
    records = []
    for view in _views(ctx, members):
        if host is not None and ctx.cluster.single:
            from acli.network.hostnics import check_host

            check_host(ctx.host, host, view.info)
        record = dict(sorted(fields(view, baseline).items()))
        records.append(Record(view.name, record, record.get("uuid", view.name)))
    return Records(records)


_ACTIONS = ("kAcpiShutdown", "kBlock", "acpi_shutdown", "block")


@command("host.enter_maintenance_mode",
         "Move every VM off a host by live migration and stop placing VMs on it.",
         positional("host", Str(), "host name, UUID or address", REQUIRED),
         keyword("wait", Bool(), "wait until every VM has moved", True),
         keyword("non_migratable_vm_action", Enum(*_ACTIONS),
                 "what to do with VMs that cannot move: kBlock (refuse, the default) or "
                 "kAcpiShutdown (shut them down)", "kBlock"),
         mutates=True, scope="cluster")
def host_enter_maintenance_mode(ctx, host, wait, non_migratable_vm_action):
    from acli.cluster import maintenance

    action = "kAcpiShutdown" if "cpi" in non_migratable_vm_action else "kBlock"
    member = ctx.cluster.named(host)
    report = maintenance.enter(ctx.cluster, member, action)
    # one aCLI task line a VM (its pending line named it so), then the host;
    # what happened to each VM on a note line
    tasks = [Task(name, error) for name, _what, error in report]
    if not any(name == member.name for name, _what, _error in report):
        tasks.append(Task(member.name, None))
    notes = [f"{name}: {what}" for name, what, error in report
             if error is None and name != member.name]
    return Tasks(tasks, notes)


@command("host.enter_maintenance_mode_check",
         "Say whether a host can enter maintenance mode, and what would happen to each VM.",
         positional("host", Str(), "host name, UUID or address", REQUIRED),
         keyword("non_migratable_vm_action", Enum(*_ACTIONS),
                 "as for host.enter_maintenance_mode", "kBlock"),
         scope="cluster")
def host_enter_maintenance_mode_check(ctx, host, non_migratable_vm_action):
    from acli.cluster import maintenance

    action = "kAcpiShutdown" if "cpi" in non_migratable_vm_action else "kBlock"
    member = ctx.cluster.named(host)
    plan = maintenance.plan(ctx.cluster, member, action)
    rows = [[vm.name, vm.uuid, what, target or ""] for vm, what, target in plan]
    return Table(["VM name", "VM UUID", "Action", "Destination"],
                 ["name", "uuid", "action", "destination"], rows)


@command("host.exit_maintenance_mode", "Let a host in maintenance mode take VMs again.",
         positional("host", Str(), "host name, UUID or address", REQUIRED),
         mutates=True, scope="cluster")
def host_exit_maintenance_mode(ctx, host):
    from acli.cluster import maintenance

    member = ctx.cluster.named(host)
    problems = maintenance.exit(member)
    return Tasks([Task(member.name, "; ".join(problems) if problems else None)])
