"""Markdown and HTML front ends: one model, the same guarantees where the format allows."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.citations import normalize_doi
from dashboard.model import ParseError
from dashboard.parse import detect_format, parse_bytes, parse_file

from .conftest import FIXTURES, assert_parses_losslessly

MD = FIXTURES / "sleep-and-memory.md"
HTML = FIXTURES / "saved-page.html"


def test_markdown_structure():
    art = parse_file(MD)
    assert art.source.format == "md"
    assert (art.title, art.page_title) == ("Sleep and Memory: What We Know", "Sleep And Memory")
    assert [(s.heading, s.level, s.inferred) for s in art.sections] == [
        ("Introduction", None, True),
        ("Why Sleep Matters", 2, False),  # a Setext heading
        ("References", 2, False),  # the reference list's heading heads a section of its entries
    ]
    # the fenced "# not a heading" is code: not a heading, not text
    assert not any("not a heading" in s for sec in art.sections for s in sec.sentences)
    assert any(b.kind == "code" for b in art.blocks)
    assert art.sections[1].sentences[:2] == ("Sleep helps memory.", "It works across the night.")
    refs = art.sections[2]
    assert refs.words > 0 and refs.sentences == () and refs.cited_lines == ()  # entries: words, never claims


def test_markdown_links_footnotes_and_reference_list():
    art = parse_file(MD)
    got = [(c.url, c.section) for c in art.citations]
    assert got == [
        ("https://www.cdc.gov/sleep/", "introduction"),  # inline link
        ("https://doi.org/10.1000/rev", "introduction"),  # reference-style link
        ("https://example.com/x", "why-sleep-matters"),  # bare URL in a list item
        ("https://pubmed.ncbi.nlm.nih.gov/1/", None),  # autolink in the reference list
        (None, None),  # a reference without a URL
        ("https://www.cdc.gov/sleep/facts.html", None),  # footnote [^1]
    ]
    assert "the reference list has 1 entry without a URL" in art.warnings


def test_markdown_rebuilds_byte_for_byte():
    assert parse_file(MD).rebuild_bytes() == MD.read_bytes()


def test_markdown_without_title_or_headings():
    art = parse_bytes(b"Just a paragraph of text. And another sentence here.\n", "notes.md")
    assert art.title == "Notes"
    assert any("no headings found" in w for w in art.warnings)
    art = parse_bytes(b"---\ntitle: From Front Matter\n---\nText here. More.\n", "x.md")
    assert art.title == "From Front Matter"
    art = parse_bytes(b"---\ntitle: [unclosed\n---\nText here.\n", "x.md")
    assert any("not valid YAML" in w for w in art.warnings)


def test_markdown_unsafe_and_internal_links_are_not_citations():
    art = parse_bytes(b"# T\n\nClick [me](javascript:alert(1)) or [mail](mailto:a@b.c) or [top](#top).\n", "x.md")
    assert [c.url for c in art.citations] == []
    assert "javascript:alert(1)" in art.sections[0].sentences[0]  # left as plain text


def test_html_main_content_only():
    art = parse_file(HTML)
    assert art.source.format == "html" and art.source.text_of == "extracted"
    assert (art.title, art.page_title) == ("Sleep Tips For Busy Parents", "Sleep Tips | Health Blog")
    assert [(s.heading, s.level) for s in art.sections] == [
        ("Introduction", None),
        ("Why Sleep Matters", 2),
        ("Short naps", 3),
        ("References", 2),
    ]
    urls = [c.url for c in art.citations]
    # nav, sidebar and comment links, internal links and images are not citations; DOIs normalised
    assert urls == [
        "https://www.cdc.gov/sleep/",
        "https://doi.org/10.1000/XYZ",
        "https://pubmed.ncbi.nlm.nih.gov/12345/",
        "https://pubmed.ncbi.nlm.nih.gov/123/",
        None,
    ]
    text = " ".join(s for sec in art.sections for s in sec.sentences)
    assert "pillow" not in text and "Great post" not in text and "Home" not in text
    assert art.rebuild_text().startswith("# Sleep Tips For Busy Parents")


def test_html_without_content_is_refused():
    with pytest.raises(ParseError, match="no article text"):
        parse_bytes(b"<html><body></body></html>", "x.html")
    # a page whose only "content" is a link label has no sentences: it parses, with one short section
    art = parse_bytes(b"<html><body><nav><a href='/'>Home</a></nav></body></html>", "x.html")
    assert art.citations == ()


@pytest.mark.parametrize(
    ("name", "data", "fmt"),
    [
        ("a.txt", b"<html>", "txt"),
        ("a.htm", b"", "html"),
        ("a.markdown", b"", "md"),
        ("pasted", b"<!DOCTYPE html><html><body><p>x</p></body></html>", "html"),
        ("pasted", b"# Title\n\nText.", "md"),
        ("pasted", b"Title\n=====\n\nText.", "md"),
        ("pasted", b"Just text. Nothing else.", "txt"),
    ],
)
def test_detect_format(name, data, fmt):
    assert detect_format(name, data) == fmt


def test_normalize_doi():
    assert normalize_doi("http://dx.doi.org/10.1234/ABC") == "https://doi.org/10.1234/ABC"
    assert normalize_doi("doi:10.1000/xyz") == "https://doi.org/10.1000/xyz"
    assert normalize_doi("https://example.org/10.1000/x") == "https://example.org/10.1000/x"


_md_line = st.one_of(
    st.sampled_from(
        [
            "",
            "# Title",
            "## Part two",
            "Setext",
            "======",
            "-----",
            "```",
            "~~~",
            "    code",
            "> quote",
            "- item",
            "1. entry https://doi.org/10.1/x",
            "[^1]: note https://x.org",
            "Text [^1].",
            "[a]: https://a.org",
            "See [a] and [b](https://b.org).",
            "---",
            "title: x",
            "<div>x</div>",
            "## References",
            "In conclusion, done.",
            "| a | b |",
        ]
    ),
    st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\n\r"), max_size=30),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_md_line, min_size=1, max_size=30), st.sampled_from(["\n", "\r\n"]), st.booleans())
def test_generated_markdown_rebuilds_exactly(lines, eol, trailing):
    assert_parses_losslessly(lines, eol, trailing, "gen.md")


def test_html_links_to_the_page_own_site_are_internal():
    page = (
        b"<html><head><link rel='canonical' href='https://www.healthblog.example.com/sleep'></head><body><article>"
        b"<h1>Sleep Well</h1><p>Read <a href='https://www.healthblog.example.com/naps'>our nap guide</a> and the "
        b"<a href='https://www.cdc.gov/sleep/'>CDC page</a> on sleep. Sleep is good for everyone, young and old.</p>"
        b"</article></body></html>"
    )
    art = parse_bytes(page, "p.html")
    assert [c.url for c in art.citations] == ["https://www.cdc.gov/sleep/"]
    assert any("page's own site" in w for w in art.warnings)
    # loaded from a URL: that URL tells the site too
    no_canonical = page.replace(b"<link rel='canonical' href='https://www.healthblog.example.com/sleep'>", b"")
    assert len(parse_bytes(no_canonical, "p.html").citations) == 2
    art = parse_bytes(no_canonical, "p.html", origin="https://healthblog.example.com/sleep")
    assert [c.url for c in art.citations] == ["https://www.cdc.gov/sleep/"]


def test_other_blogs_on_the_same_platform_are_not_internal():
    page = (
        b"<html><body><article><h1>Tips</h1><p>See <a href='https://other.blogspot.com/x'>this</a> and "
        b"<a href='https://me.blogspot.com/y'>my older post</a>. Sleep is good for all of us, every night.</p>"
        b"</article></body></html>"
    )
    art = parse_bytes(page, "p.html", origin="https://me.blogspot.com/tips")
    assert [c.url for c in art.citations] == ["https://other.blogspot.com/x"]


# ---------------------------------------------------------------- reference lists: one rule in every format

_STUDY = "A trial found that early exposure lowers the risk by 80 percent."
_ENTRIES = (
    ("Du Toit G, et al. Randomized trial of peanut consumption. 2015.", "https://doi.org/10.1056/NEJMoa1414850"),
    ("Overall, a review shows the evidence is strong. 2020.", None),
)
_ARTICLES = {
    "md": "# Peanut allergy\n\n{study}\n\n## References\n\n"
    + "".join(f"{k}. {t}{f' <{u}>' if u else ''}\n" for k, (t, u) in enumerate(_ENTRIES, 1)),
    "html": "<html><body><article><h1>Peanut allergy</h1><p>{study}</p><h2>References</h2><ol>"
    + "".join(f"<li>{t}{f' <a href={u!r}>{u}</a>' if u else ''}</li>" for t, u in _ENTRIES)
    + "</ol></article></body></html>",
    "txt": "Peanut allergy\n\n{study}\n\nReferences\n\n"
    + "".join(f"{k}. {t}{f' {u}' if u else ''}\n" for k, (t, u) in enumerate(_ENTRIES, 1)),
}


@pytest.mark.parametrize("fmt", ["md", "html", "txt"])
def test_a_reference_list_heading_heads_a_section_of_entries(fmt):
    """Its entries count as the section's words, are never its sentences (no claim is looked for in
    a reference), and stay reference-list citations; its heading line is a references_heading."""
    art = parse_bytes(_ARTICLES[fmt].format(study=_STUDY).encode(), f"peanuts.{fmt}")
    assert [s.heading for s in art.sections] == ["Introduction", "References"]
    intro, refs = art.sections
    assert intro.sentences == (_STUDY,)
    assert refs.sentences == () and refs.cited_lines == ()
    assert refs.words >= 20  # both entries (a URL is one word)
    assert not any(s.heading == "Conclusion" for s in art.sections)  # "Overall," in an entry concludes nothing
    assert [(c.url, c.section) for c in art.citations] == [(_ENTRIES[0][1], None), (None, None)]
    assert all(c.line in range(refs.line_start, refs.line_end + 1) for c in art.citations)
    heading = next(b for b in art.blocks if b.kind == "references_heading")
    assert heading.section == "references" and heading.line_start == refs.line_start
    assert {b.section for b in art.blocks if b.kind == "reference"} == {"references"}


@pytest.mark.parametrize(
    ("fmt", "body"),
    [
        ("md", "# Peanut allergy\n\n{study}\n\nSources:\n\n- <https://a.example.org/1>\n- <https://b.example.org/2>\n"),
        (
            "html",
            "<html><body><article><h1>Peanut allergy</h1><p>{study}</p><p>Sources:</p><ul>"
            "<li><a href='https://a.example.org/1'>One</a></li><li><a href='https://b.example.org/2'>Two</a></li>"
            "</ul></article></body></html>",
        ),
        ("txt", "Peanut allergy\n\n{study}\nSources:\nhttps://a.example.org/1\nhttps://b.example.org/2\n"),
    ],
)
def test_a_label_before_a_reference_list_heads_no_section(fmt, body):
    art = parse_bytes(body.format(study=_STUDY).encode(), f"peanuts.{fmt}")
    assert [s.heading for s in art.sections] == ["Introduction"]
    assert [(c.url, c.section) for c in art.citations] == [
        ("https://a.example.org/1", None),
        ("https://b.example.org/2", None),
    ]
    intro = art.sections[0]
    assert all(c.line > intro.line_end for c in art.citations)  # the entries are in no section
