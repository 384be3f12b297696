"""Putting VMs on hosts: `vm.migrate`, `vm.on host=`, and the evacuation of
a host for maintenance; each finds the VMs on whichever host holds them
and asks placement (placement.py) where they may go."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import libvirt

from acli.cluster import migration, placement
from acli.cluster.vms import locate
from acli.errors import AcliError, InvalidState, NotFound
from acli.hosts.tasks import VM_MIGRATE
from acli.hosts.tasks import run as run_task


def host_name(cluster, text: str) -> str:
    """The name of the host `text` names (name, UUID or address)."""
    if not cluster.single:
        return cluster.named(text).name
    info = cluster.members[0].host.info()
    if text not in (info.name, info.uuid, info.address):
        raise NotFound(f"Unknown name: {text}")
    return info.name


def _memory_mb(root) -> int:
    from acli.vms.spec import spec_from_xml

    return spec_from_xml(root).memory_mb


def migrate(cluster, patterns, host: str | None, live: bool, bandwidth_mbps: int | None,
            progress_stream=None) -> list:
    """(name, UUID, error or None, the host it went to) of each VM named,
    moved where `host` says or placement picks; one failing does not stop
    the others."""
    if cluster.single:
        raise InvalidState("the cluster has one host: there is no other host to migrate to")
    dest = cluster.named(host) if host is not None else None
    found = locate(cluster, patterns)
    tasks = []
    loads = None
    for vm in found:
        try:
            loads = loads or placement.loads(cluster)
            target = move_one(cluster, vm, dest, live, bandwidth_mbps, loads, progress_stream)
            loads = None if target is not None else loads  # a move changes the loads
            tasks.append((vm.name, vm.uuid, None, target.name))
        except AcliError as err:
            tasks.append((vm.name, vm.uuid, err.message, None))
        except KeyboardInterrupt:
            raise
    return tasks


def move_one(cluster, vm, dest, live: bool, bandwidth_mbps: int | None, loads,
             progress_stream=None):
    """Move one located VM to `dest` (a member, or None: placement picks);
    the member it went to, or None when it was there already."""
    source = vm.member
    dom = source.host.conn.lookupByUUIDString(vm.uuid)
    root = ET.fromstring(dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE))
    if dest is source:
        raise InvalidState(f"it runs on {source.name} already")
    from acli.cluster import affinity

    chosen = placement.choose(cluster, vm.uuid, _memory_mb(root) if dom.isActive() else 0,
                              affinity.hosts_in_xml(root), exclude=source, only=dest,
                              host_loads=loads)
    migration.check(source.name, dom, root, chosen.member.name, live)
    with run_task(source.host, VM_MIGRATE, vm.name, "kVM", vm.name, vm.uuid):
        migration.move(source.host, dom, chosen.member.host, live=live,
                       bandwidth_mbps=bandwidth_mbps, progress_stream=progress_stream)
    return chosen.member


def place_for_power_on(cluster, host, dom, wanted: str | None):
    """Before `vm.on`: the (host, domain) the VM should start on. It stays
    where it is when that host may run it; else it moves (it is off: its
    definition moves) to the host asked for, or the one placement picks."""
    from acli.cluster import affinity

    if cluster.single:
        if wanted is not None:
            host_name(cluster, wanted)
        return host, dom
    here = cluster.member_of(host)
    root = ET.fromstring(dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE))
    only = cluster.named(wanted) if wanted is not None else None
    if dom.isActive():
        if only is not None and only is not here:
            raise InvalidState(f"it runs on {here.name}; use vm.migrate to move it")
        return host, dom
    bound = affinity.hosts_in_xml(root)
    memory = _memory_mb(root)
    try:
        chosen = placement.choose(cluster, dom.UUIDString(), memory, bound, only=only or here)
        if chosen.member is here:
            return host, dom
    except InvalidState:
        if only is not None:
            raise
    chosen = placement.choose(cluster, dom.UUIDString(), memory, bound, only=only)
    new = migration.move(host, dom, chosen.member.host)
    return chosen.member.host, new
