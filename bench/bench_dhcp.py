"""Managed networks' DHCP on the real host (qemu:///system + the system OVSDB).

* nic_create: one batch of N `vm.nic_create` lines onto a managed network
  (each takes an address; the server follows once, when the batch ends)
  against the same onto an unmanaged one; then K one-shot `acli
  vm.nic_create` commands each (every one of them brings the server in
  line: hosts file, SIGHUP, OpenFlow rules, growing with the leases).
* server: the managed network's server removed, then `acli-dhcp sync`
  timed: namespace, port, rules and dnsmasq from nothing. dnsmasq reads its
  hosts file before it forks, and acli-dhcp waits for the fork: when it
  returns, all N reservations are served.

Run:  .venv/bin/python bench/bench_dhcp.py            (N=50, K=5)
      .venv/bin/python bench/bench_dhcp.py --full     (N=230, K=20)
N + K is at most 252: the managed network is 198.51.100.0/24 (the addresses
this project's tests and benchmarks may use), whose pool holds 252.
Needs scripts/realhost up. Makes bridge acli-bench-dh, networks
acli-bench-dhcp-m / -u and VMs acli-bench-dh-*, and removes them.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

from common import acli_command, timed

URI = "qemu:///system"
BR = "acli-bench-dh"
MANAGED, PLAIN = "acli-bench-dhcp-m", "acli-bench-dhcp-u"
PREFIX = "acli-bench-dh-"


def acli(*words, stdin_text=None) -> float:
    return timed(acli_command() + ["-c", URI, "-y", *words], stdin_text)


def batch(lines) -> float:
    return timed(acli_command() + ["-c", URI, "-y"], "\n".join(lines) + "\n")


def cleanup():
    import libvirt

    libvirt.registerErrorHandler(lambda *a: None, None)
    c = libvirt.open(URI)
    for dom in c.listAllDomains():
        if dom.name().startswith(PREFIX):
            if dom.isActive():
                dom.destroy()
            dom.undefine()
    for net in c.listAllNetworks():
        if net.name() in (MANAGED, PLAIN):
            if net.isActive():
                net.destroy()
            net.undefine()
    subprocess.run([os.path.join(os.path.dirname(sys.executable), "acli-dhcp"), "sync"],
                   capture_output=True)
    subprocess.run(["ovs-vsctl", "--if-exists", "del-br", BR], capture_output=True)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--full", action="store_true")
    parser.add_argument("-n", type=int)
    parser.add_argument("-k", type=int)
    args = parser.parse_args()
    n = args.n or (230 if args.full else 50)
    k = args.k or (20 if args.full else 5)
    if n + k > 252:
        raise SystemExit("N + K must fit the pool (252 addresses)")
    cleanup()
    try:
        subprocess.run(["ovs-vsctl", "add-br", BR, "--", "set", "bridge", BR,
                        "datapath_type=netdev"], check=True)
        batch([f"net.create {MANAGED} vlan=71 vswitch_name={BR} ip_config=198.51.100.1/24",
               f"net.add_dhcp_pool {MANAGED} start=198.51.100.2 end=198.51.100.253",
               f"net.create {PLAIN} vlan=72 vswitch_name={BR}"])
        vms = [f"{PREFIX}{i}" for i in range(1, n + 1)]
        batch([f"vm.create {vm} memory=32M" for vm in vms])
        t_plain = batch([f"vm.nic_create {vm} network={PLAIN}" for vm in vms])
        t_managed = batch([f"vm.nic_create {vm} network={MANAGED}" for vm in vms])
        one_plain = [acli("vm.nic_create", f"{vms[i]}", f"network={PLAIN}") for i in range(k)]
        one_managed = [acli("vm.nic_create", f"{vms[i]}", f"network={MANAGED}") for i in range(k)]

        from acli.hosts.libvirt_host import LibvirtHost
        from acli.network import dhcp_server, networks

        host = LibvirtHost(URI)
        net, _ = networks.lookup(host, MANAGED)
        reservations = len(net.ipam.leases)
        dhcp_server.stop(host, net.uuid)
        start = time.perf_counter()
        subprocess.run([os.path.join(os.path.dirname(sys.executable), "acli-dhcp"), "sync"],
                       check=True, capture_output=True)
        t_server = time.perf_counter() - start
        hosts = open(os.path.join(dhcp_server.server_dir(net.uuid), "hosts")).read()
        assert hosts.count("\n") == reservations and dhcp_server.running_pid(net.uuid)
        host.shutdown()
    finally:
        cleanup()

    med = lambda xs: sorted(xs)[len(xs) // 2]  # noqa: E731
    print(f"batch of {n} vm.nic_create: unmanaged {t_plain:.2f} s, managed {t_managed:.2f} s "
          f"(x{t_managed / t_plain:.2f}; {1000 * (t_managed - t_plain) / n:.1f} ms a NIC more)")
    print(f"one-shot vm.nic_create ({k} each, median; network holding {n}..{n + k} addresses): "
          f"unmanaged {1000 * med(one_plain):.0f} ms, managed {1000 * med(one_managed):.0f} ms "
          f"(x{med(one_managed) / med(one_plain):.2f})")
    print(f"server from nothing to serving all {reservations} reservations (acli-dhcp sync): "
          f"{1000 * t_server:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
