"""Image sources: a local regular file, a file:///path URL, or an http(s)
URL, opened so that reading them always ends.

* A local source must be a regular file: a FIFO, a device (/dev/zero) or
  a socket would never end, or never start. It is opened without blocking
  (opening a FIFO waits for a writer), looked at, and refused if it is not
  one; only the length it had when opened is read, so a file that grows
  meanwhile ends too.
* A file URL is `file:///absolute/path` (or `file://localhost/...`):
  `file://etc/passwd` names a host "etc", and is refused rather than read
  as /passwd.
* An http(s) source may stall or trickle: a transfer fails when fewer than
  MIN_BYTES arrive in any STALL_SECONDS (ACLI_STALL_SECONDS overrides), and
  a server that sends no Content-Length is spooled to a temp file no
  larger than the room the caller has for it.
* `user:password@` in an http(s) URL is sent as HTTP basic authentication
  (never to the host of a redirect) and kept out of every message.
"""

from __future__ import annotations

import os
import stat
import struct
import tempfile
import time
from dataclasses import dataclass
from urllib.parse import unquote, urlparse

from acli.echo import url_credentials, without_credentials
from acli.errors import BackendError, NotFound, UsageError

CHUNK = 1 << 20
HEAD = 64 * 1024  # enough to see a qcow2 header and an ISO 9660 volume descriptor
QCOW2_MAGIC = b"QFI\xfb"
STALL_SECONDS = 30.0
MIN_BYTES = 64 * 1024  # per STALL_SECONDS: about 2 KiB/s, a link no one waits on


@dataclass
class Source:
    url: str  # as messages may show it: no credentials
    stream: object  # read(n) -> bytes, close()
    length: int
    head: bytes
    fmt: str  # qcow2, raw or iso
    virtual_size: int
    spool: str | None = None  # a temp copy of a source of unknown length

    def close(self):
        try:
            self.stream.close()
        finally:
            if self.spool:
                os.unlink(self.spool)

    def chunks(self):
        """The bytes in order, the head first: exactly `length` of them
        (fewer only if the source ends early)."""
        yield self.head
        left = self.length - len(self.head)
        while left > 0:
            data = self.stream.read(min(CHUNK, left))
            if not data:
                return
            left -= len(data)
            yield data


def sniff(head: bytes, length: int) -> tuple[str, int]:
    """(format, virtual size) from the first bytes of an image."""
    if head[:4] == QCOW2_MAGIC and len(head) >= 32:
        return "qcow2", struct.unpack(">Q", head[24:32])[0]
    if head[0x8001:0x8006] == b"CD001":
        return "iso", length
    return "raw", length


def open_source(url: str, room: int | None = None) -> Source:
    """Open `url` and read its head. `room`: the most bytes a source of
    unknown length may spool (the container's free space)."""
    parsed = urlparse(url)
    shown = without_credentials(url)
    if parsed.scheme in ("http", "https"):
        stream, length, spool = _open_http(url, shown, room)
    elif parsed.scheme in ("file", ""):
        stream, length = _open_local(local_path(url))
        spool = None
    else:
        raise UsageError(f"Bad value for source_url: '{shown}' is not a path, file://, http:// "
                         "or https:// URL")
    try:
        if length == 0:
            raise UsageError(f"Bad value for source_url: {shown} is empty")
        head = stream.read(min(HEAD, length))
    except BaseException:
        Source(shown, stream, 0, b"", "raw", 0, spool).close()
        raise
    fmt, virtual = sniff(head, length)
    return Source(shown, stream, length, head, fmt, virtual, spool)


def check(url: str) -> None:
    """What can be known of a source without fetching it: its kind, and for
    a local file that it is one that can be read."""
    if urlparse(url).scheme not in ("http", "https"):
        open_source(url).close()


def local_path(url: str) -> str:
    """The absolute path a path or file URL names."""
    parsed = urlparse(url)
    if parsed.scheme != "file":
        return os.path.abspath(url)
    if parsed.netloc not in ("", "localhost"):
        raise UsageError(f"Bad value for source_url: '{url}' names the host '{parsed.netloc}'; "
                         "a file URL is file:///absolute/path")
    return unquote(parsed.path)


