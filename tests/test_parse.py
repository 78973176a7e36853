from __future__ import annotations

import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard import citations
from dashboard.model import Article, ParseError
from dashboard.parse import decode, parse_bytes, parse_file, slugify
from dashboard.parse.draft import is_references_heading

from .conftest import FIXTURES, SEED, assert_parses_losslessly


def test_seed_titles(seed):
    assert seed.page_title == "Ketamine For Depression"
    assert seed.title == "Exploring The Potential Of Ketamine For Depression: An In-Depth Analysis"


def test_seed_sections(seed):
    got = [(s.heading, s.inferred, s.line_start, s.line_end) for s in seed.sections]
    assert got == [
        ("Introduction", True, 4, 11),
        ("Mechanisms of Action and Effectiveness of Ketamine for Depression", False, 12, 24),
        ("Conclusion", True, 25, 32),
    ]
    assert [s.id for s in seed.sections] == ["introduction", "mechanisms-of-action-and-effectiveness-of", "conclusion"]
    # line 4 holds two sentences: a real splitter separates them
    assert seed.sections[0].sentences[:2] == (
        "Are you tired of traditional antidepressant medications that take weeks to start working, "
        "or maybe don't work at all?",
        "If so, then you'll be excited to learn about the potential of ketamine for treating depression.",
    )
    assert seed.sections[2].sentences[0].startswith("In conclusion,")
    assert all(s.words > 100 for s in seed.sections)


def test_seed_citations_and_boilerplate(seed):
    lines = SEED.read_text().split("\n")
    assert [c.url for c in seed.citations] == lines[33:42]
    assert [c.line for c in seed.citations] == list(range(34, 43))
    assert all(c.section is None for c in seed.citations)
    assert [(b.text, b.line_start) for b in seed.boilerplate] == [("Comments", 43), ("Post a Comment", 44)]
    assert not any("Comments" in s for sec in seed.sections for s in sec.sentences)


def test_seed_rebuilds_byte_for_byte(seed):
    data = SEED.read_bytes()
    assert not data.endswith(b"\n")
    assert seed.rebuild_bytes() == data
    assert Article.from_dict(seed.to_dict()).rebuild_bytes() == data


def test_blocks_tile_the_source(seed):
    expected = 1
    for block in seed.blocks:
        assert block.line_start == expected
        assert block.line_end >= block.line_start
        assert block.text.count("\n") in (block.line_end - block.line_start, block.line_end - block.line_start + 1)
        expected = block.line_end + 1
    assert expected - 1 == len(SEED.read_text().split("\n"))


def test_wrapped_paragraphs_headings_and_reference_list():
    art = parse_file(FIXTURES / "wrapped-health-guide.txt")
    assert art.title == "Sleep and Memory: What the Evidence Says"
    assert art.page_title is None
    assert [s.heading for s in art.sections] == [
        "Introduction",
        "How sleep consolidates memory",
        "What happens after a short night",
        "Conclusion",
    ]
    intro = art.sections[0]
    # a hard-wrapped paragraph is one block, and its sentences run across the line break
    assert intro.sentences[0] == (
        "Most adults need seven to nine hours of sleep, yet surveys suggest "
        "that a third of them get less than that on a typical night."
    )
    assert any(b.kind == "paragraph" and b.line_end > b.line_start for b in art.blocks)
    kinds = [c.kind for c in art.citations]
    assert kinds == ["scholarly", "no URL", "government", "education", "other"]
    assert art.citations[4].scheme == "javascript"
    assert "the reference list has 1 entry without a URL" in art.warnings
    assert [b.text for b in art.boilerplate] == ["Share this:", "Leave a reply"]
    assert art.rebuild_bytes() == (FIXTURES / "wrapped-health-guide.txt").read_bytes()


def test_page_title_kept_when_it_differs_and_prefixes_the_title():
    art = parse_bytes(b"Sleep Tips\nSleep Tips For Busy Parents\nGood sleep matters a lot. It helps.\n", "x.txt")
    assert (art.page_title, art.title) == ("Sleep Tips", "Sleep Tips For Busy Parents")


