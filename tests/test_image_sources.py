"""Image sources that would never end, or never start: FIFOs, devices,
stalled and trickling servers, endless downloads; file URLs with a host;
credentials in URLs. And the sandbox is not held while a source is read."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading

import pytest
from httphelpers import Server, handler

BODY = b"\0" * (256 * 1024)


def test_a_fifo_is_refused_at_once(acli, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    done = acli("image.create", "f1", f"source_url={fifo}", timeout=20)
    assert done.returncode == 2
    assert done.stderr == f"Error: Bad value for source_url: {fifo} is not a regular file\n"
    assert "f1" not in acli("image.list").stdout


def test_a_device_is_refused(acli):
    done = acli("image.create", "z1", "source_url=/dev/zero", timeout=20)
    assert done.returncode == 2 and "/dev/zero is not a regular file" in done.stderr


def test_a_file_url_with_a_host_part_is_refused(acli):
    done = acli("image.create", "p1", "source_url=file://etc/passwd")
    assert done.returncode == 2
    assert done.stderr == ("Error: Bad value for source_url: 'file://etc/passwd' names the host "
                           "'etc'; a file URL is file:///absolute/path\n")


def test_a_file_url_names_an_absolute_path(shell):
    media = os.path.join(shell.host.dir, "media", "tiny.iso")
    shell.ok(f"image.create u1 source_url=file://{media}")
    shell.ok(f"image.create u2 source_url=file://localhost{media}")
    assert shell.ok("image.list").count("kIsoImage") == 2


def _create_from(acli, url, stall="1"):
    return acli("image.create", "h1", f"source_url={url}", env={"ACLI_STALL_SECONDS": stall},
                timeout=30)


def test_a_trickling_server_is_given_up(acli):
    server = Server(handler(BODY, trickle=0.05))
    try:
        done = _create_from(acli, f"{server.url}/slow.raw")
    finally:
        server.close()
    assert done.returncode == 1
    assert "giving up on a stalled transfer" in done.stderr and done.stderr.count("\n") == 1
    assert "h1" not in acli("image.list").stdout


def test_a_silent_server_is_given_up(acli):
    go_on = threading.Event()
    server = Server(handler(BODY, go_on=go_on))
    try:
        done = _create_from(acli, f"{server.url}/silent.raw")
    finally:
        go_on.set()
        server.close()
    assert done.returncode == 1
    assert done.stderr.endswith("/silent.raw sent nothing for 1 s\n")


def test_a_source_without_length_is_spooled_no_further_than_the_room():
    from acli.errors import BackendError
    from acli.storage.sources import open_source

    server = Server(handler(BODY, endless=True))
    try:
        with pytest.raises(BackendError) as failed:
            open_source(f"{server.url}/endless", room=1 << 20)
    finally:
        server.close()
    assert failed.value.message == (f"source_url: {server.url}/endless sends more than the "
                                    "1048576 bytes free in the container")


def test_credentials_in_a_url_are_sent_and_never_kept(shell, sandbox_dir):
    seen = []
    # "user:p@ss" as HTTP basic authentication
    server = Server(handler(BODY, auth="Basic dXNlcjpwQHNz", seen=seen))
    try:
        status, _, err = shell(f"image.create c1 source_url=http://user:nope@{server.url[7:]}/d.raw")
        assert status == 1 and "HTTP 401" in err and "nope" not in err
        shell.ok(f"image.create c1 source_url=http://user:p%40ss@{server.url[7:]}/d.raw")
    finally:
        server.close()
    assert "Authorization" in seen[-1]
    record = shell.ok("image.get c1")
    assert f'source_url: "{server.url}/d.raw"' in record
    with open(os.path.join(sandbox_dir, "images.json")) as f:
        assert "p%40ss" not in f.read()


def test_the_sandbox_is_not_held_while_a_source_is_read(acli, sandbox_dir):
    """A slow download in one process; another process changes the sandbox
    meanwhile, and both changes are kept."""
    assert acli("vm.list").returncode == 0  # make the sandbox
    started, go_on = threading.Event(), threading.Event()
    server = Server(handler(BODY, started=started, go_on=go_on))
    upload = subprocess.Popen([sys.executable, "-m", "acli", f"--sandbox={sandbox_dir}",
                               "image.create", "slow", f"source_url={server.url}/slow.raw"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert started.wait(20)
        other = acli("vm.create", "meanwhile", "memory=64M", timeout=20)
        assert other.returncode == 0, other.stderr
    finally:
        go_on.set()
        out, err = upload.communicate(timeout=30)
        server.close()
    assert upload.returncode == 0, err
    assert "slow" in acli("image.list").stdout
    assert "meanwhile" in acli("vm.list").stdout
    doc = json.loads(acli("-o", "json", "image.get", "slow").stdout)
    assert doc["status"] == 0


def test_a_batch_lets_the_sandbox_go_around_a_source_and_keeps_its_own_changes(acli, sandbox_dir):
    assert acli("vm.list").returncode == 0  # make the sandbox
    started, go_on = threading.Event(), threading.Event()
    server = Server(handler(BODY, started=started, go_on=go_on))
    script = (f"vm.create before memory=64M\nimage.create slow source_url={server.url}/s.raw\n"
              "vm.create after memory=64M\n")
    batch = subprocess.Popen([sys.executable, "-m", "acli", f"--sandbox={sandbox_dir}"],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    batch.stdin.write(script)
    batch.stdin.close()
    try:
        assert started.wait(20)
        other = acli("vm.create", "meanwhile", "memory=64M", timeout=20)
        assert other.returncode == 0, other.stderr
    finally:
        go_on.set()
        batch.wait(timeout=30)
        server.close()
    assert batch.returncode == 0, batch.stderr.read()
    listed = [row.split()[0] for row in acli("vm.list").stdout.splitlines()[1:]]
    assert listed == ["after", "before", "meanwhile"]
    assert "slow" in acli("image.list").stdout
