"""The acli shell on a pseudo-terminal, driven as a person at a keyboard
would, with every byte it writes timestamped: what the scale benchmark
measures the shell's latencies with (what a person sees, not what the code
thinks it did)."""

from __future__ import annotations

import fcntl
import os
import select
import signal
import struct
import subprocess
import termios
import time

# prompt_toolkit writes the prompt's trailing blank apart from its text
PROMPT = b"<acropolis>"


class PtyShell:
    """`acli ARGS` on a 120x40 terminal. read_until()/quiet() collect what
    it writes as (time, bytes) chunks."""

    def __init__(self, argv: list[str], env: dict):
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        # prompt_toolkit would ask the terminal where its cursor is and wait
        # for the answer; nobody answers here
        env = {**env, "PROMPT_TOOLKIT_NO_CPR": "1", "TERM": "xterm"}
        self.proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env,
                                     start_new_session=True, close_fds=True)
        os.close(slave)
        self.fd = master
        self.chunks: list[tuple[float, bytes]] = []

    def send(self, text: str) -> float:
        """Type `text`; the time it was written."""
        self.chunks = []
        at = time.perf_counter()
        os.write(self.fd, text.encode())
        return at

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return False
        try:
            data = os.read(self.fd, 65536)
        except OSError:  # the shell has gone
            raise SystemExit("the acli shell exited: " + self.text()[-300:])
        if not data:
            raise SystemExit("the acli shell exited: " + self.text()[-300:])
        self.chunks.append((time.perf_counter(), data))
        return True

    def text(self) -> str:
        return b"".join(data for _, data in self.chunks).decode(errors="replace")

    def read_until(self, needle: bytes, count: int = 1, timeout: float = 600.0):
        """Read until `needle` has appeared `count` times since the last send()."""
        end = time.perf_counter() + timeout
        while b"".join(d for _, d in self.chunks).count(needle) < count:
            if time.perf_counter() > end:
                raise SystemExit(f"timed out waiting for {needle!r}: {self.text()[-300:]!r}")
            self._read(0.5)

    def quiet(self, gap: float) -> float:
        """Read until nothing has come for `gap` seconds; the time of the last chunk."""
        while self._read(gap):
            pass
        return self.chunks[-1][0] if self.chunks else time.perf_counter()

    def time_of(self, offset: int) -> float:
        """When byte `offset` (counted since the last send()) arrived."""
        seen = 0
        for at, data in self.chunks:
            seen += len(data)
            if seen > offset:
                return at
        raise ValueError("offset beyond what was read")

    def close(self):
        try:
            os.write(self.fd, b"exit\r")
            self.proc.wait(timeout=10)
        except Exception:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=10)
        finally:
            os.close(self.fd)


# prompt_toolkit turns bracketed paste off when it hands the terminal to the
# command and on again when it draws the next prompt: the command's output
# lies between the two.
LEAVES_PROMPT, ENTERS_PROMPT = b"\x1b[?2004l", b"\x1b[?2004h"


def prompt_after_output(shell: PtyShell, line: str) -> float:
    """Run `line` in the shell; seconds from the end of its last output line
    to the next prompt's text (0 when both came in one write)."""
    shell.send(line + "\r")
    end = time.perf_counter() + 600
    while True:
        stream = b"".join(d for _, d in shell.chunks)
        left = stream.find(LEAVES_PROMPT)
        back = stream.find(ENTERS_PROMPT, left) if left >= 0 else -1
        at_prompt = stream.find(PROMPT, back) if back >= 0 else -1
        if at_prompt >= 0:
            break
        if time.perf_counter() > end:
            raise SystemExit(f"timed out waiting for the prompt: {shell.text()[-300:]!r}")
        shell._read(0.5)
    last_newline = stream.rindex(b"\n", 0, back)
    return shell.time_of(at_prompt + len(PROMPT) - 1) - shell.time_of(last_newline)


def tab_latency(shell: PtyShell, typed: str, gap: float = 0.25) -> float:
    """Type `typed`, let the shell settle, press Tab: seconds until the
    terminal stops changing (the completion shown). Clears the line after."""
    shell.send(typed)
    shell.quiet(gap)
    pressed = shell.send("\t")
    shell._read(30.0)  # the first answer: Tab always changes the screen here
    done = shell.quiet(gap)
    shell.send("\x03")  # Ctrl-C drops the line
    shell.quiet(gap)
    return done - pressed
