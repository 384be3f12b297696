"""Create N VMs, each with a disk cloned from one image, on the real host
(qemu:///system): acli against virsh.

    acli   one batch process:  vm.create acli-bench-[001..N] memory=64M
                               vm.disk_create acli-bench-* clone_from_image=IMG container=POOL
           (each disk is a qcow2 overlay on the image: copy-on-write)
    virsh  one virsh process reading N `vol-clone` + N `define` commands
           (vol-clone makes a full copy; the domain XML files are written
           beforehand, outside the timing)

Each run starts from an empty pool holding only the image; cleanup is not
timed. Prints each side's median over the runs and the ratio.

    .venv/bin/python bench/bench_storage.py            # N=20, 3 runs (~15 s)
    .venv/bin/python bench/bench_storage.py --full     # N=200, 5 runs
    .venv/bin/python bench/bench_storage.py -n 50 -r 3
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

URI = "qemu:///system"
POOL = "acli-bench-pool"
PREFIX = "acli-bench-"


def sh(*cmd, input=None, env=None):
    done = subprocess.run(cmd, input=input, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        sys.exit(f"{' '.join(cmd[:4])}...: {done.stderr.strip()[:500]}")
    return done.stdout


def cleanup(conn):
    import libvirt

    for dom in conn.listAllDomains():
        if dom.name().startswith(PREFIX):
            if dom.isActive():
                dom.destroy()
            dom.undefineFlags(libvirt.VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA)
    pool = conn.storagePoolLookupByName(POOL)
    pool.refresh(0)
    for vol in pool.listAllVolumes():
        if not vol.name().startswith("acli-image-"):
            vol.delete(0)


def acli_run(n, env) -> float:
    lines = (f"vm.create {PREFIX}a[001..{n:03d}] memory=64M\n"
             f"vm.disk_create {PREFIX}a* clone_from_image=bench-img container={POOL}\n")
    start = time.perf_counter()
    sh(sys.executable, "-m", "acli", "-c", URI, input=lines, env=env)
    return time.perf_counter() - start


def virsh_run(n, image_vol, workdir) -> float:
    pool_path = os.path.join(workdir, "pool")
    script = []
    for i in range(1, n + 1):
        name = f"{PREFIX}v{i:03d}"
        xml = os.path.join(workdir, f"{name}.xml")
        with open(xml, "w") as f:
            f.write(f"""<domain type='qemu'><name>{name}</name><memory unit='MiB'>64</memory>
<os><type arch='x86_64' machine='pc'>hvm</type></os><devices>
<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>
<source file='{pool_path}/{name}.qcow2'/><target dev='sda' bus='scsi'/></disk>
<controller type='scsi' model='virtio-scsi'/></devices></domain>""")
        script.append(f"vol-clone --pool {POOL} {image_vol} {name}.qcow2")
        script.append(f"define {xml}")
    start = time.perf_counter()
    sh("virsh", "-q", "-c", URI, input="\n".join(script) + "\n")
    return time.perf_counter() - start


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=20, help="VMs per run (default 20)")
    ap.add_argument("-r", "--runs", type=int, default=3, help="runs per side (default 3)")
    ap.add_argument("--full", action="store_true", help="N=200, 5 runs")
    args = ap.parse_args()
    if args.full:
        args.n, args.runs = 200, 5
    import libvirt

    libvirt.registerErrorHandler(lambda *a: None, None)
    conn = libvirt.open(URI)
    workdir = tempfile.mkdtemp(prefix="acli-bench-", dir="/var/tmp")
    os.chmod(workdir, 0o755)
    env = {**os.environ, "ACLI_STATE_DIR": os.path.join(workdir, "state")}
    src = os.path.join(workdir, "src.qcow2")
    sh("qemu-img", "create", "-q", "-f", "qcow2", src, "1G")
    sh("qemu-io", "-f", "qcow2", "-c", "write -P 0x42 0 8M", src)
    try:
        sh(sys.executable, "-m", "acli", "-c", URI, f"container.create {POOL} "
           f"path={os.path.join(workdir, 'pool')}", env=env)
        sh(sys.executable, "-m", "acli", "-c", URI,
           f"image.create bench-img source_url={src} container={POOL}", env=env)
        image_vol = [v.name() for v in conn.storagePoolLookupByName(POOL).listAllVolumes()][0]
        times = {"acli": [], "virsh": []}
        for run in range(args.runs):
            for side in ("acli", "virsh"):
                cleanup(conn)
                took = acli_run(args.n, env) if side == "acli" else virsh_run(args.n, image_vol, workdir)
                made = sum(1 for d in conn.listAllDomains() if d.name().startswith(PREFIX))
                assert made == args.n, f"{side} made {made} VMs, not {args.n}"
                times[side].append(took)
                print(f"run {run + 1} {side:5s} {took:7.2f} s", flush=True)
        a, v = statistics.median(times["acli"]), statistics.median(times["virsh"])
        print(f"{args.n} VMs with a disk cloned from one image, median of {args.runs} runs:")
        print(f"  acli  (batch, qcow2 overlays)         {a:7.2f} s  ({a / args.n * 1000:.1f} ms/VM)")
        print(f"  virsh (vol-clone full copy + define)  {v:7.2f} s  ({v / args.n * 1000:.1f} ms/VM)")
        print(f"  ratio acli/virsh: {a / v:.2f}")
    finally:
        cleanup(conn)
        sh(sys.executable, "-m", "acli", "-c", URI, "-y", "image.delete bench-img", env=env)
        pool = conn.storagePoolLookupByName(POOL)
        pool.destroy()
        pool.undefine()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
