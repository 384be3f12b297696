"""The embedded sandbox host: libvirt's test driver over a node file in a
private directory, plus a private ovsdb-server (sandbox_ovsdb.py).

Concurrency: every command runs under a flock on DIR/lock (shared to read,
exclusive to change). Before a command, if another process rewrote the node
file, the connection is reopened from it; after a changing command, the
whole state is written back atomically (temp file + rename). A batch holds
the exclusive lock throughout and writes once at its end, so a long batch
costs one write, not one per line.

flock alone lets readers starve a writer: while any reader holds the shared
lock another may join it, so with a few `vm.list` loops running a change
can wait for ever. Every taker therefore passes through a second lock, the
turnstile (DIR/turnstile), held only while it waits for the main one: a
writer waiting there keeps new readers out, the readers inside finish, and
the writer gets in.

A long wait for something outside the sandbox (an image's source being
read) happens in `unlocked()`: the state is written back, the lock let go,
and taken again and reloaded afterwards.

Dying half-way: the file `unsaved` exists from a change's start until its
write; a process killed meanwhile leaves it. Whoever takes the lock next
finds it and brings what follows from the node file (the VMs' ports in the
private OVSDB) in line with the file (hook point RESYNC), so a killed batch
leaves neither VMs nor ports it had made. An interrupt during the write
itself drops what the command or batch changed and says so.
"""

from __future__ import annotations

import contextlib
import fcntl
import os

from acli.files import write_atomic
from acli.hosts import events
from acli.hosts.base import NO_BRACKET, Capabilities, Host, HostInfo
from acli.hosts.nodefile import node_xml

NODE_FILE = "host.xml"
META_FILE = "host.json"
DOWN_FILE = "down"  # a sandbox host made to fail on purpose: it does not answer
CRASHED_FILE = "crashed"  # it was seen down: its guests died with it (off when it is back)
UNSAVED_FILE = "unsaved"  # a change is under way, or its process died before writing it
LOCK_FILE = "lock"
TURNSTILE_FILE = "turnstile"

_CPU = dict(mhz=2400, model="x86_64", sockets=1, cores=8, threads=2)
_MEMORY_KIB = 64 * 1024 * 1024


# The CPU a sandbox host says it has (for a cluster's CPU baseline): a
# sandbox cluster's hosts are of different generations, as real ones often are.
SANDBOX_CPU_MODELS = ("Skylake-Server", "Cascadelake-Server", "Broadwell")


def _cpu_model_of(name: str) -> str:
    number = name[len("host"):] if name.startswith("host") else ""
    index = int(number) - 1 if number.isdigit() else 0
    return SANDBOX_CPU_MODELS[index % len(SANDBOX_CPU_MODELS)]


def default_dir() -> str:
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    return os.path.join(base, "acli", "sandbox")


def _host_header() -> str:
    cpus = _CPU["sockets"] * _CPU["cores"] * _CPU["threads"]
    return ("<cpu><mhz>{mhz}</mhz><model>{model}</model><active>{cpus}</active>"
            "<total>{cpus}</total><nodes>1</nodes><sockets>{sockets}</sockets>"
            "<cores>{cores}</cores><threads>{threads}</threads></cpu>"
            "<memory>{mem}</memory>").format(cpus=cpus, mem=_MEMORY_KIB, **_CPU)


