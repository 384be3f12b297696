"""What every benchmark here needs: the acli to measure, and a timer for a command."""

from __future__ import annotations

import os
import subprocess
import sys
import time


def acli_command() -> list[str]:
    """The installed console script beside this Python, else `python -m acli`."""
    script = os.path.join(os.path.dirname(sys.executable), "acli")
    return [script] if os.path.exists(script) else [sys.executable, "-m", "acli"]


def timed(cmd, stdin_text=None) -> float:
    """Seconds `cmd` takes from start to exit; a failure stops the benchmark."""
    start = time.perf_counter()
    done = subprocess.run(cmd, input=stdin_text, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd[:6])}...: {done.stderr.strip()[:300]}")
    return elapsed