def _open_local(path: str):
    try:
        # O_NONBLOCK: opening a FIFO would otherwise wait for a writer
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise NotFound(f"source_url: no such file: {path}") from None
    except OSError as err:
        raise BackendError(f"source_url: cannot read {path}: {err.strerror}") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        what = "a directory" if stat.S_ISDIR(mode) else "not a regular file"
        raise UsageError(f"Bad value for source_url: {path} is {what}")
    os.set_blocking(fd, True)
    stream = os.fdopen(fd, "rb")
    return stream, os.fstat(fd).st_size


def stall_seconds() -> float:
    try:
        return float(os.environ.get("ACLI_STALL_SECONDS", STALL_SECONDS))
    except ValueError:
        return STALL_SECONDS


class Watched:
    """An http response read with a watchdog: read(n) returns n bytes (fewer
    only at the end) and fails once fewer than MIN_BYTES arrived in a window
    of `window` seconds; the socket's own timeout (the same) bounds silence."""

    def __init__(self, resp, shown_url: str, window: float):
        self.resp, self.url, self.window = resp, shown_url, window
        self._since, self._got = time.monotonic(), 0

    def read(self, n: int) -> bytes:
        parts, wanted = [], n
        while wanted > 0:
            try:
                data = self.resp.read1(wanted)
            except TimeoutError:
                raise BackendError(f"source_url: {self.url} sent nothing for "
                                   f"{self.window:g} s") from None
            except OSError as err:
                raise BackendError(f"source_url: reading {self.url} failed: {err}") from None
            if not data:
                break
            parts.append(data)
            wanted -= len(data)
            self._count(len(data))
        return b"".join(parts)

    def _count(self, n: int) -> None:
        self._got += n
        now = time.monotonic()
        if now - self._since < self.window:
            return
        if self._got < MIN_BYTES:
            raise BackendError(f"source_url: {self.url} sent {self._got} bytes in "
                               f"{now - self._since:.0f} s; giving up on a stalled transfer")
        self._since, self._got = now, 0

    def close(self):
        self.resp.close()


def _open_http(url: str, shown: str, room: int | None):
    import urllib.error
    import urllib.request

    bare, user, password = url_credentials(url)
    request = urllib.request.Request(bare)
    if user is not None:
        import base64

        token = base64.b64encode(f"{user}:{password or ''}".encode()).decode()
        # unredirected: a redirect to another host never gets the password
        request.add_unredirected_header("Authorization", f"Basic {token}")
    window = stall_seconds()
    try:
        resp = urllib.request.urlopen(request, timeout=window)
    except urllib.error.HTTPError as err:
        raise NotFound(f"source_url: {shown}: HTTP {err.code} {err.reason}") from None
    except (urllib.error.URLError, OSError) as err:
        reason = getattr(err, "reason", err)
        raise BackendError(f"source_url: cannot fetch {shown}: {reason}") from None
    stream = Watched(resp, shown, window)
    length = resp.headers.get("Content-Length")
    if length is not None and length.isdigit():
        return stream, int(length), None
    # No length: a volume needs its size up front, so spool to a temp file.
    fd, spool = tempfile.mkstemp(prefix="acli-image-")
    try:
        try:
            with os.fdopen(fd, "wb") as out:
                _spool(stream, out, shown, room)
        finally:
            stream.close()
        local = open(spool, "rb")
        return local, os.fstat(local.fileno()).st_size, spool
    except BaseException:
        os.unlink(spool)
        raise


def _spool(stream, out, shown: str, room: int | None) -> None:
    total = 0
    while True:
        data = stream.read(CHUNK)
        if not data:
            return
        total += len(data)
        if room is not None and total > room:
            raise BackendError(f"source_url: {shown} sends more than the {room} bytes "
                               "free in the container")
        out.write(data)
