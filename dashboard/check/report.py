"""What a check of an article's cited pages found: frozen records, their JSON form, the summary
lines, the tables the app and the CSV exports show, and the command line's text report.

>>> page = CitationCheck(url="https://a.org/x", status="dead", reason="the server answered 404 Not Found")
>>> claim = ClaimCheck("Ketamine works in 24 hours.", "intro", "Intro", 3, "https://a.org/x", "link", "unknown")
>>> report = CheckReport("ketamine", "Ketamine", "2026-12-01T10:00:00+00:00", 1.5, True, (page,), (claim,))
>>> for line in report.summary():
...     print(line)
1 of 1 cited page is dead; 0 answered as cited (checked in 1.5 s)
of 1 claim tied to a source, 0 are supported by its page; 1 could not be compared (the page could not be read, ...)
>>> CheckReport.from_dict(report.to_dict()) == report
True
"""

from __future__ import annotations

import textwrap
from collections import Counter
from dataclasses import asdict, dataclass, fields
from typing import Any

import pandas as pd

from ..render import visible

STATUSES = ("ok", "redirected", "dead", "error", "timeout", "refused", "unreadable")
SUPPORT_LABELS = ("strong", "some", "none", "unknown")
CITATION_COLUMNS = ["status", "URL", "why", "HTTP", "lands on", "title", "signs", "words", "archive"]
CLAIM_COLUMNS = ["section", "line", "claim", "URL", "tied by", "support", "best passage"]


@dataclass(frozen=True)
class CitationCheck:
    """One cited page as the check found it (see :mod:`dashboard.check.page` for each status)."""

    url: str
    status: str
    reason: str
    http_status: int | None = None
    final_url: str | None = None
    redirects: tuple[str, ...] = ()
    content_type: str = ""
    title: str | None = None
    language: str | None = None
    author: str | None = None
    date: str | None = None
    site_name: str | None = None
    words: int = 0
    signs: tuple[str, ...] = ()
    archive_url: str = ""
    seconds: float = 0.0
    kind: str = ""  # the citation's kind in the article (scholarly, news, ...)


