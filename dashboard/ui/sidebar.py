"""The sidebar: the article picker, the Add box, the view's options, and the link to share."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape
from typing import Any

import streamlit as st

from dashboard import fetch, library, render, settings, tables, viewstate
from dashboard.citations import is_safe_link
from dashboard.errors import BadInputError
from dashboard.inputs import MAX_QUERY_CHARS, TERMS_MAX, TERMS_MIN
from dashboard.ui import guard, loaders, state
from dashboard.ui.widgets import note

ADD_MESSAGE = "add_message"  # session key: ("success" | "error", text) after an Add or Remove
ORIGIN_LABEL = "Where it was published (optional)"
ORIGIN_HELP = "The page's address: links to its own site are then not counted as citations."


def entry_label(entry: library.Entry | None, article_id: str) -> str:
    """How the picker names an article: its title (cut to 60 characters) and format."""
    if entry is None:
        return article_id
    title = entry.title if len(entry.title) <= 60 else entry.title[:59] + "…"
    return f"{title} ({tables.format_name(entry.format)})"


def render_sidebar(entries: Mapping[str, library.Entry], headings: Mapping[str, str]) -> None:
    """The article picker, the Add box and the view's options (the widgets the view state lives in)."""
    with st.sidebar:
        st.header("Article Lens")
        options = list(entries)
        if state.current_article() not in options:
            options.append(state.current_article())
        st.selectbox(
            "Article",
            options,
            key=state.widget_key("article"),
            on_change=state.clear_sections,
            format_func=lambda a: entry_label(entries.get(a), a),
        )
        add_box()
        st.multiselect(
            "Sections",
            list(headings),
            key=state.widget_key("sections"),
            format_func=lambda s: headings.get(s, s),
            placeholder="All sections",
            help="Every view shows only these sections. Empty means all.",
        )
        st.text_input(
            "Search the text",
            key=state.widget_key("q"),
            on_change=state.open_text_view_on_search,
            max_chars=MAX_QUERY_CHARS,
            placeholder="a word or phrase",
            help="Case-insensitive. Literal text, unless 'Pattern' is ticked.",
        )
        st.checkbox("Whole words only", key=state.widget_key("word"))
        st.checkbox(
            "Pattern (regular expression)",
            key=state.widget_key("regex"),
            help="RE2 syntax, case-insensitive; searched in time proportional to the text, whatever the pattern.",
        )
        st.divider()
        st.slider("Terms to show", TERMS_MIN, TERMS_MAX, key=state.widget_key("n"))
        st.text_input(
            "Extra stopwords",
            key=state.widget_key("stop_add"),
            placeholder="comma-separated",
            help="Words to leave out of the key terms, besides the packaged English list.",
        )
        st.text_input(
            "Keep these words",
            key=state.widget_key("stop_keep"),
            placeholder="comma-separated",
            help="Words from the packaged stopword list to count as terms after all.",
        )


def add_box() -> None:
    """Paste, upload or load an article by URL; each stores it in the library and opens it."""
    limit_mb = settings.max_upload_bytes() / (1024 * 1024)
    message = st.session_state.pop(ADD_MESSAGE, None)
    with st.expander("Add an article", expanded=message is not None):
        paste, upload, url = st.tabs(["Paste", "Upload", "URL"])
        with paste:
            st.text_area(
                "Article text",
                key="add_paste",
                height=120,
                max_chars=int(limit_mb * 1024 * 1024),
                placeholder="Plain text, Markdown or HTML",
            )
            st.text_input(ORIGIN_LABEL, key="add_paste_origin", placeholder="https://…", help=ORIGIN_HELP)
            st.button("Add pasted text", key="add_paste_btn", on_click=add_article, args=("paste",))
        with upload:
            st.file_uploader(
                "A .txt, .md or .html file",
                type=["txt", "md", "markdown", "html", "htm"],
                key="add_upload",
                max_upload_size=max(1, round(limit_mb)),
            )
            st.text_input(ORIGIN_LABEL, key="add_upload_origin", placeholder="https://…", help=ORIGIN_HELP)
            st.button("Add file", key="add_upload_btn", on_click=add_article, args=("upload",))
        with url:
            st.text_input("Page URL (http or https)", key="add_url", placeholder="https://…")
            st.button("Load page", key="add_url_btn", on_click=add_article, args=("url",))
            st.caption("The page is fetched once, when you press the button, and kept in the library.")
        st.caption(f"Up to {limit_mb:g} MB. Added articles are kept, so their links keep working.")
    if message:
        note(message[1], message[0])


