"""Where a VM may run: its host affinity (`vm.affinity_set host_list=`),
kept in the VM's own definition, so it moves with the VM and every acli
sees it; and the anti-affinity of its VM groups (acli/cluster/groups.py).

The affinity is an element of its own namespace in the domain's metadata
(`<affinity hosts="h1,h2"/>`): libvirt replaces one namespace's element at a
time, so it never disturbs acli's other VM metadata.
"""

from __future__ import annotations

import libvirt

from acli.hosts.libvirt_errors import libvirt_call
from acli.vms.events import ConfigEvent

NS = "http://acli.dev/xmlns/affinity/1.0"
PREFIX = "acliaffinity"
_ATTR = 'hosts="'


def hosts_of(dom) -> list[str]:
    """The host names a VM is bound to (empty: any host)."""
    try:
        text = dom.metadata(libvirt.VIR_DOMAIN_METADATA_ELEMENT, NS,
                            libvirt.VIR_DOMAIN_AFFECT_CONFIG)
    except libvirt.libvirtError as err:
        if err.get_error_code() == libvirt.VIR_ERR_NO_DOMAIN_METADATA:
            return []
        raise
    at = text.find(_ATTR)
    if at < 0:
        return []
    start = at + len(_ATTR)
    value = text[start:text.find('"', start)]
    return [name for name in value.split(",") if name]


def hosts_in_xml(root) -> list[str]:
    """The same, from a definition already read (an ElementTree root)."""
    el = root.find(f"metadata/{{{NS}}}affinity")
    return [n for n in (el.get("hosts") or "").split(",") if n] if el is not None else []


@libvirt_call
def set_hosts(dom, names: list[str] | None) -> None:
    """Bind a VM to `names` (host names: plain words, no quotes), or unbind it (None)."""
    if names:
        dom.setMetadata(libvirt.VIR_DOMAIN_METADATA_ELEMENT,
                        f'<affinity {_ATTR}{",".join(names)}"/>', PREFIX, NS,
                        libvirt.VIR_DOMAIN_AFFECT_CONFIG)
    else:
        dom.setMetadata(libvirt.VIR_DOMAIN_METADATA_ELEMENT, None, None, NS,
                        libvirt.VIR_DOMAIN_AFFECT_CONFIG)


def config_parts(event: ConfigEvent) -> list[dict]:
    """vm CONFIG_PARTS hook: a bound VM's affinity, as vm.get shows it."""
    out = []
    for definition in event.definitions:
        hosts = hosts_in_xml(definition.root)
        out.append({"affinity": {"policy": "kAffinity", "host_list": hosts}} if hosts else {})
    return out
