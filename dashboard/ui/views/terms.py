"""Key terms: top terms and bigrams, terms by section, and each section's distinctive terms."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, tables
from dashboard import terms as term_analysis
from dashboard.ui import loaders
from dashboard.ui.page import Page
from dashboard.ui.widgets import chart, export_buttons, note


def render(page: Page) -> None:
    article, chosen, top_n = page.article, list(page.section_ids), page.state.n
    tokens = loaders.section_tokens(article, article.source.sha256, page.state.stop_add, page.state.stop_keep)
    top = term_analysis.term_counts(tokens, chosen).head(top_n)
    if top.empty:
        note(
            "No key terms: the selected sections have no words left once stopwords, numbers and URLs are removed.",
            "info",
        )
        return
    key = (article.source.sha256, page.state.stop_add, page.state.stop_keep, top_n, page.section_ids)
    left, right = st.columns(2)
    chart(loaders.figure("top_terms", key, lambda: charts.top_bars(top, "term", f"Top {len(top)} terms")), left)
    bigrams = term_analysis.bigram_counts(tokens, chosen).head(top_n)
    if bigrams.empty:
        right.info("No bigrams: no two content words stand next to each other in the selected sections.")
    else:
        chart(
            loaders.figure(
                "top_bigrams",
                key,
                lambda: charts.top_bars(bigrams, "bigram", f"Top {len(bigrams)} bigrams", "#3c9aa5"),
            ),
            right,
        )
    matrix = term_analysis.term_section_matrix(tokens, chosen, top["term"].tolist())
    chart(loaders.figure("term_heatmap", key, lambda: charts.term_heatmap(matrix, page.headings)))
    by_section = matrix.reset_index(names="term")
    st.subheader("Distinctive terms per section")
    if len(article.sections) < 2:
        st.info("Distinctive terms compare a section with the rest of the article; this article has one section.")
        export_buttons("terms", article, top, bigrams=bigrams, by_section=by_section)
        return
    distinctive = tables.name_sections(term_analysis.distinctive_terms(tokens, chosen), page.headings)
    st.caption(
        "Terms used more in a section than in the rest of the article, ranked by log-likelihood (G²). "
        "G² ≥ 3.84 is significant at p < 0.05."
    )
    st.dataframe(distinctive, hide_index=True, column_config={"elsewhere": "count elsewhere", "g2": "G²"})
    export_buttons("terms", article, top, bigrams=bigrams, distinctive=distinctive, by_section=by_section)
