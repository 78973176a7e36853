"""Check one cited page: is it there, where does it land, what is it, and what does it say.

:func:`check_page` follows the link with :func:`dashboard.fetch.probe` (the URL loader's safety
rules on every hop, a total time limit, a size cap) and never raises for anything about the page.
Its :class:`PageCheck` has exactly one status:

- ``ok``: the page answered and was read (HTML, PDF or plain text);
- ``redirected``: it was read, but on another site than the one cited (registered domains
  differ, as :func:`dashboard.citations.site` tells them, offline); a link through a resolver
  or shortener (doi.org, bit.ly, ...) lands wherever that sends it, so it is never "redirected";
- ``dead``: 404 or 410, or a host name that does not exist (NXDOMAIN, not a failed lookup);
- ``error``: any other 4xx or 5xx, a failed DNS lookup or connection, too many redirects;
- ``timeout``: no whole answer within the time limit;
- ``refused``: by the safety rules (not http(s), a private or reserved address on any hop,
  credentials in the URL);
- ``unreadable``: an answer it cannot read (an image, binary data, a damaged PDF, a page with no
  text, or one over the size cap: "capped").

Only ``ok`` and ``redirected`` carry the page's ``text``. ``signs`` say what the landing page
looks like, from how such pages are built: ``parked`` (a parked or for-sale domain), ``login``
(a login wall), ``paywall`` (a subscription prompt, or schema.org ``isAccessibleForFree: false``),
``soft_404`` (the link lands on the site's home page or a "not found" page that answers 200) and
``different_article`` (the landing page's title shares almost nothing with the title the citation
names, or a soft 404). They are signals for a reviewer, never verdicts.
"""

from __future__ import annotations

import codecs
import http
import io
import ipaddress
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from urllib.parse import quote, urlsplit

import lxml.etree
import lxml.html
import pypdf
import trafilatura
from stop_words import get_stop_words
from trafilatura.settings import Document

from .. import fetch
from ..bounded import Overdue, ThreadBudget
from ..citations import is_shortener, site
from ..errors import ParseError
from ..parse import decoding
from ..words import words as split_words

log = logging.getLogger(__name__)
# pypdf logs every oddity of a damaged file it recovers from; a cited PDF is not ours to fix.
logging.getLogger("pypdf").setLevel(logging.ERROR)

STATUSES = ("ok", "redirected", "dead", "error", "timeout", "refused", "unreadable")
SIGNS = ("parked", "login", "paywall", "soft_404", "different_article")
ACCEPT = "text/html, application/xhtml+xml, application/pdf;q=0.9, text/plain;q=0.8, text/*;q=0.5"
MAX_REDIRECTS = 10  # DOI and publisher chains take several hops; browsers allow 20
MAX_TEXT = 200_000  # characters of a page's text kept for claim matching
MAX_PDF_PAGES = 50
READ_SECONDS = 10.0  # reading a page that arrived (HTML extraction, PDF text), on top of the fetch's limit
MAX_OVERDUE = 4  # abandoned readings still running; past that a page is not read at all
_READINGS = ThreadBudget(MAX_OVERDUE, "check-read")
ARCHIVE = "https://web.archive.org/web/*/"
SHORT_TEXT = 200  # words: below this a page is a teaser, a form or a placeholder rather than an article

# Hosts whose links are meant to be sent elsewhere: where they land is the cited page.
RESOLVERS = frozenset("doi.org handle.net purl.org n2t.net identifiers.org w3id.org urn.nb.no".split())


@dataclass(frozen=True)
class PageCheck:
    """One cited page as the check found it."""

    url: str  # as cited
    status: str  # one of STATUSES
    reason: str  # one plain sentence for a person
    http_status: int | None = None  # the status final_url answered; None when it did not answer
    redirects: tuple[str, ...] = ()  # the URLs the link was sent to, in order (the last is final_url)
    final_url: str | None = None  # the last URL tried: the cited one, or where the redirects ended
    content_type: str = ""  # the final answer's media type, without parameters
    title: str | None = None
    language: str | None = None
    author: str | None = None
    date: str | None = None  # as the page states it, YYYY-MM-DD
    site_name: str | None = None
    words: int = 0
    text: str = ""  # the main text (at most MAX_TEXT characters); only for ok and redirected
    signs: tuple[str, ...] = ()  # among SIGNS, in that order
    archive_url: str = ""  # a Wayback Machine lookup for the cited URL (built, never fetched)
    elapsed: float = 0.0  # seconds the check took


