"""Hostile and odd input: every case parses or is refused with a plain message, and loses nothing."""

from __future__ import annotations

import time

import lxml.html as lxml_html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard import render, search
from dashboard.model import ParseError
from dashboard.parse import parse_bytes
from dashboard.parse.html import nesting_depth

from ..conftest import assert_parses_losslessly


def test_deeply_nested_html_keeps_its_text():
    inner = "<h1>Deep Page</h1><p>Deep text that must survive the nesting. It has two sentences.</p>"
    html = "<html><body>" + "<div>" * 600 + inner + "</div>" * 600 + "</body></html>"
    assert nesting_depth(html) > 600
    art = parse_bytes(html.encode(), "deep.html")
    assert "Deep text that must survive the nesting." in art.rebuild_text()
    assert any("levels deep" in w for w in art.warnings)


@pytest.mark.parametrize("name", ["any.txt", "any.md", "any.html"])
@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=400))
def test_any_bytes_parse_or_refuse(name, data):
    """Any bytes, in any format: a parse that rebuilds its text, or ParseError with a message."""
    try:
        art = parse_bytes(data, name)
    except ParseError as e:
        assert str(e)
        return
    if name.endswith(".html"):
        assert art.rebuild_text()  # the extracted text
    else:
        assert art.rebuild_bytes() == data


@settings(max_examples=60, deadline=None)
@given(st.text(st.characters(exclude_categories=("Cs",)), max_size=200))
def test_any_text_as_markdown_parses_or_refuses(text):
    assert_parses_losslessly([text], "\n", False, "any.md")


def test_one_very_long_line():
    line = ("word " * 200_000).strip() + "."  # 1 MB, one line, one paragraph
    art = parse_bytes(("Long Title\n" + line).encode(), "long.txt")
    assert art.sections[0].words == 200_000


def test_zero_width_rtl_and_emoji_survive_and_search():
    text = "Emoji Title 😀\nZero\u200bwidth and \u202eRTL text with emoji 🧪 here. Arabic نص here.\n"
    art = parse_bytes(text.encode(), "x.txt")
    assert art.rebuild_bytes() == text.encode()
    assert search.spans(art.sections[0].sentences[0], search.compile_query("🧪")) != []
    assert render.visible("a\u202eb\u200bc") == "a<U+202E>b<U+200B>c"


@pytest.mark.parametrize(
    "url",
    [
        "http://trusted.org@evil.com/",
        "https://xn--80ak6aa92e.com/x",
        "https://пример.рф/путь",
        "http://[::1]:80/",
        "https://192.0.2.1/x",
        "https://example.org/a_(b)).",
        "ftp://x.org/f",
        "https://exa mple.org/",
        "http://%zz/",
    ],
)
def test_odd_urls_in_a_reference_list(url):
    art = parse_bytes(f"A Title\nSome text here.\nSources:\n{url}\n".encode(), "x.txt")
    assert art.citations and art.rebuild_bytes().decode().endswith(url + "\n")
    c = art.citations[0]
    if c.url and "@" in c.url:
        assert c.host == "evil.com"  # shown truthfully: the host is what follows the '@'


def test_slow_extraction_falls_back_to_the_page_text(monkeypatch):
    from dashboard.parse import html as htmlparse

    monkeypatch.setattr(htmlparse, "EXTRACT_SECONDS", 0.001)
    html = (
        "<html><body><nav>Menu</nav><article>"
        + "".join(f"<p>Paragraph {i} has words in it. Another sentence here.</p>" for i in range(3000))
        + "</article><script>alert(1)</script></body></html>"
    )
    art = parse_bytes(html.encode(), "slow.html")
    assert any("took longer than" in w for w in art.warnings)
    text = art.rebuild_text()
    assert "Paragraph 2999 has words in it." in text and "alert(1)" not in text


def _small_page(title: str) -> bytes:
    return (
        f"<html><head><title>{title}</title></head><body><nav>Menu Home About</nav><article><h1>{title}</h1>"
        "<p>The small page has a paragraph of text. It has two sentences.</p>"
        "<h2>More</h2><p>Another section with words in it. And one more sentence here.</p></article></body></html>"
    ).encode()


@pytest.fixture
def extraction(monkeypatch):
    """A 1 s extraction bound, no abandoned extractions of other tests counted, and a gate: parts of
    the extraction that wait on it block until the test ends."""
    import threading

    from dashboard.bounded import ThreadBudget
    from dashboard.parse import html as htmlparse

    gate = threading.Event()
    monkeypatch.setattr(htmlparse, "EXTRACT_SECONDS", 1.0)
    monkeypatch.setattr(htmlparse, "_EXTRACTIONS", ThreadBudget(htmlparse.MAX_OVERDUE, "extract"))
    yield htmlparse, gate
    gate.set()


def _slow_on(monkeypatch, htmlparse, gate, marker: str, name: str = "_extract_page"):
    """Make ``htmlparse.<name>`` block on pages whose text holds ``marker``."""
    real = getattr(htmlparse, name)

    def slow(arg):
        text = arg if isinstance(arg, str) else lxml_html.tostring(arg, encoding="unicode")
        if marker in text:
            gate.wait(60)
        return real(arg)

    monkeypatch.setattr(htmlparse, name, slow)


def test_slow_pages_do_not_delay_the_next_page(extraction, monkeypatch):
    """Two slow pages used to hold both workers of a fixed pool: the next small page waited out its
    own time limit and fell back to the whole page's text."""
    htmlparse, gate = extraction
    _slow_on(monkeypatch, htmlparse, gate, "SLOW")
    for k in range(2):
        art = parse_bytes(_small_page(f"SLOW page {k}"), f"slow-{k}.html")
        assert any("took longer than" in w for w in art.warnings)
    started = time.monotonic()
    art = parse_bytes(_small_page("A Small Page"), "small.html")
    assert time.monotonic() - started < 0.9
    assert not any("extractor" in w for w in art.warnings)
    assert art.title == "A Small Page" and "Menu Home About" not in art.rebuild_text()


def test_too_many_slow_pages_get_their_text_at_once(extraction, monkeypatch):
    htmlparse, gate = extraction
    _slow_on(monkeypatch, htmlparse, gate, "SLOW")
    monkeypatch.setattr(htmlparse._EXTRACTIONS, "max_overdue", 2)
    for k in range(2):
        parse_bytes(_small_page(f"SLOW page {k}"), f"slow-{k}.html")
    started = time.monotonic()
    art = parse_bytes(_small_page("A Small Page"), "small.html")
    assert time.monotonic() - started < 0.9  # not started, so not waited for
    assert any("extractor is busy" in w for w in art.warnings)
    assert "The small page has a paragraph of text." in art.rebuild_text()


def test_reading_the_page_metadata_is_inside_the_time_limit(extraction, monkeypatch):
    """The page's head (title, canonical address, JSON-LD metadata) is read within the bound too."""
    htmlparse, gate = extraction
    _slow_on(monkeypatch, htmlparse, gate, "SLOW", name="_read_head")
    started = time.monotonic()
    art = parse_bytes(_small_page("A SLOW head"), "slow-head.html")
    assert time.monotonic() - started < 2.5
    assert any("took longer than" in w for w in art.warnings)


def test_an_error_in_extraction_reaches_the_caller(extraction, monkeypatch):
    htmlparse, _ = extraction

    def broken(html):
        raise RecursionError("too deep")

    monkeypatch.setattr(htmlparse, "_extract_page", broken)
    with pytest.raises(RecursionError):
        htmlparse.extract("<p>x</p>")
