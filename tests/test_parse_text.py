"""The plain-text front end on the shapes real tools produce (fixtures in tests/fixtures/text/,
written for these tests): wiki text dumps, news scrapes, lynx dumps, pandoc plain output, PDF text."""

from __future__ import annotations

import time

import pytest

from dashboard.parse import parse_bytes, parse_file
from dashboard.parse import text as text_front_end

from .conftest import FIXTURES

TEXT = FIXTURES / "text"


def parse(text: str):
    return parse_bytes(text.encode(), "shape.txt")


def headings(art) -> list[str]:
    return [s.heading for s in art.sections if not s.inferred]


def written(art) -> list[str]:
    """Citation URLs written in the text (not built from a DOI or PMID)."""
    return [c.url for c in art.citations if c.url and not getattr(c, "derived", False)]


def entries(art) -> dict[int, list]:
    found: dict[int, list] = {}
    for c in art.citations:
        if c.section is None:
            found.setdefault(c.line, []).append(c)
    return found


def test_wiki_dump_with_blank_line_headings_numbered_references_and_a_category_line():
    path = TEXT / "wiki-dump-blank-lines.txt"
    art = parse_file(path)
    assert art.title == "Caffeine and Sleep"
    # two blank lines before a section, one before a sub-heading; 'References' heads the list
    assert headings(art) == ["Effects", "Sleep onset", "Sleep depth", "Guidance", "References"]
    # only the two web addresses are citations: no 'Category:' and no footnote marker
    assert written(art) == [
        "https://www.sciencedirect.com/science/article/pii/S0278691513007473",
        "https://www.fda.gov/consumers/consumer-updates/spilling-beans-how-much-caffeine-too-much",
    ]
    assert not any(c.url and "category" in c.url.lower() for c in art.citations)
    # five numbered entries, wrapped over indented lines; three carry no web address
    found = entries(art)
    assert len(found) == 5
    assert sum(1 for cs in found.values() if not any(c.url in written(art) for c in cs)) == 3
    assert "Category:Caffeine Category:Sleep Category:Stimulants" in [b.text for b in art.boilerplate]
    # the entries are the References section's words, never its sentences
    references = art.sections[-1]
    assert references.heading == "References" and references.sentences == () and references.words > 30
    assert art.rebuild_bytes() == path.read_bytes()


def test_html2text_frames_edit_links_contents_and_wiki_footer():
    art = parse(
        "The following text was saved from https://wiki.example.org/wiki/Sleep on 1 May 2020\n\n"
        "****** Sleep ******\nFrom the example wiki\nSleep is a state of rest. It comes back every night.\n"
        "***** Contents *****\n    * 1_Stages\n    * 2_References\n"
        "***** Stages[edit] *****\n**** Light sleep[edit] ****\nLight sleep comes first. It is easy to wake from.\n"
        "***** References[edit] *****\n   1. ^Smith J (2001). Sleep stages. Sleep Journal. 3: 1-9.\n"
        "   2. ^ http://www.example.org/sleep/stages/\n      deep-sleep.html\n"
        'Retrieved from "https://wiki.example.org/w/index.php?title=Sleep"\n'
        "Categories:\n    * Sleep\n***** Navigation menu *****\n    * Main_page\n"
    )
    assert art.title == "Sleep"
    assert headings(art) == ["Stages", "Light sleep", "References"]
    assert art.sections[-1].sentences == ()  # its two entries are entries, not text
    assert written(art) == ["http://www.example.org/sleep/stages/deep-sleep.html"]  # rejoined over the wrap
    assert len(entries(art)) == 2
    chrome = [b.text for b in art.boilerplate]
    assert "***** Contents *****" in chrome and "***** Navigation menu *****" in chrome


def test_news_scrape_credits_bylines_and_share_footer_are_chrome():
    art = parse_file(TEXT / "news-scrape-credits.txt")
    assert art.title == "Measles Cases Rise In Three Counties"  # not the site line, not the kicker
    assert headings(art) == ["Why Vaccination Rates Fell"]  # the credit line is not a heading
    chrome = [b.text for b in art.boilerplate]
    for line in (
        "Health Desk | The Example Times",
        "By Maria Chen",
        "Published Aug. 12, 2024 9:15 a.m. ET",
        "Credit: Centers for Disease Control and Prevention View full size image",
        "(Photo by Sam Ortiz)",
        "Share this article",
        "Follow us on Facebook",
        "Tags: measles, vaccines, public health",
    ):
        assert line in chrome
    assert written(art) == ["https://health.example.gov/measles", "www.example.gov/school-map"]
    assert not any("Credit" in s for sec in art.sections for s in sec.sentences)


def test_lynx_dump_link_numbers_resolve_to_outbound_citations():
    art = parse_file(TEXT / "lynx-health-news.txt")
    assert art.title == "Short Naps Help Night-Shift Nurses Stay Alert"
    assert headings(art) == ["What the trial measured"]
    # the link index is the page's links: own-site menus, the image and share buttons are not citations
    assert written(art) == [
        "https://doi.org/10.1000/nap-trial-2024",
        "https://www.chu-lyon.example.fr/",
        "https://www.sleepinstitute.example.gov/pilots",
    ]
    assert all(c.section == "introduction" for c in art.citations)
    assert "Visible links" in [b.text for b in art.boilerplate]


