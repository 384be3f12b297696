"""The `acli-dhcp` command: managed networks' DHCP servers on this host,
brought in line with what libvirt stores, for what no acli command sees.

    acli-dhcp sync  [-c URI] [--ovsdb REMOTE]
        once: every managed network's server running and current (started
        after a boot, restarted after dnsmasq died, its port made again
        after ovs-vswitchd restarted, its OpenFlow rules put back), and the
        remains of any other removed
    acli-dhcp watch [-c URI] [--ovsdb REMOTE] [--interval SECONDS]
        the same every SECONDS (default 5), until stopped; what the
        acli-dhcp service (scripts/acli-dhcp.service) runs

acli's own commands keep the servers in line as they change networks;
this covers a host that booted, a dnsmasq that crashed and changes made
with virsh. Each round takes acli's lock on the host, as a command does.
Exit status: 0 when every server is in line, 1 otherwise (the reason on
stderr, one line per network), 2 on bad usage.
"""

from __future__ import annotations

import argparse
import sys
import time

from acli.errors import EXIT_FAILED, EXIT_USAGE, AcliError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="acli-dhcp", description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("sync", "watch"))
    parser.add_argument("-c", "--connect", default=None, help="libvirt URI (default: the system's)")
    parser.add_argument("--ovsdb", default=None, help="OVSDB remote of the host's Open vSwitch")
    parser.add_argument("--interval", type=float, default=5.0, help="seconds between rounds (watch)")
    return parser


def _round(host) -> int:
    from acli.network import dhcp_server

    with host.operation(True):
        if not host.caps.dhcp_servers:
            raise AcliError("acli runs DHCP servers only on the host it runs on, as root")
        done = dhcp_server.sync_all(host)
    status = 0
    for uuid, what in sorted(done.items()):
        if what.startswith("failed"):
            sys.stderr.write(f"Error: {uuid}: {what}\n")
            status = EXIT_FAILED
        elif what != "current":
            print(f"{uuid}: {what}", flush=True)
    return status


def main(argv: list[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as done:
        return EXIT_USAGE if done.code else 0
    if args.interval <= 0:
        sys.stderr.write("Error: --interval must be positive\n")
        return EXIT_USAGE
    from acli.hosts.libvirt_host import LibvirtHost
    from acli.hosts.select import SYSTEM_URI

    host = LibvirtHost(args.connect or SYSTEM_URI, args.ovsdb)
    status = 0
    try:
        while True:
            try:
                status = _round(host)
            except AcliError as err:
                sys.stderr.write(f"Error: {err.message}\n")
                status = err.status or EXIT_FAILED
                host.close()  # a daemon that went away: open afresh next round
            if args.action == "sync":
                return status
            time.sleep(args.interval)
    except KeyboardInterrupt:
        return status
    finally:
        host.shutdown()


def entry() -> None:
    sys.exit(main())
