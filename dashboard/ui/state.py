"""The view state in the widgets and in the URL: ONE mapping between them.

Every field of :class:`~dashboard.viewstate.ViewState` is a URL parameter of the same name
(``viewstate`` reads and writes the query string) and a widget whose session-state key is
``w_<field>``. :data:`BINDINGS`, derived from the dataclass's fields, says how each value goes
into its widget and comes back; the way back applies the limits (declared in ``dashboard.inputs``),
here and nowhere else in the UI.
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

import streamlit as st

from dashboard import charts, store, viewstate
from dashboard.inputs import MAX_COMPARE, MAX_QUERY_CHARS, MAX_WORDS_IN_LIST, clamp_terms, parse_word_list
from dashboard.ui import loaders
from dashboard.viewstate import VIEW_LABELS, ViewState

WIDGET_PREFIX = "w_"
URL_NOTES = "url_notes"  # session key: notes on what the opening link asked for and could not have
DEFAULT_ARTICLE = "default_article"  # session key: the article a link without one opens
LIBRARY_VIEWS = ("compare", "library")  # views about the library rather than the open article


@dataclass(frozen=True)
class Binding:
    """How one ViewState field lives in its widget: the value into the widget and back (limited)."""

    field: str
    to_widget: Callable[[Any], Any]
    from_widget: Callable[[Any], Any]

    @property
    def key(self) -> str:
        return WIDGET_PREFIX + self.field


def _search_text(text: str) -> str:
    return text.strip()[:MAX_QUERY_CHARS]


def _terms_to_show(value: Any) -> int:
    return clamp_terms(int(value))


def _word_list(text: str) -> tuple[str, ...]:
    return parse_word_list(text)[:MAX_WORDS_IN_LIST]


def _articles_to_compare(ids: Iterable[str]) -> tuple[str, ...]:
    return tuple(ids)[:MAX_COMPARE]


_VIEW_OF_LABEL = {label: view for view, label in VIEW_LABELS.items()}
# Fields whose widget holds something other than the value itself, or whose value has a limit.
_SPECIAL: dict[str, tuple[Callable[[Any], Any], Callable[[Any], Any]]] = {
    "view": (VIEW_LABELS.__getitem__, _VIEW_OF_LABEL.__getitem__),  # the tabs hold the label
    "q": (str, _search_text),
    "n": (int, _terms_to_show),
    "stop_add": (", ".join, _word_list),  # a text box of comma-separated words
    "stop_keep": (", ".join, _word_list),
    "compare": (list, _articles_to_compare),
}


def _by_type(hint: Any) -> tuple[Callable[[Any], Any], Callable[[Any], Any]]:
    if hint is str:
        return str, str
    if hint is bool:
        return bool, bool
    if typing.get_origin(hint) is tuple:
        return list, tuple  # a multiselect holds a list
    raise TypeError(f"no widget binding for a ViewState field of type {hint!r}: add one to _SPECIAL")


_HINTS = typing.get_type_hints(ViewState)
BINDINGS = tuple(Binding(f.name, *(_SPECIAL.get(f.name) or _by_type(_HINTS[f.name]))) for f in fields(ViewState))
_BY_FIELD = {b.field: b for b in BINDINGS}


def widget_key(field: str) -> str:
    """The session-state key of the widget that holds this ViewState field."""
    return _BY_FIELD[field].key


# ---------------------------------------------------------------- the link a session opens with
def cut_compare(params: Mapping[str, Sequence[str]]) -> tuple[dict[str, list[str]], list[str]]:
    """The link's parameters with its compare ids cut to the first MAX_COMPARE distinct ones, and
    a note when any were dropped. One link may carry tens of thousands of ids: cut before any is
    looked up."""
    out = {key: list(values) for key, values in params.items()}
    if "compare" not in out:
        return out, []
    asked = dict.fromkeys(a for raw in out["compare"] for a in raw.split(",") if a.strip())
    out["compare"] = [",".join(list(asked)[:MAX_COMPARE])]
    if len(asked) <= MAX_COMPARE:
        return out, []
    return out, [f"at most {MAX_COMPARE} articles are compared; the first {MAX_COMPARE} are used"]


def ids_to_look_up(params: Mapping[str, Sequence[str]], known: Iterable[str]) -> list[str]:
    """The article ids a (cut) link names that the listing does not know: the article it opens
    (its last 'article' value) and its compare ids. An id from another replica, or from before a
    restart, may be in the library without being listed yet."""
    listed = set(known)
    opened = list(params.get("article", []))[-1:]
    compared = [a for raw in params.get("compare", []) for a in raw.split(",") if a.strip()]
    return [a for a in dict.fromkeys(opened + compared) if a and a not in listed]


def seeded() -> bool:
    """Whether this session's widgets already hold a view (the link is read on the first run only)."""
    return DEFAULT_ARTICLE in st.session_state


