"""Library: every article with a link that opens it; an added article can be removed."""

from __future__ import annotations

import streamlit as st

from dashboard import tables, viewstate
from dashboard.ui import guard, loaders, state
from dashboard.ui.page import Page
from dashboard.ui.sidebar import ADD_MESSAGE
from dashboard.ui.widgets import export_buttons

COLUMNS = {
    "open": st.column_config.LinkColumn("open", display_text="open ↗"),
    "from": st.column_config.TextColumn("loaded from"),
}


def link_to(article_id: str) -> str:
    """The page-relative link that opens an article."""
    return viewstate.share_link(None, {"article": article_id})


def render(page: Page) -> None:
    entries = page.entries
    table = tables.library_table(entries.values(), link_to)
    st.caption(
        f"{len(entries)} article{'s' if len(entries) != 1 else ''}. Each link opens the article; "
        "added articles are kept by their content's fingerprint, so links to them do not expire."
    )
    st.dataframe(table, hide_index=True, column_config=COLUMNS)
    export_buttons("library", page.article, table)
    current = entries.get(page.state.article)
    if current is not None and not current.bundled:
        st.button(
            f"Remove “{current.title[:60]}” from the library",
            key="remove_btn",
            on_click=remove_article,
            args=(current.id,),
            type="secondary",
        )


def remove_article(article_id: str) -> None:
    """Callback of the Remove button: remove the article (BadInputError for a bundled one), drop it
    from Compare, open the default one."""
    with guard.errors_kept(ADD_MESSAGE) as outcome:
        loaders.article_library().remove(article_id)
    if outcome.failed:
        return
    loaders.forget_entries()
    state.drop_from_compare(article_id)
    state.select_article(state.default_article())
    st.session_state[ADD_MESSAGE] = ("success", "The article was removed from the library.")
