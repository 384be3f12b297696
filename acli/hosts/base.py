"""The Host interface: what every kind of host offers the services.

A host is one hypervisor: a libvirt connection, an OVSDB connection, a
description, a bracket around each command and batch, and `caps`, what it
does itself and what acli must do for it. Services ask the host, never what
kind it is. Per-host state (caches, the ports a sandbox has yet to settle)
is declared here, so several hosts can live in one process side by side:
the members of a cluster are each a Host.

Kinds: LibvirtHost (hosts/libvirt_host.py), any libvirt URI with its own
Open vSwitch; SandboxHost (hosts/sandbox.py), libvirt's test driver over a
node file with a private ovsdb-server.
"""

from __future__ import annotations

import contextlib
from abc import ABC, abstractmethod

from acli.plain import Plain


class Capabilities(Plain):
    """What a host does itself, and so what acli need not do for it.

    vswitchd: an ovs-vswitchd applies OVSDB changes, makes a running VM's
      ports and fills the status columns. Without one, acli keeps VM ports
      itself (`pending_ports`, settle()) and has nothing to wait for.
    live_devices: a running domain's devices change live (attach, detach,
      update, blockResize); without it, changing the definition is all.
    volume_data: volumes hold bytes: uploads stream, resizes and copies move
      data, pool directories are built and removed, disk formats matter to
      snapshots. Without it volumes are accounting entries of a size.
    in_process: the host's state lives in this process while acli holds it
      (the test driver's): nothing else changes it meanwhile, so domains
      looked up stay valid (`domain_cache`), and no background process can
      share it.
    nvram: undefining a domain takes libvirt's NVRAM flag.
    redefine_active_network: defining an active network's new XML under the
      same name is kept for its next start; the test driver keeps the
      running definition instead.
    dhcp_servers: acli runs each managed network's DHCP server here (a
      namespace, an OVS port, dnsmasq, OpenFlow rules), as a local root
      process can; without, the server's configuration is only shown.
    migration: libvirt migrates a running VM from here to another host of
      the same kind (peer to peer, live); without, acli moves it itself:
      the definition, the volumes' entries, the power state.
    """

    __slots__ = ("vswitchd", "live_devices", "volume_data", "in_process", "nvram",
                 "redefine_active_network", "dhcp_servers", "migration")

    def __init__(self, *, vswitchd: bool, live_devices: bool, volume_data: bool,
                 in_process: bool, nvram: bool, redefine_active_network: bool,
                 dhcp_servers: bool = False, migration: bool = False):
        self.migration = migration
        self.vswitchd = vswitchd
        self.live_devices = live_devices
        self.volume_data = volume_data
        self.in_process = in_process
        self.nvram = nvram
        self.redefine_active_network = redefine_active_network
        self.dhcp_servers = dhcp_servers


class HostInfo(Plain):
    __slots__ = ("name", "address", "uuid", "kind", "uri", "cpu_model", "cpu_mhz", "sockets",
                 "cores", "threads", "cpus", "memory_mb")

    def __init__(self, name: str, address: str, uuid: str, kind: str, uri: str, cpu_model: str,
                 cpu_mhz: int, sockets: int, cores: int, threads: int, cpus: int,
                 memory_mb: int):
        self.name = name
        self.address = address
        self.uuid = uuid
        self.kind = kind  # "sandbox" or "libvirt"
        self.uri = uri
        self.cpu_model = cpu_model
        self.cpu_mhz = cpu_mhz
        self.sockets = sockets
        self.cores = cores
        self.threads = threads
        self.cpus = cpus
        self.memory_mb = memory_mb


NO_BRACKET = contextlib.nullcontext()


