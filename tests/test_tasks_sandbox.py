"""Tasks on the sandbox: the pending line goes out when the work starts (in
a pipe too), the task is kRunning for another acli while the work runs and
kSucceeded, kFailed or kAborted after, a task whose process died is not
left running, and a host keeps a bounded number of them. (What the task
commands print is in transcripts/task/.)"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time

import pytest
from httphelpers import Server, handler

BODY = bytes(range(256)) * 1024  # 256 KiB of a raw disk image


def _start(sandbox_dir, line):
    """acli running `line` with stdout a pipe, as a script would run it."""
    return subprocess.Popen([sys.executable, "-m", "acli", f"--sandbox={sandbox_dir}", line],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            stdin=subprocess.DEVNULL)


def _record(acli, uuid):
    done = acli("-o", "json", "task.get", uuid)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)["data"][uuid]


def _only_task(acli, op="kImageCreate"):
    done = acli("-o", "json", "task.list", f"operation_type_list={op}")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)["data"]
    assert len(rows) == 1, rows
    return rows[0]


@pytest.fixture
def held_server():
    """A server that sends 64 KiB, then waits for `go_on` before the rest."""
    started, go_on = threading.Event(), threading.Event()
    server = Server(handler(BODY, started=started, go_on=go_on))
    yield server, started, go_on
    go_on.set()
    server.close()


def test_an_upload_says_pending_at_once_and_is_running_until_it_ends(acli, sandbox_dir,
                                                                     held_server):
    server, started, go_on = held_server
    proc = _start(sandbox_dir, f"image.create held source_url={server.url}/disk.img")
    try:
        # the line reaches the pipe while the upload waits for the rest of its bytes
        assert proc.stdout.readline() == "held: pending\n"
        assert started.is_set() and not go_on.is_set()
        task = _only_task(acli)
        assert task["status"] == "kRunning" and task["operation_type"] == "kImageCreate"
        record = _record(acli, task["uuid"])
        assert record["entity_list"]["entity_name"] == "held"
        assert record["entity_list"]["entity_type"] == "kImage"
        assert "complete_time_usecs" not in record and record["start_time_usecs"] > 0
        assert 0 <= record["percentage_complete"] < 100
        go_on.set()
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode == 0, err
    assert out == "held: complete\n"
    record = _record(acli, task["uuid"])
    assert record["status"] == "kSucceeded" and record["percentage_complete"] == 100
    assert record["complete_time_usecs"] >= record["start_time_usecs"]
    image = json.loads(acli("-o", "json", "image.get", "held").stdout)["data"]
    assert record["entity_list"]["entity_id"] in image


def test_a_task_whose_process_died_is_aborted_not_running(acli, sandbox_dir, held_server):
    server, started, go_on = held_server
    proc = _start(sandbox_dir, f"image.create held source_url={server.url}/disk.img")
    try:
        assert proc.stdout.readline() == "held: pending\n"
        task = _only_task(acli)
        assert task["status"] == "kRunning"
    finally:
        proc.send_signal(signal.SIGKILL)  # no undo, no last write: as a crash
        proc.wait()
    record = _record(acli, task["uuid"])
    assert record["status"] == "kAborted"
    assert f"(pid {proc.pid}) ended before it finished" in record["error_detail"]
    assert acli("task.list", "include_completed=false").stdout.count("\n") == 1  # the header


def test_a_failed_upload_is_a_failed_task_with_its_reason(acli):
    server = Server(handler(BODY, cut_at=100 * 1024))
    try:
        done = acli("image.create", "cut", f"source_url={server.url}/disk.img")
    finally:
        server.close()
    assert done.returncode == 1 and done.stdout == "cut: pending\n"
    task = _only_task(acli)
    assert task["status"] == "kFailed"
    record = _record(acli, task["uuid"])
    assert "ended after 102400 of 262144 bytes" in record["error_detail"]
    assert "ended after 102400 of 262144 bytes" in done.stderr


def test_bad_input_prints_no_pending_line_and_leaves_no_task(acli, sandbox_dir):
    assert acli("vm.create", "v", "memory=64M").returncode == 0
    for line in (f"image.create x source_url={sandbox_dir}/media/missing.qcow2",
                 f"image.create x source_url={sandbox_dir}/media/tiny.qcow2 image_type=kIsoImage",
                 "vm.disk_create v clone_from_vmdisk=vm:v:scsi.3",
                 "vm.snapshot_create missing snapshot_name_list=s"):
        done = acli(line)
        assert done.returncode != 0 and "pending" not in done.stdout, line
    listing = acli("-o", "json", "task.list")
    assert json.loads(listing.stdout)["data"] == []


def test_json_output_is_one_document_with_no_pending_line(acli):
    assert acli("vm.create", "v", "memory=64M").returncode == 0
    done = acli("-o", "json", "vm.snapshot_create", "v", "snapshot_name_list=s1")
    assert done.returncode == 0
    assert len(done.stdout.splitlines()) == 1
    assert json.loads(done.stdout)["data"][0]["status"] == "complete"
    assert _only_task(acli, "kSnapshotCreate")["status"] == "kSucceeded"


def test_each_task_kind_is_recorded_with_its_entity(shell, sandbox_dir):
    shell.ok("vm.create v memory=64M")
    shell.ok("vm.disk_create v create_size=1G")
    assert shell.ok("vm.snapshot_create v snapshot_name_list=a,b") == (
        "SnapshotCreate: pending\nSnapshotCreate: complete\nSnapshotCreate: complete\n")
    assert shell.ok("vm.disk_create v clone_from_vmdisk=vm:v:scsi.0") == (
        "DiskCreate: pending\nDiskCreate: complete\n")
    assert shell.ok("image.create g clone_from_vmdisk=vm:v:scsi.0") == "g: pending\ng: complete\n"
    assert shell.ok("vm.disk_create v create_size=1G") == "DiskCreate: complete\n"  # quick: no task
    from acli.hosts import tasks

    found = tasks.read(shell.host)
    assert [r["operation_type"] for r in found] == ["kSnapshotCreate", "kVmDiskCreate",
                                                    "kImageCreate"]
    assert [r["sequence_id"] for r in found] == [1, 2, 3]
    vm_uuid = shell.ok("vm.list").split()[-1]
    assert [r["entity"]["uuid"] for r in found[:2]] == [vm_uuid, vm_uuid]
    assert all(r["status"] == "kSucceeded" for r in found)
    # where they live: the host's own OVSDB, as ovs-vsctl shows it
    ids = shell.host.ovsdb().root().external_ids
    assert sorted(k for k in ids if k.startswith("acli-task.")) == sorted(
        f"acli-task.{r['uuid']}" for r in found)


def test_a_host_keeps_a_bounded_number_of_tasks(shell, monkeypatch):
    from acli.hosts import tasks

    host = shell.host
    old = {"uuid": "0" * 8 + "-0000-4000-8000-" + "0" * 12, "operation_type": "kVmMigrate",
           "status": "kSucceeded", "create_time": time.time() - 3 * 86400,
           "complete_time": time.time() - 3 * 86400, "entity": {}}
    tasks._put(host, old)
    assert [r["uuid"] for r in tasks.read(host)] == [old["uuid"]]
    monkeypatch.setattr(tasks, "KEEP", 10)
    made = []
    for i in range(12):
        with tasks.run(host, tasks.VM_MIGRATE, f"vm{i}", "kVM", f"vm{i}") as task:
            made.append(task.uuid)
    kept = [r["uuid"] for r in tasks.read(host)]
    assert kept == made[2:]  # the day-old one first, then the oldest beyond the bound
    with tasks.run(host, tasks.VM_MIGRATE, "long", "kVM", "long") as running:
        for i in range(12):  # a running task is never pruned, whatever its age
            with tasks.run(host, tasks.VM_MIGRATE, f"w{i}", "kVM", f"w{i}"):
                pass
        kept = tasks.read(host)
        assert len(kept) == 10 and running.uuid in [r["uuid"] for r in kept]


def test_a_running_task_of_another_machine_is_taken_as_abandoned_after_a_day():
    from acli.hosts import tasks

    now = time.time()
    owner = {"machine": "another-machine", "host": "kvm9", "boot": "b", "pid": 1, "start": 1}
    fresh = {"uuid": "u", "status": "kRunning", "updated": now - 60, "owner": owner}
    assert tasks.shown(fresh, now)["status"] == "kRunning"
    stale = {**fresh, "updated": now - 2 * 86400}
    shown = tasks.shown(stale, now)
    assert shown["status"] == "kAborted" and "on kvm9 for a day" in shown["error"]
    assert stale["status"] == "kRunning"  # reading changes nothing stored


def test_an_owner_on_this_machine_is_checked_by_pid_start_and_boot():
    from acli.hosts import task_owner

    me = task_owner.me()
    assert task_owner.gone(me) is False
    assert task_owner.gone({**me, "start": me["start"] + 1}) is True  # a pid used again
    assert task_owner.gone({**me, "boot": "another boot"}) is True
    assert task_owner.gone({**me, "machine": "elsewhere"}) is None
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    assert task_owner.gone({**me, "pid": int(dead)}) is True


def test_task_get_of_an_unknown_task_names_it(acli):
    done = acli("task.get", "0f0f0f0f-0000-4000-8000-000000000000")
    assert done.returncode == 1
    assert done.stderr == "Error: Unknown name: 0f0f0f0f-0000-4000-8000-000000000000\n"


def test_task_list_in_a_cluster_asks_every_host(tmp_path):
    folder = str(tmp_path / "cluster")

    def run(*words):
        done = subprocess.run([sys.executable, "-m", "acli", f"--sandbox={folder}", *words],
                              capture_output=True, text=True, timeout=120,
                              stdin=subprocess.DEVNULL, env={**os.environ, "NO_COLOR": "1"})
        assert done.returncode == 0, done.stderr
        return done.stdout

    run("--hosts", "3", "vm.create", "a,b", "memory=1G")
    run("vm.on", "a", "host=host1")
    run("vm.on", "b", "host=host2")
    assert run("vm.migrate", "a,b", "host=host3") == (
        "a: pending\nb: pending\na: complete\nb: complete\n")
    rows = json.loads(run("-o", "json", "task.list"))["data"]
    assert [r["operation_type"] for r in rows] == ["kVmMigrate", "kVmMigrate"]
    records = [json.loads(run("-o", "json", "task.get", r["uuid"]))["data"][r["uuid"]]
               for r in rows]
    # each on the host it moved from
    assert [(r["entity_list"]["entity_name"], r["host_name"]) for r in records] == [
        ("a", "host1"), ("b", "host2")]
    # a host that does not answer: the others' tasks, and a note
    open(os.path.join(folder, "host2", "down"), "w").close()
    done = subprocess.run([sys.executable, "-m", "acli", f"--sandbox={folder}", "task.list"],
                          capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert done.returncode == 0
    assert rows[0]["uuid"] in done.stdout and rows[1]["uuid"] not in done.stdout
    assert done.stderr.startswith("note: host host2 does not answer (")
    assert done.stderr.endswith("): its tasks are not listed\n")


def test_the_task_commands_have_help_and_completion_from_their_entries():
    import acli.commands  # noqa: F401
    from acli.repl.completer import candidates

    def complete(text):
        return candidates(text, lambda kind: [])

    assert complete("task.")[1] == ["task.get", "task.list"]
    assert complete("task.list ")[1] == ["operation_type_list=", "include_completed="]
    assert complete("task.list operation_type_list=kVmM")[1] == ["kVmMigrate"]
    assert complete("task.list operation_type_list=kImageCreate,kSn")[1] == ["kSnapshotCreate"]


def test_help_names_the_task_commands(acli):
    done = acli("help", "task.list")
    assert done.returncode == 0
    assert "usage: task.list [operation_type_list=" in done.stdout
    assert "task.get   Show a task." in acli("help", "task").stdout
