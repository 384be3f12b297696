"""Write the test driver's whole state back as a node file it can load again.

libvirt's test driver keeps state per process only; this file is what lets
one acli process see what another did. Format (libvirt's test driver):
`<node>` holding `<cpu>`, `<memory>`, then `<domain>`s carrying
`<test:runstate>` and `<test:domainsnapshot>` (the snapshot XML plus an
`<active>` flag for the current one), `<interface>`s (the host's NICs),
`<network>`s and `<pool>`s holding
their `<volume>`s.
"""

from __future__ import annotations

TEST_NS = "http://libvirt.org/schemas/domain/test/1.0"

# virDomainState -> the runstate the test driver restores on load
_RUNSTATE = {1: 1, 2: 1, 3: 3, 4: 5, 5: 5, 6: 5, 7: 7}


def node_xml(conn, host_header: str) -> str:
    """The complete node document for `conn`; `host_header` is the <cpu>/<memory> part."""
    import libvirt

    out = [f"<node xmlns:test='{TEST_NS}'>", host_header]
    for dom in sorted(conn.listAllDomains(), key=lambda d: d.name()):
        out.append(_domain(dom, libvirt))
    for iface in sorted(conn.listAllInterfaces(), key=lambda i: i.name()):
        out.append(iface.XMLDesc(0))
    for net in sorted(conn.listAllNetworks(), key=lambda n: n.name()):
        out.append(net.XMLDesc(0))  # the test driver takes no flags here
    for pool in sorted(conn.listAllStoragePools(), key=lambda p: p.name()):
        out.append(_pool(pool))
    out.append("</node>\n")
    return "\n".join(out)


def _domain(dom, libvirt) -> str:
    xml = dom.XMLDesc(libvirt.VIR_DOMAIN_XML_SECURE | libvirt.VIR_DOMAIN_XML_INACTIVE)
    extra = [f"<test:runstate>{_RUNSTATE.get(dom.state()[0], 5)}</test:runstate>"]
    for snap in dom.listAllSnapshots(libvirt.VIR_DOMAIN_SNAPSHOT_LIST_TOPOLOGICAL):
        body = snap.getXMLDesc(libvirt.VIR_DOMAIN_SNAPSHOT_XML_SECURE).strip()
        body = body[len("<domainsnapshot>"):-len("</domainsnapshot>")]
        active = 1 if snap.isCurrent() else 0
        extra.append(f"<test:domainsnapshot><active>{active}</active>{body}</test:domainsnapshot>")
    end = xml.rindex("</domain>")
    return xml[:end] + "\n".join(extra) + "\n</domain>"


def _pool(pool) -> str:
    xml = pool.XMLDesc(0)
    volumes = [vol.XMLDesc(0) for vol in sorted(pool.listAllVolumes(), key=lambda v: v.name())]
    end = xml.rindex("</pool>")
    return xml[:end] + "\n".join(volumes) + "\n</pool>"
