"""Several acli processes at once on one host, then a look at what they left.

`run_admins` starts `workers` acli processes together, each doing what an
admin would (making VMs, adding NICs on a shared managed network, racing the
others for one MAC and one address, re-tagging the network, deleting a VM),
some as one command per process, some as a batch. `check_host` then reads
the host with libvirt itself: no MAC or address handed out twice, no NIC
lost, every NIC on the network's VLAN, every address held by a NIC that
exists.
"""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor

RACED_MAC = "50:6b:8d:aa:bb:01"
RACED_IP = "198.51.100.250"
NET_NS = "{http://acli.dev/xmlns/net/1.0}"


def worker_lines(prefix: str, net: str, w: int) -> list[str]:
    vms = [f"{prefix}w{w}v{i}" for i in (1, 2, 3)]
    return [
        f"vm.create {','.join(vms)} memory=64M",
        *[f"vm.nic_create {vm} network={net}" for vm in vms],
        f"vm.nic_create {vms[0]} network={net} mac={RACED_MAC}",
        f"vm.nic_create {vms[1]} network={net} ip={RACED_IP}",
        f"net.update {net} vlan={20 + w}",
        f"vm.nic_create {vms[1]} network={net} request_ip=true",
        f"-y vm.delete {vms[2]}",
    ]


def run_admins(acli_cmd: list[str], prefix: str, net: str, workers: int = 8) -> dict:
    """Run every worker at once; {line: [exit statuses]} over all workers
    (lines are per worker, so the raced lines are the ones with `workers`
    statuses)."""

    def one_shot(w):
        out = []
        for line in worker_lines(prefix, net, w):
            done = subprocess.run(acli_cmd + [line], capture_output=True, text=True, timeout=600,
                                  stdin=subprocess.DEVNULL)
            assert "Traceback" not in done.stderr, done.stderr
            out.append((line, done.returncode, done.stderr))
        return out

    def batch(w):
        lines = worker_lines(prefix, net, w)
        script = "".join(line + "\n" for line in lines)
        done = subprocess.run(acli_cmd + ["--keep-going"], input=script, capture_output=True,
                              text=True, timeout=600)
        assert "Traceback" not in done.stderr, done.stderr
        failed = {int(part.split(":")[1]) for part in done.stderr.splitlines()
                  if part.startswith("<stdin>:")}
        return [(line, 1 if n in failed else 0, done.stderr) for n, line in enumerate(lines, 1)]

    with ThreadPoolExecutor(workers) as pool:
        futures = [pool.submit(batch if w % 2 else one_shot, w) for w in range(workers)]
        results = [f.result() for f in futures]
    return {"by_worker": results}


def nics_of(conn, prefix: str) -> dict[str, list[tuple[str, str | None, list[int]]]]:
    """VM name -> [(MAC, network, VLAN tags)] from the stored definitions."""
    out = {}
    for dom in conn.listAllDomains():
        if not dom.name().startswith(prefix):
            continue
        root = ET.fromstring(dom.XMLDesc(2))  # VIR_DOMAIN_XML_INACTIVE
        nics = []
        for el in root.findall("devices/interface"):
            mac = el.find("mac").get("address").lower()
            source = el.find("source")
            tags = [int(t.get("id")) for t in el.findall("vlan/tag")]
            nics.append((mac, source.get("network") if source is not None else None, tags))
        out[dom.name()] = nics
    return out


def network_state(conn, net: str) -> tuple[int, list[tuple[str, str]], bool]:
    """(VLAN, [(ip, mac)] leases, retag_pending) of a network's stored definition."""
    import libvirt

    virnet = conn.networkLookupByName(net)
    try:
        xml = virnet.XMLDesc(libvirt.VIR_NETWORK_XML_INACTIVE)
    except libvirt.libvirtError:  # the test driver has one definition and takes no flags
        xml = virnet.XMLDesc(0)
    root = ET.fromstring(xml)
    tag = root.find("vlan/tag")
    meta = root.find(f"metadata/{NET_NS}network")
    leases = []
    pending = False
    if meta is not None:
        leases = [(lease.get("ip"), lease.get("mac").lower())
                  for lease in meta.iter(f"{NET_NS}lease")]
        pending = meta.findtext(f"{NET_NS}retag_pending") == "yes"
    return (int(tag.get("id")) if tag is not None else 0), leases, pending


def check_host(conn, prefix: str, net: str, results: dict, workers: int) -> dict:
    """Assert the invariants; return figures for the report."""
    nics = nics_of(conn, prefix)
    vlan, leases, pending = network_state(conn, net)
    all_macs = [mac for vm_nics in nics.values() for mac, _, _ in vm_nics]
    assert len(all_macs) == len(set(all_macs)), f"a MAC on two NICs: {sorted(all_macs)}"
    ips = [ip for ip, _ in leases]
    assert len(ips) == len(set(ips)), f"an address held twice: {sorted(ips)}"
    assert not pending, "the network is left marked retag_pending"
    # every NIC on the network carries its VLAN (access: the tag; none on VLAN 0)
    for vm, vm_nics in nics.items():
        for mac, network, tags in vm_nics:
            if network == net:
                assert tags == ([vlan] if vlan else []), f"{vm} NIC {mac} has {tags}, network {vlan}"
    # every address is held by a NIC that exists on the network, and each NIC on a
    # network with pools has one
    on_net = {mac for vm_nics in nics.values() for mac, network, _ in vm_nics if network == net}
    assert {mac for _, mac in leases} == on_net, "leases and NICs disagree"
    # nothing lost: each reported success is there
    raced_mac_wins = raced_ip_wins = 0
    for w, lines in enumerate(results["by_worker"]):
        status = {line: code for line, code, _ in lines}
        unexpected = [(line, err) for line, code, err in lines
                      if code and RACED_MAC not in line and RACED_IP not in line]
        assert not unexpected, f"worker {w}: {unexpected}"
        v1, v2, v3 = (f"{prefix}w{w}v{i}" for i in (1, 2, 3))
        if status[f"vm.create {v1},{v2},{v3} memory=64M"] != 0:
            continue
        assert v3 not in nics or status[f"-y vm.delete {v3}"] != 0
        expect_v1 = int(status[f"vm.nic_create {v1} network={net}"] == 0)
        won_mac = status[f"vm.nic_create {v1} network={net} mac={RACED_MAC}"] == 0
        expect_v1 += won_mac
        raced_mac_wins += won_mac
        assert len(nics.get(v1, [])) == expect_v1, f"{v1}: {nics.get(v1)}"
        won_ip = status[f"vm.nic_create {v2} network={net} ip={RACED_IP}"] == 0
        raced_ip_wins += won_ip
        expect_v2 = ((status[f"vm.nic_create {v2} network={net}"] == 0) + won_ip
                     + (status[f"vm.nic_create {v2} network={net} request_ip=true"] == 0))
        assert len(nics.get(v2, [])) == expect_v2, f"{v2}: {nics.get(v2)}"
    assert raced_mac_wins == 1, f"{raced_mac_wins} NICs got {RACED_MAC}"
    assert raced_ip_wins == 1, f"{raced_ip_wins} NICs got {RACED_IP}"
    lines_run = sum(len(lines) for lines in results["by_worker"])
    failures = sum(code != 0 for lines in results["by_worker"] for _, code, _ in lines)
    return {"commands": lines_run, "failures": failures, "nics": len(on_net), "vlan": vlan}
