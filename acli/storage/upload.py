"""An image source's upload into a volume through a libvirt stream (the
sources themselves: sources.py).

The source is read in chunks. On a real host each chunk goes into
virStorageVolUpload's stream (upload()); the sandbox's test driver has no
upload, so there the same chunks are read and counted but not kept
(count(); the sandbox keeps volumes as accounting entries only, see
docs/storage.md). Either way a failure or Ctrl-C aborts the stream and the
caller deletes the volume: no half image is left behind.
"""

from __future__ import annotations

import sys
import time

from acli.errors import BackendError
from acli.storage.sources import Source


class Progress:
    """A progress line on stderr, only when stderr is a terminal; and the
    percentage handed to `on_percent` (a task's record), wherever it goes."""

    def __init__(self, label: str, total: int, stream=None, on_percent=None):
        self.stream = stream or sys.stderr
        self.enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self.label, self.total, self.done, self._last = label, total, 0, 0.0
        self.on_percent = on_percent  # told the percentage done, at every chunk

    def add(self, n: int) -> None:
        self.done += n
        if self.on_percent is not None:
            self.on_percent(100 * self.done // max(self.total, 1))
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


def count(source: Source, progress: Progress) -> int:
    """Read every byte of `source` and count them (the sandbox's volumes
    keep no bytes); raise if the source ends early."""
    got = 0
    for data in source.chunks():
        got += len(data)
        progress.add(len(data))
    return _check_length(got, source)


def upload(host, vol, source: Source, progress: Progress) -> int:
    """Send every byte of `source` into `vol`; return the byte count.

    Raises (after aborting the stream) on any failure, KeyboardInterrupt
    included; the caller removes the volume."""
    import libvirt

    stream = host.conn.newStream(0)
    sent = 0
    try:
        vol.upload(stream, 0, source.length, 0)
        for data in source.chunks():
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