def archive_url(url: str) -> str:
    """The Wayback Machine's list of captures of ``url``; "" for anything but an http(s) URL."""
    cleaned = url.strip().split("#", 1)[0]
    if urlsplit(cleaned).scheme.lower() not in ("http", "https"):
        return ""
    return ARCHIVE + quote(cleaned, safe=":/?&=%~+@!$,;'()*[]#-._")


def check_page(
    url: str,
    *,
    timeout: float,
    max_bytes: int,
    allow_loopback: bool,
    cited_title: str | None = None,
    read_seconds: float = READ_SECONDS,
) -> PageCheck:
    """Fetch and read one cited page: the fetch takes at most ``timeout`` seconds and
    ``max_bytes`` bytes, reading what arrived at most ``read_seconds`` more. ``cited_title`` is
    the title the citation gives the page (a reference entry's title, not a link's "this
    study"), compared with the landing page's. Never raises for anything about the page."""
    started = time.monotonic()
    try:
        check = _check(url, timeout, max_bytes, allow_loopback, cited_title, read_seconds)
    except Exception:  # a fault of ours on one page must not stop the check of the others
        log.exception("checking %r failed", url)
        check = PageCheck(url, "error", "the check itself failed on this page (an internal error)")
    return replace(check, archive_url=archive_url(url), elapsed=round(time.monotonic() - started, 3))


# ---------------------------------------------------------------------------------------------
# The fetch and its outcome


def _check(
    url: str, timeout: float, max_bytes: int, allow_loopback: bool, cited_title: str | None, read_seconds: float
) -> PageCheck:
    got = fetch.probe(
        url,
        timeout=timeout,
        max_bytes=max_bytes,
        allow_loopback=allow_loopback,
        max_redirects=MAX_REDIRECTS,
        accept=ACCEPT,
    )
    chain = PageCheck(
        url,
        "error",
        "",
        http_status=got.status,
        redirects=got.redirects,
        final_url=got.final_url,
        content_type=got.content_type.split(";", 1)[0].strip().lower(),
    )
    if got.failure:
        status, reason = _failure(got, timeout)
        return replace(chain, status=status, reason=reason)
    code = got.status or 0
    answered = f"the server answered {code} {_phrase(code, got.hops[-1].reason)}"
    elsewhere = _elsewhere(got)
    note = f" (after a redirect to another site, {elsewhere})" if elsewhere else ""
    if not 200 <= code < 300:
        signs = _error_signs(code, got.data, chain.content_type)
        status = "dead" if code in (404, 410) else "error"
        return replace(chain, status=status, reason=answered + note, signs=signs)
    if got.capped:
        size = f"{_size(got.length)}, over" if got.length and got.length > max_bytes else "larger than"
        reason = f"the page is {size} the {_size(max_bytes)} cap: capped, not read{note}"
        return replace(chain, status="unreadable", reason=reason)
    page = _read(got.data, chain.content_type, got.final_url, read_seconds)
    if page.unreadable:
        return replace(chain, status="unreadable", reason=page.unreadable + note)
    signs = _signs(page, got, cited_title)
    what = f"{answered} with {page.describe()}"
    if elsewhere:
        status, reason = "redirected", f"the link lands on another site, {elsewhere}; {what}"
    else:
        status = "ok"
        hops = len(got.redirects)
        cited, final = site(got.url), site(got.final_url)
        where = "on the same site" if cited == final else f"(resolved by {cited} to {final})"
        reason = what + (f" after {hops} redirect{'s' * (hops > 1)} {where}" if hops else "")
    return replace(
        chain,
        status=status,
        reason=reason,
        title=page.title,
        language=page.language,
        author=page.author,
        date=page.date,
        site_name=page.site_name,
        words=len(split_words(page.text)),
        text=page.text[:MAX_TEXT],
        signs=signs,
    )


