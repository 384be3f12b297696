"""DHCP frames on the wire, for the real-host DHCP tests: a server's reply
sent from a port the test makes, and a capture on another port, both with
raw packet sockets (no tool beyond Python). Addresses are the test's own."""

from __future__ import annotations

import socket
import struct
import time

ETH_P_ALL = 0x0003


def _checksum(data: bytes) -> int:
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    total = (total >> 16) + (total & 0xFFFF)
    return ~(total + (total >> 16)) & 0xFFFF


def _mac(text: str) -> bytes:
    return bytes(int(part, 16) for part in text.split(":"))


def _frame(src_mac: str, vlan: int, src_ip: str, ports: tuple[int, int], bootp: bytes) -> bytes:
    """A broadcast UDP frame (to 255.255.255.255) carrying `bootp`, tagged with `vlan`."""
    udp = struct.pack("!HHHH", *ports, 8 + len(bootp), 0) + bootp
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0,
                     socket.inet_aton(src_ip), socket.inet_aton("255.255.255.255"))
    ip = ip[:10] + struct.pack("!H", _checksum(ip)) + ip[12:]
    return (b"\xff" * 6 + _mac(src_mac) + struct.pack("!HH", 0x8100, vlan) + b"\x08\x00"
            + ip + udp)


def _bootp(op: int, xid: int, chaddr: str, yiaddr: str, server: str, options: bytes) -> bytes:
    """A BOOTP message with the broadcast flag (replies go to every port
    of the VLAN, where a capture sees them)."""
    return struct.pack("!BBBBIHH4s4s4s4s16s64s128s", op, 1, 6, 0, xid, 0, 0x8000,
                       bytes(4), socket.inet_aton(yiaddr), socket.inet_aton(server), bytes(4),
                       _mac(chaddr).ljust(16, b"\0"), b"", b"") + b"\x63\x82\x53\x63" + options


def offer(src_mac: str, chaddr: str, vlan: int, xid: int, server: str, yiaddr: str) -> bytes:
    """A broadcast DHCPOFFER for `chaddr`, tagged with `vlan`."""
    bootp = _bootp(2, xid, chaddr, yiaddr, server,
                   bytes([53, 1, 2, 54, 4]) + socket.inet_aton(server) + b"\xff")
    return _frame(src_mac, vlan, server, (67, 68), bootp)


def discover(mac: str, vlan: int, xid: int) -> bytes:
    """A client's DHCPDISCOVER from `mac` (its hardware address too),
    tagged with `vlan`."""
    bootp = _bootp(1, xid, mac, "0.0.0.0", "0.0.0.0", bytes([53, 1, 1, 255]))
    return _frame(mac, vlan, "0.0.0.0", (68, 67), bootp)


def send(device: str, frame: bytes, times: int = 3) -> None:
    with socket.socket(socket.AF_PACKET, socket.SOCK_RAW) as s:
        s.bind((device, 0))
        for _ in range(times):
            s.send(frame)
            time.sleep(0.1)


class Capture:
    """Every frame through `device` (in or out) while it is open."""

    def __init__(self, device: str):
        self.sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
        self.sock.bind((device, 0))
        self.sock.setblocking(False)
        self.frames: list[bytes] = []

    def drain(self, seconds: float) -> list[bytes]:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                self.frames.append(self.sock.recv(65535))
            except BlockingIOError:
                time.sleep(0.02)
        return self.frames

    def saw_xid(self, xid: int) -> bool:
        """Whether a BOOTP reply with this transaction id went through."""
        return bool(self.offered(xid))

    def offered(self, xid: int) -> list[str]:
        """The addresses (yiaddr) of the BOOTP replies with this transaction
        id that went through."""
        marker = struct.pack("!BBBBI", 2, 1, 6, 0, xid)
        found = []
        for frame in self.frames:
            at = frame.find(marker)
            if at >= 0:
                found.append(socket.inet_ntoa(frame[at + 16:at + 20]))
        return found

    def close(self) -> None:
        self.sock.close()
