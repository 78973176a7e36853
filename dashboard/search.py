"""Search over the article's sentences: case-insensitive, literal by default, optionally whole-word.

A regular expression is compiled by RE2 (google-re2), whose matching time is linear in the text
whatever the pattern: Python's ``re`` can run for minutes on a pattern such as ``(a+)+$`` while
holding the GIL, freezing every viewer. Capture groups are off and RE2's memory is capped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import pandas as pd
import re2

from .errors import QueryError
from .inputs import MAX_QUERY_CHARS
from .model import Article

KWIC_WIDTH = 50
KWIC_LIMIT = 500


RE2_MAX_MEM = 8 << 20  # bytes RE2 may use for one compiled pattern


def compile_query(text: str, whole_word: bool = False, regex: bool = False) -> Any | None:
    """A case-insensitive pattern for ``text``, or None if blank.

    Literal by default (the text is escaped); with ``regex`` an RE2 pattern, or QueryError.
    """
    text = text.strip()[:MAX_QUERY_CHARS]
    if not text:
        return None
    if not regex:
        body = re.escape(text)
        if whole_word:
            body = rf"(?<!\w){body}(?!\w)"
        return re.compile(body, re.IGNORECASE)
    options = re2.Options()
    options.never_capture = True
    options.case_sensitive = False
    options.log_errors = False
    options.max_mem = RE2_MAX_MEM
    body = rf"\b(?:{text})\b" if whole_word else text
    try:
        return re2.compile(body, options)
    except re2.error as e:
        reason = e.args[0].decode(errors="replace") if e.args and isinstance(e.args[0], bytes) else str(e)
        raise QueryError(f"“{text}” is not a pattern this search can use ({reason})") from e


def spans(text: str, pattern: Any | None) -> list[tuple[int, int]]:
    if pattern is None:
        return []
    return [m.span() for m in pattern.finditer(text) if m.end() > m.start()]


def match_counts(article: Article, section_ids: Sequence[str], pattern: Any | None) -> pd.DataFrame:
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
    pattern: Any | None,
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