class SandboxHost(Host):
    kind = "sandbox"
    # The test driver: no ovs-vswitchd, no live devices, volumes that are
    # accounting entries, all state in this process while the lock is held.
    caps = Capabilities(vswitchd=False, live_devices=False, volume_data=False, in_process=True,
                        nvram=False, redefine_active_network=False)

    def __init__(self, directory: str, name: str = "sandbox", address: str = "127.0.0.1"):
        self.dir = os.path.abspath(directory)
        self._identity = (name, address)  # a new sandbox's; a made one keeps its own
        self.node_path = os.path.join(self.dir, NODE_FILE)
        super().__init__(f"test://{self.node_path}")
        self._loaded = None  # stat signature of the node file our connection loaded
        self._holding = False
        self._dirty = False
        self._lock_fd = None  # the open DIR/lock while this process holds it
        self._lock_mode = None  # fcntl.LOCK_SH or LOCK_EX while held
        self._ovsdb_server = None
        # VMs whose power changed since their ports in the private OVSDB were
        # last brought in line; see settle(). Two handles of one VM may both
        # be here: settling is idempotent, and a deleted VM is skipped.
        self.pending_ports = {}
        # Power actions' logical_timestamp counts, written at settle() too:
        # on and off are most of a long batch, and nothing else reads the
        # sandbox while acli holds it.
        self.pending_stamps = {}
        # The test driver's state lives in this process and the lock keeps
        # other acli processes out while we hold the connection, so a VM
        # looked up once keeps its name until acli renames or deletes it
        # (vms/service.py keeps this up to date). Emptied on reconnecting.
        self.domain_cache = {}
        self._ensure_created()

    # creation ----------------------------------------------------------------
    def _ensure_created(self):
        os.makedirs(self.dir, mode=0o700, exist_ok=True)
        if os.path.exists(self.node_path):
            return
        with self._locked(fcntl.LOCK_EX):
            if os.path.exists(self.node_path):
                return
            import json
            import uuid as uuidlib

            name, address = self._identity
            meta = {"name": name, "uuid": str(uuidlib.uuid4()), "address": address,
                    "cpu_model": _cpu_model_of(name)}
            write_atomic(os.path.join(self.dir, META_FILE), json.dumps(meta, indent=2) + "\n")
            parts = ["<node xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>",
                     _host_header()]
            parts += events.NODE_PARTS.results(events.SandboxEvent(self))
            parts.append("</node>\n")
            write_atomic(self.node_path, "\n".join(parts))
            events.SETUP.run(events.SandboxEvent(self))

    def meta(self) -> dict:
        import json

        with open(os.path.join(self.dir, META_FILE)) as f:
            return json.load(f)

    # locking and freshness ---------------------------------------------------
    @contextlib.contextmanager
    def _locked(self, mode):
        if not os.path.isdir(self.dir):
            from acli.errors import BackendError

            raise BackendError(f"the sandbox directory {self.dir} is gone")
        fd = os.open(os.path.join(self.dir, LOCK_FILE), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            self._take(fd, mode)
            self._lock_fd, self._lock_mode = fd, mode
            yield
        finally:
            self._lock_fd = self._lock_mode = None
            os.close(fd)  # closing drops the lock

    def _take(self, fd, mode) -> None:
        """flock `fd` in `mode`, queueing in the turnstile (see above)."""
        gate = os.open(os.path.join(self.dir, TURNSTILE_FILE), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(gate, fcntl.LOCK_EX)
            fcntl.flock(fd, mode)
        finally:
            os.close(gate)

    @property
    def locked(self) -> bool:
        return self._lock_mode is not None

    @contextlib.contextmanager
    def unlocked(self):
        """Let other acli processes use the sandbox while this one waits for
        something else. What was changed is written back first; afterwards
        the lock is taken again and the state reloaded if another process
        changed it, so libvirt objects from before must be looked up again."""
        fd, mode = self._lock_fd, self._lock_mode
        if mode is None:
            yield
            return
        if mode == fcntl.LOCK_EX:
            self.settle()
            self.save()
            _unlink(self._unsaved_path())  # written: nothing is half-way while others use it
        fcntl.flock(fd, fcntl.LOCK_UN)
        self._lock_mode = None
        try:
            yield
        finally:
            self._take(fd, mode)
            self._lock_mode = mode
            self._refresh()
            if mode == fcntl.LOCK_EX:
                self._mark_unsaved()

    def _signature(self):
        st = os.stat(self.node_path)
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def _refresh(self):
        """Reopen the connection if the node file is not what we loaded;
        then mend what a process that died half-way left."""
        if self._conn is None or self._loaded != self._signature():
            self.close()
            self._loaded = self._signature()
            self._conn = self._connect()
        self._resync_if_left_unsaved()

    @property
    def conn(self):
        if self._conn is None:
            self._refresh()
        return self._conn

    def check_answers(self) -> None:
        if os.path.exists(os.path.join(self.dir, DOWN_FILE)):
            from acli.errors import BackendError

            os.close(os.open(os.path.join(self.dir, CRASHED_FILE), os.O_WRONLY | os.O_CREAT,
                             0o600))
            raise BackendError(f"powered down (a file named {DOWN_FILE} in its directory)")
        super().check_answers()

    def _back_from_power_loss(self) -> None:
        """A host seen down lost its guests: the VMs its node file still
        says run are off when it answers again (their ports follow at
        settle), as after a real host's power failure."""
        path = os.path.join(self.dir, CRASHED_FILE)
        if not os.path.exists(path):
            return
        import libvirt

        for dom in self.conn.listAllDomains(libvirt.VIR_CONNECT_LIST_DOMAINS_ACTIVE):
            dom.destroy()
            self.pending_ports[dom] = None
        _unlink(path)

    def operation(self, mutates: bool):
        if self._holding:  # a batch holds the lock already; it saves at its end
            if mutates and not self._dirty:
                self._dirty = True
                self._mark_unsaved()
            return NO_BRACKET
        return self._one_operation(mutates)

    @contextlib.contextmanager
    def _one_operation(self, mutates: bool):
        with self._locked(fcntl.LOCK_EX if mutates else fcntl.LOCK_SH):
            self._refresh()
            if mutates:
                self._mark_unsaved()
                self._back_from_power_loss()
            try:
                yield
            finally:
                if mutates and self.locked:  # not if taking it back was interrupted
                    self._write_back("command")

    # dying half-way ----------------------------------------------------------
    def _unsaved_path(self) -> str:
        return os.path.join(self.dir, UNSAVED_FILE)

    def _mark_unsaved(self) -> None:
        os.close(os.open(self._unsaved_path(), os.O_WRONLY | os.O_CREAT, 0o600))

    def _resync_if_left_unsaved(self) -> None:
        """Under the lock no other acli is half-way through a change: an
        `unsaved` mark is a dead process's (or an interrupted write's), and
        the views that follow from the node file are brought in line."""
        if os.path.exists(self._unsaved_path()):
            events.RESYNC.run(events.SandboxEvent(self))
            _unlink(self._unsaved_path())

    def _write_back(self, what: str) -> None:
        """settle() and save(); interrupted, nothing this command or batch
        changed is kept (the next use reloads the file and resyncs)."""
        try:
            self.settle()
            self.save()
        except KeyboardInterrupt as err:
            from acli.interrupts import what as said

            self.close()  # drop the state in memory: the file is the truth
            from acli.errors import Interrupted

            raise Interrupted(f"{said(err)} before the sandbox was written; nothing this "
                              f"{what} changed was kept") from None
        _unlink(self._unsaved_path())

    @contextlib.contextmanager
    def hold(self):
        """Hold the sandbox for a batch: one lock, one write at the end."""
        if self._holding:
            yield
            return
        with self._locked(fcntl.LOCK_EX):
            self._refresh()
            self._holding, self._dirty = True, False
            try:
                yield
            finally:
                self._holding = False
                if self._dirty and self.locked:
                    self._write_back("batch")

    def catch_up(self):
        """Reload the node file if it changed, under the lock only for that:
        the test driver then answers from this process's copy of the state,
        and a command of another Host or process need not wait for the
        reads that follow."""
        with self._locked(fcntl.LOCK_SH):
            self._refresh()

    def settle(self):
        """Do the work deferred to the end of a command or batch.

        The sandbox stands in for ovs-vswitchd: a VM's NICs get ports in the
        private OVSDB when it runs. A power action only notes the VM here;
        its ports are brought in line once, when the command or batch ends
        (or before acli next reads OVSDB), as the node file is written once.
        A batch that powers VMs on and off and deletes them so never reads
        their definitions for ports; what others see is the same once acli
        lets the sandbox go. The power actions' counts in the VMs'
        logical_timestamp are written here too."""
        if self.pending_ports or self.pending_stamps:
            events.SETTLE.run(events.SandboxEvent(self))

    def save(self):
        xml = node_xml(self._conn, _host_header())
        write_atomic(self.node_path, xml)
        self._loaded = self._signature()

    # OVSDB -------------------------------------------------------------------
    def ovsdb_remote(self) -> str:
        if self._ovsdb_server is None:
            from acli.hosts.sandbox_ovsdb import SandboxOvsdb

            self._ovsdb_server = SandboxOvsdb(self.dir)
        return self._ovsdb_server.remote()

    def shutdown(self):
        """Let the private ovsdb-server go too (the last user stops it)."""
        super().shutdown()
        if self._ovsdb_server is not None:
            self._ovsdb_server.release()
            self._ovsdb_server = None

    # what the test driver can do ---------------------------------------------
    def _probe_domain_type(self) -> str:
        return "test"

    def has_uefi_firmware(self, machine_type: str) -> bool:
        return True  # the test driver boots nothing; the definition is what counts

    def state_dir(self) -> str:
        return self.dir

    # description -------------------------------------------------------------
    def cpu_description(self) -> str:
        model = self.meta().get("cpu_model") or SANDBOX_CPU_MODELS[0]
        return f"<cpu><arch>x86_64</arch><model>{model}</model><vendor>Intel</vendor></cpu>"

    def cpu_baseline(self, descriptions: list[str]) -> str:
        return self.conn.baselineCPU(descriptions, 0)

    def label(self) -> str:
        return f"sandbox host in {self.dir}"

    def info(self) -> HostInfo:
        meta = self.meta()
        cpus = _CPU["sockets"] * _CPU["cores"] * _CPU["threads"]
        return HostInfo(name=meta["name"], address=meta["address"], uuid=meta["uuid"],
                        kind=self.kind, uri=self.uri,
                        cpu_model=meta.get("cpu_model", _CPU["model"]), cpu_mhz=_CPU["mhz"],
                        sockets=_CPU["sockets"], cores=_CPU["cores"], threads=_CPU["threads"],
                        cpus=cpus, memory_mb=_MEMORY_KIB // 1024)


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:  # a reader mended it first
        pass
