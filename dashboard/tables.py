"""The article as pandas tables: one row per section, sentence or citation, and the tables the
views show built from them (no Streamlit here: the UI only displays what these return)."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Protocol

import pandas as pd

from .citations import is_safe_link
from .model import Article
from .render import visible
from .search import spans

READING_WPM = 238  # average silent reading speed of adults for non-fiction (Brysbaert 2019)

SECTION_COLUMNS = ["section", "heading", "inferred", "level", "line_start", "line_end", "words", "sentences"]
SENTENCE_COLUMNS = ["section", "heading", "n", "sentence"]
CITATION_COLUMNS = [
    "n",
    "url",
    "text",
    "scheme",
    "host",
    "domain",
    "provider",
    "kind",
    "kind_reason",
    "derived",
    "line",
    "section",
]


def sections_table(article: Article) -> pd.DataFrame:
    rows = [
        {
            "section": s.id,
            "heading": s.heading,
            "inferred": s.inferred,
            "level": s.level,
            "line_start": s.line_start,
            "line_end": s.line_end,
            "words": s.words,
            "sentences": len(s.sentences),
        }
        for s in article.sections
    ]
    return pd.DataFrame(rows, columns=SECTION_COLUMNS)


def sentences_table(article: Article) -> pd.DataFrame:
    rows = [
        {"section": s.id, "heading": s.heading, "n": i, "sentence": text}
        for s in article.sections
        for i, text in enumerate(s.sentences, start=1)
    ]
    return pd.DataFrame(rows, columns=SENTENCE_COLUMNS)


def citations_table(article: Article) -> pd.DataFrame:
    rows = [
        {
            "n": i,
            "url": c.url,
            "text": c.text,
            "scheme": c.scheme,
            "host": c.host,
            "domain": c.domain,
            "provider": c.provider,
            "kind": c.kind,
            "kind_reason": c.kind_reason,
            "derived": c.derived,
            "line": c.line,
            "section": c.section,
        }
        for i, c in enumerate(article.citations, start=1)
    ]
    return pd.DataFrame(rows, columns=CITATION_COLUMNS)


def select_sections(article: Article, selected: Sequence[str]) -> list[str]:
    """Section ids to show: the selection in article order, or all of them when it is empty."""
    ids = [s.id for s in article.sections]
    chosen = [i for i in ids if i in set(selected)]
    return chosen or ids


def summary(article: Article, section_ids: Sequence[str]) -> dict[str, int]:
    """Headline figures for the chosen sections.

    Citations count the links written in those sections plus the reference list,
    which belongs to the whole article rather than to any one section.
    """
    chosen = set(section_ids)
    secs = [s for s in article.sections if s.id in chosen]
    words = sum(s.words for s in secs)
    cites = [c for c in article.citations if c.section is None or c.section in chosen]
    return {
        "words": words,
        "sentences": sum(len(s.sentences) for s in secs),
        "sections": len(secs),
        "citations": len(cites),
        "reading_minutes": math.ceil(words / READING_WPM) if words else 0,
    }


SOURCE_KINDS = ("scholarly", "government", "education")


def kind_summary(citations: pd.DataFrame) -> str:
    """One plain sentence: how many citations of each kind, and how many are real sources."""
    n = len(citations)
    if not n:
        return "No citations."
    counts = citations["kind"].value_counts()
    parts = ", ".join(f"{v} {k}" for k, v in counts.items())
    sources = int(citations["kind"].isin(SOURCE_KINDS).sum())
    return (
        f"{sources} of {n} citation{'s' if n != 1 else ''} point to a scholarly, government or education "
        f"source. By kind: {parts}."
    )


# ---------------------------------------------------------------- tables as the views show them
FORMAT_NAMES = {"txt": "text", "md": "Markdown", "html": "HTML"}
CITATION_ROW_COLUMNS = [
    "n",
    "link",
    "url",
    "kind",
    "kind_reason",
    "where",
    "found",
    "host",
    "domain",
    "provider",
    "line",
]
LIBRARY_COLUMNS = ["open", "title", "format", "added", "words", "citations", "file", "from"]
REFERENCE_LIST = "reference list"  # where a citation of the reference list stands (it has no section)


def format_name(fmt: str) -> str:
    """A format code as readers say it: 'txt' -> 'text', 'md' -> 'Markdown', 'html' -> 'HTML'."""
    return FORMAT_NAMES.get(fmt, fmt)


def section_rows(sections: pd.DataFrame, section_ids: Sequence[str]) -> pd.DataFrame:
    """The chosen rows of :func:`sections_table`, with their line range as text ('4–11')."""
    shown = sections[sections["section"].isin(list(section_ids))]
    return shown.assign(lines=shown["line_start"].astype(str) + "–" + shown["line_end"].astype(str))


def citations_in(citations: pd.DataFrame, section_ids: Sequence[str]) -> pd.DataFrame:
    """Rows of :func:`citations_table` written in the chosen sections, plus the reference list's
    (which belongs to the whole article, not to one section)."""
    return citations[citations["section"].isna() | citations["section"].isin(list(section_ids))]


def citation_rows(citations: pd.DataFrame, headings: Mapping[str, str]) -> pd.DataFrame:
    """The Citations view's table, from :func:`citations_table` rows.

    ``link`` holds the URL only when it is safe to open (http(s) with a host), else ""; ``where``
    is the heading of the section the URL is written in, or 'reference list'; ``found`` says
    whether the URL is written or built from an identifier (DOI, PMID, …). URLs and hosts show
    invisible and direction-changing characters as <U+XXXX>.
    """
    table = citations.assign(
        link=citations["url"].where(citations["url"].map(is_safe_link), ""),
        where=citations["section"].map(dict(headings)).fillna(REFERENCE_LIST),
        found=citations["derived"].map({True: "identifier in the text", False: "written"}),
    ).fillna({"url": "", "host": "", "domain": "", "provider": ""})
    table = table.assign(url=table["url"].map(visible), host=table["host"].map(visible))
    return table[CITATION_ROW_COLUMNS].reset_index(drop=True)


class LibraryEntry(Protocol):
    """What :func:`library_table` reads of a library entry (``library.Entry`` has it)."""

    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def format(self) -> str: ...
    @property
    def added(self) -> str: ...
    @property
    def words(self) -> int: ...
    @property
    def citations(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def origin(self) -> str | None: ...
    @property
    def bundled(self) -> bool: ...


def added_on(entry: LibraryEntry) -> str:
    """When an entry was added, for people: 'bundled', or '2026-01-02 10:00:00 UTC'."""
    return "bundled" if entry.bundled else entry.added.replace("T", " ").replace("+00:00", " UTC")


def library_table(entries: Iterable[LibraryEntry], link_of: Callable[[str], str]) -> pd.DataFrame:
    """One row per library entry; ``open`` is ``link_of(entry.id)``, the link that opens it."""
    rows = [
        {
            "open": link_of(e.id),
            "title": e.title,
            "format": format_name(e.format),
            "added": added_on(e),
            "words": e.words,
            "citations": e.citations,
            "file": visible(e.name),
            "from": visible(e.origin or ""),
        }
        for e in entries
    ]
    return pd.DataFrame(rows, columns=LIBRARY_COLUMNS)


def name_sections(table: pd.DataFrame, headings: Mapping[str, str], column: str = "section") -> pd.DataFrame:
    """``table`` with the section ids in ``column`` replaced by their headings."""
    return table.assign(**{column: table[column].map(dict(headings))})


def sentence_rows(article: Article, section_ids: Sequence[str], pattern: Any | None = None) -> pd.DataFrame:
    """Rows of :func:`sentences_table` in the chosen sections; with a search pattern, a ``matches``
    column counts its matches in each sentence."""
    rows = sentences_table(article)
    rows = rows[rows["section"].isin(list(section_ids))]
    if pattern is None:
        return rows
    return rows.assign(matches=rows["sentence"].map(lambda text: len(spans(text, pattern))))
