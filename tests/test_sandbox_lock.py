"""The sandbox's lock: a waiting writer gets in ahead of readers who come
after it, and the files the sandbox keeps are the user's alone."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time


def _blocked_on(pid: int, path: str) -> bool:
    """Whether process `pid` waits for a flock on `path` (/proc/locks lists
    waiters with '->')."""
    inode = os.stat(path).st_ino
    with open("/proc/locks") as f:
        for line in f:
            fields = line.split()
            if "->" in fields and str(pid) in fields and fields[-3].endswith(f":{inode}"):
                return True
    return False


def _wait_for(condition, what: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting until {what}"
        time.sleep(0.02)


def _acli(sandbox_dir, *words):
    return subprocess.Popen([sys.executable, "-m", "acli", f"--sandbox={sandbox_dir}", *words],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_a_waiting_writer_goes_before_readers_that_come_after_it(acli, sandbox_dir):
    from acli.hosts.sandbox import SandboxHost

    assert acli("vm.list").returncode == 0  # make the sandbox
    lock = os.path.join(sandbox_dir, "lock")
    host = SandboxHost(sandbox_dir)
    with host.operation(False):  # a reader is inside
        writer = _acli(sandbox_dir, "vm.create", "w1", "memory=64M")
        _wait_for(lambda: _blocked_on(writer.pid, lock), "the writer waits for the lock")
        reader = _acli(sandbox_dir, "vm.list")
        # with plain flock the new reader joins the one inside at once; it
        # must wait behind the writer instead
        _wait_for(lambda: reader.poll() is not None or any(
            _blocked_on(reader.pid, os.path.join(sandbox_dir, name))
            for name in os.listdir(sandbox_dir) if not os.path.isdir(os.path.join(sandbox_dir, name))),
            "the reader has finished or waits")
    host.shutdown()
    out, err = reader.communicate(timeout=20)
    assert writer.wait(timeout=20) == 0
    assert reader.returncode == 0, err
    assert "w1" in out  # it ran after the writer


def test_the_sandbox_files_are_the_users_alone(acli, sandbox_dir):
    os.makedirs(sandbox_dir, mode=0o755)  # a directory the user made, readable by all
    os.chmod(sandbox_dir, 0o755)
    media = os.path.join(sandbox_dir, "media", "tiny.iso")
    for line in ("vm.create f1 memory=64M", "net.create vlan.5 vlan=5",
                 f"image.create iso1 source_url={media}"):
        done = acli(*line.split())
        assert done.returncode == 0, done.stderr
    seen = []
    for folder, dirs, files in os.walk(sandbox_dir):
        for name in dirs + files:
            path = os.path.join(folder, name)
            mode = stat.S_IMODE(os.lstat(path).st_mode)
            seen.append(name)
            assert mode & 0o077 == 0, f"{path} is {oct(mode)}"
    assert {"host.xml", "host.json", "images.json", "conf.db", "tiny.iso"} <= set(seen)
    assert stat.S_IMODE(os.stat(sandbox_dir).st_mode) == 0o755  # the user's: left alone
