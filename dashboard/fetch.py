"""Load an article from an http(s) URL, only when a user asks, and safely.

A hosted dashboard must not become a way into its host's network: every hop (the first
request and each redirect) is resolved first, and the connection goes to the checked address
itself, so a name cannot resolve to a public address for the check and a private one for the
request. Loopback, private, link-local, shared, multicast and reserved addresses are refused
unless ``allow_loopback`` lets 127.0.0.0/8 and ::1 through (for tests on this machine).

Two entry points share those rules: :func:`probe` follows a URL and reports everything it met
(the redirect chain, each hop's status, a body cut at the size cap, or why it stopped) without
raising, for checking cited pages; :func:`fetch` loads a page for parsing and raises
:class:`FetchError` with a plain reason for anything but a whole 200 answer.

The time limit and the size cap default to the settings (``ARTICLE_LENS_FETCH_TIMEOUT``,
``ARTICLE_LENS_MAX_UPLOAD_MB``); loopback is let through only when the caller says so.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import threading
import time
from contextlib import suppress
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from . import settings
from .errors import FetchError

MAX_REDIRECTS = 5
USER_AGENT = "ArticleLens/1.0 (+article analysis dashboard)"
ACCEPT_TEXT = "text/html, text/*;q=0.9"  # what fetch() asks for: something the parser reads
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
ERROR_BODY_BYTES = 64 * 1024  # of an error page (4xx, 5xx), enough to see a login form or a paywall
_CHUNK = 64 * 1024

# Why a probe stopped without a final answer (Probe.failure).
FAILURES = (
    "invalid",  # not a URL, or no host name
    "scheme",  # not http or https
    "credentials",  # a user name or password in the URL
    "address",  # the host resolves to an address that is not public (Probe.address says which)
    "no_such_host",  # the name does not exist (NXDOMAIN, or no address for it)
    "lookup",  # the name could not be looked up (a temporary or server failure)
    "timeout",  # the time limit ran out
    "connection",  # the connection failed or broke
    "too_many_redirects",
    "no_location",  # a redirect status without a Location header
)


@dataclass(frozen=True)
class Fetched:
    url: str  # the final URL, after redirects
    data: bytes
    content_type: str


@dataclass(frozen=True)
class Hop:
    """One URL of a probe's chain: the status it answered, or None when it was never asked
    (refused, not found, or the connection failed)."""

    url: str
    status: int | None = None
    reason: str = ""  # the HTTP reason phrase ("Not Found")


@dataclass(frozen=True)
class Probe:
    """What following one URL met. ``hops`` starts with the URL asked for and ends with the last
    URL tried; the body is that last answer's, cut at the size cap (``capped``), and empty when
    the answer declared a length over the cap. ``failure`` (one of :data:`FAILURES`) says why
    the probe stopped without a final answer, ``message`` says it as fetch() does."""

    url: str
    hops: tuple[Hop, ...]
    failure: str | None = None
    message: str = ""
    address: str | None = None  # the refused address, when failure == "address"
    content_type: str = ""
    data: bytes = b""
    length: int | None = None  # the Content-Length the answer declared
    capped: bool = False
    elapsed: float = 0.0

    @property
    def status(self) -> int | None:
        return self.hops[-1].status

    @property
    def final_url(self) -> str:
        return self.hops[-1].url

    @property
    def redirects(self) -> tuple[str, ...]:
        """The URLs the chain was sent to after the first, in order."""
        return tuple(hop.url for hop in self.hops[1:])


class _Stop(Exception):
    """A probe ends here: ``kind`` is one of FAILURES, the message is fetch()'s."""

    def __init__(self, kind: str, message: str, address: str | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.address = address


def _check_address(ip: str, allow_loopback: bool) -> None:
    addr = ipaddress.ip_address(ip.split("%", 1)[0])
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped:
        addr = addr.ipv4_mapped
    if addr.is_loopback and allow_loopback:
        return
    if (
        addr.is_loopback
        or addr.is_private
        or addr.is_link_local
        or addr.is_multicast
        or addr.is_reserved
        or addr.is_unspecified
        or not addr.is_global
    ):
        raise _Stop("address", f"refused: the address {addr} is not a public internet address", str(addr))


def _resolve(host: str, port: int, allow_loopback: bool) -> list[str]:
    """The host's addresses, every one checked; refuses if any of them is not allowed."""
    unknown = f"cannot find the host {host!r}"
    # RFC 6761 §6.4: names under .invalid never exist, and resolvers are to say so at once
    # (asking a DNS server that cannot be reached could take seconds to give another answer).
    if host.lower().rstrip(".").split(".")[-1] == "invalid":
        raise _Stop("no_such_host", unknown)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except UnicodeError as e:
        raise _Stop("invalid", unknown) from e
    except socket.gaierror as e:
        # NXDOMAIN (or a name with no address) is a dead link; a resolver that failed says nothing
        # about the link (EAI_AGAIN: try again later).
        gone = e.errno in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", socket.EAI_NONAME))
        raise _Stop("no_such_host" if gone else "lookup", unknown) from e
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    for ip in addresses:
        _check_address(ip, allow_loopback)
    return addresses


def _connect(ips: list[str], port: int, timeout: float) -> socket.socket:
    """A connection to the first checked address that answers (as a browser tries each)."""
    failure: OSError | None = None
    for ip in ips:
        try:
            return socket.create_connection((ip, port), timeout)
        except OSError as e:
            failure = e
    raise failure or OSError("the host has no address")


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, ips: list[str], timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._ips = ips
        self._seconds = timeout
        self.raw: socket.socket | None = None  # kept after the response takes the connection over

    def connect(self) -> None:
        self.sock = self.raw = _connect(self._ips, self.port, self._seconds)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, ips: list[str], timeout: float):
        self._tls = ssl.create_default_context()
        super().__init__(host, port, timeout=timeout, context=self._tls)
        self._ips = ips
        self._seconds = timeout
        self.raw: socket.socket | None = None

    def connect(self) -> None:
        raw = _connect(self._ips, self.port, self._seconds)
        self.sock = self.raw = self._tls.wrap_socket(raw, server_hostname=self.host)


