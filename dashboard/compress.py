"""Compressed once, served from memory: an ASGI middleware for Streamlit's static files.

Streamlit 1.67 serves its JavaScript and CSS uncompressed on purpose (its gzip middleware skips
``/static/`` and the page, because Starlette's ``GZipMiddleware`` compresses again on every request
and caches nothing). Those files are content-hashed and served ``immutable``, so here each one is
compressed once, on its first request, in a worker thread (brotli quality 6: 0.1 s of CPU for
plotly's 4.7 MB bundle, giving 1.2 MB; quality 11 would take 7 s for 10 % less; gzip level 9 for
clients without brotli), and the bytes are kept in a bounded in-memory cache. Later requests for
the same file are answered from memory without touching the disk or the app behind. Concurrent
first requests share one compression.

What is compressed: ``GET``/``HEAD`` answers with status 200, a text-like type, no encoding of
their own, a ``Content-Length`` between ``MIN_SIZE`` and ``MAX_SIZE``. Answers marked ``immutable``
are cached; others (the page itself, ``index.html``, 7.9 KB) are compressed per request, which is
cheap at that size. Everything else passes through untouched: websockets, ``/_stcore/`` and
``/media/``, ``Range`` requests, 304s and other statuses, large or small bodies. Conditional requests
(``If-None-Match``/``If-Modified-Since``) go to the app behind, so its 304s stand; the compressed
variant carries the file's ETag as a weak one (``W/"..."``), which Starlette's check still matches.
The cache is keyed by path and encoding alone: only ``immutable`` (content-hashed) answers are
kept, and their files change only with a new Streamlit, that is a new process.

Given ``preload`` (see :func:`element_modules`), every page (``text/html``) also names those
modules as ``<link rel="modulepreload">``, so the browser fetches a chart library with the page's
own modules rather than after the script's first chart message.
"""

from __future__ import annotations

import asyncio
import gzip
import importlib.util
import re
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import anyio.to_thread
from starlette.types import ASGIApp, Message, Receive, Scope, Send

try:
    import brotli  # type: ignore[import-untyped]
except ImportError:  # pragma: no cover - brotli is in requirements.txt; gzip alone still works
    brotli = None

MIN_SIZE = 1024  # smaller bodies gain little and cost a header
MAX_SIZE = 32 * 1024 * 1024  # larger bodies pass through, so memory per request stays bounded
CACHE_BYTES = 64 * 1024 * 1024  # the total of compressed bytes kept
BROTLI_QUALITY = 6
GZIP_LEVEL = 9
ONE_YEAR = "public, max-age=31536000, immutable"
COMPRESSIBLE = (
    "text/",
    "application/javascript",
    "application/x-javascript",
    "application/json",
    "application/manifest+json",
    "application/xml",
    "application/wasm",
    "image/svg+xml",
)
SKIPPED_PREFIXES = ("/_stcore/", "/media/", "/component/")
# Streamlit's built frontend, found without importing Streamlit (only the UI modules import it).
_STREAMLIT = importlib.util.find_spec("streamlit")
STATIC = Path(_STREAMLIT.origin if _STREAMLIT and _STREAMLIT.origin else ".").resolve().parent / "static"
_DYNAMIC_IMPORT = re.compile(r"import\(`\./([^`/]+\.js)`\)")
_STATIC_IMPORT = re.compile(r"""(?:\bfrom|\bimport)\s*["']\./([^"'/]+\.js)["']""")
_ENTRY = re.compile(r"""<script[^>]*\bsrc=["']\./(static/js/[^"'/]+\.js)["']""")


def choose_encoding(accept_encoding: str) -> str | None:
    """``br`` if the client accepts it (and brotli is installed), else ``gzip``, else None."""
    accepted: dict[str, float] = {}
    for part in accept_encoding.split(","):
        name, _, params = part.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if name.strip():
            accepted[name.strip().lower()] = q
    star = accepted.get("*", 0.0)
    for encoding in ("br", "gzip") if brotli is not None else ("gzip",):
        if accepted.get(encoding, star) > 0:
            return encoding
    return None


def compress(body: bytes, encoding: str) -> bytes:
    if encoding == "br":
        assert brotli is not None
        return brotli.compress(body, quality=BROTLI_QUALITY)
    return gzip.compress(body, compresslevel=GZIP_LEVEL, mtime=0)


