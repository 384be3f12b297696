"""Shared fixtures: a fresh sandbox per test, ways to run acli in-process and
as a real process, the real host (libvirtd + QEMU + ovs-vswitchd), and the
rig of several hosts (scripts/rig)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def pytest_addoption(parser):
    parser.addoption("--update-transcripts", action="store_true",
                     help="rewrite the expected output of golden transcripts (read the diff!)")


@pytest.fixture(autouse=True)
def _no_stray_host(monkeypatch, tmp_path):
    """No test may touch the user's own sandbox, cache or history."""
    monkeypatch.delenv("ACLI_SANDBOX", raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("NO_COLOR", "1")


@pytest.fixture
def sandbox_dir(tmp_path):
    return str(tmp_path / "sandbox")


class Shell:
    """Runs aCLI lines in-process against one host; keeps what they printed."""

    def __init__(self, open_host):
        from acli.output.sink import Sink
        from acli.session import Session

        import acli.commands  # noqa: F401

        self.out, self.err = io.StringIO(), io.StringIO()
        self.session = Session(open_host, Sink(out=self.out, err=self.err, colour=False))

    def __call__(self, line: str):
        """Run one line; return (status, stdout, stderr) of that line alone."""
        self.out.seek(0), self.out.truncate(), self.err.seek(0), self.err.truncate()
        status = self.session.run_line(line)
        return status, self.out.getvalue(), self.err.getvalue()

    def ok(self, line: str) -> str:
        status, out, err = self(line)
        assert status == 0, f"{line!r} failed ({status}): {err}"
        return out

    @property
    def host(self):
        return self.session.host

    def close(self):
        self.session.close()


@pytest.fixture
def shell(sandbox_dir):
    """An in-process shell on a fresh sandbox host."""
    from acli.hosts.sandbox import SandboxHost

    sh = Shell(lambda: SandboxHost(sandbox_dir))
    yield sh
    sh.close()


@pytest.fixture
def acli(sandbox_dir):
    """Run acli as a real process on the test's sandbox: acli(*words, input=...)."""

    def run(*words, input=None, sandbox=True, env=None, timeout=60):
        cmd = [sys.executable, "-m", "acli"]
        if sandbox:
            cmd.append(f"--sandbox={sandbox_dir}")
        full_env = {**os.environ, **(env or {})}
        return subprocess.run(cmd + list(words), input=input, capture_output=True, text=True,
                              env=full_env, timeout=timeout, stdin=None if input is not None else subprocess.DEVNULL)

    return run


# the real host -------------------------------------------------------------

REALHOST = ROOT / "scripts" / "realhost"
RIG = ROOT / "scripts" / "rig"
REAL_PREFIX = "acli-test-"


@pytest.fixture(scope="session")
def realhost_up():
    """The real host set-up, started if it is not running. Failing to start
    it is an error, never a skip: CI must prove the real thing."""
    if subprocess.run(["bash", str(REALHOST), "status"]).returncode != 0:
        done = subprocess.run(["bash", str(REALHOST), "up"], capture_output=True, text=True)
        assert done.returncode == 0, f"scripts/realhost up failed:\n{done.stderr}"
    return "qemu:///system"


@pytest.fixture(scope="session")
def rig():
    """The rig of several hosts (scripts/rig) as its status describes it
    (TOML: storage, console, [[host]] name, uri, ovsdb, address), started with
    two hosts if it is not up. Failing to start it is an error, never a skip."""
    import tomllib

    def status():
        done = subprocess.run(["bash", str(RIG), "status"], capture_output=True, text=True)
        try:
            return done.returncode, tomllib.loads(done.stdout)
        except tomllib.TOMLDecodeError:
            return 1, {}

    code, info = status()
    if code != 0:
        done = subprocess.run(["bash", str(RIG), "up"], capture_output=True, text=True)
        assert done.returncode == 0, f"scripts/rig up failed:\n{done.stderr}"
        code, info = status()
    assert code == 0 and len(info.get("host", [])) >= 2, f"the rig is not up: {info}"
    return info


@pytest.fixture
def real_shell(realhost_up):
    """An in-process shell on qemu:///system and the system OVSDB. VMs the test
    makes must be named acli-test-*; they are removed afterwards."""
    from acli.hosts.libvirt_host import LibvirtHost

    sh = Shell(lambda: LibvirtHost(realhost_up))
    before = {d.UUIDString() for d in sh.host.conn.listAllDomains()}
    yield sh
    _remove_test_domains(sh.host.conn, keep=before)
    sh.close()


def _remove_test_domains(conn, keep=frozenset()):
    """Remove the acli-test-* VMs this test made (not another run's)."""
    import libvirt

    for dom in conn.listAllDomains():
        if dom.name().startswith(REAL_PREFIX) and dom.UUIDString() not in keep:
            try:
                if dom.isActive():
                    dom.destroy()
                dom.undefineFlags(libvirt.VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA
                                  | libvirt.VIR_DOMAIN_UNDEFINE_NVRAM)
            except libvirt.libvirtError:
                pass