class _Watchdog:
    """Shuts a connection's socket when the time limit is up, so that a server trickling its
    headers or body a byte at a time cannot hold a probe past its limit."""

    def __init__(self, conn: _PinnedHTTPConnection | _PinnedHTTPSConnection, seconds: float) -> None:
        self.fired = False
        self._conn = conn
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True
        self._timer.start()

    def _fire(self) -> None:
        self.fired = True
        if self._conn.raw is not None:
            with suppress(OSError):
                self._conn.raw.shutdown(socket.SHUT_RDWR)

    def cancel(self) -> None:
        self._timer.cancel()


def _read(
    resp: http.client.HTTPResponse,
    conn: _PinnedHTTPConnection | _PinnedHTTPSConnection,
    limit: int,
    deadline: float,
    timed_out: _Stop,
) -> tuple[bytes, bool]:
    """At most ``limit`` bytes of the body, and whether there was more."""
    body = bytearray()
    while len(body) <= limit:
        left = deadline - time.monotonic()
        if left <= 0:
            raise timed_out
        if resp.isclosed():  # the whole body is in (the response closes its socket then)
            break
        if conn.raw is not None:
            conn.raw.settimeout(left)  # each read gets only what is left of the limit
        chunk = resp.read(min(_CHUNK, limit + 1 - len(body)))
        if not chunk:
            break
        body.extend(chunk)
    return bytes(body[:limit]), len(body) > limit


