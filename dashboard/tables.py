"""The article as pandas tables: one row per section, sentence or citation."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

from .model import Article

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
