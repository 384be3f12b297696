"""A real host: any libvirt URI (qemu:///system, qemu+ssh://...) with its own
Open vSwitch. libvirt and ovs-vswitchd do the work; other tools and other
acli processes may change the host at any time, so nothing is cached that
they could make wrong.

Concurrency: every command that changes the host runs holding the OVSDB
lock "acli" on the host's own ovsdb-server (hosts/ovsdb_lock.py), and reads
what it changes after taking it. A batch takes the lock at its first
changing line and keeps it to its end, as the sandbox keeps its file lock.
Caches that another acli could make wrong (the MAC set) live only while the
lock is held.
"""

from __future__ import annotations

import contextlib

from acli.hosts.base import NO_BRACKET, Capabilities, Host, HostInfo

DEFAULT_OVSDB = "unix:/var/run/openvswitch/db.sock"
DEFAULT_STATE_DIR = "/var/lib/acli"
RECONNECT_WAIT = 30.0  # seconds a shell or batch waits for a restarting libvirtd


class LibvirtHost(Host):
    kind = "libvirt"
    caps = Capabilities(vswitchd=True, live_devices=True, volume_data=True, in_process=False,
                        nvram=True, redefine_active_network=True, dhcp_servers=True,
                        migration=True)
    # A host reached over the network: acli cannot start its DHCP servers
    # from here (`acli-dhcp sync` on that host does).
    REMOTE_CAPS = Capabilities(vswitchd=True, live_devices=True, volume_data=True,
                               in_process=False, nvram=True, redefine_active_network=True,
                               dhcp_servers=False, migration=True)

    def __init__(self, uri: str, ovsdb_remote: str | None = None):
        super().__init__(uri)
        # Another machine, or a libvirtd of its own reached by its socket (a
        # host in its own namespaces, as the rig's): either way its DHCP
        # servers are not this machine's to start.
        if self.address_is_remote() or "socket=" in uri:
            self.caps = self.REMOTE_CAPS
        self._ovsdb_remote = ovsdb_remote
        self._lock = None  # hosts.ovsdb_lock.OvsdbLock, made on first change
        self._was_connected = False  # a lost connection is waited for, a first one not
        self._holding = False  # a batch keeps the lock once it has it

    # the lock around changes -------------------------------------------------
    def operation(self, mutates: bool):
        self._reconnect_if_closed()
        if not mutates or (self._holding and self._lock is not None and self._lock.held):
            return NO_BRACKET
        return self._changing()

    def _reconnect_if_closed(self) -> None:
        """A shell or batch outlives a libvirtd restart: a connection the
        daemon closed is dropped here (a local check, no round trip) and the
        next use opens a new one."""
        conn = self._conn
        if conn is not None:
            try:
                alive = conn.isAlive()
            except Exception:  # noqa: BLE001 - a broken handle is a dead one
                alive = False
            if not alive:
                self.close()

    @contextlib.contextmanager
    def _changing(self):
        lock = self._take_lock()
        try:
            try:
                yield
            except BaseException:
                if not self._holding:
                    self._settle_quietly()
                raise
            if not self._holding:
                self.settle()  # still under the lock: no other acli sees half of it
        finally:
            if not self._holding:
                lock.release()

    def _settle_quietly(self) -> None:
        """settle() after a failed command: the command's error is the one
        to report (what it undid is brought in line all the same)."""
        try:
            self.settle()
        except Exception:  # noqa: BLE001 - the next change or `acli-dhcp sync` retries
            pass

    def _take_lock(self):
        if self._lock is None:
            from acli.hosts.ovsdb_lock import OvsdbLock

            self._lock = OvsdbLock(self.ovsdb_remote())
        if not self._lock.held:
            self._lock.acquire()
            self.mac_cache = None  # read before the lock: another acli may have changed it
        return self._lock

    @contextlib.contextmanager
    def hold(self):
        """Around a batch: the lock, once taken, is kept to the end."""
        if self._holding:
            yield
            return
        self._holding = True
        try:
            try:
                yield
            except BaseException:
                self._settle_quietly()
                raise
            self.settle()
        finally:
            self._holding = False
            if self._lock is not None:
                self._lock.release()

    def shutdown(self):
        super().shutdown()
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    def _connect(self):
        from acli.hosts.libvirt_loop import ensure_running

        ensure_running()  # so that a closed connection is seen as closed
        conn = self._reconnect() if self._was_connected else super()._connect()
        self._was_connected = True
        try:
            conn.setKeepAlive(5, 3)  # a daemon that stops answering: closed in ~20 s
        except Exception:  # noqa: BLE001 - drivers without keepalive (local ones) need none
            pass
        return conn

    def _reconnect(self):
        """A shell or batch whose libvirtd went away waits for it to come
        back (a restart takes a second or two), up to RECONNECT_WAIT, rather
        than failing every line meanwhile; a first connection never waits."""
        import time

        from acli.errors import BackendError

        deadline = time.monotonic() + RECONNECT_WAIT
        while True:
            try:
                return super()._connect()
            except BackendError:
                if time.monotonic() >= deadline:
                    raise
                time.sleep(0.25)

    def ovsdb_remote(self) -> str:
        return self._ovsdb_remote or DEFAULT_OVSDB

    def state_dir(self) -> str:
        import os

        return os.environ.get("ACLI_STATE_DIR", DEFAULT_STATE_DIR)

    # what QEMU can do here ---------------------------------------------------
    def _probe_domain_type(self) -> str:
        """'kvm' where QEMU can use /dev/kvm, else 'qemu' (TCG)."""
        import libvirt

        if self._kvm_device_usable():
            try:
                self.conn.getDomainCapabilities(None, "x86_64", None, "kvm", 0)
                return "kvm"
            except libvirt.libvirtError:
                pass
        return "qemu"

    def _kvm_device_usable(self) -> bool:
        """libvirtd (root) may see KVM that QEMU, run as an unprivileged user,
        cannot open: a root-only /dev/kvm means TCG on a local host."""
        import os
        import stat

        if self.address_is_remote():
            return True
        try:
            mode = os.stat("/dev/kvm").st_mode
        except OSError:
            return False
        return stat.S_ISCHR(mode) and bool(mode & 0o066)

    def has_uefi_firmware(self, machine_type: str) -> bool:
        import libvirt

        from acli.hosts.libvirt_errors import translate

        try:
            caps = self.conn.getDomainCapabilities(None, "x86_64", machine_type,
                                                   self.domain_type(), 0)
        except libvirt.libvirtError as err:
            raise translate(err) from None
        return "<value>efi</value>" in caps

    # description -------------------------------------------------------------
    def cpu_description(self) -> str:
        """The host-model CPU QEMU offers here (domain capabilities), as a
        custom CPU: under KVM the host's CPU, under TCG what QEMU emulates."""
        import xml.etree.ElementTree as ET

        caps = ET.fromstring(self.conn.getDomainCapabilities(None, "x86_64", None,
                                                             self.domain_type(), 0))
        model = caps.find("cpu/mode[@name='host-model']")
        cpu = ET.Element("cpu", mode="custom", match="exact")
        for child in model if model is not None else ():
            cpu.append(child)
        return ET.tostring(cpu, encoding="unicode")

    def cpu_baseline(self, descriptions: list[str]) -> str:
        import libvirt

        return self.conn.baselineHypervisorCPU(None, "x86_64", None, self.domain_type(),
                                               descriptions,
                                               libvirt.VIR_CONNECT_BASELINE_CPU_MIGRATABLE)

    def label(self) -> str:
        return f"libvirt host {self.uri}"

    def info(self) -> HostInfo:
        import xml.etree.ElementTree as ET

        model, mem_mb, cpus, mhz, _nodes, sockets, cores, threads = self.conn.getInfo()
        caps = ET.fromstring(self.conn.getCapabilities())
        return HostInfo(name=self.conn.getHostname(), address=self.address(),
                        uuid=caps.findtext("host/uuid") or "", kind=self.kind, uri=self.uri,
                        cpu_model=caps.findtext("host/cpu/model") or model, cpu_mhz=mhz,
                        sockets=sockets, cores=cores, threads=threads, cpus=cpus,
                        memory_mb=mem_mb)

    def address(self) -> str:
        """The hypervisor's address: the URI's host part, or this machine's."""
        from urllib.parse import urlparse

        from acli.hosts.sockets import local_address

        return urlparse(self.uri).hostname or local_address()
