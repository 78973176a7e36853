"""Cached loaders: the library, its listing, articles, and what the views compute from an article.

Bounds: every ``st.cache_data`` has ``max_entries``; an article is cached by its id and version,
what is computed from it by its sha256 (the article itself is not hashed).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import audit, compare, library, search, settings, store, tables, terms, worker
from dashboard import render as markup
from dashboard.check.report import CheckReport
from dashboard.errors import UserError
from dashboard.model import Article

MAX_ID_CHARS = 100  # longer ids are never looked up: no article has one


@st.cache_resource(show_spinner=False)
def _library_for(raw_dir: str, parsed_dir: str, database: str) -> library.Library:
    """One library per process and configuration; its backends open a short connection per call.
    Articles viewers add are parsed in the bounded worker pool, never in the server's process."""
    # The parse workers start now, in the background, so the first article a viewer adds does not
    # wait for them (or, on a busy machine, for their imports).
    worker.pool()
    return library.Library(library.open_backend(), Path(raw_dir), Path(parsed_dir), parser=worker.parse)


def library_key() -> tuple[str, str, str]:
    """What names this process's library: bundled folders and the database (settings may change in tests)."""
    return str(store.raw_dir()), str(store.parsed_dir()), settings.database_url() or str(settings.sqlite_path())


def article_library() -> library.Library:
    """The library of the current configuration."""
    return _library_for(*library_key())


@st.cache_data(ttl=10, max_entries=4, show_spinner=False)
def _entries_for(raw_dir: str, parsed_dir: str, database: str) -> list[library.Entry]:
    return article_library().entries()


def entries() -> dict[str, library.Entry]:
    """Every article in the library by id: bundled first, then added ones, newest first."""
    return {e.id: e for e in _entries_for(*library_key())}


def forget_entries() -> None:
    """After an article is added or removed: the next listing asks the library again."""
    _entries_for.clear()


@st.cache_data(ttl=10, max_entries=256, show_spinner=False)  # as the listing: replicas see a check soon
def _latest_check_for(article_id: str, raw_dir: str, parsed_dir: str, database: str) -> dict[str, Any] | None:
    return article_library().latest_check(article_id)


def latest_check(article_id: str) -> CheckReport | None:
    """The article's latest check of its cited pages, as kept in the library (None: never checked;
    a stored report this version cannot read counts as never checked)."""
    if len(article_id) > MAX_ID_CHARS:
        return None
    stored = _latest_check_for(article_id, *library_key())
    try:
        return CheckReport.from_dict(stored) if stored else None
    except (KeyError, TypeError, ValueError):
        return None


def forget_check(article_id: str) -> None:
    """After a new check: the next view of this article asks the library again."""
    _latest_check_for.clear(article_id, *library_key())


def article_exists(article_id: str) -> bool:
    """Whether the library has this article (a directory scan and a database query: call sparingly)."""
    try:
        return len(article_id) <= MAX_ID_CHARS and article_library().exists(article_id)
    except UserError:
        return False


@st.cache_data(max_entries=32, show_spinner="Reading the article…")
def _article(article_id: str, version: str) -> Article:
    """Parsed article. Added articles never change (the id is their hash); a bundled one is
    keyed by its file's modification time, so an edited source loads again."""
    return article_library().get(article_id)


def open_article(article_id: str) -> Article:
    """The article with this id; NotFoundError when there is none, ParseError when it cannot be read."""
    bundled = article_library().bundled()
    version = str(bundled[article_id].stat().st_mtime_ns) if article_id in bundled else "stored"
    return _article(article_id, version)


def section_ids(article_id: str) -> list[str]:
    """The article's section ids, or none when it cannot be opened (for reading a link, which never fails)."""
    try:
        return [s.id for s in open_article(article_id).sections]
    except (UserError, OSError):
        return []


@st.cache_data(max_entries=64, show_spinner=False)
def section_tokens(
    _article: Article, sha: str, stop_add: tuple[str, ...], stop_keep: tuple[str, ...]
) -> terms.SectionTokens:
    """Each section's sentences as lemmatized terms, with the user's stopword changes."""
    return terms.section_tokens(_article, terms.stopword_set(stop_add, stop_keep))


@st.cache_data(max_entries=32, show_spinner="Auditing…")
def article_audit(_article: Article, sha: str) -> audit.Audit:
    return audit.audit(_article)


@st.cache_data(max_entries=16, show_spinner="Comparing…")
def comparison(article_ids: tuple[str, ...]) -> compare.Comparison:
    """The Compare view's tables for these articles, in this order."""
    return compare.comparison([open_article(i) for i in article_ids])


@st.cache_resource(max_entries=256, show_spinner=False)
def _shared_figure(kind: str, key: tuple[Hashable, ...], _build: Callable[[], go.Figure]) -> go.Figure:
    return _build()


def figure(kind: str, key: tuple[Hashable, ...], build: Callable[[], go.Figure]) -> go.Figure:
    """The figure ``build`` makes, built once per (``kind``, ``key``) and shared by every session:
    ``key`` must name everything the figure is drawn from (the article's sha256, the sections, ...).
    Never changed after it is built (``st.plotly_chart`` copies it), so one object serves all."""
    return _shared_figure(kind, key, build)


@dataclass(frozen=True)
class TextSearch:
    """What the Text view computes for one query over the chosen sections (None when there is no pattern)."""

    counts: pd.DataFrame | None
    keyword_in_context: pd.DataFrame | None
    html: str
    marks_cut: bool
    sentences: pd.DataFrame


def text_results(article: Article, section_ids: tuple[str, ...], pattern: Any | None) -> TextSearch:
    chosen = list(section_ids)
    budget = [markup.MAX_MARKS]
    shown = set(chosen)
    parts = [
        markup.section_html(s.heading, s.inferred, s.sentences, pattern, budget)
        for s in article.sections
        if s.id in shown
    ]
    return TextSearch(
        counts=None if pattern is None else search.match_counts(article, chosen, pattern),
        keyword_in_context=None if pattern is None else search.kwic(article, chosen, pattern),
        html=markup.TEXT_STYLE + "".join(parts),
        marks_cut=budget[0] <= 0,
        sentences=tables.sentence_rows(article, chosen, pattern),
    )
