"""Scale benchmark on the real host (qemu:///system): acli with thousands of VMs.

For each VM count (1,000 and 10,000 by default) it defines that many VMs
sc-00000... with minimal XML (64 MiB, no devices), RUNNING of them running
and every SNAP_EVERY-th one holding a snapshot (redefined metadata, no disk
data), then prints medians and ratios:

* `acli vm.list`, `acli vm.list power_state=on`, `acli vm.get "sc-00*"` (a glob
  matching 1,000 VMs) and `acli snapshot.list`, each against its floor (the
  fewest libvirt calls that answer it, made one after another from Python
  in a fresh process: one bulk call where libvirt has one; where it has
  none, acli overlaps the calls and may come in under the floor) and
  against virsh (one process);
* the shell on a terminal: seconds from the last output line of `net.list`
  to the next prompt;
* Tab completion latency (p50, p99) in the shell: `vm.get ` and a prefix of
  a VM name (1 to all characters of random names), Tab, until the screen
  stops changing.

Run:  .venv/bin/python bench/bench_scale.py [--counts 1000,10000] [--runs 5]
Needs scripts/realhost up and the host to itself while it runs (~4 min
at 10,000). Every VM it makes is named sc-*; all of them are removed at the
end, also after a failure or an interrupt.
Targets (issue 11): vm.list at 10,000 within 1.5x of its floor; the prompt
back within 50 ms of the output; Tab p99 under 20 ms at 10,000 names.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time

from common import acli_command, timed
from pty_shell import PROMPT, PtyShell, prompt_after_output, tab_latency

URI = "qemu:///system"
PREFIX = "sc-"
GLOB = "sc-00*"  # sc-00000 .. sc-00999: 1,000 VMs at any count from 1,000
DOMAIN = ("<domain type='qemu'><name>{name}</name><memory unit='MiB'>64</memory>"
          "<vcpu>1</vcpu><os><type arch='x86_64' machine='pc'>hvm</type></os><devices/></domain>")
SNAPSHOT = ("<domainsnapshot><name>before-upgrade</name><creationTime>1700000000</creationTime>"
            "<state>shutoff</state>{domain}</domainsnapshot>")


def vm_name(i: int) -> str:
    return f"{PREFIX}{i:05d}"


def connect():
    import libvirt

    libvirt.registerErrorHandler(lambda *a: None, None)
    return libvirt.open(URI)


# the population ------------------------------------------------------------

def grow(conn, have: int, count: int, running: int, snap_every: int) -> None:
    """Define VMs have..count-1; the first `running` run; every
    `snap_every`-th holds a snapshot."""
    import libvirt

    for i in range(have, count):
        dom = conn.defineXML(DOMAIN.format(name=vm_name(i)))
        if i % snap_every == 0:
            xml = dom.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)
            dom.snapshotCreateXML(SNAPSHOT.format(domain=xml),
                                  libvirt.VIR_DOMAIN_SNAPSHOT_CREATE_REDEFINE)
        if i < running:
            dom.create()


def remove_all(conn) -> int:
    """Remove every sc-* VM (running or not, with its snapshots' metadata)."""
    import libvirt

    gone = 0
    for dom in conn.listAllDomains():
        if not dom.name().startswith(PREFIX):
            continue
        try:
            if dom.isActive():
                dom.destroy()
            dom.undefineFlags(libvirt.VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA)
            gone += 1
        except libvirt.libvirtError as err:
            print(f"could not remove {dom.name()}: {err}", file=sys.stderr)
    return gone


# floors: the fewest libvirt calls, from a fresh Python ------------------------

FLOOR_HEAD = f"""
import sys, libvirt
libvirt.registerErrorHandler(lambda *a: None, None)
conn = libvirt.open({URI!r})
"""

FLOORS = {
    "vm.list": """
rows = [(d.name(), d.UUIDString()) for d in conn.listAllDomains()]
""",
    "vm.list power_state=on": """
on = (1, 2, 4)  # running, blocked, shutting down
rows = [(d.name(), d.UUIDString()) for d, s in
        conn.getAllDomainStats(libvirt.VIR_DOMAIN_STATS_STATE,
                               libvirt.VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE)
        if s["state.state"] in on]
""",
    f"vm.get {GLOB}": f"""
from fnmatch import fnmatchcase
doms = [d for d in conn.listAllDomains() if fnmatchcase(d.name(), {GLOB!r})]
states = conn.domainListGetStats(doms, libvirt.VIR_DOMAIN_STATS_STATE, 0)
rows = [(d.name(), d.XMLDesc(libvirt.VIR_DOMAIN_XML_INACTIVE)) for d in doms]
""",
    "snapshot.list": """
rows = [(d.name(), s.getName(), s.getXMLDesc(0))
        for d in conn.listAllDomains(libvirt.VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT)
        for s in d.listAllSnapshots(0)]
""",
}
FLOOR_TAIL = """
sys.stdout.write("".join(f"{r[0]} {r[1][:40]}\\n" for r in rows))
"""
FLOOR_CALLS = {
    "vm.list": "listAllDomains",
    "vm.list power_state=on": "getAllDomainStats(STATE, ACTIVE)",
    f"vm.get {GLOB}": "listAllDomains + domainListGetStats + XMLDesc each",
    "snapshot.list": "listAllDomains(HAS_SNAPSHOT) + listAllSnapshots + getXMLDesc each",
}


def virsh_command(line: str, conn) -> tuple[list[str], str | None]:
    """virsh doing the same in one process: (argv, stdin)."""
    import libvirt

    base = ["virsh", "-q", "-c", URI]
    if line == "vm.list":
        return base + ["list", "--all"], None
    if line == "vm.list power_state=on":
        return base + ["list", "--state-running"], None
    if line.startswith("vm.get"):
        from fnmatch import fnmatchcase

        names = sorted(d.name() for d in conn.listAllDomains() if fnmatchcase(d.name(), GLOB))
        return base, "".join(f"dominfo {n}\ndumpxml --inactive {n}\n" for n in names)
    if line == "snapshot.list":
        names = sorted(d.name() for d in
                       conn.listAllDomains(libvirt.VIR_CONNECT_LIST_DOMAINS_HAS_SNAPSHOT))
        return base, "".join(f"snapshot-list --domain {n}\n" for n in names)
    raise ValueError(line)


def median_time(cmd, stdin_text, runs) -> float:
    timed(cmd, stdin_text)  # warm the page cache
    return statistics.median(timed(cmd, stdin_text) for _ in range(runs))


def bench_listings(conn, runs: int) -> None:
    acli = acli_command() + ["-c", URI]
    for line, body in FLOORS.items():
        ours = median_time(acli + line.split(), None, runs)
        floor = median_time([sys.executable, "-c", FLOOR_HEAD + body + FLOOR_TAIL], None, runs)
        argv, stdin = virsh_command(line, conn)
        virsh = median_time(argv, stdin, runs)
        print(f"  {line:24s} acli {ours * 1000:7.1f} ms   floor {floor * 1000:7.1f} ms "
              f"({ours / floor:4.2f}x)   virsh {virsh * 1000:7.1f} ms ({ours / virsh:4.2f}x)"
              f"   floor = {FLOOR_CALLS[line]}")


# the shell ---------------------------------------------------------------

def bench_shell(count: int, runs: int, tabs: int) -> None:
    state = tempfile.mkdtemp(prefix="acli-bench-scale-")
    env = {**os.environ, "XDG_STATE_HOME": state}
    shell = PtyShell(acli_command() + ["-c", URI], env)
    try:
        shell.read_until(PROMPT)
        shell.quiet(1.0)
        waits = []
        for _ in range(runs):
            waits.append(prompt_after_output(shell, "net.list"))
            shell.quiet(0.5)
        print(f"  shell: prompt after net.list's output     median {statistics.median(waits) * 1000:7.1f} ms"
              f"   max {max(waits) * 1000:7.1f} ms   target < 50 ms")
        shell.quiet(2.0)  # let the names settle after the last command
        rng = random.Random(11)
        latencies = []
        for _ in range(tabs):
            name = vm_name(rng.randrange(count))
            typed = name[:rng.randint(len(PREFIX) + 1, len(name))]
            latencies.append(tab_latency(shell, "vm.get " + typed))
        latencies.sort()
        p50 = latencies[len(latencies) // 2]
        p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
        print(f"  shell: Tab completion ({tabs} presses)    p50 {p50 * 1000:7.1f} ms"
              f"   p99 {p99 * 1000:7.1f} ms   target p99 < 20 ms")
    finally:
        shell.close()
        subprocess.run(["rm", "-rf", state])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", default="1000,10000", help="VM counts, ascending")
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement (median taken)")
    parser.add_argument("--running", type=int, default=10, help="how many of the VMs run")
    parser.add_argument("--snap-every", type=int, default=10, help="every Nth VM holds a snapshot")
    parser.add_argument("--tabs", type=int, default=100, help="Tab presses measured per count")
    args = parser.parse_args()
    counts = [int(c) for c in args.counts.split(",")]
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # clean up on kill too
    conn = connect()
    if remove_all(conn):
        print("removed sc-* VMs an earlier run left behind")
    have = 0
    try:
        for count in counts:
            start = time.perf_counter()
            grow(conn, have, count, args.running, args.snap_every)
            have = count
            total = len(conn.listAllDomains())
            print(f"{count:,} VMs sc-* ({args.running} running, 1 in {args.snap_every} with a "
                  f"snapshot; {total:,} on the host; made in {time.perf_counter() - start:.0f} s)")
            bench_listings(conn, args.runs)
            bench_shell(count, args.runs, args.tabs)
    finally:
        remove_all(conn)


if __name__ == "__main__":
    main()
