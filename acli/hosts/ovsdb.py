"""A thin layer over the `ovs` package's raw IDL: one connection per host,
only the tables and columns acli uses, one transaction per user command.

Contract:
* `Ovsdb(remote)` connects lazily; every wait has a deadline and ends in a
  BackendError naming the remote ("does not answer").
* `transact(plan)` calls `plan(txn, db)` to stage changes (it reads rows with
  `db.rows()`, calls `row.verify()` on what it relies on), commits, and
  retries from scratch on TRY_AGAIN. A commit that changes nothing when a
  change was expected is a failure: OVSDB drops out-of-range values silently.
* `wait_vswitchd=True` bumps `next_cfg` and waits until ovs-vswitchd has
  applied the change (`cur_cfg`), as ovs-vsctl does without --no-wait.

The `ovs` package is imported here only (it costs ~50 ms): import this
module lazily, from commands that need the switch.
"""

from __future__ import annotations

import json
import time

import ovs.db.idl
import ovs.poller
import ovs.vlog

from acli.errors import BackendError
from acli.hosts.ovs_schema import schema_path
from acli.hosts import fastjson


# Only what acli reads or writes: start-up stays in milliseconds.
COLUMNS = {
    "Open_vSwitch": ["bridges", "next_cfg", "cur_cfg", "external_ids"],
    "Bridge": ["name", "ports", "datapath_type", "external_ids"],
    "Port": ["name", "interfaces", "tag", "trunks", "vlan_mode", "bond_mode", "lacp",
             "other_config", "external_ids", "protected"],
    "Interface": ["name", "type", "mac_in_use", "link_state", "link_speed", "mtu",
                  "mtu_request", "external_ids", "admin_state", "ofport"],
}

TIMEOUT = 10.0
_MAX_TRIES = 8

ovs.vlog.Vlog.set_levels_from_string("any:console:off")  # the IDL logs reconnects to stderr
fastjson.install()


class Ovsdb:
    def __init__(self, remote: str, timeout: float = TIMEOUT):
        self.remote = remote
        self.timeout = timeout
        self._idl = None

    # connection --------------------------------------------------------------
    @property
    def idl(self):
        if self._idl is None:
            # The stdlib's JSON parser, not the ovs package's pure-Python one
            # (which costs ~10 ms for the vswitch schema).
            with open(schema_path()) as f:
                helper = ovs.db.idl.SchemaHelper(schema_json=json.load(f))
            for table, columns in COLUMNS.items():
                helper.register_columns(table, columns)
            idl = ovs.db.idl.Idl(self.remote, helper, probe_interval=0)
            self._idl = idl
            try:
                self._wait(lambda: idl.has_ever_connected(), "connect")
            except BackendError:
                idl.close()
                self._idl = None
                raise
        return self._idl

    def close(self):
        if self._idl is not None:
            self._idl.close()
            self._idl = None

    def _wait(self, done, doing: str, deadline: float | None = None):
        """Run the IDL until done() is true, or fail at the deadline."""
        idl = self._idl
        deadline = deadline or time.monotonic() + self.timeout
        while True:
            idl.run()
            if done():
                return
            left = deadline - time.monotonic()
            if left <= 0:
                raise BackendError(f"OVSDB at {self.remote} does not answer ({doing}: "
                                   f"no reply in {self.timeout:g} s; is ovsdb-server running?)")
            poller = ovs.poller.Poller()
            idl.wait(poller)
            poller.timer_wait(int(left * 1000) + 1)
            poller.block()

    def refresh(self):
        """Bring the local copy up to date with everything committed before
        now, by anyone: one round trip. ovsdb-server sends a session's
        pending table updates before its reply to a transaction, so once
        an empty transaction (a comment) is answered, every change others
        committed before it is in. Just running the IDL would take in only
        what has arrived, and a bridge that ovs-vsctl added a moment ago
        might not have."""
        self.transact(lambda txn, _db: txn.add_op({"op": "comment", "comment": "acli: read"}),
                      expect_change=False)

    # reading -----------------------------------------------------------------
    def rows(self, table: str) -> list:
        return list(self.idl.tables[table].rows.values())

    def root(self):
        rows = self.rows("Open_vSwitch")
        if not rows:
            raise BackendError(f"OVSDB at {self.remote} has no Open_vSwitch row (run ovs-vsctl init)")
        return rows[0]

    def bridge(self, name: str):
        return next((b for b in self.rows("Bridge") if b.name == name), None)

    # writing -----------------------------------------------------------------
    def transact(self, plan, *, expect_change: bool = True, wait_vswitchd: bool = False):
        """Stage `plan(txn, db)`, commit, retry on TRY_AGAIN; return plan's result."""
        idl = self.idl
        deadline = time.monotonic() + self.timeout
        for _ in range(_MAX_TRIES):
            idl.run()
            seqno = idl.change_seqno
            txn = ovs.db.idl.Transaction(idl)
            try:
                result = plan(txn, self)
            except BaseException:
                txn.abort()
                raise
            if wait_vswitchd:
                self.root().increment("next_cfg")
            status = self._commit(txn, deadline)
            if status == txn.TRY_AGAIN:
                self._wait(lambda: idl.change_seqno != seqno, "retry", deadline)
                continue
            if status == txn.UNCHANGED:
                if expect_change:
                    raise BackendError("OVSDB did not change (a value was refused)")
                return result
            if status != txn.SUCCESS:
                error = txn.get_error() or status
                raise BackendError(f"OVSDB transaction failed: {error}")
            if wait_vswitchd:
                self._wait_applied(txn.get_increment_new_value(), deadline)
            return result
        raise BackendError("OVSDB kept changing under acli; gave up after several tries")

    def _commit(self, txn, deadline):
        while True:
            status = txn.commit()
            if status != txn.INCOMPLETE:
                return status
            if time.monotonic() > deadline:
                txn.abort()
                raise BackendError(f"OVSDB at {self.remote} does not answer (commit: no reply "
                                   f"in {self.timeout:g} s)")
            self._idl.run()
            poller = ovs.poller.Poller()
            self._idl.wait(poller)
            txn.wait(poller)
            poller.timer_wait(int(max(deadline - time.monotonic(), 0) * 1000) + 1)
            poller.block()

    def _wait_applied(self, next_cfg: int, deadline: float):
        try:
            self._wait(lambda: self.root().cur_cfg >= next_cfg, "wait for ovs-vswitchd", deadline)
        except BackendError:
            raise BackendError("ovs-vswitchd did not apply the change in "
                               f"{self.timeout:g} s (is it running?); OVSDB holds it") from None
