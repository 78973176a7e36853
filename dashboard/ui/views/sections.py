"""Section lengths: words per section (click a bar to choose sections) and the sections table."""

from __future__ import annotations

import streamlit as st

from dashboard import charts
from dashboard.ui import loaders, state
from dashboard.ui.page import Page
from dashboard.ui.views import shared
from dashboard.ui.widgets import chart, export_buttons

CHART_KEY = "len_chart"


def render(page: Page) -> None:
    sha = page.article.source.sha256
    sections, _ = shared.article_tables(page.article, sha)
    every_id = sections["section"].tolist()
    chart(
        loaders.figure(
            "section_lengths",
            (sha, tuple(page.state.sections)),
            lambda: charts.section_lengths(sections, list(page.state.sections)),
        ),
        key=CHART_KEY,
        on_select=lambda: state.choose_clicked_sections(CHART_KEY, every_id),
        selection_mode="points",
    )
    shown = shared.section_rows(page.article, sha, page.section_ids)
    st.dataframe(
        shown[["heading", "inferred", "lines", "words", "sentences"]],
        hide_index=True,
        column_config={"inferred": st.column_config.CheckboxColumn("heading inferred")},
    )
    export_buttons("sections", page.article, shown.drop(columns=["lines"]))