def _phrase(code: int, reason: str) -> str:
    if reason.strip():
        return reason.strip()
    try:
        return http.HTTPStatus(code).phrase
    except ValueError:
        return ""


def _size(n: int | None) -> str:
    n = n or 0
    return f"{n / 2**20:.1f} MB" if n >= 2**20 else f"{max(1, round(n / 1024))} KB"


def _host(url: str) -> str:
    try:
        return urlsplit(url).hostname or url[:80]
    except ValueError:
        return url[:80]


def _is_resolver(url: str) -> bool:
    host = _host(url)
    return site(url) in RESOLVERS or is_shortener(host)


def _elsewhere(got: fetch.Probe) -> str | None:
    """The other site a redirect chain landed on, if it left the cited one (None if it did not)."""
    if not got.redirects or _is_resolver(got.url):
        return None
    cited, final = site(got.url), site(got.final_url)
    return final if final and final != cited else None


def _address_kind(address: str | None) -> str:
    try:
        addr = ipaddress.ip_address(address or "")
    except ValueError:
        return "non-public"
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped:
        addr = addr.ipv4_mapped
    for kind, flag in (
        ("loopback", addr.is_loopback),
        ("unspecified", addr.is_unspecified),
        ("link-local", addr.is_link_local),
        ("multicast", addr.is_multicast),
        ("private", addr.is_private),
        ("reserved", addr.is_reserved),
    ):
        if flag:
            return kind
    return "non-public"


def _failure(got: fetch.Probe, timeout: float) -> tuple[str, str]:
    """The status and the sentence for a probe that stopped without a final answer."""
    at = got.final_url
    hop = len(got.hops) - 1
    host = _host(at)
    kind = got.failure
    if kind == "timeout":
        where = f" (after {hop} redirect{'s' * (hop > 1)}, at {host})" if hop else ""
        return "timeout", f"the server did not answer in full within {timeout:g} s{where}"
    if kind == "address":
        what = f"a {_address_kind(got.address)} address {got.address}"
        if hop:
            return "refused", f"redirected to {what}: refused"
        if host.strip("[]") == got.address:
            return "refused", f"the link points to {what}: refused"
        return "refused", f"the host {host} resolves to {what}: refused"
    if kind == "scheme":
        scheme = at.split(":", 1)[0][:20] + ":" if ":" in at else "no scheme"
        if hop:
            return "refused", f"redirected to an address that is not http or https ({scheme}): refused"
        return "refused", f"only http and https links are checked, and this one is {scheme}: refused"
    if kind == "credentials":
        return "refused", ("redirected to" if hop else "the link is") + " a URL with a user name or password: refused"
    if kind == "no_such_host":
        if hop:
            return "dead", f"redirected to {host}, a host name that does not exist"
        return "dead", f"the host name {host} does not exist (the DNS has no record of it)"
    if kind == "lookup":
        return "error", f"the host name {host} could not be looked up (a DNS failure; it may work later)"
    if kind == "connection":
        detail = got.message.removeprefix("could not load the page: ")
        return "error", f"the connection to {host} failed: {detail}"
    if kind == "too_many_redirects":
        return "error", f"the link redirects more than {MAX_REDIRECTS} times"
    if kind == "no_location":
        return "error", f"the server answered {got.status} (a redirect) without saying where to"
    return "error", ("redirected to " if hop else "the link is ") + "not a valid URL"


# ---------------------------------------------------------------------------------------------
# Reading what arrived

_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*", b"BM")
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_UNKNOWN_TYPES = frozenset({"", "application/octet-stream", "binary/octet-stream", "application/unknown"})
_HTML_START = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S
)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
_SPACE = re.compile(r"\s+")


