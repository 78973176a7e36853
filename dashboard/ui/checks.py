"""The check of an article's cited pages, in the Citations and Audit views: the latest results
kept in the library (so a shared link shows them), and a button that runs a new check with a
progress bar. Nothing is fetched unless a viewer presses the button."""

from __future__ import annotations

import threading

import streamlit as st

from dashboard import exports, settings
from dashboard import render as markup
from dashboard.check import MAX_CHECKS_AT_ONCE, check_article, cited_pages
from dashboard.check.report import CheckReport
from dashboard.errors import BusyError
from dashboard.ui import guard, loaders
from dashboard.ui.page import Page

_running = threading.BoundedSemaphore(MAX_CHECKS_AT_ONCE)
BUSY = "the server is already checking other articles' cited pages; try again in a minute"

CITATION_COLUMNS = {
    "URL": st.column_config.TextColumn("URL", width="medium"),
    "why": st.column_config.TextColumn("why", width="large"),
    "HTTP": st.column_config.NumberColumn("HTTP", format="%d"),
    "lands on": st.column_config.TextColumn("lands on", width="medium"),
    "archive": st.column_config.LinkColumn("archive", display_text="Wayback ↗", help="The Wayback Machine's copies"),
}


def _run(page: Page, article_id: str) -> CheckReport | None:
    """Check every cited page now, with a progress bar; keep the result in the library."""
    total = len(cited_pages(page.article))
    bar = st.progress(0.0, text=f"Checking {total} cited pages…")

    def progress(done: int, total: int, url: str) -> None:
        bar.progress(done / total, text=markup.md_escape(f"Checked {done} of {total}: {markup.visible(url)[:90]}"))

    report = None
    with guard.errors_shown("Could not check the cited pages: "):
        if not _running.acquire(blocking=False):
            raise BusyError(BUSY)
        try:
            report = check_article(page.article, article_id, progress=progress)
        finally:
            _running.release()
        loaders.article_library().put_check(article_id, report.checked_at, report.to_dict())
        loaders.forget_check(article_id)
    bar.empty()
    return report


def summary_lines(page: Page) -> list[str]:
    """The latest check's summary, for the Audit view's summary ([] when never checked)."""
    report = loaders.latest_check(page.article.slug)
    return [f"cited pages, checked {report.checked_at_text()}: {line}" for line in report.summary()] if report else []


def render(page: Page, where: str, summary: bool = True) -> None:
    """The check's section of a view (``where``: the view's name, which keeps widget keys apart;
    ``summary``: repeat the check's summary lines, which the Audit view already shows on top)."""
    st.subheader("Do the cited pages back it up?")
    article_id = page.article.slug
    pages = len(cited_pages(page.article))
    if not pages:
        st.caption("The article cites no web page, so there is nothing to check.")
        return
    report = loaders.latest_check(article_id)
    label = "Check again" if report else "Check the cited pages"
    limit = settings.check_seconds()
    pressed = st.button(
        label,
        key=f"check_{where}",
        icon=":material/travel_explore:",
        help=f"Opens each of the {pages} cited pages now, a few at a time (at most {limit:g} s in all), "
        "with the same safety rules as loading an article by URL, and keeps the results with the article.",
    )
    if pressed and _run(page, article_id) is not None:
        st.rerun()  # draw the kept results, and the button as "Check again", from the library
    if report is None:
        st.caption(
            f"Not checked yet. The check opens the {pages} cited pages: are they there, where do they land, what "
            "are they, and does each page hold what the sentence citing it says."
        )
        return
    st.caption(
        f"Checked {report.checked_at_text()}."
        + ("" if report.complete else " The check stopped at its time limit before reading every page.")
    )
    if summary:
        st.markdown("\n".join("- " + markup.md_escape(line) for line in report.summary()))
    citations = report.citation_rows()
    st.dataframe(citations, hide_index=True, column_config=CITATION_COLUMNS)
    claims = report.claim_rows()
    if claims.empty:
        st.caption("No sentence is tied to a cited page by a link or a note marker, so no claim was compared.")
    else:
        st.caption(
            "Each sentence tied to a cited page, and the page's best-matching passage. Support is a signal for a "
            "reviewer, not a verdict: strong = the claim's numbers, names and key terms are in one passage; some = "
            "part of them; none = not found; unknown = the page could not be read, or the sentence names nothing "
            "to look for."
        )
        st.html(markup.TABLE_STYLE + markup.table_html(claims))
    name = f"{page.article.slug}-cited-pages"
    downloads = (
        ("Pages CSV", lambda: exports.csv_text(citations), f"{name}.csv", "text/csv"),
        ("Claims CSV", lambda: exports.csv_text(claims), f"{name}-claims.csv", "text/csv"),
        (
            "Check JSON",
            lambda: exports.json_text({**report.to_dict(), "summary": report.summary()}, "check", page.article.slug),
            f"{name}.json",
            "application/json",
        ),
    )
    for column, (label, data, file_name, mime) in zip(st.columns([1, 1, 1, 3]), downloads, strict=False):
        column.download_button(
            label,
            data=data,
            file_name=file_name,
            mime=mime,
            on_click="ignore",
            key=f"check_{label.lower().replace(' ', '_')}_{where}",
            icon=":material/download:",
        )
