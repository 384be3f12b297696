"""`image.create ... wait=false` on a real host: the same command, run with
wait=true by a detached acli process, so the shell returns at once.

The image appears in image.list when its upload has finished (a failed
upload leaves nothing, as always); the worker's output goes to a log in
the state directory, whose path the command prints in JSON output.
The sandbox has no use for this: its state is written back when the
command ends, so there image.create always waits.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time


def start_upload(host, name, source_url, image_type, container, annotation) -> str:
    logs = os.path.join(host.state_dir(), "uploads")
    os.makedirs(logs, mode=0o755, exist_ok=True)
    log = os.path.join(logs, f"{name}-{int(time.time())}.log")
    words = ["image.create", name, f"source_url={source_url}", "wait=true"]
    for key, value in (("image_type", image_type), ("container", container),
                       ("annotation", annotation)):
        if value is not None:
            words.append(f"{key}={value}")
    cmd = [sys.executable, "-m", "acli", "-c", host.uri, *words]
    with open(log, "w") as out:
        subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                         start_new_session=True, close_fds=True)
    return log