@dataclass
class _Page:
    """What reading one answer gave: its facts, or why it could not be read."""

    kind: str = ""  # html, pdf or text
    unreadable: str = ""
    title: str | None = None
    titles: list[str] = field(default_factory=list)  # every title the page gives itself (head, h1, metadata)
    language: str | None = None
    author: str | None = None
    date: str | None = None
    site_name: str | None = None
    text: str = ""  # the main text
    visible: str = ""  # all the text a reader sees, lower-cased, for the wording of signs
    markup: str = ""  # the start of the HTML, lower-cased, for schema.org flags
    sources: list[str] = field(default_factory=list)  # hosts of scripts, frames, forms, stylesheets
    ad_frame: bool = False  # loads Google's ad framework for parked domains (caf.js)
    password: bool = False
    pages: int = 0  # a PDF's page count
    pages_read: int = 0

    def describe(self) -> str:
        n = len(split_words(self.text))
        if self.kind == "pdf":
            read = f", the first {self.pages_read} read" if self.pages_read < self.pages else ""
            return f"a PDF of {self.pages} page{'s' * (self.pages != 1)}{read} ({n} words)"
        return f"{'a page' if self.kind == 'html' else 'a text'} of {n} words"


def _sniff(content_type: str, data: bytes) -> str:
    """html, pdf, text, image or other: the bytes' own signature wins over the declared type."""
    head = data[:1024]
    if head.lstrip().startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(_IMAGE_MAGIC) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return "image"
    if content_type == "application/pdf":
        return "pdf"
    if content_type.startswith("image/"):
        return "image"
    if content_type in _HTML_TYPES:
        return "html"
    if content_type.startswith("text/"):
        return "text"
    if content_type in _UNKNOWN_TYPES and _HTML_START.match(head):
        return "html"
    return "other"


def _read(data: bytes, content_type: str, url: str, seconds: float) -> _Page:
    kind = _sniff(content_type, data)
    if not data.strip():
        return _Page(unreadable="the server answered with an empty page")
    if kind == "image":
        return _Page(
            unreadable=f"the link leads to an image ({content_type or 'by its bytes'}), not a page or document"
        )
    if kind == "other":
        return _Page(unreadable=f"the link leads to {content_type or 'data of no stated type'}, not a page or document")
    deadline = time.monotonic() + seconds
    if kind == "pdf":
        reader: Callable[[], _Page] = lambda: _read_pdf(data, deadline)  # noqa: E731
    else:
        reader = lambda: _read_text(data, content_type, url, kind)  # noqa: E731
    try:
        return _READINGS.run(seconds, reader)
    except Overdue as e:
        if e.started:
            return _Page(unreadable=f"reading the page took longer than {seconds:g} s")
        return _Page(unreadable="the page was not read: slow pages from earlier checks are still being read")


def _decode(data: bytes, content_type: str) -> str:
    """The declared charset when it decodes the bytes, else the project's decoding (which also
    refuses binary data)."""
    declared = _CHARSET.search(content_type)
    if declared and b"\x00" not in data[:4096]:
        try:
            codecs.lookup(declared.group(1))
            return data.decode(declared.group(1))
        except (LookupError, UnicodeDecodeError):
            pass
    return decoding.decode(data)[0]


def _clean(text: str | None, limit: int = 300) -> str | None:
    cleaned = _SPACE.sub(" ", text or "").strip()
    return cleaned[:limit] or None


def _read_text(data: bytes, content_type: str, url: str, kind: str, extract: bool = True) -> _Page:
    try:
        text = _decode(data, content_type)
    except ParseError as e:
        return _Page(unreadable=f"the page cannot be read as text: {e}")
    if kind == "text":
        body = text.strip()
        page = _Page(kind="text", text=body, visible=_SPACE.sub(" ", body[:MAX_TEXT]).lower())
        return page if body else _Page(unreadable="the server answered with an empty page")
    return _read_html(_XML_DECLARATION.sub("", text, count=1), url, extract)