def published_at(text: str) -> str | None:
    """The optional address a pasted or uploaded article was published at; nothing is fetched."""
    url = text.strip()
    if not url:
        return None
    if not is_safe_link(url):
        raise BadInputError(f"“{render.visible(url[:200])}” is not an http(s) address; leave the box empty or give one")
    return url


def read_input(source: str, values: Mapping[Any, Any]) -> tuple[bytes, str, str | None, str | None]:
    """What an Add button hands the library, from the Add box's widget ``values``: the bytes, a
    name, the format (None: recognise it) and the address it was published at (or None).

    BadInputError when there is nothing to add or the address is not http(s); loading a URL may
    raise FetchError.
    """
    if source == "paste":
        text = values.get("add_paste", "")
        if not text.strip():
            raise BadInputError("paste some text first")
        # A browser can hand over lone UTF-16 surrogates, which no UTF-8 text may hold.
        return text.encode("utf-8", "replace"), "pasted text", None, published_at(values.get("add_paste_origin", ""))
    if source == "upload":
        upload = values.get("add_upload")
        if upload is None:
            raise BadInputError("choose a file first")
        return upload.getvalue(), upload.name, None, published_at(values.get("add_upload_origin", ""))
    url = values.get("add_url", "").strip()
    if not url:
        raise BadInputError("type a URL first")
    got = fetch.fetch(
        url,
        timeout=settings.fetch_timeout(),
        max_bytes=settings.max_upload_bytes(),
        allow_loopback=settings.allow_loopback_urls(),
    )
    return got.data, fetch.name_for(got), None, got.url


_CLEARED_AFTER_ADD = {"paste": ("add_paste", "add_paste_origin"), "upload": ("add_upload_origin",), "url": ("add_url",)}


def add_article(source: str) -> None:
    """Callback of the three Add buttons: read, parse, store, open; a plain message either way."""
    with guard.errors_kept(ADD_MESSAGE, "Could not add the article: ") as outcome:
        entry = loaders.article_library().add(*read_input(source, st.session_state))
    if outcome.failed:
        return
    loaders.forget_entries()
    state.select_article(entry.id)
    st.session_state[ADD_MESSAGE] = ("success", f"Added “{entry.title}” ({entry.format}, {entry.words:,} words).")
    for key in _CLEARED_AFTER_ADD[source]:
        st.session_state[key] = ""


SHARE_STYLE = (
    "<style>.al-share{width:100%;box-sizing:border-box;font:0.8rem/1.4 sans-serif;padding:0.4rem 0.5rem;"
    "border:1px solid rgba(49,51,63,0.2);border-radius:0.4rem;background:#f8f9fb;color:#31333f}</style>"
)


def share_box(query: Mapping[str, str]) -> None:
    """The link to this very view, to copy."""
    link = viewstate.share_link(st.context.url, query)
    with st.sidebar:
        st.divider()
        st.markdown("**Share this view**")
        # A read-only box rather than st.code: st.code pulls a syntax highlighter and a font into
        # every first page load (about 540 KB and 0.2 s of the browser's CPU, bench/FIRST_RENDER.md).
        st.html(
            SHARE_STYLE
            + f'<input class="al-share" type="text" readonly aria-label="Link to this view" value="{escape(link)}">'
        )
        st.caption(
            "Select the link and copy it. It holds the article, sections, search and options, and opens this same view."
        )