class Host(ABC):
    kind: str
    caps: Capabilities

    # Name -> libvirt domain, for a host whose domains only this process
    # changes (caps.in_process); None where others may rename or delete them.
    domain_cache: dict | None = None
    # VMs (libvirt domains, as keys of an ordered set) whose ports acli must
    # still bring in line with their power state (hosts without vswitchd
    # that defer it to settle()); None where ports follow at once.
    pending_ports: dict | None = None
    # VMs (libvirt domains) -> power changes not yet counted in their
    # logical_timestamp (vms/logical_timestamp.py), for a host whose state
    # only this process sees until settle(); None where each counts at once.
    pending_stamps: dict | None = None
    # UUIDs (keys of an ordered set) of networks whose definition this
    # command or batch stored or deleted: their DHCP servers are brought in
    # line when it ends (settle), once however many NICs changed.
    dhcp_pending: dict | None = None
    # UUIDs (keys of an ordered set) of networks whose definition changed
    # here since a cluster last copied them to its other hosts.
    networks_changed: dict | None = None
    # The other hosts of the cluster the running command holds: what must be
    # unique across the cluster (a NIC's MAC) is checked on them too.
    peers: tuple = ()

    def __init__(self, uri: str):
        self.uri = uri
        self._conn = None
        self._ovsdb = None
        self._domain_type: str | None = None
        # (when read, set of MACs) of this host's NICs: networking's cache
        self.mac_cache: tuple[float, set] | None = None

    # libvirt -----------------------------------------------------------------
    @property
    def conn(self):
        if self._conn is None:
            self._conn = self._connect()
        return self._conn

    def _connect(self):
        import libvirt

        from acli.errors import BackendError
        from acli.hosts.libvirt_errors import silence_libvirt

        silence_libvirt()
        try:
            return libvirt.open(self.uri)
        except libvirt.libvirtError as err:
            raise BackendError(f"cannot connect to libvirt at {self.uri}: "
                               f"{(err.get_error_message() or str(err)).splitlines()[0]}") from None

    def check_answers(self) -> None:
        """One round trip to the host's libvirt, or BackendError: what a
        cluster asks each member before it counts on it."""
        from acli.hosts.libvirt_errors import libvirt_call

        libvirt_call(lambda host: host.conn.getLibVersion())(self)

    def call_each(self, fn, items) -> list:
        """[fn(item) for item in items], in order: for the libvirt calls that
        have no bulk form (a definition, a snapshot's XML). Over a socket
        several are in flight at once (hosts/overlap.py); an in-process
        driver has no round trips to overlap."""
        from acli.hosts.overlap import WIDTH, overlapped

        return overlapped(fn, items, 1 if self.caps.in_process else WIDTH)

    def domain_type(self) -> str:
        """The libvirt domain type new VMs get ('kvm', 'qemu', 'test')."""
        if self._domain_type is None:
            self._domain_type = self._probe_domain_type()
        return self._domain_type

    @abstractmethod
    def _probe_domain_type(self) -> str: ...

    @abstractmethod
    def has_uefi_firmware(self, machine_type: str) -> bool:
        """Whether QEMU here has UEFI firmware for `machine_type`."""

    # CPU ---------------------------------------------------------------------
    @abstractmethod
    def cpu_description(self) -> str:
        """The CPU this host gives a VM, as libvirt's CPU XML: what a
        cluster's baseline is computed from (acli/cluster/cpu.py)."""

    @abstractmethod
    def cpu_baseline(self, descriptions: list[str]) -> str:
        """libvirt's baseline of several hosts' CPUs (their lowest common
        model and features), as a custom <cpu> element, computed here."""

    # OVSDB -------------------------------------------------------------------
    @abstractmethod
    def ovsdb_remote(self) -> str:
        """The OVSDB remote of this host's Open vSwitch."""

    def ovsdb(self):
        """The host's one OVSDB connection (hosts/ovsdb.py), made on first use.
        Ports acli deferred are brought in line first, so acli never reads
        them out of date."""
        if self.pending_ports:
            self.settle()
        if self._ovsdb is None:
            from acli.hosts.ovsdb import Ovsdb

            self._ovsdb = Ovsdb(self.ovsdb_remote())
        return self._ovsdb

    # brackets ----------------------------------------------------------------
    def operation(self, mutates: bool):
        """Around every command. (A shared null context where nothing is
        needed, not a generator: a batch enters this once a line.)"""
        return NO_BRACKET

    @contextlib.contextmanager
    def hold(self):
        """Around a batch."""
        yield

    def settle(self) -> None:
        """Do the work deferred to the end of a command or batch."""
        if self.dhcp_pending:
            from acli.hosts import events

            uuids, self.dhcp_pending = list(self.dhcp_pending), {}
            events.NETWORKS_CHANGED.run(events.NetworksEvent(self, uuids))

    def network_changed(self, uuid: str) -> None:
        """A network's stored definition changed (or it was deleted): its
        DHCP server follows at settle(), and a cluster copies it to its
        other hosts (`networks_changed`) when the command ends."""
        if self.networks_changed is None:
            self.networks_changed = {}
        self.networks_changed[uuid] = None
        if self.caps.dhcp_servers:
            if self.dhcp_pending is None:
                self.dhcp_pending = {}
            self.dhcp_pending[uuid] = None

    def unlocked(self):
        """Around a long wait for something outside the host (a transfer):
        the host's own lock, if it has one, is let go meanwhile."""
        return NO_BRACKET

    def catch_up(self) -> None:
        """Bring this Host's view up to date for a read that must not keep
        commands waiting (completion's names, on a thread of their own): the
        reads after it see the host as it was then, without holding anything
        for their length. A connection to a daemon is always up to date."""

    # files -------------------------------------------------------------------
    @abstractmethod
    def state_dir(self) -> str:
        """Where acli keeps the few files of its own about this host (the
        image catalog)."""

    # lifetime ----------------------------------------------------------------
    def close(self):
        """Let the connections go (they reopen on next use), and what was
        read through them."""
        if self.domain_cache is not None:
            self.domain_cache.clear()
        self.mac_cache = None
        if self._conn is not None:
            try:
                self._conn.close()
            except Exception:
                pass
            self._conn = None

    def shutdown(self):
        """Called once when the acli process is done with the host."""
        self.close()
        if self._ovsdb is not None:
            self._ovsdb.close()
            self._ovsdb = None

    # description -------------------------------------------------------------
    @abstractmethod
    def label(self) -> str:
        """One line for the shell's banner."""

    @abstractmethod
    def info(self) -> HostInfo: ...

    def address_is_remote(self) -> bool:
        from urllib.parse import urlparse

        return bool(urlparse(self.uri).hostname)
