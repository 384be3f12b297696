"""Which hosts make the cluster: a cluster file naming libvirt and OVSDB
remotes, or the number of hosts a sandbox directory keeps.

The cluster file (TOML; the first found of `--cluster FILE`, $ACLI_CLUSTER,
/etc/acli/cluster.toml, $XDG_CONFIG_HOME/acli/cluster.toml):

    [[host]]
    name = "kvm1"
    uri = "qemu+ssh://root@kvm1/system"
    ovsdb = "tcp:kvm1:6640"

No file: one host, chosen as before (hosts/select.py). Keys other than
these are kept for later use and ignored now.
"""

from __future__ import annotations

import json
import os

from acli.errors import UsageError
from acli.files import write_atomic
from acli.plain import Plain

SYSTEM_FILE = "/etc/acli/cluster.toml"
SANDBOX_FILE = "cluster.json"  # {"hosts": N} in a sandbox cluster's directory
MAX_HOSTS = 64


class MemberSpec(Plain):
    """One host of the cluster as the file names it."""

    __slots__ = ("name", "uri", "ovsdb", "sandbox_dir", "address")

    def __init__(self, name: str, uri: str | None = None, ovsdb: str | None = None,
                 sandbox_dir: str | None = None, address: str = ""):
        self.name = name
        self.address = address  # shown for a host that does not answer
        self.uri = uri
        self.ovsdb = ovsdb
        self.sandbox_dir = sandbox_dir


def find_cluster_file(explicit: str | None) -> str | None:
    """The cluster file in force, or None (one host)."""
    if explicit:
        return explicit
    if os.environ.get("ACLI_CLUSTER"):
        return os.environ["ACLI_CLUSTER"]
    if os.path.exists(SYSTEM_FILE):
        return SYSTEM_FILE
    config = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    path = os.path.join(config, "acli", "cluster.toml")
    return path if os.path.exists(path) else None


def read_cluster_file(path: str) -> list[MemberSpec]:
    import tomllib

    from acli.names import check_name

    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except FileNotFoundError:
        raise UsageError(f"cluster file {path}: no such file") from None
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise UsageError(f"cluster file {path}: {err}") from None
    hosts = data.get("host")
    if not isinstance(hosts, list) or not hosts:
        raise UsageError(f"cluster file {path}: no [[host]] entries")
    if len(hosts) > MAX_HOSTS:
        raise UsageError(f"cluster file {path}: {len(hosts)} hosts; at most {MAX_HOSTS}")
    specs, seen = [], set()
    for number, entry in enumerate(hosts, 1):
        where = f"cluster file {path}: host {number}"
        if not isinstance(entry, dict):
            raise UsageError(f"{where} is not a table")
        name, uri, ovsdb = entry.get("name"), entry.get("uri"), entry.get("ovsdb")
        for key, value in (("name", name), ("uri", uri)):
            if not isinstance(value, str) or not value:
                raise UsageError(f"{where} has no {key}")
        if ovsdb is not None and not isinstance(ovsdb, str):
            raise UsageError(f"{where}: ovsdb must be a string")
        try:
            check_name("name", name, None)
        except UsageError as err:
            raise UsageError(f"{where}: {err.message}") from None
        if name in seen:
            raise UsageError(f"{where}: the name {name} is taken by an earlier host")
        seen.add(name)
        from urllib.parse import urlparse

        specs.append(MemberSpec(name, uri, ovsdb, address=urlparse(uri).hostname or ""))
    return specs


def sandbox_members(directory: str, hosts: int | None) -> list[MemberSpec] | None:
    """The hosts of a sandbox cluster in `directory` (DIR/host1, DIR/host2, ...),
    or None for a one-host sandbox. `hosts` (from --hosts) makes or grows one;
    the count is kept in DIR, so later runs need only --sandbox DIR."""
    meta = os.path.join(directory, SANDBOX_FILE)
    kept = None
    if os.path.exists(meta):
        try:
            with open(meta) as f:
                kept = int(json.load(f)["hosts"])
        except (OSError, ValueError, KeyError, TypeError):
            raise UsageError(f"sandbox {directory}: {SANDBOX_FILE} is unreadable") from None
    if hosts is None:
        count = kept
    else:
        if not 1 <= hosts <= MAX_HOSTS:
            raise UsageError(f"--hosts {hosts}: give 1 to {MAX_HOSTS}")
        if kept is None and hosts > 1 and os.path.exists(os.path.join(directory, "host.xml")):
            raise UsageError(f"sandbox {directory} holds a one-host sandbox; give --hosts a new "
                             "directory")
        if kept is not None and hosts < kept:
            raise UsageError(f"sandbox {directory} has {kept} hosts; a sandbox cluster does not "
                             "shrink")
        count = max(hosts, kept or 0)
        if count > 1 and count != kept:
            os.makedirs(directory, mode=0o700, exist_ok=True)
            write_atomic(meta, json.dumps({"hosts": count}) + "\n")
    if count is None or (count == 1 and kept is None):
        return None
    return [MemberSpec(f"host{n}", sandbox_dir=os.path.join(directory, f"host{n}"),
                       address=sandbox_address(n)) for n in range(1, count + 1)]


def sandbox_address(number: int) -> str:
    """The address a sandbox cluster's host N shows (a documentation
    address: no traffic goes to it)."""
    return f"198.51.100.{10 + number}"
