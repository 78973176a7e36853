"""Key terms: top terms and bigrams, terms by section, and each section's distinctive terms."""

from __future__ import annotations

import streamlit as st

from dashboard import charts
from dashboard.ui import loaders
from dashboard.ui.page import Page
from dashboard.ui.views import shared
from dashboard.ui.widgets import chart, export_buttons, note


def render(page: Page) -> None:
    article, top_n = page.article, page.state.n
    key = (article.source.sha256, page.state.stop_add, page.state.stop_keep, top_n, page.section_ids)
    found = shared.term_tables(
        article, article.source.sha256, page.state.stop_add, page.state.stop_keep, page.section_ids, top_n
    )
    if found is None:
        note(
            "No key terms: the selected sections have no words left once stopwords, numbers and URLs are removed.",
            "info",
        )
        return
    top, bigrams, matrix = found.top, found.bigrams, found.matrix
    left, right = st.columns(2)
    chart(loaders.figure("top_terms", key, lambda: charts.top_bars(top, "term", f"Top {len(top)} terms")), left)
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
    chart(loaders.figure("term_heatmap", key, lambda: charts.term_heatmap(matrix, page.headings)))
    by_section = matrix.reset_index(names="term")
    st.subheader("Distinctive terms per section")
    if found.distinctive is None:
        st.info("Distinctive terms compare a section with the rest of the article; this article has one section.")
        export_buttons("terms", article, top, bigrams=bigrams, by_section=by_section)
        return
    st.caption(
        "Terms used more in a section than in the rest of the article, ranked by log-likelihood (G²). "
        "G² ≥ 3.84 is significant at p < 0.05."
    )
    distinctive = found.distinctive
    st.dataframe(distinctive, hide_index=True, column_config={"elsewhere": "count elsewhere", "g2": "G²"})
    export_buttons("terms", article, top, bigrams=bigrams, distinctive=distinctive, by_section=by_section)
