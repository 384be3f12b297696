"""High availability: a failed host's VMs restart on the others, never twice,
never without room. See docs/ha.md.

* Settings (`ha.get`, `ha.update`): `acli-ha` (JSON) in every host's OVSDB,
  as the cluster's other settings (settings.py).
* A VM's priority (`ha_priority=`): its domain metadata, an element of its
  own namespace, so it moves with the VM.
* Admission control (`check_admission`): with N host failures to tolerate,
  whatever would put a VM on a host (vm.on, vm.migrate, maintenance) is
  refused when the other hosts' free memory could not take the running VMs
  of the N most loaded hosts.
* What the watcher (acli/ha_agent.py) restarts: each round it records every
  running VM of every answering host (`acli-ha-vm.<UUID>`: its host, name,
  priority, memory and definition) in every answering host's OVSDB, since a
  failed host's own libvirt cannot be asked for them. A host silent for the
  set time has its recorded VMs started on the others, highest priority
  first, where placement puts them.
* Never twice: starting a VM whose disks another host's QEMU still holds is
  refused by libvirt's lock manager (virtlockd leases on the shared
  storage), not by anything acli keeps; see docs/ha.md for its limits.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import libvirt

from acli.cluster import settings
from acli.errors import AcliError
from acli.hosts.libvirt_errors import libvirt_call
from acli.vms.events import ConfigEvent

VM_PREFIX = "acli-ha-vm."
NS = "http://acli.dev/xmlns/ha/1.0"
PREFIX = "acliha"


# a VM's priority --------------------------------------------------------------

def priority_in_xml(root) -> int | None:
    el = root.find(f"metadata/{{{NS}}}ha")
    if el is None or not (el.get("priority") or "").lstrip("-").isdigit():
        return None
    return int(el.get("priority"))


@libvirt_call
def set_priority(dom, priority: int) -> None:
    dom.setMetadata(libvirt.VIR_DOMAIN_METADATA_ELEMENT, f'<ha priority="{int(priority)}"/>',
                    PREFIX, NS, libvirt.VIR_DOMAIN_AFFECT_CONFIG)


def config_parts(event: ConfigEvent) -> list[dict]:
    """vm CONFIG_PARTS hook: a VM's ha_priority, when it has one."""
    out = []
    for definition in event.definitions:
        priority = priority_in_xml(definition.root)
        out.append({"ha_priority": priority} if priority is not None else {})
    return out


# the records the watcher keeps -------------------------------------------------

class Record:
    __slots__ = ("uuid", "host", "name", "priority", "memory_mb", "xml")

    def __init__(self, uuid, host, name, priority, memory_mb, xml):
        self.uuid = uuid
        self.host = host
        self.name = name
        self.priority = priority
        self.memory_mb = memory_mb
        self.xml = xml

    def to_json(self) -> str:
        return json.dumps({"host": self.host, "name": self.name, "priority": self.priority,
                           "memory_mb": self.memory_mb, "xml": self.xml}, sort_keys=True)

    @classmethod
    def from_json(cls, uuid: str, text: str):
        data = json.loads(text)
        return cls(uuid, data["host"], data["name"], int(data.get("priority") or 0),
                   int(data.get("memory_mb") or 0), data["xml"])


def read_records(host) -> dict[str, Record]:
    out = {}
    for key, value in settings.read(host).items():
        if key.startswith(VM_PREFIX):
            try:
                out[key[len(VM_PREFIX):]] = Record.from_json(key[len(VM_PREFIX):], value)
            except (ValueError, KeyError, TypeError):
                continue
    return out


def _running(host) -> list[tuple[str, str, int, str]]:
    """(uuid, name, memory MB, inactive XML) of every running VM of the host."""
    from acli.vms.spec import spec_from_xml

    out = []
    for dom in host.conn.listAllDomains(libvirt.VIR_CONNECT_LIST_DOMAINS_ACTIVE):
        xml = dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE | libvirt.VIR_DOMAIN_XML_SECURE)
        out.append((dom.UUIDString(), dom.name(), spec_from_xml(xml).memory_mb, xml))
    return out


