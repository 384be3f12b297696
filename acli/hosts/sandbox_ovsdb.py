"""The sandbox's private ovsdb-server: started on first use, shared by every
acli process using the same directory, stopped by the last one to leave.

Users hold a shared flock on DIR/ovsdb.users for as long as they use the
server. Starting and stopping happen under an exclusive flock on
DIR/ovsdb.lock; a leaving process that can take DIR/ovsdb.users exclusively
is the last user and stops the server. A server left by a killed process is
reused by the next user and stopped by the last.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import time

from acli.errors import BackendError
from acli.files import PRIVATE_UMASK
from acli.hosts.ovs_schema import schema_path
from acli.hosts.sockets import socket_answers

class SandboxOvsdb:
    def __init__(self, directory: str):
        self.dir = directory
        self.sock = os.path.join(directory, "db.sock")
        self.db = os.path.join(directory, "conf.db")
        self.pidfile = os.path.join(directory, "ovsdb-server.pid")
        self.ctl = os.path.join(directory, "ovsdb-server.ctl")
        self._users_fd = None
        self._pid = None  # the server's pid, kept in case its pidfile disappears

    def remote(self) -> str:
        if self._users_fd is None:
            self._join()
        return f"unix:{self.sock}"

    def _lock(self):
        fd = os.open(os.path.join(self.dir, "ovsdb.lock"), os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX)
        return fd

    def _join(self):
        lock = self._lock()
        try:
            users = os.open(os.path.join(self.dir, "ovsdb.users"), os.O_RDWR | os.O_CREAT, 0o600)
            fcntl.flock(users, fcntl.LOCK_SH)
            self._users_fd = users
            if not socket_answers(self.sock):
                self._start()
            self._pid = self._read_pid()
        finally:
            os.close(lock)

    def _start(self):
        for tool in ("ovsdb-server", "ovsdb-tool"):
            if not shutil.which(tool):
                raise BackendError(f"{tool} not found: install the openvswitch-switch package")
        if not os.path.exists(self.db):
            tmp = self.db + ".new"
            subprocess.run(["ovsdb-tool", "create", tmp, schema_path()], check=True,
                           capture_output=True, umask=PRIVATE_UMASK)
            os.replace(tmp, self.db)
            fresh = True
        else:
            fresh = False
        for stale in (self.sock, self.ctl):
            if os.path.exists(stale):
                os.unlink(stale)
        cmd = ["ovsdb-server", self.db, f"--remote=punix:{self.sock}", f"--pidfile={self.pidfile}",
               f"--unixctl={self.ctl}", "--detach", "--no-chdir",
               f"--log-file={os.path.join(self.dir, 'ovsdb-server.log')}"]
        # umask: its database, log, pidfile and sockets are the user's alone
        done = subprocess.run(cmd, capture_output=True, text=True, umask=PRIVATE_UMASK)
        if done.returncode != 0:
            raise BackendError(f"cannot start the sandbox ovsdb-server: {done.stderr.strip()[:200]}")
        deadline = time.monotonic() + 5
        while not socket_answers(self.sock):
            if time.monotonic() > deadline:
                raise BackendError("the sandbox ovsdb-server did not open its socket within 5 s")
            time.sleep(0.01)
        if fresh:
            subprocess.run(["ovs-vsctl", f"--db=unix:{self.sock}", "--no-wait", "init"],
                           capture_output=True)
            # A fresh sandbox looks like a freshly installed host: vs0 = br0
            # with bond br0-up over the host's NICs (networking's hook).
            from acli.hosts import events

            events.FRESH_OVSDB.run(events.OvsdbEvent(f"unix:{self.sock}"))

    def release(self):
        """Leave; stop the server if no other acli process uses it."""
        if self._users_fd is None:
            return
        if not os.path.isdir(self.dir):
            # The directory was deleted under us: nobody can share the server
            # any more, and its pidfile is gone; stop it by the pid we kept.
            os.close(self._users_fd)
            self._users_fd = None
            self._stop()
            return
        lock = self._lock()
        try:
            fcntl.flock(self._users_fd, fcntl.LOCK_UN)
            try:
                fcntl.flock(self._users_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                self._stop()
            except BlockingIOError:
                pass
            os.close(self._users_fd)
            self._users_fd = None
        finally:
            os.close(lock)

    def _read_pid(self) -> int | None:
        try:
            with open(self.pidfile) as f:
                return int(f.read().strip())
        except (OSError, ValueError):
            return None

    def _stop(self):
        """Kill the server and wait until it is gone.

        SIGKILL, not SIGTERM: ovsdb-server takes ~1.5 s to exit after SIGTERM
        (or `ovs-appctl exit`), and every one-shot networking command would
        pay that. Nothing is lost: each committed transaction was written to
        the database file before the server answered, and the file's lock
        dies with the process."""
        pid = self._read_pid() or self._pid
        if pid is None or not _serves(pid, self.db):
            return
        try:
            os.kill(pid, 9)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and _alive(pid):
            time.sleep(0.002)
        for leftover in (self.sock, self.ctl, self.pidfile):
            try:
                os.unlink(leftover)
            except OSError:
                pass


def _serves(pid: int, db: str) -> bool:
    """Whether `pid` is the ovsdb-server of `db` (never kill a recycled pid)."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            args = f.read().split(b"\0")
    except OSError:
        return False
    return bool(args) and args[0].endswith(b"ovsdb-server") and db.encode() in args


def _alive(pid: int) -> bool:
    """True while `pid` runs. A zombie counts as gone: it holds no files or
    locks, and a detached daemon's adoptive parent may take a second or more
    to reap it (kill(pid, 0) still succeeds on a zombie)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            state = f.read().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")
