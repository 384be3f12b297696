"""Small local look-ups about this machine: does a UNIX socket answer, what
is this machine's address. Read locally; they send no traffic."""

from __future__ import annotations


def socket_answers(path: str) -> bool:
    import socket

    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        try:
            s.connect(path)
            return True
        except OSError:
            return False


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
