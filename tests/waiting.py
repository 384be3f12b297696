"""Waiting for something a real daemon or guest does in its own time."""

from __future__ import annotations

import time


def wait_until(predicate, timeout: float, step: float = 0.1):
    """predicate()'s first true value, or its last value once `timeout`
    seconds have passed."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(step)