def element_modules(elements: Iterable[str], static: Path = STATIC) -> list[str]:
    """The JavaScript files Streamlit's frontend fetches when it first draws each named element
    (``"PlotlyChart"``, ``"DataFrame"``, ...), with every module they import, as hrefs relative to
    the page (``./static/js/PlotlyChart.<hash>.js``), elements in the order given.

    Read from Streamlit's own build: the page's entry script names each element's chunk in a
    dynamic ``import(`./<Element>.<hash>.js`)``, and each chunk names what it imports in
    ``from"./x.js"``. Modules the page already loads (the entry and its imports) are left out.
    An element this Streamlit does not have raises ``LookupError``, so a name that no longer
    matches is seen at start-up rather than silently preloading nothing.
    """
    js = static / "static" / "js"
    entry_match = _ENTRY.search((static / "index.html").read_text(encoding="utf-8"))
    if entry_match is None:
        raise LookupError("Streamlit's index.html names no entry script")
    entry = entry_match.group(1).rsplit("/", 1)[1]
    entry_text = (js / entry).read_text(encoding="utf-8")
    chunks: dict[str, list[str]] = {}
    for name in _DYNAMIC_IMPORT.findall(entry_text):
        chunks.setdefault(name.split(".", 1)[0], []).append(name)

    def closure(roots: Iterable[str]) -> list[str]:
        seen: dict[str, None] = {}
        todo = list(roots)
        while todo:
            name = todo.pop(0)
            if name in seen or not (js / name).is_file():
                continue
            seen[name] = None
            todo += _STATIC_IMPORT.findall((js / name).read_text(encoding="utf-8"))
        return list(seen)

    loaded = set(closure([entry]))
    out: dict[str, None] = {}
    for element in elements:
        if element not in chunks:
            raise LookupError(f"Streamlit's frontend has no element chunk named {element!r}")
        out.update(dict.fromkeys(m for m in closure(chunks[element]) if m not in loaded))
    return [f"./static/js/{m}" for m in out]


def add_preloads(html: bytes, hrefs: Sequence[str]) -> bytes:
    """The page with a ``<link rel="modulepreload">`` for each of ``hrefs`` it does not name yet,
    before ``</head>`` (the page unchanged if it has none)."""
    at = html.find(b"</head>")
    if at < 0:
        return html
    tags = b"".join(
        b'<link rel="modulepreload" crossorigin href="' + href.encode() + b'">\n'
        for href in hrefs
        if b'"' + href.encode() + b'"' not in html
    )
    return html[:at] + tags + html[at:]


@dataclass(frozen=True)
class Entry:
    headers: list[tuple[bytes, bytes]]  # the response's headers, for the compressed body
    body: bytes


class Cache:
    """Compressed answers by (path, encoding), least recently used first out, at most ``limit`` bytes."""

    def __init__(self, limit: int = CACHE_BYTES) -> None:
        self.limit = limit
        self.size = 0
        self.entries: OrderedDict[tuple[str, str], Entry] = OrderedDict()

    def get(self, key: tuple[str, str]) -> Entry | None:
        entry = self.entries.get(key)
        if entry is not None:
            self.entries.move_to_end(key)
        return entry

    def put(self, key: tuple[str, str], entry: Entry) -> None:
        if len(entry.body) > self.limit:
            return
        old = self.entries.pop(key, None)
        if old is not None:
            self.size -= len(old.body)
        self.entries[key] = entry
        self.size += len(entry.body)
        while self.size > self.limit:
            _, evicted = self.entries.popitem(last=False)
            self.size -= len(evicted.body)


def _header(headers: list[tuple[bytes, bytes]], name: bytes) -> bytes | None:
    for key, value in headers:
        if key.lower() == name:
            return value
    return None


