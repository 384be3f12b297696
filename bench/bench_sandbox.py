"""Sandbox benchmarks: a change among readers, and later commands at the limits.

* A write while readers loop: R processes run `vm.list` (of 500 VMs) one
  after another without pause; meanwhile one-shot `vm.create` runs N times. Prints the
  median and the longest time a write took, and the same write with no
  readers. (Before the turnstile lock, six loops made a 0.07 s write wait
  up to 12.5 s.)
* At the limits (acli/limits.py): one VM with a NIC trunking every VLAN
  (4,094) and as many snapshots as a VM may have. Prints the node file's
  size, the time the snapshots took (one batch), and the median time and
  peak memory of later one-shot commands (`vm.list`, `vm.get`, a write).

Run:  .venv/bin/python bench/bench_sandbox.py [--readers R] [--vms V] [--writes N] [--runs N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import tempfile
import threading
import time

from common import acli_command, timed



def _reader_loop(acli, stop: threading.Event) -> None:
    while not stop.is_set():
        subprocess.run(acli + ["vm.list"], capture_output=True)


def bench_writes_among_readers(folder: str, readers: int, writes: int, vms: int):
    acli = acli_command() + [f"--sandbox={folder}"]
    timed(acli + ["vm.create", f"seed[1..{vms}]", "memory=64M"])  # a read takes a while
    idle = [timed(acli + ["vm.create", f"idle{i}", "memory=64M"]) for i in range(writes)]
    stop = threading.Event()
    loops = [threading.Thread(target=_reader_loop, args=(acli, stop)) for _ in range(readers)]
    for loop in loops:
        loop.start()
    try:
        time.sleep(1.0)  # let the loops get going
        busy = [timed(acli + ["vm.create", f"busy{i}", "memory=64M"]) for i in range(writes)]
    finally:
        stop.set()
        for loop in loops:
            loop.join()
    return idle, busy


def _run_measured(cmd) -> tuple[float, int]:
    """(seconds, peak resident KiB) of one run of `cmd`."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"failed: {' '.join(cmd[:6])}: {proc.stderr.read().decode()[:300]}")
    return elapsed, usage.ru_maxrss


def bench_at_the_limits(folder: str, runs: int):
    from acli.limits import MAX_LIST, MAX_SNAPSHOTS_PER_VM

    acli = acli_command() + [f"--sandbox={folder}"]
    trunk = ",".join(str(v) for v in range(1, MAX_LIST + 1))
    setup = ("net.create vlan.10 vlan=10\nvm.create big memory=64M\n"
             f"vm.nic_create big network=vlan.10 vlan_mode=kTrunked trunked_networks={trunk}\n")
    timed(acli, setup)
    snaps = "".join(f"vm.snapshot_create big snapshot_name_list=s{i}\n"
                    for i in range(MAX_SNAPSHOTS_PER_VM))
    took = timed(acli, snaps)
    size = os.path.getsize(os.path.join(folder, "host.xml"))
    later = {}
    for label, words in (("vm.list", ["vm.list"]), ("vm.get big", ["vm.get", "big"]),
                         ("vm.create (a write)", None)):
        samples = []
        for i in range(runs):
            cmd = acli + (words or ["vm.create", f"w{i}", "memory=64M"])
            samples.append(_run_measured(cmd))
        later[label] = (statistics.median(s for s, _ in samples), max(m for _, m in samples))
    return MAX_SNAPSHOTS_PER_VM, took, size, later


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=6)
    parser.add_argument("--vms", type=int, default=500, help="VMs in the sandbox the readers list")
    parser.add_argument("--writes", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    top = tempfile.mkdtemp(prefix="acli-bench-")
    try:
        idle, busy = bench_writes_among_readers(os.path.join(top, "a"), args.readers, args.writes,
                                                args.vms)
        for label, times in (("a write (vm.create), no readers", idle),
                             (f"a write among {args.readers} vm.list loops ({args.vms} VMs)", busy)):
            print(f"{label:<46} median {statistics.median(times):5.2f} s   "
                  f"longest {max(times):5.2f} s")
        count, took, size, later = bench_at_the_limits(os.path.join(top, "b"), args.runs)
        print(f"one VM trunking every VLAN, {count} snapshots: node file {size / 1e6:.1f} MB, "
              f"the snapshots took {took:.1f} s (one batch)")
        for label, (seconds, peak) in later.items():
            print(f"  later one-shot {label:<20} median {seconds:5.2f} s   peak {peak / 1024:5.0f} MiB")
    finally:
        shutil.rmtree(top, ignore_errors=True)


if __name__ == "__main__":
    main()
