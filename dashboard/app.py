"""Article Lens: the Streamlit page. Served by ``python -m dashboard serve`` (or ``streamlit run dashboard/app.py``).

The frame only: page config, ``main`` and the tab dispatch. The view state comes from the URL and
goes back to it (``ui/state.py``), the sidebar's widgets edit it (``ui/sidebar.py``), and each tab
is one module in ``ui/views/`` drawing figures from cached calls into the package (``ui/loaders.py``).
Errors become messages in one place (``ui/guard.py``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import streamlit as st

if __package__ in (None, ""):  # `streamlit run dashboard/app.py` runs this file as a script
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dashboard.ui import guard, loaders
from dashboard.ui import state as view_state
from dashboard.ui.header import render_header
from dashboard.ui.page import Page, headings_of
from dashboard.ui.sidebar import render_sidebar, share_box
from dashboard.ui.views import RENDERERS
from dashboard.ui.widgets import note
from dashboard.viewstate import VIEW_LABELS, VIEWS

# No page_icon: a Material icon or emoji favicon is fetched from a CDN, and the app makes no outside requests.
st.set_page_config(page_title="Article Lens", layout="wide")

LIBRARY_VIEWS = ("compare", "library")  # views that need no article text


def open_page() -> Page | None:
    """Read the library and the open article, draw the sidebar, and settle this run's view state;
    None (with the reason shown) when the library or the article cannot be read."""
    entries = guard.attempt(loaders.entries, "The article library cannot be opened: ")
    if entries is None:
        return None
    if not view_state.seeded():
        view_state.seed_from_link(list(entries))
    view_state.keep_article_available(entries)
    article = guard.attempt(
        lambda: loaders.open_article(view_state.current_article()), "This article could not be read: "
    )
    if article is None:
        return None
    headings = headings_of(article)
    render_sidebar(entries, headings)
    state = view_state.from_widgets()
    share_box(view_state.write_link(state))
    return Page.build(article, state, headings, entries)


def render_tabs(page: Page) -> None:
    """One tab per view; only the open one runs, its errors shown inside it."""
    tabs = st.tabs([VIEW_LABELS[v] for v in VIEWS], key=view_state.widget_key("view"), on_change="rerun")
    for view, tab in zip(VIEWS, tabs, strict=True):
        if not tab.open:
            continue
        with tab, guard.errors_shown():
            if not page.article.sections and view not in LIBRARY_VIEWS:
                note("The parser found no article text in this file, so there is nothing to show.", "info")
            else:
                RENDERERS[view](page)


def main() -> None:
    with guard.errors_shown():
        page = open_page()
        if page is None:
            return
        render_header(page, view_state.link_notes())
        render_tabs(page)


main()
