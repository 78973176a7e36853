"""Text & search: the chosen sections' text with matches marked, counts per section, keyword in context."""

from __future__ import annotations

import streamlit as st

from dashboard import charts
from dashboard import render as markup
from dashboard.errors import QueryError
from dashboard.ui import loaders
from dashboard.ui.page import Page
from dashboard.ui.views import shared
from dashboard.ui.widgets import chart, export_buttons, note

KWIC_COLUMNS = {
    "left": st.column_config.TextColumn(width="medium", alignment="right"),
    "right": st.column_config.TextColumn(width="medium"),
}


def render(page: Page) -> None:
    article, chosen, query = page.article, page.section_ids, page.state
    sha = article.source.sha256
    try:
        found = shared.text_search(article, sha, chosen, query.q, query.word, query.regex)
    except QueryError as e:  # not a failure: the text is still shown, unmarked
        note(f"{e}. Showing the text without highlights.", "info")
        found = shared.plain_text(article, sha, chosen)
    counts, keyword_in_context = found.counts, found.keyword_in_context
    if counts is not None:
        total = int(counts["matches"].sum())
        if total == 0:
            whole = " (whole words only)." if query.word else "."
            note(f"No match for “{query.q}” in the selected sections{whole}", "info")
        else:
            st.markdown(
                f"**{total}** match{'es' if total != 1 else ''} in **{int(counts['sentences'].sum())}** sentences."
            )
            left, right = st.columns([2, 3])
            figure = loaders.figure(
                "match_counts",
                (sha, chosen, query.q, query.word, query.regex, tuple(page.headings.items())),
                lambda: charts.match_counts(counts, page.headings, query.q),
            )
            chart(figure, left)
            right.dataframe(keyword_in_context, hide_index=True, height=300, column_config=KWIC_COLUMNS)
    if found.marks_cut:
        note(f"Only the first {markup.MAX_MARKS} matches are highlighted.", "info")
    st.html(found.html)
    sentences = found.sentences
    if keyword_in_context is None:
        export_buttons("text", article, sentences)
    else:
        export_buttons(
            "text", article, sentences, query=query.q, whole_word=query.word, keyword_in_context=keyword_in_context
        )
