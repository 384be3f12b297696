"""A loopback HTTP server for image sources: whole, cut short, stalled,
trickling, endless, or behind basic authentication."""

from __future__ import annotations

import http.server
import threading
import time


class Server:
    """A loopback HTTP server whose handler is chosen per test."""

    def __init__(self, handler):
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def handler(body: bytes, cut_at: int | None = None, stall: bool = False, length=True,
            started: threading.Event | None = None, go_on: threading.Event | None = None,
            trickle: float | None = None, endless: bool = False,
            auth: str | None = None, seen: list | None = None):
    """`cut_at`: send that much and stop; `stall`: then wait 30 s; `started`
    is set once the first bytes are out, and with `go_on` the rest waits for
    it; `trickle`: one byte every that many seconds; `endless`: no length and
    no end; `auth`: the Authorization header wanted; `seen` collects the
    headers asked with."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            if seen is not None:
                seen.append(dict(self.headers))
            if self.path.endswith("/missing"):
                self.send_error(404)
                return
            if auth is not None and self.headers.get("Authorization") != auth:
                self.send_error(401)
                return
            self.send_response(200)
            if length and not endless:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                self._send()
            except (BrokenPipeError, ConnectionResetError):
                pass

        def _send(self):
            data = body if cut_at is None else body[:cut_at]
            if trickle is not None:
                for i in range(len(data)):
                    self.wfile.write(data[i:i + 1])
                    self.wfile.flush()
                    time.sleep(trickle)
                return
            if endless:
                while True:
                    self.wfile.write(body)
            head = 64 * 1024 if go_on is not None else len(data)
            self.wfile.write(data[:head])
            self.wfile.flush()
            if started is not None:
                started.set()
            if go_on is not None:
                go_on.wait(60)
                self.wfile.write(data[head:])
            self.wfile.flush()
            if stall:
                time.sleep(30)

        def log_message(self, *args):
            pass

    return Handler
