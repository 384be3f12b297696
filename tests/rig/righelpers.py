"""Shared by the rig's tests: scripts/rig's status, read as TOML. (The `rig`
fixture is in tests/conftest.py: a conftest.py here would shadow that one's
name for the tests that import from it.)"""

from __future__ import annotations

import subprocess
import tomllib
from pathlib import Path


ROOT = Path(__file__).resolve().parents[2]
RIG = ROOT / "scripts" / "rig"


def rig_status() -> tuple[int, dict]:
    done = subprocess.run(["bash", str(RIG), "status"], capture_output=True, text=True)
    try:
        return done.returncode, tomllib.loads(done.stdout)
    except tomllib.TOMLDecodeError:
        return 1, {}
