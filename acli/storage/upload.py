"""Image sources (a local path, file://, http(s)://) and their upload into a
volume through a libvirt stream.

The source is read in chunks. On a real host each chunk goes into
virStorageVolUpload's stream; the sandbox's test driver has no upload, so
there the same chunks are read and counted but not kept (the sandbox keeps
volumes as accounting entries only, see docs/storage.md). Either way a
failure or Ctrl-C aborts the stream and the caller deletes the volume:
no half image is left behind.
"""

from __future__ import annotations

import os
import shutil
import struct
import sys
import tempfile
import time
from dataclasses import dataclass
from urllib.parse import unquote, urlparse

from acli.errors import BackendError, NotFound, UsageError

CHUNK = 1 << 20
HEAD = 64 * 1024  # enough to see a qcow2 header and an ISO 9660 volume descriptor
QCOW2_MAGIC = b"QFI\xfb"


@dataclass
class Source:
    url: str
    stream: object  # a binary file-like object
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


def sniff(head: bytes, length: int) -> tuple[str, int]:
    """(format, virtual size) from the first bytes of an image."""
    if head[:4] == QCOW2_MAGIC and len(head) >= 32:
        return "qcow2", struct.unpack(">Q", head[24:32])[0]
    if head[0x8001:0x8006] == b"CD001":
        return "iso", length
    return "raw", length


def open_source(url: str) -> Source:
    parsed = urlparse(url)
    if parsed.scheme in ("http", "https"):
        stream, length, spool = _open_http(url)
    elif parsed.scheme in ("file", ""):
        path = unquote(parsed.path) if parsed.scheme == "file" else url
        if not os.path.isabs(path):
            path = os.path.abspath(path)
        try:
            stream = open(path, "rb")
            length = os.fstat(stream.fileno()).st_size
        except FileNotFoundError:
            raise NotFound(f"source_url: no such file: {path}") from None
        except IsADirectoryError:
            raise UsageError(f"Bad value for source_url: {path} is a directory") from None
        except OSError as err:
            raise BackendError(f"source_url: cannot read {path}: {err.strerror}") from None
        spool = None
    else:
        raise UsageError(f"Bad value for source_url: '{url}' is not a path, file://, http:// "
                         "or https:// URL")
    if length == 0:
        stream.close()
        raise UsageError(f"Bad value for source_url: {url} is empty")
    head = stream.read(HEAD)
    fmt, virtual = sniff(head, length)
    return Source(url, stream, length, head, fmt, virtual, spool)


def _open_http(url: str):
    import urllib.error
    import urllib.request

    try:
        resp = urllib.request.urlopen(url, timeout=30)
    except urllib.error.HTTPError as err:
        raise NotFound(f"source_url: {url}: HTTP {err.code} {err.reason}") from None
    except (urllib.error.URLError, OSError) as err:
        reason = getattr(err, "reason", err)
        raise BackendError(f"source_url: cannot fetch {url}: {reason}") from None
    length = resp.headers.get("Content-Length")
    if length is not None and length.isdigit():
        return resp, int(length), None
    # No length: a volume needs its size up front, so spool to a temp file.
    fd, spool = tempfile.mkstemp(prefix="acli-image-")
    try:
        with os.fdopen(fd, "wb") as out, resp:
            shutil.copyfileobj(resp, out, CHUNK)
        stream = open(spool, "rb")
        return stream, os.fstat(stream.fileno()).st_size, spool
    except BaseException:
        os.unlink(spool)
        raise


def chunks(source: Source):
    yield source.head
    while True:
        data = source.stream.read(CHUNK)
        if not data:
            return
        yield data


class Progress:
    """A progress line on stderr, only when stderr is a terminal."""

    def __init__(self, label: str, total: int, stream=None):
        self.stream = stream or sys.stderr
        self.enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self.label, self.total, self.done, self._last = label, total, 0, 0.0

    def add(self, n: int) -> None:
        self.done += n
        now = time.monotonic()
        if self.enabled and (now - self._last > 0.1 or self.done >= self.total):
            self._last = now
            pct = 100 * self.done // max(self.total, 1)
            bar = "#" * (pct // 4)
            self.stream.write(f"\r{self.label} [{bar:<25}] {pct:3d}% "
                              f"{self.done / 1048576:.1f}/{self.total / 1048576:.1f} MiB")
            self.stream.flush()

    def end(self) -> None:
        if self.enabled:
            self.stream.write("\n")
            self.stream.flush()


def upload(host, vol, source: Source, progress: Progress) -> int:
    """Send every byte of `source` into `vol`; return the byte count.

    Raises (after aborting the stream) on any failure, KeyboardInterrupt
    included; the caller removes the volume."""
    if not host.caps.volume_data:  # an accounting entry: count the bytes
        sent = 0
        for data in chunks(source):
            sent += len(data)
            progress.add(len(data))
        return _check_length(sent, source)
    import libvirt

    stream = host.conn.newStream(0)
    sent = 0
    try:
        vol.upload(stream, 0, source.length, 0)
        for data in chunks(source):
            view = memoryview(data)
            while view:
                n = stream.send(view.tobytes())
                if n < 0:
                    raise BackendError("libvirt stream refused data")
                view = view[n:]
            sent += len(data)
            progress.add(len(data))
        _check_length(sent, source)
        stream.finish()
    except BaseException:
        try:
            stream.abort()
        except libvirt.libvirtError:
            pass
        raise
    return sent


def _check_length(sent: int, source: Source) -> int:
    if sent != source.length:
        raise BackendError(f"source_url: {source.url} ended after {sent} of {source.length} bytes")
    return sent
