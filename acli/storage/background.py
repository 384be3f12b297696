"""`image.create ... wait=false` on a real host: the upload runs in a
detached acli process, so the shell returns at once.

The command checks what it can at once (the container, a local source),
reserves the name in the image catalog for the worker, and hands it the
job as JSON on its stdin: no user text becomes a command line or a path.
The worker's output goes to `uploads/<random id>.log` in the state
directory (private to the user). The image appears in image.list when the
upload has finished; a failed upload leaves no image and a failure record
that image.list and image.get show (images.failures()), with the log's path.
The sandbox has no use for this: its state is written back when the
command ends, so there image.create always waits.

Run as `python -m acli.storage.background` (the worker).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid as uuidlib


def start_upload(host, name, source_url, image_type, container, annotation) -> str:
    """Start the worker; return its log's path."""
    from acli.storage import images, pools, sources

    pools.container(host, container)  # a missing container is an error now
    sources.check(source_url)  # so is a bad URL or a local file that cannot be read
    logs = os.path.join(host.state_dir(), "uploads")
    os.makedirs(logs, mode=0o700, exist_ok=True)
    log = os.path.join(logs, f"{uuidlib.uuid4()}.log")
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
    with os.fdopen(fd, "w") as out:
        # -I: the installed acli, whatever directory the user stands in
        # (`-m` would look in the current directory first)
        worker = subprocess.Popen([sys.executable, "-I", "-m", "acli.storage.background"],
                                  stdin=subprocess.PIPE, stdout=out, stderr=subprocess.STDOUT,
                                  cwd="/", start_new_session=True, close_fds=True)
    uuid = None
    try:
        uuid = images.reserve(host, name, pid=worker.pid, log=log)
        job = {"uri": host.uri, "ovsdb": host.ovsdb_remote(), "uuid": uuid, "name": name,
               "source_url": source_url,
               "image_type": image_type, "container": container, "annotation": annotation,
               "log": log}
        worker.stdin.write(json.dumps(job).encode())
        worker.stdin.close()
    except BaseException:
        # no job: the worker ends at once (and its log goes)
        _close_quietly(worker.stdin)
        worker.wait()
        os.unlink(log)
        if uuid is not None:
            images.forget(host, uuid)
        raise
    return log


def _close_quietly(stream) -> None:
    try:
        stream.close()
    except OSError:
        pass


def run_job(job: dict) -> int:
    """The worker: upload as image.create wait=true would, and on failure
    keep the reason where image.list shows it."""
    from acli.echo import one_line_message
    from acli.errors import AcliError
    from acli.hosts.libvirt_host import LibvirtHost
    from acli.storage import images

    host = LibvirtHost(job["uri"], job.get("ovsdb"))  # its task is recorded there
    try:
        images.create(host, job["name"], job["source_url"], job["image_type"], job["container"],
                      job["annotation"], reserved=job["uuid"])
    except Exception as err:
        message = one_line_message(err.message if isinstance(err, AcliError)
                                   else f"internal error: {type(err).__name__}: {err}")
        print(f"Error: {message}", flush=True)
        images.record_failure(host, job["uuid"], job["name"], message, job["log"])
        return 1
    finally:
        host.close()
    print(f"{job['name']}: complete", flush=True)
    return 0


def main() -> int:
    text = sys.stdin.read()
    if not text:
        return 0  # the command gave up before handing over a job
    return run_job(json.loads(text))


if __name__ == "__main__":
    sys.exit(main())