def probe(
    url: str,
    *,
    timeout: float,
    max_bytes: int,
    allow_loopback: bool = False,
    max_redirects: int = MAX_REDIRECTS,
    accept: str = ACCEPT_TEXT,
) -> Probe:
    """GET ``url``, following redirects itself (each hop resolved and checked), within ``timeout``
    seconds in all; never raises for anything the URL or its server does (see :class:`Probe`)."""
    started = time.monotonic()
    deadline = started + timeout
    timed_out = _Stop("timeout", f"timed out after {timeout:g} s")
    hops: list[Hop] = []
    current = url.strip()

    def stopped(stop: _Stop, status: int | None = None, reason: str = "") -> Probe:
        hops.append(Hop(current, status, reason))
        return Probe(
            url.strip(),
            tuple(hops),
            stop.kind,
            stop.message,
            stop.address,
            elapsed=time.monotonic() - started,
        )

    for _hop in range(max_redirects + 1):
        try:
            try:
                parts = urlsplit(current)
                port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
            except ValueError as e:
                raise _Stop("invalid", f"not a valid URL: {current[:200]!r}") from e
            scheme = parts.scheme.lower()
            if scheme not in ("http", "https"):
                raise _Stop("scheme", "only http:// and https:// URLs can be loaded")
            if not parts.hostname:
                raise _Stop("invalid", "the URL has no host name")
            if parts.username or parts.password:
                raise _Stop("credentials", "URLs with a user name or password are not loaded")
            ips = _resolve(parts.hostname, port, allow_loopback)
            left = deadline - time.monotonic()
            if left <= 0:
                raise timed_out
        except _Stop as stop:
            return stopped(stop)
        conn_type = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
        conn = conn_type(parts.hostname, port, ips, timeout=left)
        watchdog = _Watchdog(conn, left)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        status: int | None = None
        reason = ""
        try:
            conn.request("GET", path, headers={"User-Agent": USER_AGENT, "Accept": accept})
            resp = conn.getresponse()
            status, reason = resp.status, resp.reason
            if status in REDIRECT_STATUSES:
                location = resp.getheader("Location")
                if not location:
                    raise _Stop("no_location", f"the server answered {status} without saying where to go")
                hops.append(Hop(current, status, reason))
                current = urljoin(current, location)
                continue
            content_type = resp.getheader("Content-Type") or ""
            declared = resp.getheader("Content-Length")
            length = int(declared) if declared and declared.isdigit() else None
            if 200 <= status < 300:
                if length is not None and length > max_bytes:
                    data, capped = b"", True
                else:
                    data, capped = _read(resp, conn, max_bytes, deadline, timed_out)
            else:
                # The status is the answer; the start of an error page only adds detail.
                data, capped = b"", False
                with suppress(OSError, http.client.HTTPException, _Stop):
                    data, capped = _read(resp, conn, min(max_bytes, ERROR_BODY_BYTES), deadline, timed_out)
            if watchdog.fired and 200 <= status < 300:
                raise timed_out  # the watchdog cut the body short
            hops.append(Hop(current, status, reason))
            return Probe(
                url.strip(),
                tuple(hops),
                content_type=content_type,
                data=data,
                length=length,
                capped=capped,
                elapsed=time.monotonic() - started,
            )
        except _Stop as stop:
            return stopped(stop, status, reason)
        except (OSError, http.client.HTTPException) as e:
            if watchdog.fired or isinstance(e, TimeoutError | socket.timeout):
                return stopped(timed_out, status, reason)
            return stopped(_Stop("connection", f"could not load the page: {e.__class__.__name__}: {e}"), status, reason)
        finally:
            watchdog.cancel()
            conn.close()
    return Probe(
        url.strip(),
        tuple(hops),
        "too_many_redirects",
        f"too many redirects (more than {max_redirects})",
        elapsed=time.monotonic() - started,
    )


def fetch(
    url: str,
    *,
    timeout: float | None = None,
    max_bytes: int | None = None,
    max_redirects: int = MAX_REDIRECTS,
    allow_loopback: bool = False,
) -> Fetched:
    """GET ``url`` and return its body, or raise FetchError with a plain reason. ``timeout``
    (seconds for the whole load, all redirects included) and ``max_bytes`` default to the settings."""
    timeout = settings.fetch_timeout() if timeout is None else timeout
    max_bytes = settings.max_upload_bytes() if max_bytes is None else max_bytes
    got = probe(url, timeout=timeout, max_bytes=max_bytes, allow_loopback=allow_loopback, max_redirects=max_redirects)
    if got.failure:
        raise FetchError(got.message)
    last = got.hops[-1]
    if last.status != 200:
        raise FetchError(f"the server answered {last.status} {last.reason}")
    if got.capped:
        if got.length is not None and got.length > max_bytes:
            raise FetchError(f"the page is {got.length / 2**20:.1f} MB; the limit is {max_bytes / 2**20:g} MB")
        raise FetchError(f"the page is larger than the limit of {max_bytes / 2**20:g} MB")
    return Fetched(got.final_url, got.data, got.content_type)


def name_for(fetched: Fetched) -> str:
    """A file name for a loaded page, with the extension its content type implies."""
    path = urlsplit(fetched.url).path.rstrip("/")
    stem = path.rsplit("/", 1)[-1] or urlsplit(fetched.url).hostname or "page"
    ctype = fetched.content_type.split(";")[0].strip().lower()
    if ctype in ("text/html", "application/xhtml+xml"):
        ext = ".html"
    elif ctype in ("text/markdown", "text/x-markdown"):
        ext = ".md"
    elif ctype.startswith("text/"):
        ext = ".txt"
    else:
        raise FetchError(f"the page is {ctype or 'of no stated type'}, not text or HTML")
    base = stem.rsplit(".", 1)[0] if "." in stem else stem
    return (base or "page") + ext
