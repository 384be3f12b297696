"""A VM's logical_timestamp, as aCLI's vm.get shows it: a number that grows
with every change acli makes to the VM, so a script can tell whether a VM
changed since it last looked.

It lives in the domain's <metadata> (namespace NS), where every acli
process sees it, whichever machine it runs on. A VM without it is at its
first version, 1: a new VM (and a clone) needs no element, so making one
costs nothing more. Every change acli makes to a VM counts once it has
succeeded: bump() at once; note() for a power action, which a host whose
state only this process sees (the sandbox) counts in memory and writes
when the command or batch ends (settle(), as it does the VMs' ports),
since on and off are most of a long batch. What reads the number (vm.get,
bump) writes those first.

libvirt has no compare-and-set: a bump reads the number and writes the
next in two calls. On the sandbox the lock serializes whole commands; on a
real host, two acli processes changing one VM in the same instant may both
write the same number, in the window where their changes to the VM's
definition race each other too.
"""

from __future__ import annotations

import libvirt

from acli.hosts.events import SandboxEvent
from acli.vms.domxml import VM_NS as NS
from acli.vms.domxml import VM_PREFIX as PREFIX
from acli.vms.domxml import metadata_element

_ATTR = 'logical_timestamp="'


FIRST = 1  # what a VM without the element is at


def read(root) -> int:
    """The value in a parsed definition (ElementTree). Call flush() before
    reading the definition."""
    el = root.find(f"metadata/{{{NS}}}vm")
    return _number(el.get("logical_timestamp") if el is not None else None)


def restart(root) -> None:
    """A new VM made from another's definition (a clone) starts at 1."""
    metadata = root.find("metadata")
    for old in metadata.findall(f"{{{NS}}}vm") if metadata is not None else ():
        metadata.remove(old)


def note(host, dom) -> None:
    """A power action changed `dom`: counted now, or at settle() on a host
    that defers it."""
    pending = host.pending_stamps
    if pending is None:
        bump(host, dom)
    else:
        pending[dom] = pending.get(dom, 0) + 1


def bump(host, dom, since: int | None = None) -> None:
    """Count one more change of `dom`: one more than its value now, or than
    `since`, a value read before a restore brought back an older definition
    (the number never goes back)."""
    flush(host)
    _write(dom, max(stored(host, dom), since or 0) + 1)


def advance(host, dom, root) -> None:
    """Count one more change in `root`, the VM's definition about to be
    stored whole (with what the host deferred for it): one write, where
    bump() takes a read and a write of its own."""
    pending = host.pending_stamps
    extra = 0
    if pending:
        uuid = dom.UUIDString()
        for handle in [h for h in pending if h.UUIDString() == uuid]:
            extra += pending.pop(handle)
    el = metadata_element(root, NS, "vm")
    el.set("logical_timestamp", str(read(root) + extra + 1))


def stored(host, dom) -> int:
    """The value in the VM's stored definition (what is pending written first)."""
    flush(host)
    try:
        text = dom.metadata(libvirt.VIR_DOMAIN_METADATA_ELEMENT, NS,
                            libvirt.VIR_DOMAIN_AFFECT_CONFIG)
    except libvirt.libvirtError as err:
        if err.get_error_code() == libvirt.VIR_ERR_NO_DOMAIN_METADATA:
            return FIRST
        raise
    at = text.find(_ATTR)  # `<vm logical_timestamp="3"/>`: no parser needed
    if at < 0:
        return FIRST
    start = at + len(_ATTR)
    return _number(text[start:text.find('"', start)])


def flush(host) -> None:
    """Write the counts the host deferred. Several handles of one VM may be
    pending: each adds its count to what the one before wrote."""
    pending = host.pending_stamps
    if not pending:
        return
    noted = list(pending.items())
    pending.clear()
    for dom, count in noted:
        try:
            _write(dom, stored(host, dom) + count)
        except libvirt.libvirtError as err:
            if err.get_error_code() != libvirt.VIR_ERR_NO_DOMAIN:
                raise  # a VM deleted since has nothing left to count


def forget(host, dom) -> None:
    """`dom` is being deleted: nothing of it is left to write."""
    if host.pending_stamps:
        host.pending_stamps.pop(dom, None)


def settle(event: SandboxEvent) -> None:
    """sandbox SETTLE: the power actions' counts go into the VMs' definitions."""
    flush(event.host)


def _write(dom, value: int) -> None:
    dom.setMetadata(libvirt.VIR_DOMAIN_METADATA_ELEMENT, f'<vm {_ATTR}{value}"/>', PREFIX, NS,
                    libvirt.VIR_DOMAIN_AFFECT_CONFIG)


def _number(text: str | None) -> int:
    return int(text) if text and text.isdigit() else FIRST
