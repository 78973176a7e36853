"""Plain-text search over the article's sentences: literal, case-insensitive, optionally whole-word."""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd

from .model import Article

MAX_QUERY_CHARS = 200
KWIC_WIDTH = 50
KWIC_LIMIT = 500


def compile_query(text: str, whole_word: bool = False) -> re.Pattern[str] | None:
    """A pattern for the literal ``text`` (escaped: user input is never a regex), or None if blank."""
    text = text.strip()[:MAX_QUERY_CHARS]
    if not text:
        return None
    body = re.escape(text)
    if whole_word:
        body = rf"(?<!\w){body}(?!\w)"
    return re.compile(body, re.IGNORECASE)


def spans(text: str, pattern: re.Pattern[str] | None) -> list[tuple[int, int]]:
    if pattern is None:
        return []
    return [m.span() for m in pattern.finditer(text) if m.end() > m.start()]


def match_counts(article: Article, section_ids: Sequence[str], pattern: re.Pattern[str] | None) -> pd.DataFrame:
    """Per chosen section: matches and sentences with a match."""
    wanted = set(section_ids)
    rows = []
    for s in article.sections:
        if s.id not in wanted:
            continue
        per_sentence = [len(spans(t, pattern)) for t in s.sentences]
        rows.append(
            {
                "section": s.id,
                "heading": s.heading,
                "matches": sum(per_sentence),
                "sentences": sum(1 for k in per_sentence if k),
            }
        )
    return pd.DataFrame(rows, columns=["section", "heading", "matches", "sentences"])


def kwic(
    article: Article,
    section_ids: Sequence[str],
    pattern: re.Pattern[str] | None,
    width: int = KWIC_WIDTH,
    limit: int = KWIC_LIMIT,
) -> pd.DataFrame:
    """Keyword in context: one row per match, at most ``limit`` rows."""
    columns = ["section", "sentence", "left", "match", "right"]
    wanted = set(section_ids)
    rows: list[dict[str, object]] = []
    for s in article.sections:
        if s.id not in wanted:
            continue
        for n, text in enumerate(s.sentences, start=1):
            for a, b in spans(text, pattern):
                if len(rows) >= limit:
                    return pd.DataFrame(rows, columns=columns)
                left = text[max(0, a - width) : a]
                right = text[b : b + width]
                rows.append(
                    {
                        "section": s.heading,
                        "sentence": n,
                        "left": ("…" if a > width else "") + left,
                        "match": text[a:b],
                        "right": right + ("…" if b + width < len(text) else ""),
                    }
                )
    return pd.DataFrame(rows, columns=columns)
