"""Load an article from an http(s) URL, only when a user asks, and safely.

A hosted dashboard must not become a way into its host's network: every hop (the first
request and each redirect) is resolved first, and the connection goes to the checked address
itself, so a name cannot resolve to a public address for the check and a private one for the
request. Loopback, private, link-local, shared, multicast and reserved addresses are refused
unless ``allow_loopback`` lets 127.0.0.0/8 and ::1 through (for tests on this machine).

The time limit and the size cap default to the settings (``ARTICLE_LENS_FETCH_TIMEOUT``,
``ARTICLE_LENS_MAX_UPLOAD_MB``); loopback is let through only when the caller says so.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from . import settings
from .errors import FetchError

MAX_REDIRECTS = 5
USER_AGENT = "ArticleLens/1.0 (+article analysis dashboard)"


@dataclass(frozen=True)
class Fetched:
    url: str  # the final URL, after redirects
    data: bytes
    content_type: str


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
        raise FetchError(f"refused: the address {addr} is not a public internet address")


def _resolve(host: str, port: int, allow_loopback: bool) -> str:
    """One checked address for ``host``; refuses if any address it resolves to is not allowed."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as e:
        raise FetchError(f"cannot find the host {host!r}") from e
    addresses = [str(info[4][0]) for info in infos]
    for ip in addresses:
        _check_address(ip, allow_loopback)
    return addresses[0]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, ip: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._ip = ip

    def connect(self) -> None:
        self.sock = socket.create_connection((self._ip, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, ip: str, timeout: float):
        self._tls = ssl.create_default_context()
        super().__init__(host, port, timeout=timeout, context=self._tls)
        self._ip = ip

    def connect(self) -> None:
        raw = socket.create_connection((self._ip, self.port), self.timeout)
        self.sock = self._tls.wrap_socket(raw, server_hostname=self.host)


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
    deadline = time.monotonic() + timeout
    current = url.strip()
    for _hop in range(max_redirects + 1):
        try:
            parts = urlsplit(current)
            port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
        except ValueError as e:
            raise FetchError(f"not a valid URL: {current[:200]!r}") from e
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            raise FetchError("only http:// and https:// URLs can be loaded")
        if not parts.hostname:
            raise FetchError("the URL has no host name")
        if parts.username or parts.password:
            raise FetchError("URLs with a user name or password are not loaded")
        ip = _resolve(parts.hostname, port, allow_loopback)
        left = deadline - time.monotonic()
        if left <= 0:
            raise FetchError(f"timed out after {timeout:g} s")
        conn_type = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
        conn = conn_type(parts.hostname, port, ip, timeout=min(left, timeout))
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        try:
            conn.request("GET", path, headers={"User-Agent": USER_AGENT, "Accept": "text/html, text/*;q=0.9"})
            resp = conn.getresponse()
            if resp.status in (301, 302, 303, 307, 308):
                location = resp.getheader("Location")
                if not location:
                    raise FetchError(f"the server answered {resp.status} without saying where to go")
                current = urljoin(current, location)
                continue
            if resp.status != 200:
                raise FetchError(f"the server answered {resp.status} {resp.reason}")
            declared = resp.getheader("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise FetchError(f"the page is {int(declared) / 2**20:.1f} MB; the limit is {max_bytes / 2**20:g} MB")
            body = bytearray()
            while len(body) <= max_bytes:
                if time.monotonic() > deadline:
                    raise FetchError(f"timed out after {timeout:g} s")
                chunk = resp.read(65536)
                if not chunk:
                    break
                body.extend(chunk)
            if len(body) > max_bytes:
                raise FetchError(f"the page is larger than the limit of {max_bytes / 2**20:g} MB")
            return Fetched(current, bytes(body), resp.getheader("Content-Type") or "")
        except (OSError, http.client.HTTPException) as e:
            if isinstance(e, TimeoutError | socket.timeout):
                raise FetchError(f"timed out after {timeout:g} s") from e
            raise FetchError(f"could not load the page: {e.__class__.__name__}: {e}") from e
        finally:
            conn.close()
    raise FetchError(f"too many redirects (more than {max_redirects})")


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