def seed_from_link(known: Sequence[str]) -> None:
    """On a session's first run, put the view the link asks for into the widgets, with notes."""
    params = {key: st.query_params.get_all(key) for key in st.query_params}
    default = store.DEFAULT_ARTICLE if store.DEFAULT_ARTICLE in known else next(iter(known), "")
    params, cut_notes = cut_compare(params)
    available = list(known) + [a for a in ids_to_look_up(params, known) if loaders.article_exists(a)]
    state, notes = viewstate.from_query(
        params, articles=available, default_article=default, sections_of=loaders.section_ids
    )
    st.session_state.update({b.key: b.to_widget(getattr(state, b.field)) for b in BINDINGS})
    st.session_state.update({URL_NOTES: notes + cut_notes, DEFAULT_ARTICLE: default})


def link_notes() -> list[str]:
    return list(st.session_state.get(URL_NOTES, []))


def default_article() -> str:
    return str(st.session_state[DEFAULT_ARTICLE])


# ---------------------------------------------------------------- each run
def current_article() -> str:
    """The id of the article the widgets have open."""
    return str(st.session_state[widget_key("article")])


def keep_article_available(known: Mapping[str, object]) -> None:
    """Fall back to the default article when the open one has left the library."""
    if current_article() not in known and not loaders.article_exists(current_article()):
        st.session_state[widget_key("article")] = default_article()


def from_widgets() -> ViewState:
    """The view the widgets show, every limit applied."""
    return ViewState(**{b.field: b.from_widget(st.session_state[b.key]) for b in BINDINGS})


def write_link(state: ViewState) -> dict[str, str]:
    """Put the view into the address bar (only when it changed); returns its query."""
    query = viewstate.to_query(state, default_article())
    if {key: st.query_params.get_all(key) for key in st.query_params} != {k: [v] for k, v in query.items()}:
        st.query_params.from_dict(query)
    return query


# ---------------------------------------------------------------- widget callbacks (they run before the widgets)
def select_article(article_id: str) -> None:
    """Open an article on all its sections, leaving the library or compare view for its sections."""
    st.session_state[widget_key("article")] = article_id
    st.session_state[widget_key("sections")] = []
    if st.session_state[widget_key("view")] in [VIEW_LABELS[v] for v in LIBRARY_VIEWS]:
        st.session_state[widget_key("view")] = VIEW_LABELS["sections"]


def clear_sections() -> None:
    """Another article was picked: its sections are not this one's."""
    st.session_state[widget_key("sections")] = []


def open_text_view_on_search() -> None:
    """A search was typed: show where it matches."""
    if st.session_state[widget_key("q")].strip():
        st.session_state[widget_key("view")] = VIEW_LABELS["text"]


def choose_clicked_sections(chart_key: str, section_ids: Sequence[str]) -> None:
    """Bars were clicked on the section-length chart: those sections become the selection."""
    st.session_state[widget_key("sections")] = charts.selected_sections(st.session_state.get(chart_key), section_ids)


def drop_from_compare(article_id: str) -> None:
    st.session_state[widget_key("compare")] = [a for a in st.session_state[widget_key("compare")] if a != article_id]
