"""Compare: two to six articles side by side."""

from __future__ import annotations

import streamlit as st

from dashboard import charts
from dashboard.inputs import MAX_COMPARE
from dashboard.ui import loaders, state
from dashboard.ui.page import Page
from dashboard.ui.sidebar import entry_label
from dashboard.ui.widgets import chart, export_buttons

OVERVIEW_COLUMNS = {
    "scholarly share": st.column_config.ProgressColumn("scholarly", format="percent", min_value=0, max_value=1),
    "source share": st.column_config.ProgressColumn(
        "scholarly + gov + edu", format="percent", min_value=0, max_value=1
    ),
    "median section words": st.column_config.NumberColumn(format="%.0f"),
}


def render(page: Page) -> None:
    entries = page.entries
    st.multiselect(
        "Articles to compare",
        list(entries),
        key=state.widget_key("compare"),
        max_selections=MAX_COMPARE,
        format_func=lambda a: entry_label(entries.get(a), a),
        placeholder="Choose two or more articles",
    )
    chosen = tuple(st.session_state[state.widget_key("compare")])
    if len(chosen) < 2:
        st.info(
            "Choose two or more articles to see them side by side."
            if len(entries) > 1
            else "There is only one article in the library: add another (sidebar, Add an article) to compare."
        )
        return
    found = loaders.comparison(chosen)
    labels = found.labels
    st.dataframe(found.overview_rows(), hide_index=True, column_config=OVERVIEW_COLUMNS)
    left, right = st.columns(2)
    # The comparison is keyed by the chosen ids alone (loaders.comparison), and so are its figures.
    chart(
        loaders.figure(
            "compare_lengths", chosen, lambda: charts.compare_section_lengths(found.section_lengths, labels)
        ),
        left,
    )
    if found.citation_kinds.empty:
        right.info("None of these articles cites anything.")
    else:
        chart(
            loaders.figure(
                "compare_kinds", chosen, lambda: charts.compare_kinds(found.citation_kinds, labels, list(chosen))
            ),
            right,
        )
    if not found.term_rates.empty:
        chart(loaders.figure("compare_terms", chosen, lambda: charts.compare_terms(found.term_rates, labels)))
    export_buttons(
        "compare",
        page.article,
        found.overview,
        section_lengths=found.section_lengths,
        citation_kinds=found.citation_kinds,
        term_rates=found.term_rate_rows(),
    )
