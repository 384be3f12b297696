"""What every host offers the services: a libvirt connection, an OVSDB remote,
a description, and `operation()` around each command."""

from __future__ import annotations

import contextlib

from acli.plain import Plain


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


class Host:
    kind = "libvirt"
    # Name -> libvirt domain, for a host whose domains only this process
    # changes (the sandbox); None where others may rename or delete them.
    domain_cache: dict | None = None

    def __init__(self, uri: str, ovsdb_remote: str | None):
        self.uri = uri
        self.is_test_driver = uri.startswith("test:")  # libvirt's test driver (the sandbox)
        self._ovsdb_remote = ovsdb_remote
        self._conn = None

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

    # OVSDB -------------------------------------------------------------------
    def ovsdb_remote(self) -> str:
        return self._ovsdb_remote or "unix:/var/run/openvswitch/db.sock"

    # per-command bracket -----------------------------------------------------
    def operation(self, mutates: bool):
        """Around every command; a real host needs nothing here. (A shared
        null context, not a generator: a batch enters this once a line.)"""
        return NO_BRACKET

    @contextlib.contextmanager
    def hold(self):
        """Around a batch; a real host needs nothing here."""
        yield

    def close(self):
        if self._conn is not None:
            try:
                self._conn.close()
            except Exception:
                pass
            self._conn = None

    # description -------------------------------------------------------------
    def label(self) -> str:
        return f"libvirt host {self.uri}"

    def info(self) -> HostInfo:
        import xml.etree.ElementTree as ET

        model, mem_mb, cpus, mhz, _nodes, sockets, cores, threads = self.conn.getInfo()
        caps = ET.fromstring(self.conn.getCapabilities())
        host_uuid = caps.findtext("host/uuid") or ""
        name = self.conn.getHostname()
        return HostInfo(name=name, address=self.address(), uuid=host_uuid, kind=self.kind,
                        uri=self.uri, cpu_model=caps.findtext("host/cpu/model") or model,
                        cpu_mhz=mhz, sockets=sockets, cores=cores, threads=threads, cpus=cpus,
                        memory_mb=mem_mb)

    def address_is_remote(self) -> bool:
        from urllib.parse import urlparse

        return bool(urlparse(self.uri).hostname)

    def address(self) -> str:
        """The hypervisor's address: the URI's host part, or this machine's."""
        from urllib.parse import urlparse

        remote = urlparse(self.uri).hostname
        if remote:
            return remote
        return local_address()


def local_address() -> str:
    """This machine's first non-loopback IPv4 address, read locally (no traffic)."""
    try:
        import fcntl
        import socket
        import struct

        with open("/proc/net/route") as routes:
            next(routes)
            for line in routes:
                fields = line.split()
                if fields[1] == "00000000":  # the default route's interface
                    iface = fields[0]
                    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                        packed = fcntl.ioctl(s.fileno(), 0x8915,  # SIOCGIFADDR
                                             struct.pack("256s", iface.encode()[:15]))
                    return socket.inet_ntoa(packed[20:24])
    except (OSError, StopIteration):
        pass
    return "127.0.0.1"
