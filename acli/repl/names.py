"""Entity names for completion, kept fresh by a thread of their own.

The shell never waits for them. After each command, and when completion
finds the names older than MAX_AGE (another tool may have changed the
host), it asks the refresher for new ones and goes on at once; the
refresher reads every kind on a host connection of its own (a Host is not
shared between threads) and swaps the new names in whole. So the prompt
comes back as soon as a command's output is out, Tab answers from memory,
and a name deleted from this shell is gone from completion one listing
later (a fraction of a second at 10,000 VMs), one deleted by another tool
at most MAX_AGE after it was last read and one listing later than that.

PROVIDERS maps an entity kind (as the command table's EntityRef/Selector
name it) to fn(host) -> names; each reads names only (no definitions).
"""

from __future__ import annotations

import threading
import time
from bisect import bisect_left

# Seconds after which completion asks for the names again: what another
# tool did to the host shows up this long after at most. Asking costs
# nothing while nobody completes anything.
MAX_AGE = 10.0


def _vm_names(host):
    """The names of the VMs that are off come as one list of strings; only
    the running ones are made into domain objects (10,000 of those would
    keep the interpreter from the shell for tens of milliseconds). A VM
    that starts between the two calls is missed until the next read."""
    import libvirt

    conn = host.conn
    active = conn.listAllDomains(libvirt.VIR_CONNECT_LIST_DOMAINS_ACTIVE)
    return conn.listDefinedDomains() + [d.name() for d in active]


def _network_names(host):
    return [n.name() for n in host.conn.listAllNetworks()]


def _container_names(host):
    return [p.name() for p in host.conn.listAllStoragePools()]


def _image_names(host):
    from acli.storage import images

    return [i.name for i in images.list_images(host)]


def _volume_group_names(host):
    from acli.storage import volume_groups

    return [vg.name for vg in volume_groups.list_vgs(host)]


def _snapshot_names(host):
    from acli.storage import snapshots

    return snapshots.all_names(host)


PROVIDERS = {"vm": _vm_names, "network": _network_names, "container": _container_names,
             "image": _image_names, "snapshot": _snapshot_names,
             "volume_group": _volume_group_names}
# Kinds each host of a cluster holds its own of (a VM lives on one host, and
# its snapshots with it); the others are the cluster's, read on its first host.
PER_HOST_KINDS = frozenset({"vm", "snapshot"})


class SortedNames(tuple):
    """Names in sorted order, each once, with the form completion shows
    (quoted when it holds blanks), found by prefix in O(log n): Tab among
    10,000 names must not look at every one."""

    __slots__ = ()

    def __new__(cls, names=()):
        return tuple.__new__(cls, sorted(set(names)))

    def starting(self, prefix: str) -> list[str]:
        """The shown form of every name that starts with `prefix`, or whose
        quoted form does (a typed opening quote)."""
        found = self._range(prefix)
        if prefix.startswith('"'):  # "a b" is shown quoted: look for a b too
            found = sorted(set(found) | set(self._range(prefix[1:])))
        return starting(prefix, found)

    def _range(self, prefix: str) -> list[str]:
        start = end = bisect_left(self, prefix)
        while end < len(self) and self[end].startswith(prefix):
            end += 1
        return list(self[start:end])


def starting(prefix: str, options) -> list[str]:
    """The shown form of each of `options` that starts with what is typed;
    names with blanks come quoted, as they must be written (a typed
    opening quote still matches)."""
    out = []
    for option in options:
        form = shown(option)
        if option.startswith(prefix) or form.startswith(prefix):
            out.append(form)
    return out


def shown(name: str) -> str:
    """A name as it must be typed: quoted when it holds blanks."""
    # split() runs in C: 10,000 names cost well under a millisecond
    return f'"{name}"' if name.split() != [name] else name


EMPTY = SortedNames()


class NameCache:
    """names(kind) -> SortedNames, from memory; changed() asks for fresh
    ones without waiting. `open_host()` makes the refresher's own Host."""

    def __init__(self, open_host, providers=None, max_age: float = MAX_AGE):
        self._open_host = open_host
        self._providers = PROVIDERS if providers is None else providers
        self.max_age = max_age
        self._names: dict[str, SortedNames] = {}
        self._read_at = None  # monotonic time of the last complete read
        self._host = None
        self._cond = threading.Condition()
        self._asked = 0  # reads asked for (numbered from 1)
        self._served = 0  # the last request a read has begun after
        self._done = 0  # the last request whose read has finished
        self._closing = False
        self._thread = threading.Thread(target=self._run, name="acli-names", daemon=True)
        self._thread.start()

    def __call__(self, kind: str) -> SortedNames:
        names = self._names.get(kind, EMPTY)  # what was read, whatever is asked next
        read_at = self._read_at
        if (read_at is not None and time.monotonic() - read_at > self.max_age
                and self._done >= self._asked):  # (a read under way is fresh enough)
            self.changed()
        return names

    def changed(self) -> None:
        """Ask for the names to be read again (the host may have changed);
        returns at once."""
        with self._cond:
            self._asked += 1
            self._cond.notify_all()

    def settle(self, timeout: float) -> bool:
        """Wait until every read asked for so far has ended; False if one
        has not by `timeout` seconds. (The shell never calls this.)"""
        with self._cond:
            return self._cond.wait_for(lambda: self._done >= self._asked, timeout)

    def close(self) -> None:
        """Stop the refresher; its host is let go if it is not mid-read
        (the process is ending then, and takes the connection with it)."""
        with self._cond:
            self._closing = True
            self._cond.notify_all()
        self._thread.join(timeout=0.5)
        if not self._thread.is_alive() and self._host is not None:
            self._host.shutdown()

    def _hosts(self) -> list:
        """The hosts to read: the one Host, or a cluster's that answer."""
        made = self._host
        members = getattr(made, "members", None)
        if members is None:
            return [made]
        made.forget()
        return [member.host for member in made.answering()]

    # the refresher thread ----------------------------------------------------
    def _run(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._closing or self._asked > self._served)
                if self._closing:
                    return
                request = self._served = self._asked
            self._read()
            with self._cond:
                self._done = request
                self._cond.notify_all()

    def _read(self) -> None:
        """Read every kind; a kind (or a host) that fails keeps its old names.
        `open_host()` may make a cluster (hosts.cluster.Cluster): then the
        kinds each host holds its own of are read on every host that
        answers, at once, and put together."""
        try:
            if self._host is None:
                self._host = self._open_host()
            hosts = self._hosts()
            for host in hosts:
                host.catch_up()  # holds nothing while the names are read
            fresh = {}
            for kind, provider in self._providers.items():
                try:
                    if kind in PER_HOST_KINDS and len(hosts) > 1:
                        names = []
                        for _member, found in self._host.each(provider):
                            if isinstance(found, BaseException):
                                raise found
                            names += found
                    else:
                        names = provider(hosts[0])
                    fresh[kind] = SortedNames(names)
                except Exception:
                    fresh[kind] = self._names.get(kind, EMPTY)
        except Exception:
            return  # no host now: completion keeps what it had, and asks again
        self._names = fresh
        self._read_at = time.monotonic()
