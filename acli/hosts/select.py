"""Which hosts a run talks to: a cluster file's, a sandbox (of one host or
several), an explicit URI, or the system host when its libvirt socket
answers."""

from __future__ import annotations

import os

SYSTEM_SOCKETS = ("/run/libvirt/libvirt-sock", "/var/run/libvirt/libvirt-sock")
SYSTEM_URI = "qemu:///system"


def open_host(connect: str | None, ovsdb: str | None, sandbox: str | None):
    from acli.hosts.libvirt_host import LibvirtHost
    from acli.hosts.sandbox import SandboxHost, default_dir
    from acli.hosts.sockets import socket_answers

    if sandbox is not None:
        return SandboxHost(sandbox or default_dir())
    if connect:
        return LibvirtHost(connect, ovsdb)
    if any(os.path.exists(p) and socket_answers(p) for p in SYSTEM_SOCKETS):
        return LibvirtHost(SYSTEM_URI, ovsdb)
    return SandboxHost(default_dir())


def cluster_members(connect: str | None, sandbox: str | None, cluster_file: str | None,
                    hosts: int | None):
    """The MemberSpecs of a cluster of several hosts, or None for one host
    (opened by open_host as before). A cluster file counts only when no
    --connect or --sandbox says otherwise."""
    from acli.errors import UsageError
    from acli.hosts import membership
    from acli.hosts.sandbox import default_dir

    if sandbox is not None:
        if cluster_file:
            raise UsageError("--cluster and --sandbox: give one")
        return membership.sandbox_members(sandbox or default_dir(), hosts)
    if hosts is not None:
        raise UsageError("--hosts makes a sandbox cluster: give it with --sandbox DIR")
    if connect:
        if cluster_file:
            raise UsageError("--cluster and --connect: give one")
        return None
    path = membership.find_cluster_file(cluster_file)
    return membership.read_cluster_file(path) if path else None


def open_member(spec):
    """The Host of one cluster member."""
    if spec.sandbox_dir is not None:
        from acli.hosts.sandbox import SandboxHost

        return SandboxHost(spec.sandbox_dir, spec.name, spec.address,
                           cluster_dir=os.path.dirname(spec.sandbox_dir))
    from acli.hosts.libvirt_host import LibvirtHost

    return LibvirtHost(spec.uri, spec.ovsdb)


def open_cluster(connect: str | None, ovsdb: str | None, sandbox: str | None,
                 cluster_file: str | None = None, hosts: int | None = None):
    """The Cluster the options name: one member, or the cluster file's or
    sandbox cluster's hosts."""
    from acli.hosts.cluster import Cluster, Member

    specs = cluster_members(connect, sandbox, cluster_file, hosts)
    if specs is None:
        return Cluster([Member("", None, lambda _spec: open_host(connect, ovsdb, sandbox))])
    cluster = Cluster([Member(spec.name, spec, open_member) for spec in specs])
    # sandbox hosts made now (a cluster made or grown): brought in line with
    # the first host by the first command (commands/routing.py)
    new = {spec.name for spec in specs
           if spec.sandbox_dir is not None and not os.path.exists(spec.sandbox_dir)}
    if new and len(new) < len(specs):
        cluster.joined = [m for m in cluster.members if m.name in new]
    return cluster
