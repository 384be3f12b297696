"""Running a command on a cluster of several hosts (a cluster of one never
comes here: the session runs the handler on its host as before).

Every answering host is bracketed for the whole command, in the cluster
file's order (their sandbox locks, or their OVSDB locks for a change), so
two acli processes never hold parts of the cluster against each other and
a check made on every host (a name free everywhere) still holds when the
change is made. Then, by the command's `scope` (commands/table.py):

* "vm": the VMs its VM parameter names are found on every host at once
  (acli/cluster/vms.py); the handler runs once per host holding some, given
  that host and those VMs, and the results are put together in host order.
* "cluster": the handler runs once and uses ctx.cluster itself.
* "each": the handler runs on every host in turn (a network's re-tag of
  every host's NICs); a table's rows are put together.
* "first": the handler runs once on the first host that answers, where
  cluster-wide objects (networks, containers, images) are read.

A command that names new VMs is refused when any host has one of the names.
After a change, networks whose definition changed on one host are copied to
the others (acli/cluster/objects.py).
"""

from __future__ import annotations

import contextlib

from acli.errors import AcliError
from acli.output.results import Records, Table, Task, Tasks, Text
from acli.selection import literal


def run_on_cluster(ctx, cmd, args: dict):
    cluster = ctx.cluster
    members = cluster.answering()
    if not members:
        cluster.first()  # raises: no host answers, with each one's reason
    with contextlib.ExitStack() as stack:
        changes = cmd.mutates or bool(cluster.joined)  # a joining host is changed
        for member in members:
            stack.enter_context(member.host.operation(changes))
        stack.callback(_set_peers, members, False)
        _set_peers(members, True)
        if cluster.joined:
            _bring_in_joined(cluster, members)
        if cmd.mutates:
            _catch_up(members)
        _refuse_taken_names(cluster, cmd, args)
        try:
            if cmd.scope == "vm":
                result = _per_vm_host(ctx, cmd, args)
            elif cmd.scope == "each":
                result = _on_each_host(ctx, cmd, args, members)
            else:
                ctx.host = cluster.first().host
                result = cmd.handler(ctx, **args)
        finally:
            if cmd.mutates:
                from acli.cluster.objects import copy_changed_networks, raise_generation

                try:
                    copy_changed_networks(cluster)
                finally:
                    if cluster.objects_changed:
                        cluster.objects_changed = False
                        raise_generation([m for m in members if m.state == "up"])
    return result


def _catch_up(members) -> None:
    """A host that was away while the cluster changed takes what it
    missed before a change is made (acli/cluster/objects.py)."""
    from acli.cluster.objects import catch_up
    from acli.errors import BackendError

    problems = catch_up(members)
    if problems:
        raise BackendError("bringing a host in line: " + "; ".join(problems))


def _bring_in_joined(cluster, members) -> None:
    """Hosts that have just joined take the cluster's networks from the
    first host that was there before them."""
    from acli.cluster.objects import bring_in_line
    from acli.errors import BackendError

    joined, cluster.joined = cluster.joined, []
    reference = next((m for m in members if m not in joined), None)
    problems = []
    for member in joined:
        if reference is not None and member in members:
            problems += bring_in_line(reference, member)
    if problems:
        raise BackendError("; ".join(problems))


def _set_peers(members, held: bool) -> None:
    """While the command holds them, each host knows the others (a NIC's
    MAC is checked against every host's)."""
    hosts = [member.host for member in members]
    for host in hosts:
        host.peers = tuple(h for h in hosts if h is not host) if held else ()


def _refuse_taken_names(cluster, cmd, args) -> None:
    for param in cmd.params:
        if getattr(param.type, "kind", None) == "VM" and args.get(param.name):
            from acli.cluster.vms import refuse_taken

            refuse_taken(cluster, args[param.name])


def _per_vm_host(ctx, cmd, args):
    from acli.cluster.vms import locate
    from acli.commands.table import vm_param

    param = vm_param(cmd.params)
    value = args[param.name]
    if value is None:  # an optional VM parameter left out
        ctx.host = ctx.cluster.first().host
        return cmd.handler(ctx, **args)
    single = isinstance(value, str)
    found = locate(ctx.cluster, [literal(value)] if single else value)
    by_member: dict = {}
    for vm in found:
        by_member.setdefault(vm.member.name, (vm.member, []))[1].append(vm)
    results = []
    for member, vms in by_member.values():
        ctx.host = member.host
        if single:
            args = {**args, param.name: vms[0].name}
        else:
            args = {**args, param.name: [literal(vm.uuid) for vm in vms]}
        try:
            results.append(cmd.handler(ctx, **args))
        except AcliError as err:
            if not results or not isinstance(results[0], Tasks):
                raise
            # the VMs of the hosts before are done: say so, and which failed
            results.append(Tasks([Task(vm.name, err.message) for vm in vms]))
    return merge(results)


def _on_each_host(ctx, cmd, args, members):
    """A command about a cluster-wide object and the VMs using it (a
    network's re-tag, its VMs): run on every host; a table's rows are put
    together, any other result is the first host's (the same on each)."""
    results = []
    for member in members:
        ctx.host = member.host
        results.append(cmd.handler(ctx, **args))
    if isinstance(results[0], Table):
        return merge(results)
    return results[0]


def merge(results: list):
    """One result from the handler's results on several hosts."""
    if len(results) == 1:
        return results[0]
    first = results[0]
    if isinstance(first, Tasks):
        return Tasks([task for result in results for task in result.tasks],
                     [note for result in results for note in result.notes])
    if isinstance(first, Records):
        return Records([record for result in results for record in result.records])
    if isinstance(first, Table):
        rows = [row for result in results for row in result.rows]
        return Table(first.columns, first.keys, rows, first.notes)
    if isinstance(first, Text):
        return Text("\n".join(result.text for result in results))
    return first