def _read_html(html: str, url: str, extract: bool = True) -> _Page:
    """The page's facts; ``extract`` False reads only its markup and visible text (for signs)."""
    try:
        doc = lxml.html.document_fromstring(html)
    except (lxml.etree.ParserError, ValueError) as e:
        return _Page(unreadable=f"the page cannot be parsed as HTML ({e})")
    page = _Page(kind="html", markup=html[:500_000].lower())
    head_title = _clean(doc.findtext(".//title"))
    headline: str | None = None
    language = doc.get("lang") or doc.get("{http://www.w3.org/XML/1998/namespace}lang")
    for el in doc.iter("h1", "input", "meta", "script", "iframe", "frame", "form", "link"):
        if el.tag == "h1" and headline is None and isinstance(el, lxml.html.HtmlElement):
            headline = _clean(el.text_content())
        elif el.tag == "input" and (el.get("type") or "").strip().lower() == "password":
            page.password = True
        elif el.tag == "meta" and (el.get("http-equiv") or "").strip().lower() == "content-language":
            language = language or el.get("content")
        else:
            src = str(el.get("action" if el.tag == "form" else "href" if el.tag == "link" else "src") or "")
            if "//" in src:
                page.sources.append(_host(src).lower())
            page.ad_frame |= el.tag == "script" and "/adsense/domains/" in src
    for code in list(doc.iter("script", "style", "noscript", "template")):
        if isinstance(code, lxml.html.HtmlElement) and code.getparent() is not None:
            code.drop_tree()
    body = next(doc.iter("body"), doc)
    visible = _SPACE.sub(" ", " ".join(str(t) for t in body.itertext())).strip()
    page.visible = visible[:MAX_TEXT].lower()
    if not extract:
        return page
    try:
        found = trafilatura.bare_extraction(
            html,
            url=url,
            with_metadata=True,
            include_comments=False,
            include_tables=True,
            # Only dates the page states in its markup: the extensive search guesses from any
            # date in the text (a copyright line's year becomes January 1st).
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception:  # the extractor's own faults on odd markup: the page's visible text stands in
        log.debug("trafilatura failed on %s", url, exc_info=True)
        found = None
    if isinstance(found, Document):
        page.text = (found.text or "").strip()
        page.title = _clean(found.title)
        page.author = _clean(found.author)
        page.date = _clean(found.date, 10)
        # Without a stated name trafilatura gives the host name, which the page did not state.
        named = _clean(found.sitename)
        page.site_name = named if named and named.lower() not in _host_names(url) else None
        language = found.language or language
    if not page.text:
        page.text = visible
    if not page.text:
        return _Page(unreadable="the page has no text to read (it may be built by scripts)")
    page.title = page.title or head_title or headline
    page.titles = [t for t in (page.title, head_title, headline) if t]
    page.language = _clean(str(language), 35) if language else None
    return page


def _host_names(url: str) -> set[str]:
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        return {host, host.removeprefix("www."), parts.netloc.lower()}
    except ValueError:
        return set()


def _read_pdf(data: bytes, deadline: float) -> _Page:
    try:
        return _pdf(data, deadline)
    except Exception as e:  # pypdf raises many kinds on a damaged file; none may escape a check
        return _Page(unreadable=f"the PDF cannot be read: it is damaged or not a PDF ({e.__class__.__name__})")


_NAMED_BY_SOFTWARE = re.compile(r"(?i)^(microsoft \w+ - |untitled\b)|\.(docx?|pdf|tex|dvi|indd|odt|rtf)$")


def _pdf(data: bytes, deadline: float) -> _Page:
    reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted and not reader.decrypt(""):
        return _Page(unreadable="the PDF is encrypted with a password")
    try:
        meta = reader.metadata
    except Exception:  # a damaged information dictionary: the text may still be there
        meta = None
    page = _Page(kind="pdf", pages=len(reader.pages))
    texts: list[str] = []
    size = 0
    for number, pdf_page in enumerate(reader.pages):
        if number >= MAX_PDF_PAGES or size >= MAX_TEXT or time.monotonic() > deadline:
            break
        text = pdf_page.extract_text() or ""
        texts.append(text)
        size += len(text)
        page.pages_read = number + 1
    page.text = "\n\n".join(t.strip() for t in texts if t.strip())
    if not page.text:
        return _Page(unreadable="the PDF has no text layer to read (a scanned image, or damaged)")
    page.visible = _SPACE.sub(" ", page.text[:MAX_TEXT]).lower()
    title = _clean(meta.title) if meta else None
    if not title or _NAMED_BY_SOFTWARE.search(title):
        title = next((_clean(line, 200) for line in page.text.splitlines() if line.strip()), None)
    page.title = title
    page.titles = [t for t in (title,) if t]
    if meta:
        page.author = _clean(meta.author)
        created: datetime | None = None
        try:
            created = meta.creation_date
        except (ValueError, TypeError):  # a date the file wrote wrong
            created = None
        page.date = created.date().isoformat() if created else None
    language = reader.root_object.get("/Lang")
    page.language = _clean(str(language), 35) if language else None
    return page


# ---------------------------------------------------------------------------------------------
# Signs: what the landing page looks like, from how such pages are built


def _any(patterns: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns))


