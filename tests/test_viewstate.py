from __future__ import annotations

import pytest

from dashboard.viewstate import ViewState, from_query, share_link, to_query

SECTIONS = {"a": ["intro", "body", "end"], "b": ["only"]}


def read(params):
    return from_query(params, articles=["a", "b"], default_article="a", sections_of=lambda s: SECTIONS.get(s, []))


def test_defaults_from_empty_query():
    state, notes = read({})
    assert state == ViewState(article="a") and notes == []
    assert to_query(state, "a") == {}


def test_round_trip():
    state = ViewState(
        article="b",
        view="text",
        sections=("only",),
        q="déjà vu & co",
        word=True,
        n=30,
        stop_add=("foo",),
        stop_keep=("bar", "baz"),
    )
    query = to_query(state, "a")
    assert query == {
        "article": "b",
        "view": "text",
        "sections": "only",
        "q": "déjà vu & co",
        "word": "1",
        "n": "30",
        "stop_add": "foo",
        "stop_keep": "bar,baz",
    }
    assert read(query) == (state, [])


def test_sections_keep_article_order_and_accept_repeated_keys():
    state, notes = read({"sections": ["end", "intro"]})
    assert state.sections == ("intro", "end") and notes == []
    state, _ = read({"sections": "end,intro"})
    assert state.sections == ("intro", "end")


@pytest.mark.parametrize(
    ("params", "field", "value", "fragment"),
    [
        ({"article": "nope"}, "article", "a", "not available"),
        ({"view": "<script>"}, "view", "sections", "unknown view"),
        ({"sections": "intro,ghost"}, "sections", ("intro",), "unknown section 'ghost'"),
        ({"n": "many"}, "n", 15, "not a number"),
        ({"n": "999"}, "n", 50, "outside"),
        ({"n": "-3"}, "n", 5, "outside"),
        ({"word": "maybe"}, "word", False, "not on or off"),
        ({"q": "x" * 500}, "q", "x" * 200, "cut"),
        ({"q": ["one", "two"]}, "q", "two", "2 times"),
        ({"stop_add": ",".join(f"w{i}" for i in range(80))}, "stop_add", None, "first 50"),
    ],
)
def test_bad_values_fall_back_with_a_note(params, field, value, fragment):
    state, notes = read(params)
    if value is not None:
        assert getattr(state, field) == value
    assert any(fragment in n for n in notes), notes


def test_sections_of_other_article_are_dropped():
    state, notes = read({"article": "b", "sections": "intro"})
    assert state.article == "b" and state.sections == ()
    assert notes


def test_share_link():
    assert share_link("http://127.0.0.1:8501", {"q": "a b&c", "view": "text"}) == (
        "http://127.0.0.1:8501/?q=a+b%26c&view=text"
    )
    assert share_link("https://x.streamlit.app/?old=1#frag", {}) == "https://x.streamlit.app/"
    assert share_link(None, {"n": "20"}) == "/?n=20"


def test_compare_selection():
    state, notes = read({"compare": "b,a,b"})
    assert state.compare == ("b", "a") and notes == []
    assert to_query(state, "a") == {"compare": "b,a"}
    state, notes = read({"compare": "a,ghost"})
    assert state.compare == ("a",) and any("ghost" in n for n in notes)


def test_unknown_parameters_are_noted():
    state, notes = read({f"f{i}": "1" for i in range(1500)} | {"q": "x"})
    assert state.q == "x"
    assert notes == ["the link has 1500 parameters this page does not use ('f0', 'f1', 'f2', …); ignored"]
