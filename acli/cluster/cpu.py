"""The cluster's CPU baseline: the lowest common CPU of its hosts, which
libvirt computes from each host's CPU (`Host.cpu_description`, the
host-model CPU of its domain capabilities; `Host.cpu_baseline`,
virConnectBaselineHypervisorCPU with MIGRATABLE). A VM made in a cluster of
several hosts gets it as a custom <cpu> with `fallback='forbid'`, so it
runs, and live-migrates, on every host, whatever each one's generation.

It is computed from the hosts each time it is needed (vm.create, host.get),
not stored: the hosts themselves are where every acli reads it from, and
it follows a host that joins or leaves with no step to forget. A VM keeps
the CPU it was made with; `vm.update cpu_passthrough=true` gives it the
host's own CPU instead, and takes away its live migration.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from acli.errors import AcliError, BackendError


def baseline(cluster) -> str:
    """The baseline CPU's inner XML (model, vendor, features) over every
    answering host; "" for a cluster of one (QEMU's default, as before)."""
    if cluster.single:
        return ""
    members = cluster.answering()
    found = cluster.each(lambda host: host.cpu_description(), members)
    descriptions = []
    for member, result in found:
        if isinstance(result, BaseException):
            raise BackendError(f"host {member.name}: cannot read its CPU: "
                               f"{getattr(result, 'message', result)}")
        descriptions.append(result)
    try:
        xml = members[0].host.cpu_baseline(descriptions)
    except AcliError:
        raise
    except Exception as err:  # noqa: BLE001 - libvirt's refusal, said in one line
        from acli.hosts.libvirt_errors import translate

        raise translate(err) if hasattr(err, "get_error_code") else err from None
    cpu = ET.fromstring(xml)
    model = cpu.find("model")
    if model is not None:
        model.set("fallback", "forbid")  # this model or none: never a silent other
    return "".join(ET.tostring(child, encoding="unicode") for child in cpu)


def model_name(inner_xml: str) -> str:
    if not inner_xml:
        return ""
    return ET.fromstring(f"<cpu>{inner_xml}</cpu>").findtext("model") or ""