def _add_vary(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    vary = _header(headers, b"vary")
    if vary is None:
        return [*headers, (b"vary", b"Accept-Encoding")]
    if b"accept-encoding" in vary.lower() or vary.strip() == b"*":
        return headers
    return [(k, v) for k, v in headers if k.lower() != b"vary"] + [(b"vary", vary + b", Accept-Encoding")]


def _is_html(headers: list[tuple[bytes, bytes]]) -> bool:
    return (_header(headers, b"content-type") or b"").lower().startswith(b"text/html")


def _with_length(headers: list[tuple[bytes, bytes]], length: int) -> list[tuple[bytes, bytes]]:
    return [(k, v) for k, v in headers if k.lower() != b"content-length"] + [(b"content-length", str(length).encode())]


def _compressible(headers: list[tuple[bytes, bytes]]) -> bool:
    content_type = (_header(headers, b"content-type") or b"").decode("latin-1").lower()
    return _header(headers, b"content-encoding") is None and content_type.startswith(COMPRESSIBLE)


class CompressMiddleware:
    """See the module's docstring."""

    def __init__(self, app: ASGIApp, cache: Cache | None = None, preload: Sequence[str] = ()) -> None:
        self.app = app
        self.cache = cache if cache is not None else Cache()
        self.preload = tuple(preload)  # modules each page names for early fetching (see add_preloads)
        self.pending: dict[tuple[str, str], asyncio.Future[Entry | None]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        root = scope.get("root_path", "")
        route = path[len(root) :] if root and path.startswith(root) else path
        headers = {k.lower(): v for k, v in scope.get("headers", [])}
        if route.startswith(SKIPPED_PREFIXES) or b"range" in headers:
            await self.app(scope, receive, send)
            return
        encoding = choose_encoding(headers.get(b"accept-encoding", b"").decode("latin-1"))
        conditional = b"if-none-match" in headers or b"if-modified-since" in headers
        key = (path, encoding or "identity")
        if encoding is not None and not conditional:
            entry = self.cache.get(key)
            if entry is not None:
                await self._send(entry, scope["method"], send)
                return
        await self._through(scope, receive, send, key, encoding)

    @staticmethod
    async def _send(entry: Entry, method: str, send: Send) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": entry.headers})
        await send({"type": "http.response.body", "body": b"" if method == "HEAD" else entry.body})

    async def _through(
        self, scope: Scope, receive: Receive, send: Send, key: tuple[str, str], encoding: str | None
    ) -> None:
        """Ask the app behind; compress its answer if it qualifies, else pass it on."""
        start: Message | None = None
        chunks: list[bytes] = []
        passing = False  # forward every message as it comes

        async def wrapped(message: Message) -> None:
            nonlocal start, passing
            if passing:
                await send(message)
                return
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                length = _header(headers, b"content-length")
                eligible = message["status"] == 200 and _compressible(headers)
                if eligible or message["status"] == 304:  # a 304 names the Vary its 200 would have
                    message = {**message, "headers": _add_vary(headers)}
                size = int(length) if length is not None and length.isdigit() else -1
                page = bool(self.preload) and _is_html(headers)
                if (
                    not eligible
                    or scope["method"] == "HEAD"
                    or not 0 <= size <= MAX_SIZE
                    or not (page or (encoding is not None and size >= MIN_SIZE))
                ):
                    passing = True
                    await send(message)
                    return
                start = message
                return
            if message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    assert start is not None
                    body = b"".join(chunks)
                    if self.preload and _is_html(start["headers"]):
                        body = add_preloads(body, self.preload)
                        start = {**start, "headers": _with_length(start["headers"], len(body))}
                    await self._finish(start, body, key, encoding, send)
                return
            await send(message)  # pragma: no cover - e.g. http.response.trailers

        await self.app(scope, receive, wrapped)

    async def _finish(
        self, start: Message | None, body: bytes, key: tuple[str, str], encoding: str | None, send: Send
    ) -> None:
        assert start is not None
        if encoding is None or len(body) < MIN_SIZE:  # a page given its preloads, not compressed
            await send(start)
            await send({"type": "http.response.body", "body": body})
            return
        headers: list[tuple[bytes, bytes]] = start["headers"]
        immutable = b"immutable" in (_header(headers, b"cache-control") or b"").lower()
        if immutable:
            entry = await self._compress_once(key, headers, body, encoding)
        else:
            entry = await anyio.to_thread.run_sync(_entry, headers, body, encoding)
        if entry is None:  # compression would not help
            await send(start)
            await send({"type": "http.response.body", "body": body})
            return
        await self._send(entry, "GET", send)

    async def _compress_once(
        self, key: tuple[str, str], headers: list[tuple[bytes, bytes]], body: bytes, encoding: str
    ) -> Entry | None:
        """Compress in a worker thread; concurrent first requests for one file wait for one result."""
        cached = self.cache.get(key)
        if cached is not None:
            return cached
        pending = self.pending.get(key)
        if pending is not None and pending.get_loop() is asyncio.get_running_loop():
            return await asyncio.shield(pending)
        future: asyncio.Future[Entry | None] = asyncio.get_running_loop().create_future()
        self.pending[key] = future
        try:
            entry = await anyio.to_thread.run_sync(_entry, headers, body, encoding)
            if entry is not None:
                self.cache.put(key, entry)
            future.set_result(entry)
            return entry
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: waiting requests re-raise it, nobody else needs to
            raise
        finally:
            self.pending.pop(key, None)


def _entry(headers: list[tuple[bytes, bytes]], body: bytes, encoding: str) -> Entry | None:
    compressed = compress(body, encoding)
    if len(compressed) >= len(body):
        return None
    immutable = b"immutable" in (_header(headers, b"cache-control") or b"").lower()
    drop = {b"content-length", b"content-encoding", b"etag"} | ({b"cache-control"} if immutable else set())
    out = [(k, v) for k, v in headers if k.lower() not in drop]
    etag = _header(headers, b"etag")
    if etag is not None:
        out.append((b"etag", etag if etag.startswith(b"W/") else b"W/" + etag))
    if immutable:
        out.append((b"cache-control", ONE_YEAR.encode()))
    out += [(b"content-encoding", encoding.encode()), (b"content-length", str(len(compressed)).encode())]
    return Entry(out, compressed)
