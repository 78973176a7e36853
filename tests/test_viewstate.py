from __future__ import annotations

from urllib.parse import parse_qs

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.viewstate import (
    MAX_KEPT_VALUE_CHARS,
    SHORTENED,
    STREAMLIT_MAX_CHARS,
    STREAMLIT_MAX_FIELDS,
    ViewState,
    from_query,
    share_link,
    shorten,
    to_query,
    too_long,
)

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


def test_links_within_streamlits_limits_are_not_shortened():
    assert not too_long("&".join(["f=1"] * STREAMLIT_MAX_FIELDS))
    assert not too_long("q=" + "a" * (STREAMLIT_MAX_CHARS - 2))
    assert too_long("&".join(["f=1"] * (STREAMLIT_MAX_FIELDS + 1)))
    assert too_long("q=" + "a" * STREAMLIT_MAX_CHARS)


def test_streamlit_still_drops_queries_past_the_limits_we_assume():
    from streamlit.runtime.state.query_params import sanitize_query_string

    at_limit = "&".join(["f=1"] * STREAMLIT_MAX_FIELDS)
    assert sanitize_query_string(at_limit) == at_limit
    assert sanitize_query_string(at_limit + "&g=1") == ""
    assert sanitize_query_string("q=" + "a" * STREAMLIT_MAX_CHARS) == ""


def test_a_shortened_link_keeps_what_the_page_reads():
    junk = "&".join(f"f{i}=1" for i in range(1500))
    raw = f"{junk}&view=terms&sections=intro&sections=end&q={'x' * 700_000}&article=a&view=text&embed=true"
    short = shorten(raw)
    assert len(short) < 3 * MAX_KEPT_VALUE_CHARS
    params = parse_qs(short)
    assert params["view"] == ["text"] and params["sections"] == ["intro,end"] and params["embed"] == ["true"]
    assert params["q"] == ["x" * MAX_KEPT_VALUE_CHARS]
    assert params[SHORTENED] == [f"{raw.count('&') + 1},{len(raw)}"]
    assert not too_long(short)
    del params["embed"]  # Streamlit keeps its own display options from the page
    state, notes = read(params)
    assert state.view == "text" and state.sections == ("intro", "end") and state.article == "a"
    assert state.q == "x" * 200
    assert notes[0].startswith("the link was too long to open as it was (1,507 parameters, ")
    assert any("cut to 200 characters" in n for n in notes)
    assert not any("does not use" in n for n in notes)  # the marker itself is not an unknown parameter
    assert SHORTENED not in to_query(state, "a")  # the note is said once; the next link is clean


@pytest.mark.parametrize("raw", ["", "nonsense", "9" * 100, "1,2,3", "-1,5"])
def test_a_tampered_shortened_marker_still_gives_a_plain_note(raw):
    state, notes = read({SHORTENED: raw})
    assert state == ViewState(article="a")
    assert len(notes) == 1 and notes[0].startswith("the link was too long to open as it was, so only")


def test_shortening_survives_odd_encodings():
    raw = "&".join(["%ff%fe=%zz"] * 1200) + "&q=%E2%9C%93&view=%00"
    params = parse_qs(shorten(raw))
    assert params["q"] == ["✓"] and params["view"] == ["\x00"]
    state, notes = read(params)
    assert state.view == "sections" and any("unknown view" in n for n in notes)


KEYS = st.sampled_from(
    ["q", "view", "sections", "compare", "embed", "EMBED", "embed_options", "Embed_Options", "x", ""]
)
PIECE = st.tuples(KEYS, st.text(alphabet="ab%E2+=,&9", max_size=30)).map(lambda kv: f"{kv[0]}={kv[1]}")


@settings(max_examples=200, deadline=None)
@given(st.lists(PIECE, max_size=30), st.integers(0, 1300), st.integers(0, 3000))
def test_a_shortened_link_always_opens(pieces, filler, value_len):
    """Whatever the link, its shortened form is within Streamlit's limits and reads without error."""
    raw = "&".join([*pieces, *(["f=1"] * filler), "q=" + "%E2%9C%93" * value_len, *pieces])
    short = shorten(raw)
    assert not too_long(short)
    params = parse_qs(short, keep_blank_values=True)
    assert all(len(v) <= MAX_KEPT_VALUE_CHARS for vs in params.values() for v in vs)
    read({k: v for k, v in params.items() if k.lower() not in ("embed", "embed_options")})


def test_shortening_a_two_million_field_link_is_one_quick_pass():
    raw = "&".join(["a"] * 2_000_000) + "&view=text"
    assert parse_qs(shorten(raw)) == {"view": ["text"], SHORTENED: ["2000001,4000009"]}
