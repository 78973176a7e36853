"""A local HTTP server on 127.0.0.1 for the checks of cited pages: each route is a kind of page
a citation can lead to (an article, a dead link, a redirect to another site or to a private
address, a slow page, a huge one, a PDF, a parked domain, a login wall, a paywall, ...).

The same server answers as ``127.0.0.1`` and as ``localhost``: to the check those are two sites
(an IP host is its own site), which is how a redirect "to another site" is made without DNS.
The pages are this project's own fixtures (tests/fixtures/check/); the PDFs are written here.
"""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from pypdf import PdfWriter
from pypdf.generic import ContentStream, DictionaryObject, NameObject, TextStringObject

from .conftest import FIXTURES

PAGES = FIXTURES / "check"
HTML = "text/html; charset=utf-8"
PDF_TITLE = "Deep Sleep and Word Recall: A Two-Week Trial"
PDF_LINES = (
    "Deep Sleep and Word Recall",
    "Northfield Sleep Laboratory, technical report 7",
    "Adults who slept less than six hours a night for two weeks scored 30 percent lower",
    "on a word-recall test than adults who slept eight hours.",
)
BIG = 300_000  # bytes of the huge pages; the tests cap at 100,000


def make_pdf(title: str | None, lines: tuple[str, ...], pages: int = 1) -> bytes:
    """A PDF whose every page shows ``lines`` in Helvetica, with a title in its metadata if given."""
    writer = PdfWriter()
    for _ in range(pages):
        _add_page(writer, lines)
    metadata = {"/Author": "Northfield Sleep Laboratory", "/CreationDate": "D:20240305093000Z"}
    if title:
        metadata["/Title"] = title
    writer.add_metadata(metadata)
    writer.root_object[NameObject("/Lang")] = TextStringObject("en")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _add_page(writer: PdfWriter, lines: tuple[str, ...]) -> None:
    page = writer.add_blank_page(612, 792)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font})}
    )
    shown = " ".join(f"({line}) Tj T*" for line in lines)
    content = ContentStream(None, writer)
    content.set_data(f"BT /F1 11 Tf 14 TL 72 720 Td {shown} ET".encode("latin-1"))
    page.replace_contents(content)


@dataclass(frozen=True)
class Route:
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    delay: float = 0.0  # seconds before the answer
    drip: float = 0.0  # seconds between the body's chunks (a server that trickles)
    length: bool = True  # send Content-Length (else the body ends when the connection closes)


def _page(name: str, status: int = 200) -> Route:
    return Route(status, {"Content-Type": HTML}, (PAGES / name).read_bytes())


def _redirect(location: str, status: int = 302) -> Route:
    return Route(status, {"Location": location})


def routes(port: int) -> dict[str, Route]:
    """Every path the server answers; ``port`` is its own, for redirects to itself by another name."""
    pdf = make_pdf(PDF_TITLE, PDF_LINES)
    return {
        "/": _page("home.html"),
        "/article.html": _page("article.html"),
        "/other.html": _page("other-topic.html"),
        "/gone": Route(410, {"Content-Type": "text/plain"}, b"gone"),
        "/broken": Route(500, {"Content-Type": "text/plain"}, b"oops"),
        "/members": _page("private.html", 401),
        # A chain on this site, then to "another site": the same server named localhost.
        "/moved": _redirect("/moved-again", 301),
        "/moved-again": _redirect(f"http://localhost:{port}/article.html", 302),
        "/same-site": _redirect("/article.html", 301),
        "/to-private": _redirect("/to-private-2"),
        "/to-private-2": _redirect("http://10.1.2.3/secret"),
        "/to-ftp": _redirect("ftp://127.0.0.1/paper.txt"),
        "/to-nowhere": _redirect("http://moved-away.invalid/article"),
        "/loop": _redirect("/loop"),
        "/no-location": Route(302),
        "/slow": Route(200, {"Content-Type": HTML}, b"<p>late</p>", delay=3.0),
        "/drip": Route(200, {"Content-Type": "text/plain"}, b"word " * 40, drip=0.25),
        "/huge": Route(200, {"Content-Type": HTML}, b"<p>" + b"word " * (BIG // 5) + b"</p>"),
        "/huge-stream": Route(200, {"Content-Type": HTML}, b"<p>" + b"word " * (BIG // 5) + b"</p>", length=False),
        "/paper.pdf": Route(200, {"Content-Type": "application/pdf"}, pdf),
        "/long.pdf": Route(200, {"Content-Type": "application/pdf"}, make_pdf(PDF_TITLE, PDF_LINES, pages=3)),
        # A PDF served without its type: its %PDF- signature says what it is; its title is its first line.
        "/download": Route(200, {"Content-Type": "application/octet-stream"}, make_pdf(None, PDF_LINES)),
        "/damaged.pdf": Route(200, {"Content-Type": "application/pdf"}, pdf[: len(pdf) // 3]),
        "/photo.png": Route(200, {"Content-Type": "image/png"}, b"\x89PNG\r\n\x1a\n" + bytes(200)),
        "/blob": Route(200, {"Content-Type": "application/octet-stream"}, bytes(range(256)) * 4),
        "/empty": Route(200, {"Content-Type": HTML}, b""),
        "/notes.txt": Route(200, {"Content-Type": "text/plain; charset=utf-8"}, b"Sleep notes\n\nEight hours."),
        "/parked.html": _page("parked.html"),
        "/parked-plain.html": _page("parked-plain.html"),
        "/login.html": _page("login.html"),
        "/report": _redirect("/signin?next=/report"),
        "/signin": _page("login.html"),
        "/paywall.html": _page("paywall.html"),
        # The whole article, flagged as not free in its schema.org data (a metered paywall).
        "/metered.html": Route(
            200,
            {"Content-Type": HTML},
            (PAGES / "article.html")
            .read_bytes()
            .replace(b'"isAccessibleForFree": true', b'"isAccessibleForFree": false'),
        ),
        "/old-story": _redirect("/", 301),
        "/soft-missing": _page("not-found.html"),
    }


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        route = self.server.routes.get(self.path.split("?", 1)[0], Route(404, {"Content-Type": "text/plain"}, b"no"))
        self.server.seen.append((self.headers.get("Host", ""), self.path, self.headers.get("Accept", "")))
        if route.delay:
            time.sleep(route.delay)
        self.send_response(route.status)
        for name, value in route.headers.items():
            self.send_header(name, value)
        if route.length:
            self.send_header("Content-Length", str(len(route.body)))
        self.end_headers()
        with suppress(BrokenPipeError, ConnectionResetError):
            if not route.drip:
                self.wfile.write(route.body)
                return
            for start in range(0, len(route.body), 10):
                self.wfile.write(route.body[start : start + 10])
                self.wfile.flush()
                time.sleep(route.drip)

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    routes: dict[str, Route]
    seen: list[tuple[str, str, str]]  # (Host, path, Accept) of every request, in order


@dataclass(frozen=True)
class Local:
    """The running server: ``url(path)`` gives http://127.0.0.1:PORT/path."""

    port: int
    server: _Server

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    @property
    def seen(self) -> list[tuple[str, str, str]]:
        return self.server.seen


@contextmanager
def serve() -> Iterator[Local]:
    server = _Server(("127.0.0.1", 0), _Handler)
    port = server.server_address[1]
    server.routes = routes(port)
    server.seen = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Local(port, server)
    finally:
        server.shutdown()
        server.server_close()