def record_running(cluster, members, known: dict[str, Record]) -> dict[str, Record]:
    """Bring the records in line with what runs on the answering `members`:
    every running VM recorded where it runs; a VM of an answering host that
    runs nowhere any more forgotten (a VM of a silent host is kept: it may
    be needed). Written on every answering host; the records now."""
    answering, running = set(), {}
    for member, result in cluster.each(_running, members):
        if isinstance(result, BaseException):
            continue
        answering.add(member.name)
        for uuid, name, memory, xml in result:
            priority = priority_in_xml(ET.fromstring(xml)) or 0
            running[uuid] = Record(uuid, member.name, name, priority, memory, xml)
    now = {uuid: r for uuid, r in known.items() if r.host not in answering}
    now.update(running)
    changes = {}
    for uuid in set(known) | set(now):
        old, new = known.get(uuid), now.get(uuid)
        if new is None:
            changes[VM_PREFIX + uuid] = None
        elif old is None or old.to_json() != new.to_json():
            changes[VM_PREFIX + uuid] = new.to_json()
    if changes:
        for member in members:
            if member.name in answering:
                try:
                    settings.write(member.host, changes)
                except AcliError:
                    continue  # the next round writes it
    return now


# failing over -----------------------------------------------------------------

def fail_over(cluster, failed_name: str, records: dict[str, Record], members) -> list[tuple]:
    """Start the failed host's recorded VMs on the answering `members`,
    highest priority first: [(name, host it runs on now, error or None)]."""
    from acli.cluster import placement
    from acli.vms.power import power

    mine = sorted((r for r in records.values() if r.host == failed_name),
                  key=lambda r: (-r.priority, r.name))
    report = []
    for record in mine:
        if record.priority < 0:
            report.append((record.name, None, "ha_priority -1: never restarted"))
            continue
        try:
            running_on = _running_on(cluster, members, record.uuid)
            if running_on is not None:
                record.host = running_on
                report.append((record.name, running_on, None))
                continue
            loads = [load for load in placement.loads(cluster) if load.member in members]
            from acli.cluster.affinity import hosts_in_xml

            chosen = placement.choose(cluster, record.uuid, record.memory_mb,
                                      hosts_in_xml(ET.fromstring(record.xml)), host_loads=loads,
                                      admission=False)
            host = chosen.member.host
            dom, defined_here = _defined_on(host, record)
            try:
                power(host, dom, "on")
            except BaseException:
                if defined_here:  # no second definition left behind
                    dom.undefine()
                raise
            record.host = chosen.member.name
            report.append((record.name, chosen.member.name, None))
        except AcliError as err:
            report.append((record.name, None, err.message))
        except libvirt.libvirtError as err:
            from acli.hosts.libvirt_errors import translate

            report.append((record.name, None, translate(err).message))
    return report


def _running_on(cluster, members, uuid: str) -> str | None:
    for member, result in cluster.each(lambda host: _state_of(host, uuid), members):
        if result is True:
            return member.name
    return None


def _state_of(host, uuid: str) -> bool:
    try:
        return bool(host.conn.lookupByUUIDString(uuid).isActive())
    except libvirt.libvirtError:
        return False


def _defined_on(host, record: Record):
    """(the domain on `host`, whether it was defined just now)."""
    try:
        return host.conn.lookupByUUIDString(record.uuid), False
    except libvirt.libvirtError:
        return host.conn.defineXML(record.xml), True


def clean_stale(member, records: dict[str, Record]) -> list[str]:
    """A host that answers again: its definitions of VMs that now run on
    another host are stale; they are undefined (never started). A copy it
    still runs is left alone and named: only an admin may end a guest."""
    said = []
    host = member.host
    for dom in sorted(host.conn.listAllDomains(), key=lambda d: d.name()):
        record = records.get(dom.UUIDString())
        if record is None or record.host == member.name:
            continue
        if dom.isActive():
            said.append(f"{dom.name()} runs on {member.name} and on {record.host}: left running; "
                        "power one off")
            continue
        flags = libvirt.VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA
        if host.caps.nvram:
            flags |= libvirt.VIR_DOMAIN_UNDEFINE_KEEP_NVRAM
        dom.undefineFlags(flags)
        said.append(f"{dom.name()}: the stale copy on {member.name} was removed")
    return said