def test_pandoc_plain_output_underlined_and_bare_subheadings():
    art = parse_file(TEXT / "pandoc-plain.txt")
    assert art.title == "Vitamin D and Bone Health"
    assert headings(art) == ["How Much Is Enough", "Food sources", "Supplements", "Sources"]
    assert written(art) == ["https://ods.od.nih.gov/factsheets/VitaminD-HealthProfessional/"]
    assert len(entries(art)) == 2


def test_pdf_text_urls_wrapped_over_lines_are_rejoined():
    art = parse_file(TEXT / "pdf-wrapped-urls.txt")
    assert headings(art) == ["Health effects"]
    assert written(art) == [
        "https://www.example.org/studies/traffic-pollution-and-childhood-asthma",  # '…-ast' + 'hma)'
        "https://www.who.int/publications/i/item/9789240034228",  # '(h' + 'ttps://…'
        "https://web.archive.org/web/20211001000000/https://www.who.int/publications/i/item/9789240034228",
    ]
    assert len(entries(art)) == 3


def test_a_pdf_heading_printed_after_numbered_entries_keeps_the_whole_list():
    art = parse(
        "Title Of The Page\nSome text here about it. It goes on.\n"
        "1. First source (2001).\n2. Second source (2002).\nReferences\n3. Third source (2003).\n"
    )
    assert len(entries(art)) == 3


def test_only_web_addresses_count_and_odd_schemes_stay_visible_in_a_list():
    art = parse(
        "A Title\nSee Category:Sleep and note:this in the text. Also https://example.org/a.\n"
        "Sources:\nWikipedia:Sleep hygiene (2020)\njavascript:alert(1)\ndata:text/html,x\nhttps://example.org/b\n"
    )
    urls = [c.url for c in art.citations]
    assert urls == ["https://example.org/a", None, "javascript:alert(1)", "data:text/html,x", "https://example.org/b"]
    assert [c.scheme for c in art.citations][2:4] == ["javascript", "data"]


def test_links_to_the_articles_own_site_are_not_citations():
    text = (
        "A Title\nSee https://blog.example.com/older-post and https://nih.gov/x for more.\nSources:\n"
        "1. https://blog.example.com/about\n2. Paper (2001). https://blog.example.com/p https://doi.org/10.1/x\n"
    )
    art = parse_bytes(text.encode(), "x.txt", origin="https://blog.example.com/2024/post")
    assert written(art) == ["https://nih.gov/x", "https://doi.org/10.1/x"]
    assert len(entries(art)) == 2  # the entry that only linked home is kept, without a URL
    assert any("own site (example.com)" in w for w in art.warnings)


def test_footnote_markers_on_their_own_line_or_leading_a_line_are_not_headings():
    art = parse(
        "A Title\nHe scored twice in the final and the club was promoted that season.\n[12]\n"
        "[13] There they lost to a rival club where\nhe failed to score in either leg of the tie.\n"
        "Later Years\nHe retired in 2005 and became a commentator on the radio.\n"
    )
    assert headings(art) == ["Later Years"]


def test_table_of_contents_and_pager_are_chrome_and_end_the_article():
    art = parse(
        "A Guide To Naps\nContents\n1. Why nap\n2. How long\nWhy nap\nNaps help alertness. They are short.\n"
        "How long\nTwenty minutes is enough for most people.\n« Previous | Next »\nMore stories\nOther news here.\n"
    )
    assert headings(art) == ["Why nap", "How long"]
    chrome = [b.text for b in art.boilerplate]
    assert "Contents" in chrome and "« Previous | Next »" in chrome and "Other news here." in chrome


@pytest.mark.parametrize(
    "text",
    [
        # 20,000 lines: headings, paragraphs and a long numbered reference list
        "Title Here\n"
        + "".join(f"Heading {k}\nSome text about it here. More text.\n" for k in range(5000))
        + "References\n"
        + "".join(f"{k + 1}. Author ({2000 + k % 20}). https://x.org/{k}\n" for k in range(10000)),
        # a 1 MB line of URLs
        "Title Here\nSee " + " ".join(f"https://a.org/{k}" for k in range(70000)) + "\n",
        # many lines that each name a reference list (the old finder rescanned the rest for each)
        "Title Here\nSome text here.\n" + "Notes\nsome lowercase words\n" * 10000,
        # one URL wrapped over many lines, and a line of footnote markers
        "Title Here\nSee (https://x.org/" + "abcdef/\n" * 20000 + "end).\n" + "[1]" * 200000 + "x\n",
    ],
    ids=["20k-lines", "1mb-urls", "list-headings", "wrapped-url"],
)
def test_large_inputs_are_read_in_linear_time(text):
    start = time.perf_counter()
    found = text_front_end.draft(text, "big.txt")
    assert time.perf_counter() - start < 5
    assert "".join(found.lines) == text and len(found.kinds) == len(found.lines)


def test_a_long_article_parses_whole_within_bounds():
    text = "Title Here\n" + "".join(f"Heading {k}\nSome text about it here. More text.\n" for k in range(3000))
    start = time.perf_counter()
    art = parse(text)
    assert time.perf_counter() - start < 5
    assert len(art.sections) == 3000 and art.rebuild_bytes() == text.encode()


def test_a_breadcrumb_trail_on_the_last_line_does_not_break_the_parse():
    # found by the any-bytes property test: a trail ending on a separator with nothing after it
    art = parse_bytes("Home › Health ›".encode(), "crumbs.txt")
    assert art.rebuild_bytes() == "Home › Health ›".encode()
