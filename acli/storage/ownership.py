"""Which volumes a VM owns, and removing them once nothing uses them.

A VM owns the acli-vmdisk volumes its definition and its snapshots use.
One is removed only when neither the VM (its definition, its running
state, its snapshots) nor any other VM uses it: vm.delete, vm.disk_delete,
vm.restore and snapshot.delete all come here.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from acli.storage import disks as D
from acli.storage import pools
from acli.vms.domxml import inactive_root, scan, snapshot_domain


def delete_paths(host, paths) -> None:
    """Delete the volumes at `paths` (those still there)."""
    for path in sorted(paths):
        vol = pools.volume_by_path(host, path)
        if vol is not None:
            pools.delete_volume(vol)


def paths_still_used(host, dom, include_own_snapshots: bool) -> set[str]:
    """Disk paths other VMs use (and, if asked, this VM's snapshots)."""
    used = set()
    mine = dom.UUIDString()
    for other, root in scan(host, inactive_root):
        if other.UUIDString() != mine:
            used |= {d.path for d in D.disks_of(root) if d.path}
    if include_own_snapshots:
        used |= snapshot_paths(dom)
    return used


def snapshot_paths(dom) -> set[str]:
    out = set()
    for snap in dom.listAllSnapshots(0):
        dom_el = snapshot_domain(snap)
        if dom_el is not None:
            out |= {d.path for d in D.disks_of(dom_el) if d.path}
    return out


def owned_paths(dom, root: ET.Element | None = None) -> set[str]:
    """The acli-vmdisk volumes a VM's configuration (`root`, default its
    inactive XML) and its snapshots use."""
    root = inactive_root(dom) if root is None else root
    mine = {d.path for d in D.disks_of(root) if d.owned_volume}
    return mine | {p for p in snapshot_paths(dom) if p.rsplit("/", 1)[-1].startswith(D.VMDISK_PREFIX)}


def drop_unused(host, dom, candidates: set[str]) -> None:
    """Delete those of `candidates` (volumes the VM owned) that neither its
    configuration, nor any of its snapshots, nor another VM uses any more."""
    if not candidates:
        return
    still = {d.path for d in D.disks_of(inactive_root(dom)) if d.path}
    if dom.isActive():  # what the running VM holds open stays too
        still |= {d.path for d in D.disks_of(ET.fromstring(dom.XMLDesc(0))) if d.path}
    still |= paths_still_used(host, dom, include_own_snapshots=True)
    delete_paths(host, candidates - still)


def before_vm_delete(host, dom, definition) -> None:
    """vm.delete's hook: remove the acli-vmdisk volumes this VM (and its
    snapshots) use and no other VM uses; never images or foreign files."""
    mine = owned_paths(dom, definition.root)
    if not mine:
        return  # no volumes to remove: do not read every other VM (O(n^2) over a batch)
    delete_paths(host, mine - paths_still_used(host, dom, include_own_snapshots=False))


def orphans(host, pool) -> list:
    """The acli-vmdisk volumes of `pool` that no VM (its definition, its
    running state, its snapshots) uses: what a command cut off between
    making a volume and giving it to a VM can leave. Read under the host's
    lock, so no other acli is between those two steps meanwhile."""
    used = set()
    for _dom, paths in scan(host, _all_paths):
        used |= paths
    pool.refresh(0)
    return [vol for vol in pool.listAllVolumes()
            if vol.name().startswith(D.VMDISK_PREFIX) and vol.path() not in used]


def _all_paths(dom) -> set[str]:
    paths = {d.path for d in D.disks_of(inactive_root(dom)) if d.path}
    if dom.isActive():
        paths |= {d.path for d in D.disks_of(ET.fromstring(dom.XMLDesc(0))) if d.path}
    return paths | snapshot_paths(dom)