def test_second_short_line_is_a_heading_when_unrelated_to_title():
    art = parse_bytes(b"Sleep Tips\nWhy it matters\nGood sleep matters a lot. It helps.\n", "x.txt")
    assert art.page_title is None and art.title == "Sleep Tips"
    assert [s.heading for s in art.sections] == ["Why it matters"]
    assert not art.sections[0].inferred


def test_list_items_after_a_lead_in_are_not_headings():
    text = b"Title Here\nIntro text is here.\nYou will need:\nA pillow\nA quiet room\nThen sleep well tonight.\n"
    art = parse_bytes(text, "x.txt")
    assert [s.heading for s in art.sections] == ["Introduction"]


def test_no_headings_and_no_references_are_reported():
    art = parse_file(FIXTURES / "no-headings.txt")
    assert [s.heading for s in art.sections] == ["Introduction"]
    assert "no headings found: the article is one section" in art.warnings
    assert any("no reference list" in w for w in art.warnings)


def test_concluding_marker_mid_article_does_not_split_before_a_later_heading():
    text = (
        b"A Title\nIntro sentence one.\nOverall, this is mid text.\nNext Part\nBody text here.\nIn summary, it ends.\n"
    )
    art = parse_bytes(text, "x.txt")
    assert [s.heading for s in art.sections] == ["Introduction", "Next Part", "Conclusion"]


def test_no_title_line_uses_file_name():
    art = parse_bytes(b"this starts with prose. It has no title.\n", "my-notes.txt")
    assert art.title == "My notes"
    assert any("no title" in w for w in art.warnings)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"  \n\t\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"),
    ],
)
def test_bad_input_raises_parse_error(data, message):
    with pytest.raises(ParseError, match=message):
        parse_bytes(data, "x.txt")


def test_unsupported_suffix_and_missing_file(tmp_path):
    p = tmp_path / "a.pdf"
    p.write_bytes(b"%PDF")
    with pytest.raises(ParseError, match="not a supported article file"):
        parse_file(p)
    with pytest.raises(ParseError, match="cannot read"):
        parse_file(tmp_path / "missing.txt")


@pytest.mark.parametrize(
    ("data", "codec"),
    [
        ("Caf\u00e9 Title\nSome text.\n".encode(), "utf-8"),
        ("Caf\u00e9 Title\nSome text.\n".encode("utf-8-sig"), "utf-8-sig"),
        (b"\xff\xfe" + "Caf\u00e9 Title\nSome text.\n".encode("utf-16-le"), "utf-16-le"),
        (b"\xfe\xff" + "Caf\u00e9 Title\nSome text.\n".encode("utf-16-be"), "utf-16-be"),
        ("Caf\u00e9 \u201cTitle\u201d\nSome text.\n".encode("cp1252"), "cp1252"),
        (("Caf\u00e9 Title\n" + "H\u00e9llo, \u00e7a va tr\u00e8s bien. " * 40).encode("cp1252"), "cp1252"),
        ("Caf\u00e9 Title\nSome text.\n".encode("utf-16-le"), "utf-16-le"),
        ("Caf\u00e9 Title\nSome text.\n".encode("utf-16-be"), "utf-16-be"),
    ],
)
def test_encodings_round_trip(data, codec):
    _text, used, _ = decode(data)
    assert used == codec
    art = parse_bytes(data, "x.txt")
    assert art.rebuild_bytes() == data
    assert art.title.startswith("Caf\u00e9")


def test_cyrillic_legacy_encoding_is_detected():
    data = ("Кетамин\n" + "Кетамин и депрессия. Текст статьи о лечении. " * 20).encode("cp1251")
    text, codec, warns = decode(data)
    assert "a guess" in warns[0]
    assert codec == "cp1251" and text.startswith("Кетамин")
    assert parse_bytes(data, "x.txt").rebuild_bytes() == data


