"""Several articles side by side: tables for the Compare view."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from . import terms
from .citations import KINDS
from .model import Article
from .tables import SOURCE_KINDS

OVERVIEW_COLUMNS = [
    "article",
    "title",
    "format",
    "words",
    "sections",
    "median section words",
    "citations",
    "scholarly share",
    "source share",
    "top terms",
]


def overview(articles: Sequence[Article], top: int = 5) -> pd.DataFrame:
    """One row per article: size, structure, citations, share of scholarly sources, top terms."""
    stop = terms.stopword_set()
    rows = []
    for a in articles:
        toks = terms.section_tokens(a, stop)
        top_terms = terms.term_counts(toks, [s.id for s in a.sections]).head(top)["term"].tolist()
        kinds = Counter(c.kind for c in a.citations)
        n_cites = len(a.citations)
        words = [s.words for s in a.sections]
        rows.append(
            {
                "article": a.slug,
                "title": a.title,
                "format": a.source.format,
                "words": a.words,
                "sections": len(a.sections),
                "median section words": float(pd.Series(words).median()) if words else 0.0,
                "citations": n_cites,
                "scholarly share": (kinds["scholarly"] / n_cites) if n_cites else 0.0,
                "source share": (sum(kinds[k] for k in SOURCE_KINDS) / n_cites) if n_cites else 0.0,
                "top terms": ", ".join(top_terms),
            }
        )
    return pd.DataFrame(rows, columns=OVERVIEW_COLUMNS)


def section_lengths(articles: Sequence[Article]) -> pd.DataFrame:
    """Long table: one row per section of each article."""
    rows = [
        {"article": a.slug, "title": a.title, "section": s.heading, "words": s.words}
        for a in articles
        for s in a.sections
    ]
    return pd.DataFrame(rows, columns=["article", "title", "section", "words"])


def citation_kinds(articles: Sequence[Article]) -> pd.DataFrame:
    """Long table: citations of each kind per article (kinds with no citation left out)."""
    rows: list[dict[str, object]] = []
    for a in articles:
        counts = Counter(c.kind for c in a.citations)
        rows.extend({"article": a.slug, "title": a.title, "kind": k, "count": counts[k]} for k in KINDS if counts[k])
    return pd.DataFrame(rows, columns=["article", "title", "kind", "count"])


def term_rates(articles: Sequence[Article], top: int = 10) -> pd.DataFrame:
    """Occurrences per 1,000 words of each article's top terms (rows: terms, columns: article slugs)."""
    stop = terms.stopword_set()
    counts = {}
    for a in articles:
        toks = terms.section_tokens(a, stop)
        counts[a.slug] = Counter(t for sents in toks.values() for sent in sents for t in sent if t)
    chosen: list[str] = []
    for a in articles:
        for term, _ in sorted(counts[a.slug].items(), key=lambda kv: (-kv[1], kv[0]))[:top]:
            if term not in chosen:
                chosen.append(term)
    data = {
        a.slug: [round(1000 * counts[a.slug][t] / a.words, 1) if a.words else 0.0 for t in chosen] for a in articles
    }
    return pd.DataFrame(data, index=chosen, columns=[a.slug for a in articles])


@dataclass(frozen=True, eq=False)
class Comparison:
    """Every table of the Compare view for a few articles (pandas tables do not compare with ==)."""

    overview: pd.DataFrame
    section_lengths: pd.DataFrame
    citation_kinds: pd.DataFrame
    term_rates: pd.DataFrame

    @property
    def labels(self) -> dict[str, str]:
        """Article slug -> title, for axis labels."""
        return dict(zip(self.overview["article"], self.overview["title"], strict=True))

    def overview_rows(self) -> pd.DataFrame:
        """The overview as the view shows it: the titles name the articles, so no slug column."""
        return self.overview.drop(columns=["article"])

    def term_rate_rows(self) -> pd.DataFrame:
        """The term rates with the term as a column (for exports: records keep no index)."""
        return self.term_rates.reset_index(names="term")


def comparison(articles: Sequence[Article]) -> Comparison:
    """The Compare view's tables for these articles, in their order."""
    return Comparison(overview(articles), section_lengths(articles), citation_kinds(articles), term_rates(articles))
