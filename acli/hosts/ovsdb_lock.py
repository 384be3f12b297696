"""An OVSDB named lock (RFC 7047, "Lock Operations"): the one place every
acli process that changes a host waits its turn, on the host's own
ovsdb-server, so every acli that reaches the host sees the same lock
whichever machine it runs on.

The server holds the lock for the JSON-RPC connection that asked for it
and frees it when that connection closes: a killed acli never leaves the
lock taken. This is a few lines of JSON-RPC on a socket, not the `ovs`
package's IDL: a command that changes only libvirt must not pay the IDL's
import (about 50 ms).
"""

from __future__ import annotations

import json
import socket
import time

from acli.errors import BackendError

LOCK_NAME = "acli"
WAIT = 60.0  # seconds to wait for another acli to finish before giving up


class OvsdbLock:
    def __init__(self, remote: str, name: str = LOCK_NAME, wait: float = WAIT):
        self.remote = remote
        self.name = name
        self.wait = wait
        self._sock = None
        self._buffer = b""
        self._decoder = json.JSONDecoder()
        self._next_id = 0
        self.held = False

    # the connection ----------------------------------------------------------
    def _connect(self) -> None:
        kind, _, where = self.remote.partition(":")
        try:
            if kind == "unix":
                sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                sock.settimeout(5)
                sock.connect(where)
            elif kind == "tcp":
                host, _, port = where.rpartition(":")
                sock = socket.create_connection((host.strip("[]"), int(port)), timeout=5)
            else:
                raise BackendError(f"cannot take acli's lock on OVSDB remote {self.remote}: "
                                   "only unix: and tcp: remotes are supported")
        except OSError as err:
            raise self._unreachable(err.strerror or str(err)) from None
        self._sock = sock

    def _unreachable(self, why: str) -> BackendError:
        return BackendError(f"OVSDB at {self.remote} does not answer ({why}): acli takes its "
                            f"lock '{self.name}' there before changing the host, so that "
                            "concurrent admins never clash")

    def close(self) -> None:
        """Drop the connection (the server frees the lock with it)."""
        if self._sock is not None:
            try:
                self._sock.close()
            finally:
                self._sock = None
                self._buffer = b""
                self.held = False

    def _send(self, message: dict) -> None:
        try:
            self._sock.sendall(json.dumps(message).encode())
        except OSError as err:
            self.close()
            raise self._unreachable(err.strerror or str(err)) from None

    def _request(self, method: str, params: list) -> int:
        self._next_id += 1
        self._send({"method": method, "params": params, "id": self._next_id})
        return self._next_id

    def _receive(self, deadline: float) -> dict:
        """The next message, answering the server's echo probes on the way."""
        while True:
            text = self._buffer.decode(errors="replace").lstrip()
            if text:
                try:
                    message, end = self._decoder.raw_decode(text)
                except ValueError:
                    pass  # incomplete: read more
                else:
                    self._buffer = text[end:].encode()
                    if message.get("method") == "echo":
                        self._send({"result": message.get("params"), "error": None,
                                    "id": message.get("id")})
                        continue
                    return message
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            self._sock.settimeout(left)
            try:
                data = self._sock.recv(65536)
            except socket.timeout:
                raise TimeoutError from None
            except OSError as err:
                self.close()
                raise self._unreachable(err.strerror or str(err)) from None
            if not data:
                self.close()
                raise self._unreachable("it closed the connection")
            self._buffer += data

    # the lock ----------------------------------------------------------------
    def acquire(self) -> None:
        """Take the lock, waiting up to `wait` seconds for its holder."""
        if self.held:
            return
        if self._sock is None:
            self._connect()
        deadline = time.monotonic() + self.wait
        request = self._request("lock", [self.name])
        try:
            while True:
                message = self._receive(deadline)
                if message.get("id") == request:
                    if message.get("error"):
                        raise BackendError(f"OVSDB at {self.remote} refused acli's lock: "
                                           f"{message['error']}")
                    if (message.get("result") or {}).get("locked"):
                        break
                elif message.get("method") == "locked" and message.get("params") == [self.name]:
                    break
        except TimeoutError:
            self.close()  # withdraws the request too
            raise BackendError(f"another acli has been changing this host for {self.wait:g} s "
                               f"(OVSDB lock '{self.name}' at {self.remote}); try again later") from None
        self.held = True

    def release(self) -> None:
        """Give the lock back (keeping the connection for the next command)."""
        if not self.held:
            return
        self.held = False
        try:
            request = self._request("unlock", [self.name])
            deadline = time.monotonic() + 5
            while self._receive(deadline).get("id") != request:
                pass
        except (BackendError, TimeoutError):
            self.close()  # the server frees the lock with the connection
