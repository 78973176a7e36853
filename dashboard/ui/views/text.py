"""Text & search: the chosen sections' text with matches marked, counts per section, keyword in context."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, search, tables
from dashboard import render as markup
from dashboard.errors import QueryError
from dashboard.ui.page import Page
from dashboard.ui.widgets import chart, export_buttons, note

KWIC_COLUMNS = {
    "left": st.column_config.TextColumn(width="medium", alignment="right"),
    "right": st.column_config.TextColumn(width="medium"),
}


def render(page: Page) -> None:
    article, chosen, query = page.article, list(page.section_ids), page.state
    try:
        pattern = search.compile_query(query.q, query.word, query.regex)
    except QueryError as e:  # not a failure: the text is still shown, unmarked
        note(f"{e}. Showing the text without highlights.", "info")
        pattern = None
    keyword_in_context = None if pattern is None else search.kwic(article, chosen, pattern)
    if pattern is not None:
        counts = search.match_counts(article, chosen, pattern)
        total = int(counts["matches"].sum())
        if total == 0:
            whole = " (whole words only)." if query.word else "."
            note(f"No match for “{query.q}” in the selected sections{whole}", "info")
        else:
            st.markdown(
                f"**{total}** match{'es' if total != 1 else ''} in **{int(counts['sentences'].sum())}** sentences."
            )
            left, right = st.columns([2, 3])
            chart(charts.match_counts(counts, page.headings, query.q), left)
            right.dataframe(keyword_in_context, hide_index=True, height=300, column_config=KWIC_COLUMNS)
    budget = [markup.MAX_MARKS]
    shown = set(chosen)
    parts = [
        markup.section_html(s.heading, s.inferred, s.sentences, pattern, budget)
        for s in article.sections
        if s.id in shown
    ]
    if budget[0] <= 0:
        note(f"Only the first {markup.MAX_MARKS} matches are highlighted.", "info")
    st.html(markup.TEXT_STYLE + "".join(parts))
    sentences = tables.sentence_rows(article, chosen, pattern)
    if keyword_in_context is None:
        export_buttons("text", article, sentences)
    else:
        export_buttons(
            "text", article, sentences, query=query.q, whole_word=query.word, keyword_in_context=keyword_in_context
        )
