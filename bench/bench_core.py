"""Core benchmarks: one-shot start-up, a long batch, and the parser.

Prints medians of several runs and ratios against the baseline each is
compared with:

* one-shot `acli vm.list` against `virsh list --all` on the same sandbox
  node file (50 VMs);
* a 1,000-line batch (create, power on, power off, delete 250 VMs) against
  the same libvirt calls made directly from Python in one process;
* lines parsed per second by the grammar.

With --instructions, the batch and the direct calls are also counted in
instructions (valgrind): a figure that does not drift with the machine.

Run:  .venv/bin/python bench/bench_core.py [--runs N] [--instructions]
Targets (issue 2): vm.list < 100 ms median; batch <= 1.3x direct; parse > 10,000 lines/s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time

from common import acli_command, timed

HERE = os.path.dirname(os.path.abspath(__file__))


def bench_one_shot(folder: str, runs: int):
    acli = acli_command() + [f"--sandbox={folder}"]
    script = "".join(f"vm.create bench{i:03d} memory=64M\n" for i in range(50))
    timed(acli, script)
    uri = f"test://{os.path.join(folder, 'host.xml')}"
    timed(acli + ["vm.list"])  # warm the grammar cache and the page cache
    ours = [timed(acli + ["vm.list"]) for _ in range(runs)]
    virsh = [timed(["virsh", "-c", uri, "list", "--all"]) for _ in range(runs)]
    return statistics.median(ours), statistics.median(virsh)


def batch_script(count: int) -> str:
    lines = [f"vm.create b{i:04d} memory=64M" for i in range(count)]
    lines += [f"vm.on b{i:04d}" for i in range(count)]
    lines += [f"vm.off b{i:04d}" for i in range(count)]
    lines += [f"-y vm.delete b{i:04d}" for i in range(count)]
    return "\n".join(lines) + "\n"


def direct_calls(folder: str, count: int) -> float:
    """The same work as the batch, as plain libvirt calls in one Python
    process, timed like acli's: from process start to exit. Each VM is
    defined with the very XML acli defines for `memory=64M` (so defineXML
    is the same call), only the minimal calls are made (no lookups by name,
    no checks), and nothing is parsed or printed."""
    return timed([sys.executable, "-c", direct_code(folder, count)])


def direct_code(folder: str, count: int) -> str:
    sys.path.insert(0, os.path.dirname(HERE))
    from acli.vms.spec import VmSpec, new_domain_xml

    template = new_domain_xml(VmSpec(name="NAME", uuid="UUID", memory_mb=64), "test")
    code = f"""
import uuid, libvirt
libvirt.registerErrorHandler(lambda *a: None, None)
conn = libvirt.open('test://{os.path.join(folder, 'host.xml')}')
template = {template!r}
doms = [conn.defineXML(template.replace('NAME', 'd%04d' % i).replace('UUID', str(uuid.uuid4())))
        for i in range({count})]
for d in doms: d.create()
for d in doms: d.destroy()
for d in doms: d.undefine()
"""
    return code


def bench_batch(runs: int, count: int = 250):
    """Medians of acli's and the direct calls' times, and the median of the
    ratio within each run (the two run back to back, so this one holds
    steadier when the machine's speed drifts)."""
    ours, direct = [], []
    script = batch_script(count)
    for _ in range(runs):
        folder = tempfile.mkdtemp(prefix="acli-bench-")
        try:
            acli = acli_command() + [f"--sandbox={folder}"]
            timed(acli + ["vm.list"])
            ours.append(timed(acli, script))
            direct.append(direct_calls(folder, count))
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    paired = statistics.median(a / d for a, d in zip(ours, direct))
    return statistics.median(ours), statistics.median(direct), paired


def count_instructions(count: int = 250) -> tuple[int, int]:
    """Instructions the batch and the direct calls execute, counted by
    valgrind's callgrind: the same for the same code, however busy or slow
    the machine is, where times on a shared machine drift by tens of %."""
    import re
    import subprocess

    def counted(cmd, stdin_text=None) -> int:
        done = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"] + cmd,
                              input=stdin_text, capture_output=True, text=True)
        found = re.search(r"Collected : (\d+)", done.stderr)
        if done.returncode != 0 or not found:
            raise SystemExit(f"callgrind failed: {done.stderr.strip()[-300:]}")
        return int(found.group(1))

    folder = tempfile.mkdtemp(prefix="acli-bench-")
    try:
        acli = acli_command() + [f"--sandbox={folder}"]
        timed(acli + ["vm.list"])
        ours = counted(acli, batch_script(count))
        direct = counted([sys.executable, "-c", direct_code(folder, count)])
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return ours, direct


def bench_parse(runs: int):
    sys.path.insert(0, os.path.dirname(HERE))
    from acli.syntax.parser import parse_line

    lines = [
        "vm.nic_create fooVM vlan_mode=kTrunked trunked_networks=10,20,30 network=vlan.10",
        "vm.create web[01..12] memory=2G num_vcpus=2",
        'vm.snapshot_create db1 snapshot_name_list="before upgrade"',
        "vm.on web*",
        "net.update_virtual_switch vs0 active_uplink={h1:eth2; h2:eth3}",
        "-o json vm.list",
    ] * 500
    parse_line(lines[0])
    rates = []
    for _ in range(runs):
        start = time.perf_counter()
        for line in lines:
            parse_line(line)
        rates.append(len(lines) / (time.perf_counter() - start))
    return statistics.median(rates)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs per measurement (median taken)")
    parser.add_argument("--instructions", action="store_true",
                        help="also count the batch's instructions with valgrind (about a minute)")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="acli-bench-")
    try:
        ours, virsh = bench_one_shot(folder, args.runs)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"one-shot vm.list (50 VMs)      acli {ours * 1000:6.1f} ms   virsh list --all {virsh * 1000:6.1f} ms"
          f"   ratio {ours / virsh:4.2f}x   target < 100 ms")
    ours, direct, paired = bench_batch(args.runs)
    print(f"1,000-line batch (250 VMs)     acli {ours * 1000:6.0f} ms   direct libvirt   {direct * 1000:6.0f} ms"
          f"   ratio {ours / direct:4.2f}x (run by run {paired:4.2f}x)   target <= 1.3x")
    if args.instructions:
        if not shutil.which("valgrind"):
            raise SystemExit("--instructions needs valgrind (apt-get install valgrind)")
        ours, direct = count_instructions()
        print(f"  the same batch in instructions acli {ours / 1e6:6.0f} M   direct libvirt   "
              f"{direct / 1e6:6.0f} M   ratio {ours / direct:4.2f}x")
    rate = bench_parse(max(3, args.runs // 3))
    print(f"parse rate                     {rate:,.0f} lines/s   target > 10,000 lines/s")


if __name__ == "__main__":
    main()
