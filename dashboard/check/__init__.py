"""Check the pages an article cites: are they still there, what are they, and do they say what
the sentences citing them claim. Only when a user asks (a button, or ``python -m dashboard check``).

This module is the orchestrator (nothing in the package imports it): each cited http(s) page is
read by :func:`.page.check_page` (the same safe fetcher as URL loading), a few at a time, within
a total time limit; each sentence tied to a page (:func:`.claims.tied_claims`) is compared with
that page's text (:func:`.support.judge`) as soon as the page arrives, and the text is dropped.
The result is a :class:`.report.CheckReport`, which the library keeps with the time of the check.
"""

from __future__ import annotations

import concurrent.futures as cf
import dataclasses
import socket
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Protocol

from .. import settings
from ..model import Article
from .claims import TiedClaim, tied_claims
from .page import PageCheck, archive_url, check_page
from .report import CheckReport, CitationCheck, ClaimCheck
from .support import PageIndex, judge

MAX_CHECKS_AT_ONCE = 2  # checks one server runs at once (the app asks a third viewer to try again)
Progress = Callable[[int, int, str], None]  # (pages done, pages in all, the page just done)


class PageChecker(Protocol):
    def __call__(
        self, url: str, *, timeout: float, max_bytes: int, allow_loopback: bool, cited_title: str | None = None
    ) -> PageCheck: ...


def cited_pages(article: Article) -> dict[str, tuple[str, str | None]]:
    """Each cited http(s) URL once, in the order first cited, with its kind and, for an entry of
    the reference list, the entry as written (it names the work, so a landing page can be compared)."""
    pages: dict[str, tuple[str, str | None]] = {}
    for c in article.citations:
        if c.url and c.scheme in ("http", "https") and c.url not in pages:
            pages[c.url] = (c.kind, c.text if c.section is None else None)
    return pages


def _not_reached(url: str, limit: float) -> PageCheck:
    reason = f"not checked: the check's time limit of {limit:g} s ran out first"
    return PageCheck(url, "timeout", reason, archive_url=archive_url(url))


CANARY_HOST = "example.com"  # reserved by IANA (RFC 2606): it always resolves on a connected machine


def _can_look_up_names(seconds: float = 5.0) -> bool:
    """Whether this machine resolves a name that always exists (getaddrinfo has no time limit of
    its own, so it runs in a thread that is given up on after ``seconds``)."""
    answer: list[bool] = []

    def look_up() -> None:
        try:
            socket.getaddrinfo(CANARY_HOST, 443, type=socket.SOCK_STREAM)
            answer.append(True)
        except (OSError, UnicodeError):
            answer.append(False)

    thread = threading.Thread(target=look_up, daemon=True)
    thread.start()
    thread.join(seconds)
    return bool(answer and answer[0])


def _looks_offline(found: dict[str, PageCheck]) -> bool:
    """Whether no cited host name could be found at all and not even a name that always exists
    can be: on a server with no DNS every page would otherwise be called dead. Hosts that truly do
    not exist (a link farm's made-up domains) stay dead when the machine can look up names."""
    unfound = [p for p in found.values() if p.status == "dead" and p.http_status is None and not p.redirects]
    return bool(unfound) and len(unfound) == len(found) and not _can_look_up_names()


OFFLINE_REASON = (
    f"could not be looked up: this server could not look up any host name (not even {CANARY_HOST}), "
    "so it may have no internet access; check again later"
)


_FROM_PAGE = tuple(f.name for f in dataclasses.fields(CitationCheck) if f.name not in ("seconds", "kind"))
_FROM_CLAIM = tuple(f.name for f in dataclasses.fields(TiedClaim))


def _record(page: PageCheck, kind: str) -> CitationCheck:
    """What is kept of a page's check (its text is not)."""
    return CitationCheck(
        **{name: getattr(page, name) for name in _FROM_PAGE}, seconds=round(page.elapsed, 3), kind=kind
    )


def _compared(claim: TiedClaim, page: PageIndex | None) -> ClaimCheck:
    found = judge(claim.sentence, page)
    return ClaimCheck(
        **{name: getattr(claim, name) for name in _FROM_CLAIM},
        support=found.label,
        score=round(found.score, 3),
        passage=found.passage,
        matched=found.matched,
        missing=found.missing,
    )


def check_article(
    article: Article,
    article_id: str,
    *,
    total_seconds: float | None = None,
    at_once: int | None = None,
    timeout: float | None = None,
    max_bytes: int | None = None,
    allow_loopback: bool | None = None,
    progress: Progress | None = None,
    check: PageChecker = check_page,
) -> CheckReport:
    """Check every page ``article`` cites; limits default to the settings (``ARTICLE_LENS_CHECK_*``,
    the URL-loading time limit and size cap, loopback only where tests allow it)."""
    total_seconds = settings.check_seconds() if total_seconds is None else total_seconds
    at_once = settings.check_at_once() if at_once is None else at_once
    timeout = settings.fetch_timeout() if timeout is None else timeout
    max_bytes = settings.max_upload_bytes() if max_bytes is None else max_bytes
    loopback = settings.allow_loopback_urls() if allow_loopback is None else allow_loopback
    started = time.monotonic()
    deadline = started + total_seconds
    checked_at = datetime.now(UTC).isoformat(timespec="seconds")
    pages = cited_pages(article)
    claims_by_url: dict[str, list[TiedClaim]] = defaultdict(list)
    for claim in tied_claims(article):
        if claim.url in pages:
            claims_by_url[claim.url].append(claim)

    not_reached: set[str] = set()

    def one(url: str) -> PageCheck:
        left = deadline - time.monotonic()
        if left <= 0.5:
            not_reached.add(url)
            return _not_reached(url, total_seconds)
        return check(
            url, timeout=min(timeout, left), max_bytes=max_bytes, allow_loopback=loopback, cited_title=pages[url][1]
        )

    found: dict[str, PageCheck] = {}
    compared: dict[str, list[ClaimCheck]] = {}
    pool = cf.ThreadPoolExecutor(max_workers=max(1, at_once), thread_name_prefix="check")
    try:
        futures = {pool.submit(one, url): url for url in pages}
        try:
            for future in cf.as_completed(futures, timeout=max(0.0, deadline - time.monotonic()) + 1.0):
                url = futures[future]
                page = future.result()
                found[url] = page
                index = PageIndex(page.text) if page.text and claims_by_url[url] else None
                compared[url] = [_compared(c, index) for c in claims_by_url[url]]
                if progress is not None:
                    progress(len(found), len(pages), url)
        except cf.TimeoutError:
            pass  # pages still being read past the total limit are reported as not reached
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    offline = _looks_offline(found)
    if offline:
        found = {url: dataclasses.replace(p, status="error", reason=OFFLINE_REASON) for url, p in found.items()}
    complete = len(found) == len(pages) and not not_reached
    citations, claims = [], []
    for url, (kind, _title) in pages.items():
        page = found.get(url) or _not_reached(url, total_seconds)
        citations.append(_record(page, kind))
        claims += compared.get(url) or [_compared(c, None) for c in claims_by_url[url]]
    claims.sort(key=lambda c: (c.line, c.url))
    return CheckReport(
        article_id=article_id,
        article_title=article.title,
        checked_at=checked_at,
        seconds=round(time.monotonic() - started, 1),
        complete=complete,
        citations=tuple(citations),
        claims=tuple(claims),
        offline=offline,
    )
