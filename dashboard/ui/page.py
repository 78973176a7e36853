"""What every view is given, computed once per run."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from dashboard import library, tables
from dashboard.model import Article
from dashboard.viewstate import ViewState


def headings_of(article: Article) -> Mapping[str, str]:
    """Section id -> heading, read-only (computed once per run and shared by the sidebar and the views)."""
    return MappingProxyType({s.id: s.heading for s in article.sections})


@dataclass(frozen=True)
class Page:
    """The article on show, the view state, the chosen section ids (all when none is chosen, in
    article order), section id -> heading, and the library's listing by id."""

    article: Article
    state: ViewState
    section_ids: tuple[str, ...]
    headings: Mapping[str, str]
    entries: Mapping[str, library.Entry]

    @classmethod
    def build(
        cls,
        article: Article,
        state: ViewState,
        headings: Mapping[str, str],
        entries: Mapping[str, library.Entry],
    ) -> Page:
        """The page for this run: the chosen sections worked out from the state."""
        chosen = tuple(tables.select_sections(article, state.sections))
        return cls(article, state, chosen, headings, MappingProxyType(dict(entries)))
