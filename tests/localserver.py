"""A small HTTP server on 127.0.0.1 for URL-loading tests: routes -> (status, headers, body, delay)."""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager, suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .conftest import FIXTURES

ROUTES: dict[str, tuple[int, dict[str, str], bytes, float]] = {
    "/article.html": (
        200,
        {"Content-Type": "text/html; charset=utf-8"},
        (FIXTURES / "saved-page.html").read_bytes(),
        0,
    ),
    "/notes.md": (200, {"Content-Type": "text/markdown"}, (FIXTURES / "sleep-and-memory.md").read_bytes(), 0),
    "/plain": (200, {"Content-Type": "text/plain"}, (FIXTURES / "wrapped-health-guide.txt").read_bytes(), 0),
    "/redirect": (302, {"Location": "/article.html"}, b"", 0),
    "/loop": (302, {"Location": "/loop"}, b"", 0),
    "/to-private": (302, {"Location": "http://10.1.2.3/secret"}, b"", 0),
    "/to-ftp": (302, {"Location": "ftp://127.0.0.1/x"}, b"", 0),
    "/big": (200, {"Content-Type": "text/plain"}, b"word " * 300_000, 0),
    "/slow": (200, {"Content-Type": "text/plain"}, b"late", 3.0),
    "/binary": (200, {"Content-Type": "application/octet-stream"}, b"\x00\x01\x02", 0),
}


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        status, headers, body, delay = ROUTES.get(self.path, (404, {"Content-Type": "text/plain"}, b"nope", 0))
        if delay:
            time.sleep(delay)
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)

    def log_message(self, *args):
        pass


@contextmanager
def serve():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
