"""Counting the calls acli makes to libvirt, to show that a listing costs
the same calls whatever the number of VMs.

Every method of every libvirt-python object (the connection, the domains,
snapshots, pools it returns) calls into libvirt through one C module,
`libvirt.libvirtmod`. CallCounter stands in front of that module: each call
still goes to the real libvirt (the test driver, or libvirtd over its
socket) and is counted on the way. Calls that libvirt answers from the
handle in this process (a domain's name and UUID, a snapshot's name), the
error plumbing and the freeing of handles (whenever Python collects them)
are not round trips and are not counted.
"""

from __future__ import annotations

import contextlib
import threading
from collections import Counter

NOT_ROUND_TRIPS = frozenset({
    "virDomainGetName", "virDomainGetUUID", "virDomainGetUUIDString", "virDomainGetID",
    "virDomainSnapshotGetName", "virDomainCheckpointGetName",
    "virNetworkGetName", "virNetworkGetUUID", "virNetworkGetUUIDString",
    "virNetworkPortGetUUID", "virNetworkPortGetUUIDString",
    "virStoragePoolGetName", "virStoragePoolGetUUID", "virStoragePoolGetUUIDString",
    "virStorageVolGetName", "virStorageVolGetKey",
    "virInterfaceGetName", "virNodeDeviceGetName", "virSecretGetUUID", "virSecretGetUUIDString",
    "virNWFilterGetName", "virNWFilterGetUUID", "virNWFilterGetUUIDString",
    "virGetLastError", "virGetLastErrorCode", "virGetLastErrorDomain", "virGetLastErrorMessage",
    "virResetLastError", "virConnGetLastError", "virConnResetLastError",
    "virRegisterErrorHandler", "virGetVersion",
    # the event loop's thread (hosts/libvirt_loop.py) and the local check
    # of whether the connection is still open: no round trip of a command's
    "virEventRunDefaultImpl", "virEventRegisterDefaultImpl", "virConnectIsAlive",
    "virConnectSetKeepAlive",
})


class CallCounter:
    """libvirtmod with a count of the round trips made through it."""

    def __init__(self, module):
        self._module = module
        self.calls: Counter = Counter()
        self._lock = threading.Lock()  # acli overlaps some calls on threads

    def __getattr__(self, name):
        target = getattr(self._module, name)
        if not callable(target) or name in NOT_ROUND_TRIPS or name.endswith("Free"):
            return target
        calls, lock = self.calls, self._lock

        def counted(*args, **kwargs):
            with lock:
                calls[name] += 1
            return target(*args, **kwargs)

        return counted

    @property
    def total(self) -> int:
        return sum(self.calls.values())

    def reset(self) -> None:
        self.calls.clear()


@contextlib.contextmanager
def counting():
    """Count every libvirt call made inside the block (from any thread)."""
    import libvirt

    counter = CallCounter(libvirt.libvirtmod)
    libvirt.libvirtmod = counter
    try:
        yield counter
    finally:
        libvirt.libvirtmod = counter._module


def calls_of(shell, line: str) -> Counter:
    """The libvirt calls one run of `line` makes (run once before, so that
    opening the host and loading modules are not counted)."""
    shell.ok(line)
    with counting() as counter:
        shell.ok(line)
    return Counter(counter.calls)
