"""Citations: every cited URL with its host, domain, provider, kind and why, by domain."""

from __future__ import annotations

import streamlit as st
from streamlit.elements.lib.column_types import ColumnConfig

from dashboard import charts, tables
from dashboard import render as markup
from dashboard.ui import checks, loaders
from dashboard.ui.page import Page
from dashboard.ui.views import shared
from dashboard.ui.widgets import chart, export_buttons, note

COLUMNS: dict[str, ColumnConfig | str] = {
    "n": "#",
    "link": st.column_config.LinkColumn("open", display_text="open ↗", help="Only http(s) links open"),
    "url": st.column_config.TextColumn("URL", width="large"),
    "found": st.column_config.TextColumn(
        "URL is", help="'identifier in the text': built from a DOI, PMID, PMCID or arXiv id the text gives"
    ),
    "kind_reason": st.column_config.TextColumn("why this kind", width="medium"),
}


def render(page: Page) -> None:
    _, citations = shared.article_tables(page.article, page.article.source.sha256)
    if citations.empty:
        note("This article has no citations: no reference list was found and the text links nowhere.", "info")
        return
    shown = shared.citations_in(page.article, page.article.source.sha256, page.section_ids)
    in_list = int(citations["section"].isna().sum())
    if in_list and page.state.sections:
        st.caption(
            f"The {in_list} entries of the reference list belong to the whole article, not to one section, "
            "so they show whatever sections are selected."
        )
    if shown.empty:
        note("No citations in the selected sections.", "info")
        return
    st.markdown(markup.md_escape(tables.kind_summary(shown)))
    chart(
        loaders.figure(
            "citation_domains", (page.article.source.sha256, page.section_ids), lambda: charts.citation_domains(shown)
        )
    )
    st.dataframe(tables.citation_rows(shown, page.headings), hide_index=True, column_config=COLUMNS)
    export_buttons("citations", page.article, shown)
    checks.render(page, "citations")
