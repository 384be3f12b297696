"""Tasks on the real host: an upload through libvirt's stream is a task the
host's own OVSDB holds, kRunning while its source holds back the bytes and
kSucceeded after, seen by another acli and by ovs-vsctl; a background
upload's worker records its task the same way."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time

import pytest
from httphelpers import Server, handler
from test_storage_real import POOL
from test_storage_real import store  # noqa: F401 (the fixture)

pytestmark = pytest.mark.realhost

BODY = bytes(range(256)) * 4096  # 1 MiB of a raw disk image


@pytest.fixture
def held_server():
    """A loopback server that sends 64 KiB, then waits for `go_on`."""
    started, go_on = threading.Event(), threading.Event()
    server = Server(handler(BODY, started=started, go_on=go_on))
    yield server, started, go_on
    go_on.set()
    server.close()


def _tasks_of(host, name: str, before: set) -> list:
    """The tasks of the entity `name` made since `before` (the UUIDs of
    the tasks the host had: its OVSDB keeps earlier runs' for a day)."""
    from acli.hosts import tasks

    return [r for r in tasks.read(host) if r["entity"]["name"] == name
            and r["uuid"] not in before]


def _task_of(host, name: str, before: set) -> dict:
    found = _tasks_of(host, name, before)
    assert len(found) == 1, found
    return found[0]


def _uuids(host) -> set:
    from acli.hosts import tasks

    return {r["uuid"] for r in tasks.read(host)}


def _ovs_vsctl_record(uuid: str) -> dict:
    done = subprocess.run(["ovs-vsctl", "get", "Open_vSwitch", ".",
                           f'external_ids:"acli-task.{uuid}"'],
                          capture_output=True, text=True, check=True)
    return json.loads(json.loads(done.stdout))  # ovs-vsctl quotes the JSON string


def test_an_upload_is_a_running_task_on_the_host_until_its_bytes_are_in(store, held_server):  # noqa: F811
    sh, _, _ = store
    server, started, go_on = held_server
    before = _uuids(sh.host)
    proc = subprocess.Popen(
        [sys.executable, "-m", "acli", "-c", "qemu:///system",
         f"image.create acli-test-task source_url={server.url}/disk.img container={POOL}"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL)
    try:
        # a pipe gets the pending line while the stream waits for the source
        assert proc.stdout.readline() == "acli-test-task: pending\n"
        assert started.is_set() and not go_on.is_set()
        record = _task_of(sh.host, "acli-test-task", before)
        assert record["status"] == "kRunning" and record["operation_type"] == "kImageCreate"
        assert record["owner"]["pid"] == proc.pid
        assert 0 <= record["percentage_complete"] < 100
        text = sh.ok(f"task.get {record['uuid']}")
        assert 'status: "kRunning"' in text and "complete_time_usecs" not in text
        # where it lives: the host's OVSDB, as its own tools show it
        assert _ovs_vsctl_record(record["uuid"])["status"] == "kRunning"
        go_on.set()
        out, err = proc.communicate(timeout=120)
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode == 0, err
    assert out == "acli-test-task: complete\n"
    record = _task_of(sh.host, "acli-test-task", before)
    assert record["status"] == "kSucceeded" and record["percentage_complete"] == 100
    assert _ovs_vsctl_record(record["uuid"])["status"] == "kSucceeded"
    assert record["entity"]["uuid"] in sh.ok("image.get acli-test-task")


def test_a_background_uploads_worker_records_its_task(store, held_server):  # noqa: F811
    sh, _, _ = store
    server, started, go_on = held_server
    before = _uuids(sh.host)
    out = sh.ok(f"image.create acli-test-bg source_url={server.url}/disk.img container={POOL} "
                "wait=false")
    assert out == "acli-test-bg: pending\n"
    deadline = time.monotonic() + 30
    while not started.is_set() and time.monotonic() < deadline:
        time.sleep(0.1)
    deadline = time.monotonic() + 30
    while True:  # the worker writes its task once its source has answered
        found = _tasks_of(sh.host, "acli-test-bg", before)
        if found or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    record, = found
    assert record["status"] == "kRunning" and record["owner"]["pid"] != os.getpid()
    go_on.set()
    deadline = time.monotonic() + 60
    while _task_of(sh.host, "acli-test-bg", before)["status"] == "kRunning":
        assert time.monotonic() < deadline, "the background upload did not finish"
        time.sleep(0.2)
    assert _task_of(sh.host, "acli-test-bg", before)["status"] == "kSucceeded"
