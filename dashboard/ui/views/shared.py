"""What the views show that is the same for every session: built once per process and shared.

``st.cache_data`` hands every call its own copy (it unpickles the stored value each time: a few
milliseconds per run for an article's tables or a search's results, for every viewer), so what the
views draw from lives here in ``st.cache_resource``: one object, read by every session. Nothing here
is changed after it is built: the views and ``st.dataframe`` only read it (pandas selections and
``assign`` return new frames). Each key names everything its value is computed from (the article's
sha256, the sections, the query); the article itself is not hashed.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboard import search, tables
from dashboard import terms as term_analysis
from dashboard.model import Article
from dashboard.ui.loaders import TextSearch, section_tokens, text_results
from dashboard.ui.page import headings_of


@st.cache_resource(max_entries=32, show_spinner=False)
def article_tables(_article: Article, sha: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The article's sections table and citations table."""
    return tables.sections_table(_article), tables.citations_table(_article)


@st.cache_resource(max_entries=128, show_spinner=False)
def section_rows(_article: Article, sha: str, section_ids: tuple[str, ...]) -> pd.DataFrame:
    """The Section lengths view's rows for these sections (:func:`dashboard.tables.section_rows`)."""
    sections, _ = article_tables(_article, sha)
    return tables.section_rows(sections, section_ids)


@st.cache_resource(max_entries=128, show_spinner=False)
def citations_in(_article: Article, sha: str, section_ids: tuple[str, ...]) -> pd.DataFrame:
    """The citations written in these sections, and the reference list's (:func:`dashboard.tables.citations_in`)."""
    _, citations = article_tables(_article, sha)
    return tables.citations_in(citations, section_ids)


@st.cache_resource(max_entries=128, show_spinner=False)
def text_search(
    _article: Article, sha: str, section_ids: tuple[str, ...], q: str, word: bool, regex: bool
) -> TextSearch:
    """The Text view's counts, keyword in context, marked-up text and sentence rows for this query
    (QueryError, not kept, when it is not a usable pattern and there is something to search for)."""
    return text_results(_article, section_ids, search.compile_query(q, word, regex))


@st.cache_resource(max_entries=32, show_spinner=False)
def plain_text(_article: Article, sha: str, section_ids: tuple[str, ...]) -> TextSearch:
    """The Text view's marked-up text and sentence rows, nothing marked."""
    return text_results(_article, section_ids, None)


@dataclass(frozen=True)
class TermTables:
    """The Key terms view's tables: top terms, top bigrams, terms by section, and the distinctive
    terms per section (None when the article has fewer than two sections)."""

    top: pd.DataFrame
    bigrams: pd.DataFrame
    matrix: pd.DataFrame
    distinctive: pd.DataFrame | None


@st.cache_resource(max_entries=64, show_spinner=False)
def term_tables(
    _article: Article,
    sha: str,
    stop_add: tuple[str, ...],
    stop_keep: tuple[str, ...],
    section_ids: tuple[str, ...],
    top_n: int,
) -> TermTables | None:
    """The Key terms view's tables for these sections and stopword changes; None when no term is left."""
    tokens = section_tokens(_article, sha, stop_add, stop_keep)
    chosen = list(section_ids)
    top = term_analysis.term_counts(tokens, chosen).head(top_n)
    if top.empty:
        return None
    bigrams = term_analysis.bigram_counts(tokens, chosen).head(top_n)
    matrix = term_analysis.term_section_matrix(tokens, chosen, top["term"].tolist())
    distinctive = None
    if len(_article.sections) >= 2:
        distinctive = tables.name_sections(term_analysis.distinctive_terms(tokens, chosen), headings_of(_article))
    return TermTables(top, bigrams, matrix, distinctive)
