"""The rig: several real KVM hosts on one machine (scripts/rig), each with its
own libvirtd and Open vSwitch. Tests here are marked `rig`."""

from __future__ import annotations

import subprocess
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RIG = ROOT / "scripts" / "rig"


def rig_status() -> tuple[int, dict]:
    done = subprocess.run(["bash", str(RIG), "status"], capture_output=True, text=True)
    try:
        return done.returncode, tomllib.loads(done.stdout)
    except tomllib.TOMLDecodeError:
        return 1, {}


@pytest.fixture(scope="session")
def rig():
    """The running rig as `scripts/rig status` describes it, started (two
    hosts) if it is not up. Failing to start it is an error, never a skip."""
    status, info = rig_status()
    if status != 0:
        done = subprocess.run(["bash", str(RIG), "up"], capture_output=True, text=True)
        assert done.returncode == 0, f"scripts/rig up failed:\n{done.stderr}"
        status, info = rig_status()
    assert status == 0 and len(info.get("host", [])) >= 2, f"the rig is not up: {info}"
    return info