# Parking providers serve a page of ads for a domain nobody uses: their own scripts and frames
# (Google's ad framework for parked domains, caf.js, is shared by most of them), or a sale notice.
PARKING_HOSTS = frozenset(
    """sedoparking.com parkingcrew.net bodis.com parklogic.com dsparking.com above.com namebrightstatic.com
    skenzo.com trafficz.com rookmedia.net domainsponsor.com parked.com fabulous.com cashparking.com
    parkingpage.namecheap.com smartname.com voodoo.com""".split()
)
# Domain marketplaces: a cited page that lands on one is a domain up for sale.
MARKETPLACES = frozenset(
    """sedo.com dan.com afternic.com hugedomains.com buydomains.com undeveloped.com squadhelp.com atom.com
    domainmarket.com brandbucket.com efty.com uniregistry.com domainagents.com sav.com""".split()
)
_PARKED = _any(
    (
        r"\bthis domain (?:name )?(?:may be|is|might be|could be) (?:for sale|available for purchase)",
        r"\bbuy this domain\b",
        r"\bdomain (?:name )?[\w.-]{0,80} ?(?:is|may be) for sale\b",
        r"\b(?:this|the) (?:domain|web ?page|website|site) (?:is|has been) parked\b",
        r"\bparked (?:free,? )?(?:courtesy of|by|with|at)\b",
        r"\b(?:make an offer on|inquire about|enquire about) this domain\b",
        r"\bthis domain (?:name )?has (?:recently )?(?:been registered|expired)\b",
    )
)
_LOGIN = _any(
    (
        r"\b(?:sign|log) ?in (?:to|in order to) (?:continue|view|read|see|access|proceed)\b",
        r"\byou (?:must|need to|have to) (?:be )?(?:signed|logged) ?in\b",
        r"\bplease (?:sign|log) ?in\b",
        r"\b(?:log|sign) ?in or (?:sign|join|register) ?(?:up)? to (?:view|see|continue|read)\b",
        r"\b(?:sign|log) ?in required\b",
        r"\b(?:only )?(?:available|accessible) (?:only )?to "
        r"(?:registered|logged[- ]in|signed[- ]in) (?:users|members)\b",
    )
)
_LOGIN_PATH = re.compile(r"(?i)/(?:log-?in|sign-?in|sign_in|auth|sso|session/new|users/sign_in|accounts/login)\b")
_PAYWALL = _any(
    (
        r"\bsubscribe (?:now |today )?to (?:continue|keep) reading\b",
        r"\bto (?:continue|keep) reading,? (?:please )?(?:subscribe|become a (?:subscriber|member)|sign up)\b",
        r"\b(?:this|the) (?:article|story|content|post) is (?:only )?(?:available|reserved|exclusive) "
        r"(?:only )?(?:to|for) (?:paying |premium |our )?(?:subscribers|members)\b",
        r"\bsubscribers only\b",
        r"\byou(?:'ve| have) (?:reached|used up|read) (?:your|all of your|all your) "
        r"(?:\w+ )?(?:free )?(?:articles?|stories)\b",
        r"\bsubscribe (?:now |today )?to (?:read|unlock|access)\b",
        r"\bunlock (?:this|the full) (?:article|story)\b",
    )
)
# schema.org's flag for paywalled content, in JSON-LD or microdata (Google asks publishers for it).
_NOT_FREE = _any(
    (
        r"[\"']?isaccessibleforfree[\"']?\s*(?::|content\s*=)\s*[\"']?(?:false|no)\b",
        r"content\s*=\s*[\"']?false[\"']?\s+itemprop\s*=\s*[\"']?isaccessibleforfree",
    )
)
_NOT_FOUND = _any(
    (
        r"\b404\b",
        r"\b(?:page|article|content|file) (?:was )?not found\b",
        r"^not found\b",
        r"\b(?:no longer|not) (?:available|exists?)\b",
        r"\b(?:does not|doesn't|did not) exist\b",
        r"\b(?:cannot|can't|could not|couldn't) be found\b",
    )
)
_HOME_PATH = re.compile(r"(?i)^/?(?:index\.\w+|default\.\w+|home|[a-z]{2}(?:[-_][a-z]{2})?)?/?$")
_NOT_FOUND_PATH = re.compile(r"(?i)/(?:404|not-?found|page-?not-?found|error-?404)(?:[./]|$)")


