"""Networking benchmark on the real host (qemu:///system + the system OVSDB).

Two workloads, each timed as a user would run it, against doing the same
with virsh one call at a time:

* attach: one NIC (network acli-bench-v10, VLAN 10) to each of N VMs.
  acli: one batch of N `vm.nic_create` lines. virsh: N `virsh attach-device
  --config` calls with the same NIC XML acli writes.
* retag: change the VLAN of a network used by those N NICs (R of the VMs
  running, so live ports are re-tagged too). acli: one `net.update NET
  vlan=V`. virsh + ovs-vsctl: `virsh net-define` for the network, one
  `virsh update-device` per NIC (--live --config on running VMs), and one
  `ovs-vsctl get Port` per running NIC to check its new tag, as a careful
  admin would.

Prints the median of several runs of each and the ratio.

Run:  .venv/bin/python bench/bench_net.py            (quick: N=50, R=2, 3 runs; ~20 s)
      .venv/bin/python bench/bench_net.py --full     (N=500, R=4, 5 runs; ~3 min)
Needs scripts/realhost up. Makes VMs acli-bench-*, network acli-bench-v10
and switch vs6 (br6 over eth1) and removes them at the end.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
import uuid as uuidlib

from common import acli_command, timed

URI = "qemu:///system"
NET, VS, BR = "acli-bench-v10", "vs6", "br6"
PREFIX = "acli-bench-"
DOMAIN = ("<domain type='qemu'><name>{name}</name><uuid>{uuid}</uuid><memory unit='MiB'>32</memory><vcpu>1</vcpu>"
          "<os><type arch='x86_64' machine='pc'>hvm</type></os><devices/></domain>")
NIC = ("<interface type='network'><mac address='{mac}'/><source network='{net}'/>"
       "<vlan><tag id='{vlan}'/></vlan><virtualport type='openvswitch'>"
       "<parameters interfaceid='{uuid}'/></virtualport><model type='virtio'/></interface>")


def acli_on_host() -> list[str]:
    return acli_command() + ["-c", URI, "-y"]


def conn():
    import libvirt

    libvirt.registerErrorHandler(lambda *a: None, None)
    return libvirt.open(URI)


def cleanup(c):
    for dom in c.listAllDomains():
        if dom.name().startswith(PREFIX):
            if dom.isActive():
                dom.destroy()
            dom.undefine()
    for net in c.listAllNetworks():
        if net.name() == NET:
            if net.isActive():
                net.destroy()
            net.undefine()
    subprocess.run(["ovs-vsctl", "--if-exists", "del-br", BR], capture_output=True)


def names(n: int) -> list[str]:
    return [f"{PREFIX}{i:03d}" for i in range(n)]


def reset_vms(c, vms: list[str]):
    """Every bench VM defined, stopped, with no NIC."""
    for name in vms:
        try:
            dom = c.lookupByName(name)
            if dom.isActive():
                dom.destroy()
        except Exception:
            pass
        c.defineXML(DOMAIN.format(name=name, uuid=uuidlib.uuid5(uuidlib.NAMESPACE_DNS, name)))


def mac(i: int, salt: int) -> str:
    return f"50:6b:8d:{salt:02x}:{i >> 8:02x}:{i & 0xff:02x}"


def attach_acli(vms) -> float:
    batch = "".join(f"vm.nic_create {v} network={NET}\n" for v in vms)
    return timed(acli_on_host(), batch)


def attach_virsh(vms, tmp, salt) -> float:
    files = []
    for i, v in enumerate(vms):
        path = os.path.join(tmp, f"{v}.xml")
        with open(path, "w") as f:
            f.write(NIC.format(mac=mac(i, salt), net=NET, vlan=10, uuid=uuidlib.uuid4()))
        files.append(path)
    start = time.perf_counter()
    for v, path in zip(vms, files):
        timed(["virsh", "-q", "-c", URI, "attach-device", v, path, "--config"])
    return time.perf_counter() - start


def retag_acli(vlan: int) -> float:
    return timed(acli_on_host() + ["net.update", NET, f"vlan={vlan}"])


def retag_virsh(c, vms, running: set, vlan: int, tmp) -> float:
    """The same change by hand: the network, then every NIC, then check live ports."""
    import xml.etree.ElementTree as ET

    net_xml = c.networkLookupByName(NET).XMLDesc(0)
    root = ET.fromstring(net_xml)
    root.find("vlan/tag").set("id", str(vlan))
    net_path = os.path.join(tmp, "net.xml")
    with open(net_path, "w") as f:
        f.write(ET.tostring(root, encoding="unicode"))
    nic_files = {}
    for v in vms:
        dom = c.lookupByName(v)
        el = ET.fromstring(dom.XMLDesc(2)).find("devices/interface")
        el.find("vlan/tag").set("id", str(vlan))
        path = os.path.join(tmp, f"{v}-nic.xml")
        with open(path, "w") as f:
            f.write(ET.tostring(el, encoding="unicode"))
        nic_files[v] = path
    start = time.perf_counter()
    timed(["virsh", "-q", "-c", URI, "net-define", net_path])
    for v in vms:
        flags = ["--live", "--config"] if v in running else ["--config"]
        timed(["virsh", "-q", "-c", URI, "update-device", v, nic_files[v], *flags])
    for v in sorted(running):
        port = subprocess.run(["virsh", "-q", "-c", URI, "domiflist", v], capture_output=True,
                              text=True).stdout.split()[0]
        timed(["ovs-vsctl", "get", "Port", port, "tag"])
    return time.perf_counter() - start


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--full", action="store_true", help="N=500 VMs, 4 running, 5 runs")
    ap.add_argument("-n", type=int, help="number of VMs")
    ap.add_argument("--running", type=int, help="VMs powered on for the re-tag")
    ap.add_argument("--runs", type=int, help="runs of each workload")
    args = ap.parse_args()
    n = args.n or (500 if args.full else 50)
    running_n = args.running if args.running is not None else (4 if args.full else 2)
    runs = args.runs or (5 if args.full else 3)
    import tempfile

    c = conn()
    cleanup(c)
    tmp = tempfile.mkdtemp(prefix="acli-bench-")
    try:
        timed(acli_on_host() + ["net.create_virtual_switch", VS, "uplinks=eth1"])
        timed(acli_on_host() + ["net.create", NET, "vlan=10", f"virtual_switch={VS}"])
        vms = names(n)
        results = {"attach acli": [], "attach virsh": [], "retag acli": [], "retag virsh": []}
        for r in range(runs):
            reset_vms(c, vms)
            results["attach acli"].append(attach_acli(vms))
            reset_vms(c, vms)
            results["attach virsh"].append(attach_virsh(vms, tmp, r))
            running = set(vms[:running_n])
            for v in running:
                c.lookupByName(v).create()
            results["retag acli"].append(retag_acli(11 + 2 * r))
            results["retag virsh"].append(retag_virsh(c, vms, running, 12 + 2 * r, tmp))
        print(f"networking benchmark: {n} VMs ({running_n} running for the re-tag), "
              f"median of {runs} runs")
        for work in ("attach", "retag"):
            mine = statistics.median(results[f"{work} acli"])
            theirs = statistics.median(results[f"{work} virsh"])
            print(f"  {work:6}  acli {mine:7.2f} s   virsh+ovs-vsctl {theirs:7.2f} s   "
                  f"ratio {theirs / mine:5.1f}x faster")
    finally:
        cleanup(c)
        subprocess.run(["rm", "-rf", tmp])
    return 0


if __name__ == "__main__":
    sys.exit(main())
