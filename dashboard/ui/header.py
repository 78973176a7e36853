"""Above the tabs: the article's title, its headline figures, and notes on the link and the parse."""

from __future__ import annotations

import streamlit as st

from dashboard import render, tables
from dashboard.ui.page import Page
from dashboard.ui.widgets import note

HEADER_STYLE = """<style>
.al-page { color: #6b7280; font-size: 0.95rem; margin-bottom: -0.4rem; }
.al-title { font-size: 1.9rem; line-height: 1.25; margin: 0.2rem 0 0.4rem 0; padding: 0; }
</style>"""


def render_header(page: Page, link_notes: list[str]) -> None:
    """Title, figures for the chosen sections, what the link asked for that it could not have,
    and how the article was parsed."""
    article = page.article
    site = f'<div class="al-page">{render.escape(article.page_title)}</div>' if article.page_title else ""
    st.html(f'{site}<h1 class="al-title">{render.escape(article.title)}</h1>' + HEADER_STYLE)
    figures = tables.summary(article, page.section_ids)
    cols = st.columns(5)
    cols[0].metric("Words", f"{figures['words']:,}")
    cols[1].metric("Sentences", figures["sentences"])
    cols[2].metric("Sections", f"{figures['sections']} of {len(article.sections)}")
    cols[3].metric("Citations", figures["citations"])
    cols[4].metric("Reading time", f"{figures['reading_minutes']} min")
    for text in link_notes:
        note(f"From the link: {text}.")
    if article.warnings:
        count = len(article.warnings)
        with st.expander(f"How this article was parsed ({count} note{'s' if count != 1 else ''})"):
            for warning in article.warnings:
                st.markdown("- " + render.md_escape(warning))