def _error_signs(code: int, data: bytes, content_type: str) -> tuple[str, ...]:
    """A login wall or paywall told by an error answer (401, 402, 403 with a form or a prompt)."""
    signs: set[str] = {"login"} if code == 401 else {"paywall"} if code == 402 else set()
    if code in (401, 402, 403) and data and _sniff(content_type, data) == "html":
        try:
            page = _READINGS.run(2.0, lambda: _read_text(data, content_type, "", "html", extract=False))
        except Overdue:
            page = _Page()
        if page.password or _LOGIN.search(page.visible):
            signs.add("login")
        if _PAYWALL.search(page.visible) or _NOT_FREE.search(page.markup):
            signs.add("paywall")
    return tuple(s for s in SIGNS if s in signs)


def _signs(page: _Page, got: fetch.Probe, cited_title: str | None) -> tuple[str, ...]:
    signs: set[str] = set()
    short = len(split_words(page.text)) < SHORT_TEXT
    final_site = site(got.final_url)
    if (
        (final_site in MARKETPLACES and site(got.url) not in MARKETPLACES)
        or any(_suffix_in(host, PARKING_HOSTS) for host in page.sources)
        or page.ad_frame
        or (short and _PARKED.search(page.visible))
    ):
        signs.add("parked")
    landed = urlsplit(got.final_url).path
    cited_path = urlsplit(got.url).path
    sent_to_login = got.redirects and _LOGIN_PATH.search(landed) and not _LOGIN_PATH.search(cited_path)
    if (short and (page.password or _LOGIN.search(page.visible))) or sent_to_login:
        signs.add("login")
    if _NOT_FREE.search(page.markup) or (short and _PAYWALL.search(page.visible)):
        signs.add("paywall")
    deep = not _HOME_PATH.match(cited_path)
    if (
        (got.redirects and deep and _HOME_PATH.match(landed))
        or (got.redirects and _NOT_FOUND_PATH.search(landed) and not _NOT_FOUND_PATH.search(cited_path))
        or (short and any(_NOT_FOUND.search(t.lower()) for t in page.titles))
    ):
        signs.add("soft_404")
    if "soft_404" in signs or _title_differs(cited_title, page.titles):
        signs.add("different_article")
    return tuple(s for s in SIGNS if s in signs)


def _suffix_in(host: str, hosts: frozenset[str]) -> bool:
    parts = host.split(".")
    return any(".".join(parts[i:]) in hosts for i in range(len(parts) - 1))


_STOP = frozenset(get_stop_words("en"))


def _title_words(title: str) -> set[str]:
    """A title's content words, cut to five letters so that "memory" meets "memories"."""
    out = set()
    for word in split_words(title.casefold()):
        if word in _STOP or (len(word) < 2 and not word.isdigit()):
            continue
        out.add(word[:5])
    return out


def _title_differs(cited_title: str | None, titles: list[str]) -> bool:
    """True when the cited title's words are almost all missing from every title the page gives
    itself (less than a quarter found); a cited title of fewer than two content words is not judged."""
    cited = _title_words(cited_title or "")
    if len(cited) < 2 or not titles:
        return False
    best = max(len(cited & _title_words(t)) for t in titles)
    return best / len(cited) < 0.25