@dataclass(frozen=True)
class ClaimCheck:
    """A sentence tied to a cited page, and how far that page's text backs it."""

    sentence: str
    section: str
    section_heading: str
    line: int
    url: str
    how: str  # link, footnote or marker
    support: str  # strong, some, none or unknown
    score: float = 0.0
    passage: str = ""
    matched: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class CheckReport:
    article_id: str
    article_title: str
    checked_at: str  # ISO 8601, UTC
    seconds: float
    complete: bool  # False when the total time limit stopped the check before every page was read
    citations: tuple[CitationCheck, ...]
    claims: tuple[ClaimCheck, ...]
    offline: bool = False  # no host name at all could be looked up: the server may have no internet access

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> CheckReport:
        def record(kind: type[Any], row: dict[str, Any]) -> Any:
            known = {f.name for f in fields(kind)}
            return kind(**{k: tuple(v) if isinstance(v, list) else v for k, v in row.items() if k in known})

        return cls(
            article_id=str(d["article_id"]),
            article_title=str(d["article_title"]),
            checked_at=str(d["checked_at"]),
            seconds=float(d["seconds"]),
            complete=bool(d["complete"]),
            citations=tuple(record(CitationCheck, c) for c in d["citations"]),
            claims=tuple(record(ClaimCheck, c) for c in d["claims"]),
            offline=bool(d.get("offline", False)),
        )

    def checked_at_text(self) -> str:
        """'2026-12-01 10:00 UTC' (as the app writes "checked ...")."""
        return self.checked_at[:16].replace("T", " ") + " UTC"

    def summary(self) -> list[str]:
        """Plain sentences, most important first, as in the Audit view and the text report."""
        n = len(self.citations)
        if not n:
            return ["the article cites no web page, so there was nothing to check"]
        statuses = Counter(c.status for c in self.citations)
        dead = statuses["dead"]
        parts = [f"{dead} of {n} cited {'page' if n == 1 else 'pages'} {'is' if dead == 1 else 'are'} dead"]
        for status, one, many in (
            ("redirected", "lands on another site", "land on another site"),
            ("error", "gave an error", "gave an error"),
            ("timeout", "timed out", "timed out"),
            ("refused", "was refused by the safety rules", "were refused by the safety rules"),
            ("unreadable", "could not be read", "could not be read"),
        ):
            if statuses[status]:
                parts.append(f"{statuses[status]} {one if statuses[status] == 1 else many}")
        parts.append(f"{statuses['ok']} answered as cited")
        lines = ["; ".join(parts) + f" (checked in {self.seconds:.1f} s)"]
        if self.offline:
            lines.insert(
                0, "this server could not look up any host name, so it may have no internet access: check again later"
            )
        signs = Counter(s for c in self.citations for s in c.signs)
        sign_words = {
            "parked": (
                "looks parked (a domain for sale or a placeholder)",
                "look parked (domains for sale or placeholders)",
            ),
            "login": ("asks for a login", "ask for a login"),
            "paywall": ("sits behind a paywall", "sit behind a paywall"),
            "different_article": (
                "may be a different article from the one cited",
                "may be different articles from the ones cited",
            ),
            "soft_404": (
                "looks like a 'not found' page served as a normal page",
                "look like 'not found' pages served as normal pages",
            ),
        }
        sign_parts = [
            f"{signs[s]} {one if signs[s] == 1 else many}" for s, (one, many) in sign_words.items() if signs[s]
        ]
        if sign_parts:
            lines.append("signs on the pages: " + "; ".join(sign_parts))
        if not self.complete:
            lines.append("the check stopped at its time limit: pages it had not reached are marked 'timeout'")
        if self.claims:
            k = len(self.claims)
            support = Counter(c.support for c in self.claims)
            claim_line = (
                f"of {k} {'claim' if k == 1 else 'claims'} tied to a source, {support['strong']} "
                f"{'is' if support['strong'] == 1 else 'are'} supported by its page"
            )
            if support["some"]:
                claim_line += f", {support['some']} in part"
            if support["none"]:
                claim_line += f"; {support['none']} not found on the cited page"
            if support["unknown"]:
                claim_line += (
                    f"; {support['unknown']} could not be compared "
                    "(the page could not be read, or the sentence names nothing to look for)"
                )
            lines.append(claim_line)
        elif n:
            lines.append(
                "no sentence is tied to a cited page by a link, a footnote or a note marker, so no claim was compared"
            )
        return lines

    def citation_rows(self) -> pd.DataFrame:
        """One row per checked page: what the app's table and the CSV export show."""
        rows = [
            {
                "status": c.status,
                "URL": visible(c.url),
                "why": c.reason,
                "HTTP": c.http_status,
                "lands on": visible(c.final_url) if c.final_url and c.final_url != c.url else "",
                "title": c.title or "",
                "signs": ", ".join(c.signs),
                "words": c.words,
                "archive": c.archive_url,
            }
            for c in self.citations
        ]
        return pd.DataFrame(rows, columns=CITATION_COLUMNS).astype({"HTTP": "Int64"})

    def claim_rows(self) -> pd.DataFrame:
        rows = [
            {
                "section": c.section_heading,
                "line": c.line,
                "claim": c.sentence,
                "URL": visible(c.url),
                "tied by": c.how,
                "support": c.support,
                "best passage": c.passage,
            }
            for c in self.claims
        ]
        return pd.DataFrame(rows, columns=CLAIM_COLUMNS)

    def text(self, width: int = 100) -> str:
        """The command line's text report."""
        out = [f"Cited pages of: {self.article_title}", f"Checked: {self.checked_at_text()}", "", "Summary"]
        out += [f"  - {line}" for line in self.summary()]
        out += ["", "Cited pages"]
        for i, c in enumerate(self.citations, start=1):
            http = f" HTTP {c.http_status}" if c.http_status else ""
            out.append(f"  {i}. [{c.status}{http}] {visible(c.url)}")
            details = [c.reason]
            if c.final_url and c.final_url != c.url:
                details.append(f"lands on {visible(c.final_url)}")
            if c.title:
                details.append(f"title: {c.title}")
            if c.signs:
                details.append("signs: " + ", ".join(c.signs))
            out += textwrap.wrap("; ".join(details), width, initial_indent="       ", subsequent_indent="       ")
            if c.status != "ok" and c.archive_url:
                out.append(f"       archive: {c.archive_url}")
        out += ["", "Claims and their cited pages"]
        if not self.claims:
            out.append("  none: no sentence is tied to a cited page")
        for claim in self.claims:
            out.append(f"  [{claim.support}] ({claim.section_heading}, line {claim.line}) {claim.sentence}")
            out.append(f"       cited: {visible(claim.url)} ({claim.how})")
            if claim.passage:
                out += textwrap.wrap(
                    f"best passage: “{claim.passage}”", width, initial_indent="       ", subsequent_indent="       "
                )
        return "\n".join(out) + "\n"
