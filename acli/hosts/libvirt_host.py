"""A real host: any libvirt URI (qemu:///system, qemu+ssh://...) with its own
Open vSwitch. libvirt and ovs-vswitchd do the work; other tools and other
acli processes may change the host at any time, so nothing is cached that
they could make wrong."""

from __future__ import annotations

from acli.hosts.base import Capabilities, Host, HostInfo

DEFAULT_OVSDB = "unix:/var/run/openvswitch/db.sock"
DEFAULT_STATE_DIR = "/var/lib/acli"


class LibvirtHost(Host):
    kind = "libvirt"
    caps = Capabilities(vswitchd=True, live_devices=True, volume_data=True, in_process=False,
                        nvram=True, redefine_active_network=True)

    def __init__(self, uri: str, ovsdb_remote: str | None = None):
        super().__init__(uri)
        self._ovsdb_remote = ovsdb_remote

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
