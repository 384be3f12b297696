"""The `acli-ha` command: the watcher that restarts a failed host's VMs on
the other hosts of the cluster (acli/cluster/ha.py, docs/ha.md).

    acli-ha watch [--cluster FILE | --sandbox DIR] [--interval S] [--timeout S]
        every S seconds (default 2): record what runs where, and restart the
        VMs of a host that has not answered for --timeout seconds (default
        10), highest ha_priority first; what scripts/acli-ha.service runs
    acli-ha once  [...] [--timeout S]
        one round; --timeout 0 (its default) fails over any host that does
        not answer now

One watcher is active at a time: each round first takes the OVSDB lock
`acli_ha` on the first host that answers (in the cluster file's order); a
watcher that cannot take it waits for the next round. Two watchers that
see the cluster differently (a partition) may both be active; libvirt's
lock manager then refuses the second start of a VM's disks (docs/ha.md).
Every line it prints says what it did. Exit status (once): 0, or 1 when a
VM could not be restarted, 2 on bad usage.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time

from acli.errors import EXIT_FAILED, EXIT_USAGE, AcliError

LOCK_NAME = "acli_ha"  # an OVSDB <id>: letters, digits and _


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="acli-ha", description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=("watch", "once"))
    parser.add_argument("--cluster", default=None, help="the cluster file")
    parser.add_argument("--sandbox", default=None, help="a sandbox cluster's directory")
    parser.add_argument("--interval", type=float, default=2.0, help="seconds between rounds")
    parser.add_argument("--timeout", type=float, default=None,
                        help="seconds a host may be silent before its VMs restart elsewhere")
    return parser


class Watcher:
    def __init__(self, cluster, timeout: float, say):
        self.cluster = cluster
        self.timeout = timeout
        self.say = say
        self.silent_since: dict[str, float] = {}
        self.failed: set[str] = set()  # hosts failed over, not yet back
        self.records = None
        self._lock = None
        self._lock_remote = None

    def _take_lock(self, member) -> bool:
        from acli.hosts.ovsdb_lock import OvsdbLock

        remote = member.host.ovsdb_remote()
        if self._lock is None or self._lock_remote != remote:
            if self._lock is not None:
                self._lock.close()
            self._lock = OvsdbLock(remote, LOCK_NAME, wait=0.5)
            self._lock_remote = remote
        try:
            self._lock.acquire()
        except AcliError:
            return False
        return True

    def round(self) -> int:
        from acli.cluster import ha, reserve

        cluster = self.cluster
        cluster.forget()
        members = cluster.answering(fresh=True)
        now = time.monotonic()
        for member in cluster.members:
            if member.state == "up":
                self.silent_since.pop(member.name, None)
            elif member.name not in self.silent_since:
                self.silent_since[member.name] = now
                self.say(f"host {member.name} does not answer: {member.reason}")
        if not members or not self._take_lock(members[0]):
            return 0
        status = 0
        with contextlib.ExitStack() as stack:
            for member in members:
                stack.enter_context(member.host.operation(True))
            if self.records is None:
                self.records = ha.read_records(members[0].host)
            self.records = ha.record_running(cluster, members, self.records)
            for member in members:
                if member.name in self.failed:
                    self.failed.discard(member.name)
                    self.say(f"host {member.name} answers again")
                # a copy of a VM that now runs elsewhere (restarted there)
                for line in ha.clean_stale(member, self.records):
                    self.say(line)
            enabled = reserve.read_settings(cluster).get("enable_failover", True)
            for name, since in sorted(self.silent_since.items()):
                if name in self.failed or now - since < self.timeout:
                    continue
                if not enabled:
                    self.say(f"host {name}: failover is off (ha.update enable_failover=true)")
                    self.failed.add(name)
                    continue
                report = ha.fail_over(cluster, name, self.records, members)
                done = all(error is None for _vm, _where, error in report)
                for vm, where, error in report:
                    if error is None:
                        self.say(f"{vm}: running on {where}")
                    else:
                        self.say(f"{vm}: not restarted: {error}")
                        if "never restarted" not in error:
                            status = EXIT_FAILED
                if done or all(e is None or "never restarted" in e for _v, _w, e in report):
                    self.failed.add(name)
            if any(name in self.failed for name in self.silent_since):
                self.records = ha.record_running(cluster, members, self.records)
        return status

    def close(self) -> None:
        if self._lock is not None:
            self._lock.close()
        self.cluster.shutdown()


def main(argv: list[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
    except SystemExit as stop:
        return EXIT_USAGE if stop.code else 0
    from acli.hosts.select import open_cluster

    def say(line: str) -> None:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()

    try:
        cluster = open_cluster(None, None, args.sandbox, args.cluster, None)
    except AcliError as err:
        sys.stderr.write(f"Error: {err.message}\n")
        return err.status
    if cluster.single:
        sys.stderr.write("Error: acli-ha needs a cluster of several hosts (--cluster FILE, "
                         "or --sandbox DIR of a sandbox cluster)\n")
        return EXIT_USAGE
    timeout = args.timeout if args.timeout is not None else (0.0 if args.action == "once" else 10.0)
    watcher = Watcher(cluster, timeout, say)
    try:
        if args.action == "once":
            return watcher.round()
        while True:
            try:
                watcher.round()
            except AcliError as err:
                say(f"round failed: {err.message}")
            time.sleep(args.interval)
    except KeyboardInterrupt:
        return 130
    except AcliError as err:
        sys.stderr.write(f"Error: {err.message}\n")
        return err.status
    finally:
        watcher.close()


def entry() -> None:
    sys.exit(main())


if __name__ == "__main__":
    entry()