def test_crlf_is_kept():
    data = b"A Title\r\nFirst sentence here.\r\nSecond Part\r\nMore text here.\r\n"
    art = parse_bytes(data, "x.txt")
    assert art.rebuild_bytes() == data
    assert [s.heading for s in art.sections] == ["Introduction", "Second Part"]


def test_slugify():
    assert slugify("Mechanisms of Action & Effects!") == "mechanisms-of-action-effects"
    assert slugify("!!!") == "article"
    assert slugify("Café Résumé") == "café-résumé"
    assert slugify("Кетамин и депрессия") == "кетамин-и-депрессия"


# Generated articles: titles, headings, prose, blank lines, URLs, chrome, any line ending.
_word = st.text(alphabet=string.ascii_letters + "éß'’-", min_size=1, max_size=10)
_sentence = st.builds(
    lambda ws, end: " ".join(ws).capitalize() + end,
    st.lists(_word, min_size=1, max_size=25),
    st.sampled_from([".", "!", "?", "", ":"]),
)
_line = st.one_of(
    st.lists(_sentence, min_size=1, max_size=3).map(" ".join),
    st.sampled_from(
        [
            "",
            "   ",
            "Citations:",
            "Sources",
            "In conclusion, it works.",
            "Comments",
            "Post a Comment",
            "https://example.org/a_(b).",
            "www.example.com",
            "- a bullet",
            "1. An entry 2020",
        ]
    ),
    st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\n\r"), max_size=40),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_line, min_size=1, max_size=40), st.sampled_from(["\n", "\r\n"]), st.booleans())
def test_generated_texts_rebuild_exactly(lines, eol, trailing):
    assert_parses_losslessly(lines, eol, trailing, "gen.txt")


def test_parse_needs_no_network(no_network):
    from dashboard import citations

    citations._extractor.cache_clear()
    citations._describe_with_default_rules.cache_clear()
    try:
        art = parse_file(SEED)
    finally:
        citations._extractor.cache_clear()
    assert len(art.citations) == 9 and no_network == []


@pytest.mark.parametrize(
    ("text", "named", "unambiguous"),
    [
        ("References", True, True),
        ("4 References", True, True),
        ("IV. Sources", True, True),
        ("2.1 Notes", True, False),
        ("References[edit]", True, True),
        ("References ¶", True, True),
        ("Works cited:", True, True),
        ("Further reading", True, False),
        ("Footnotes", True, False),
        ("Noted", False, False),
        ("References to sleep in poetry", False, False),
    ],
)
def test_one_vocabulary_names_reference_lists(text, named, unambiguous):
    assert is_references_heading(text) is named
    assert is_references_heading(text, unambiguous=True) is unambiguous


@pytest.mark.parametrize(
    ("url", "site"),
    [
        ("https://www.cdc.gov/sleep/", "cdc.gov"),
        ("https://www.gov.uk/x", "www.gov.uk"),  # gov.uk is a public suffix
        ("https://news.bbc.co.uk/x", "bbc.co.uk"),
        ("https://sleepdoc.blogspot.com/2020/01/post.html", "sleepdoc.blogspot.com"),  # a tenant of a blog host
        ("https://lab.github.io/tool/", "lab.github.io"),
        ("not a url", None),
        (None, None),
    ],
)
def test_site_is_the_registered_domain_or_a_platform_tenant(url, site):
    assert citations.site(url) == site


def test_image_files_and_share_buttons_are_recognised_the_same_way_in_every_format():
    from dashboard.parse.draft import is_image_file, is_share_link

    assert is_image_file("https://cdn.example.org/chart.PNG?w=600#top")
    assert not is_image_file("https://example.org/png-guide")
    assert is_share_link("https://www.facebook.com/sharer/sharer.php?u=https://example.org/a")
    assert is_share_link("https://twitter.com/intent/tweet?url=x")
    assert not is_share_link("https://twitter.com/someone/status/1")
