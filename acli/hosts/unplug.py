"""Waiting for a guest to release a hot-unplugged device.

libvirt's detachDeviceFlags asks the guest to let go of a PCI device and
returns after its own wait (5 s in the QEMU driver) even while the removal
is still pending. A Linux guest releases a device in well under a second;
a VM with no OS never does. acli polls the live XML a little longer
(ACLI_UNPLUG_TIMEOUT seconds, default 2) and then reports either way.
"""

from __future__ import annotations

import os
import time

DEFAULT_WAIT = 2.0


def unplug_wait() -> float:
    try:
        return max(0.0, float(os.environ.get("ACLI_UNPLUG_TIMEOUT", DEFAULT_WAIT)))
    except ValueError:
        return DEFAULT_WAIT


def wait_until_gone(still_there, interval: float = 0.05) -> bool:
    """Poll `still_there()` until it is false (True) or the wait ends (False)."""
    deadline = time.monotonic() + unplug_wait()
    while True:
        if not still_there():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval)
