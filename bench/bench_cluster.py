"""Cluster benchmark on the rig (scripts/rig up [N]): acli over several hosts.

* `acli vm.list` over every host with PER_HOST VMs defined on each, against
  the same lists taken host after host with `virsh list --all --name` (one
  virsh process a host, as an admin's loop would);
* evacuating EVACUATE idle running VMs from the first host
  (`acli host.enter_maintenance_mode`), against the same migrations done
  one by one with `virsh migrate --live --p2p --persistent --undefinesource`.

Run:  .venv/bin/python bench/bench_cluster.py [--per-host 200] [--evacuate 10] [--runs 5]
Every VM it makes is named bc-*; all are removed at the end, also after a
failure or an interrupt. Medians of --runs runs; one run prints every figure.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import acli_command, timed  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PREFIX = "bc-"


def rig_hosts() -> list[dict]:
    done = subprocess.run(["bash", os.path.join(ROOT, "scripts", "rig"), "status"],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit("the rig is not up: bash scripts/rig up")
    return tomllib.loads(done.stdout)["host"]


def domain_xml(name: str) -> str:
    return (f"<domain type='qemu'><name>{name}</name><memory unit='MiB'>64</memory><vcpu>1</vcpu>"
            "<os><type arch='x86_64' machine='pc'>hvm</type></os>"
            "<cpu mode='custom' match='exact'><model fallback='forbid'>qemu64</model></cpu>"
            "<devices><memballoon model='none'/></devices></domain>")


def clean(hosts) -> None:
    import libvirt

    for h in hosts:
        conn = libvirt.open(h["uri"])
        for dom in conn.listAllDomains():
            if dom.name().startswith(PREFIX):
                if dom.isActive():
                    dom.destroy()
                dom.undefine()
        conn.close()
        subprocess.run(["ovs-vsctl", f"--db={h['ovsdb']}", "remove", "Open_vSwitch", ".",
                        "external_ids", "acli-node-state"], capture_output=True)


def main() -> None:
    import libvirt

    parser = argparse.ArgumentParser()
    parser.add_argument("--per-host", type=int, default=200)
    parser.add_argument("--evacuate", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    libvirt.registerErrorHandler(lambda *a: None, None)
    hosts = rig_hosts()
    with tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False) as f:
        f.write("".join(f'[[host]]\nname = "{h["name"]}"\nuri = "{h["uri"]}"\n'
                        f'ovsdb = "{h["ovsdb"]}"\n' for h in hosts))
        cluster_file = f.name
    acli = acli_command() + ["--cluster", cluster_file, "-y"]
    clean(hosts)
    try:
        for n, h in enumerate(hosts):
            conn = libvirt.open(h["uri"])
            for i in range(args.per_host):
                conn.defineXML(domain_xml(f"{PREFIX}{n}-{i:04d}"))
            conn.close()
        total = len(hosts) * args.per_host
        ours = [timed(acli + ["vm.list"]) for _ in range(args.runs)]
        theirs = []
        for _ in range(args.runs):
            start = time.perf_counter()
            for h in hosts:
                subprocess.run(["virsh", "-c", h["uri"], "list", "--all", "--name"],
                               capture_output=True, check=True)
            theirs.append(time.perf_counter() - start)
        a, v = statistics.median(ours), statistics.median(theirs)
        print(f"vm.list, {len(hosts)} hosts x {args.per_host} VMs ({total}): acli {a * 1000:.0f} ms, "
              f"virsh host after host {v * 1000:.0f} ms: {v / a:.2f}x (medians of {args.runs})")
        clean(hosts)

        first, second = hosts[0], hosts[1]
        names = [f"{PREFIX}e{i:02d}" for i in range(args.evacuate)]
        conn = libvirt.open(first["uri"])
        for name in names:
            conn.defineXML(domain_xml(name)).create()
        conn.close()
        evacuate = timed(acli + ["host.enter_maintenance_mode", first["name"]])
        timed(acli + ["host.exit_maintenance_mode", first["name"]])
        # the same VMs back to the first host one by one with virsh (from
        # wherever placement put them), then away again
        for h in hosts[1:]:
            conn = libvirt.open(h["uri"])
            here = [d.name() for d in conn.listAllDomains() if d.name().startswith(PREFIX)]
            conn.close()
            for name in here:
                subprocess.run(["virsh", "-c", h["uri"], "migrate", "--live", "--p2p",
                                "--persistent", "--undefinesource", name, first["uri"]],
                               capture_output=True, check=True)
        start = time.perf_counter()
        for name in names:
            subprocess.run(["virsh", "-c", first["uri"], "migrate", "--live", "--p2p",
                            "--persistent", "--undefinesource", name, second["uri"]],
                           capture_output=True, check=True)
        by_virsh = time.perf_counter() - start
        print(f"evacuating {args.evacuate} idle VMs: acli host.enter_maintenance_mode "
              f"{evacuate:.2f} s, virsh migrate one by one {by_virsh:.2f} s: "
              f"{by_virsh / evacuate:.2f}x (one run each)")
    finally:
        clean(hosts)
        os.unlink(cluster_file)


if __name__ == "__main__":
    main()
