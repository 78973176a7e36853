"""The HTML front end on pages built the way the web builds them (MediaWiki, WordPress, static-site
generators, a news page without article markup). The fixtures in tests/fixtures/html are written
for these tests: small pages with the markup of each platform, no copied page."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.parse import parse_bytes

PAGES = Path(__file__).parent / "fixtures" / "html"


def parse(name: str):
    return parse_bytes((PAGES / name).read_bytes(), name)


def page(body: str, head: str = "") -> bytes:
    return f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>".encode()


def headings(art) -> list[str]:
    return [s.heading for s in art.sections if not s.inferred]


def urls(art) -> list[str | None]:
    """The citations as written (not those derived from an identifier), in order."""
    return [c.url for c in art.citations if not c.derived]


def entries(art) -> dict[int, list[str | None]]:
    """Reference entries by line: the URLs each one carries (None: an entry without a URL)."""
    found: dict[int, list[str | None]] = {}
    for c in art.citations:
        if c.section is None and not c.derived:
            found.setdefault(c.line, []).append(c.url)
    return found


# --- MediaWiki -----------------------------------------------------------------------------------


def test_mediawiki_headings_are_clean_and_the_toc_is_not_a_section():
    art = parse("mediawiki.html")
    assert art.title == "Sleep hygiene"
    assert art.page_title == "Sleep hygiene - Wikipedia"
    assert headings(art) == ["History", "Recommendations", "Sleep schedule", "See also", "References", "External links"]
    text = art.rebuild_text()
    for chrome in ("[edit]", "edit]", "Contents", "Jump to content", "From Wikipedia", "needs additional citations"):
        assert chrome not in text
    for chrome in (
        "Navigation menu",
        "Categories",
        "Retrieved from",
        "Sleep and sleep disorders",
        "For sleep in general",
    ):
        assert chrome not in text


def test_mediawiki_reference_list_entries_and_protocol_relative_links():
    art = parse("mediawiki.html")
    refs = entries(art)
    assert len(refs) == 3  # one entry per li of ol.references
    assert sum(1 for found in refs.values() if found == [None]) == 1  # the book: only internal ISBN links
    assert [u for found in refs.values() for u in found if u] == [
        "https://doi.org/10.1016%2Fj.smrv.2014.10.001",
        "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC4400203",
        "https://doi.org/10.1053%2Fsmrv.2001.0246",
    ]
    # the list's heading heads a section whose entries count as words, never as sentences
    references = next(s for s in art.sections if s.heading == "References")
    assert references.words > 0 and references.sentences == ()
    span = range(references.line_start, references.line_end + 1)
    assert all(c.line in span for c in art.citations if c.section is None)
    text = art.rebuild_text()
    assert "^" not in text and "↑" not in text  # footnote back-links are not text


def test_mediawiki_sister_projects_navboxes_and_categories_are_not_citations():
    art = parse("mediawiki.html")
    cited = urls(art)
    assert "https://www.cdc.gov/sleep/about_sleep/sleep_hygiene.html" in cited
    # the External links list: citations of that section, not reference entries
    sleep_foundation = next(c for c in art.citations if c.url == "https://www.sleepfoundation.org/sleep-hygiene")
    assert sleep_foundation.section == "external-links"
    for url in cited:
        assert url is None or not any(
            host in url for host in ("wiktionary.org", "wikimedia.org", "wikidata.org", "wikipedia.org", "aasm.org")
        ), url
    assert any("own site" in w for w in art.warnings)


# --- WordPress -----------------------------------------------------------------------------------


def test_wordpress_post_without_comments_share_buttons_related_posts_or_widgets():
    art = parse("wordpress.html")
    assert art.title == "Does Coffee Dehydrate You?"
    assert headings(art) == ["How much is too much?", "Sources"]
    text = art.rebuild_text()
    for chrome in (
        "Share this",
        "Related",
        "Caffeine and sleep\n",
        "Recent Posts",
        "Our partners",
        "Leave a Reply",
        "Great post",
        "thoughts on",
        "Post navigation",
        "Posted in",
        "Skip to content",
        "Proudly powered",
    ):
        assert chrome not in text, chrome
    cited = urls(art)
    assert cited[:3] == [
        "https://journals.plos.org/plosone/article?id=10.1371/journal.pone.0084154",
        "https://www.nhs.uk/live-well/eat-well/food-guidelines-and-food-labels/water-drinks-nutrition/",
        "https://www.fda.gov/consumers/consumer-updates/spilling-beans-how-much-caffeine-too-much",
    ]
    for url in cited:  # comment links, partner widget, share buttons, the picture, the own site: none
        assert url is None or not any(
            s in url for s in ("spam.", "rumours.", "partner.", "facebook.com", "healthdesk.", ".jpg", "wordpress.org")
        ), url


def test_wordpress_sources_list_is_the_reference_list():
    art = parse("wordpress.html")
    refs = entries(art)
    assert list(refs.values()) == [
        ["https://doi.org/10.1371/journal.pone.0084154"],
        ["https://www.fda.gov/consumers/consumer-updates/spilling-beans-how-much-caffeine-too-much"],
        [None],
    ]


# --- A static-site generator (Hugo/Jekyll/pandoc/Sphinx/GitHub markup) ---------------------------


def test_permalink_marks_and_anchor_icons_leave_headings():
    art = parse("static-site.html")
    assert art.title == "Measuring Blood Pressure at Home"
    assert headings(art) == ["Choosing a monitor", "Taking a reading", "How often?"]
    text = art.rebuild_text()
    assert "¶" not in text and "↩" not in text and "\n### How often?\n" in text


def test_image_links_share_buttons_and_code_are_not_citations():
    art = parse("static-site.html")
    cited = urls(art)
    assert cited == [
        "https://www.heart.org/en/health-topics/high-blood-pressure",  # written //www.heart.org/...
        "https://www.validatebp.org/",
        "https://www.stridebp.org/",  # an icon link, named by its aria-label
        "https://doi.org/10.1097/HJH.0000000000002843",
        None,
    ]
    assert "STRIDE BP" in art.rebuild_text()


def test_pandoc_style_footnotes_are_the_reference_list():
    art = parse("static-site.html")
    assert list(entries(art).values()) == [["https://doi.org/10.1097/HJH.0000000000002843"], [None]]
    assert any("1 entry without a URL" in w for w in art.warnings)


# --- A page without article markup: trafilatura, narrowed to the headline's block ---------------


def test_page_without_article_markup_keeps_the_headline_block_only():
    art = parse("news-portal.html")
    assert art.title == "Walking after meals lowers blood sugar, trial finds"
    assert headings(art) == ["What experts say"]
    text = art.rebuild_text()
    for chrome in ("Most read", "Sponsored", "Today on Daily Health Wire", "Thanks!", "newsletter"):
        assert chrome not in text, chrome
    # the page's mobile twin names its site: links back to it are internal
    assert urls(art) == ["https://diabetesjournals.org/care/article/46/1/1/000000"]


# --- Titles --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "body", "title"),
    [
        # <title> minus the site's name, when nothing else names the article
        (
            "<title>Vitamin D and bones | Bone Health Weekly</title>"
            "<meta property='og:site_name' content='Bone Health Weekly'>",
            "<div><p>Vitamin D helps the body absorb calcium, which bones need to stay strong for life.</p></div>",
            "Vitamin D and bones",
        ),
        # the printed headline the metadata confirms, not the site banner's h1
        (
            "<title>Salt and the heart</title>",
            "<h1>Heart Health Center</h1><div id='story'><h2>Salt and the heart</h2><p>Eating less salt lowers "
            "blood pressure in most adults, and it does so within weeks of the change.</p></div>",
            "Salt and the heart",
        ),
        # a journal page: headline + subtitle, as its own <title> names the article
        (
            "<title>Sleep and memory: A randomised trial: Journal of Sleep: Vol 3</title>",
            "<article><h1 class='citation__title'>Sleep and memory</h1><div class='citation__subtitle'>A randomised "
            "trial</div><p>We randomised adults to a night of sleep or a night awake and tested their recall the next "
            "day with a word list.</p></article>",
            "Sleep and memory: A randomised trial",
        ),
        # schema.org JSON-LD headline (og:title absent)
        (
            '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Flu season starts early"}'
            "</script>"
            "<title>Flu season starts early - City News</title>",
            "<article><h1>Flu season starts early</h1><p>Doctors report more flu cases than usual for the time of "
            "year, and they urge people at risk to get vaccinated.</p></article>",
            "Flu season starts early",
        ),
    ],
)
def test_title_is_the_article_headline(head, body, title):
    assert parse_bytes(page(body, head), "t.html").title == title


def test_a_second_copy_of_the_title_in_the_body_is_not_a_section():
    body = (
        "<div class='post hentry'><h3 class='post-title entry-title'>Why We Sleep</h3>"
        "<div class='post-body entry-content'><h1>Why we sleep</h1><h2>1 Introduction</h2>"
        "<p>Sleep restores the brain and the body, and every animal studied so far sleeps in some form.</p>"
        "<h2>2 References</h2><ol><li><a href='https://example.org/sleep-book'>A book on sleep</a>.</li>"
        "<li>A paper on sleep, printed in 1999.</li></ol></div></div>"
    )
    art = parse_bytes(page(body, "<meta property='og:title' content='Why We Sleep'>"), "blog.html")
    assert art.title == "Why We Sleep"
    assert headings(art) == ["1 Introduction", "2 References"]  # a numbered reference-list heading
    assert list(entries(art).values()) == [["https://example.org/sleep-book"], [None]]


# --- Reference lists -----------------------------------------------------------------------------


def test_reference_list_markup_wins_over_headings():
    body = (
        "<div class='entry-content'><p>Exercise improves mood in adults, in most trials that measured it over at "
        "least eight weeks.<sup><a href='#cite_note-1'>[1]</a></sup></p>"
        "<h2>Notes</h2><div class='reflist'><ol class='references'><li><span class='mw-cite-backlink'><a "
        "href='#cite_ref-1'>^</a></span> <a href='https://doi.org/10.1000/mood'>Mood trial</a></li></ol></div>"
        "<h2>Further reading</h2><ul><li><a href='https://example.org/exercise-guide'>An exercise guide</a></li>"
        "<li>A printed leaflet</li></ul></div>"
    )
    art = parse_bytes(page(body), "p.html")
    assert list(entries(art).values()) == [["https://doi.org/10.1000/mood"]]
    further = next(c for c in art.citations if c.url == "https://example.org/exercise-guide")
    assert further.section == "further-reading"  # a link list: its URLs are citations, its items no entries


# --- Hidden blocks, share buttons, links -----------------------------------------------------------


def test_hidden_and_print_only_blocks_are_not_text_but_responsive_ones_are():
    body = (
        "<article><h1>Hydration</h1><p>Drink water through the day, more when it is hot or when you exercise.</p>"
        "<div style='display: none'>Hidden promo text</div><div hidden>Hidden attribute text</div>"
        "<div class='d-none d-print-block'>Printed citation line</div>"
        "<div class='d-none d-md-block'><p>Shown on wide screens: thirst is a late signal in older adults.</p></div>"
        "</article>"
    )
    text = parse_bytes(page(body), "h.html").rebuild_text()
    assert "Hidden promo" not in text and "Hidden attribute" not in text and "Printed citation" not in text
    assert "thirst is a late signal" in text


def test_share_intents_and_links_carrying_the_page_address_are_not_citations():
    body = (
        "<article><h1>Zinc and colds</h1><p>Zinc may shorten colds, says a <a href='https://www.cochranelibrary.com/"
        "cdsr/doi/10.1002/14651858.CD001364.pub4/full'>review</a>. Share it on <a href='https://twitter.com/intent/"
        "tweet?text=Zinc'>Twitter</a> or <a href='https://social.example.net/submit?u=https%3A%2F%2Fnews.example.org"
        "%2Fhealth%2Fzinc-and-colds'>elsewhere</a>.</p></article>"
    )
    head = "<link rel='canonical' href='https://news.example.org/health/zinc-and-colds'>"
    assert urls(parse_bytes(page(body, head), "z.html")) == [
        "https://www.cochranelibrary.com/cdsr/doi/10.1002/14651858.CD001364.pub4/full"
    ]


def test_relative_and_own_site_links_are_internal_and_urls_are_kept_as_written():
    body = (
        "<article><h1>Iron</h1><p>See <a href='/guides/iron'>our guide</a>, <a href='https://www.example.org/x'>"
        "the archive</a> and <a href='https://data.who.int/indicators/i/A%2FB?x=1&amp;y=%7C'>WHO data</a> on "
        "anaemia in children and adults worldwide.</p></article>"
    )
    art = parse_bytes(page(body), "i.html", origin="https://example.org/iron")
    assert urls(art) == ["https://data.who.int/indicators/i/A%2FB?x=1&y=%7C"]


def test_markdown_syntax_in_page_text_stays_text():
    body = (
        "<article><h1>Symbols</h1><p># not a heading</p><p>1. not a list, *not emphasis*, [not](a link) and "
        "&lt;b&gt;not markup&lt;/b&gt;</p><p>---</p><p>Plain closing sentence for the page.</p></article>"
    )
    art = parse_bytes(page(body), "s.html")
    assert headings(art) == []
    sentences = " ".join(s for sec in art.sections for s in sec.sentences)
    assert "# not a heading" in sentences and "[not](a link)" in sentences and "<b>not markup</b>" in sentences
    assert urls(art) == []


def test_further_reading_after_a_reference_list_is_a_section():
    body = (
        "<article><h1>Fibre</h1><p>Fibre feeds the gut's bacteria, and most adults eat less than the advised "
        "amount every day.</p><h2>References</h2><ul><li>Reynolds A, et al. Carbohydrate quality and human "
        "health. <a href='https://doi.org/10.1016/S0140-6736(18)31809-9'>Lancet</a>. 2019.</li></ul>"
        "<h2>Further reading</h2><ul><li><a href='https://example.org/fibre-guide'>A fibre guide</a></li></ul>"
        "</article>"
    )
    art = parse_bytes(page(body), "f.html")
    assert list(entries(art).values()) == [["https://doi.org/10.1016/S0140-6736(18)31809-9"]]
    assert headings(art) == ["References", "Further reading"]
    guide = next(c for c in art.citations if c.url == "https://example.org/fibre-guide")
    assert guide.section == "further-reading"


def test_scripts_styles_and_unsafe_links_are_never_text_or_citations():
    body = (
        "<article><h1>Folate <script>alert('h1')</script>in pregnancy</h1><style>p{color:red}</style>"
        "<p onclick='alert(2)'>Folic acid before conception lowers the risk of neural tube defects, as "
        "<a href='javascript:alert(3)'>this</a> and <a href='https://www.who.int/tools/elena/interventions/"
        "folate-periconceptional'>the WHO</a> say.</p><noscript><p>Enable scripts</p></noscript></article>"
    )
    art = parse_bytes(page(body), "x.html")
    assert art.title == "Folate in pregnancy"
    text = art.rebuild_text()
    assert "alert" not in text and "color:red" not in text and "Enable scripts" not in text
    assert urls(art) == ["https://www.who.int/tools/elena/interventions/folate-periconceptional"]


def test_deeply_nested_lists_and_blocks_keep_their_text():
    inner = "<ul><li>" * 60 + "the innermost item" + "</li></ul>" * 60 + "<div>" * 150 + "deep block" + "</div>" * 150
    art = parse_bytes(
        page(f"<article><h1>Nesting</h1><p>Some text first, as pages have.</p>{inner}</article>"), "n.html"
    )
    text = art.rebuild_text()
    assert "the innermost item" in text and "deep block" in text


def test_a_page_wrapped_in_one_form_keeps_its_text():
    body = (
        "<form id='aspnetForm' method='post' action='./guide.aspx'><input type='hidden' name='__VIEWSTATE' value='x'>"
        "<div id='main'><h1>Hand washing</h1><p>Wash your hands with soap for at least twenty seconds, and dry them "
        "well, to stop germs from spreading.</p><div class='search-form'><input type='text'><button>Search</button>"
        "</div></div></form>"
    )
    art = parse_bytes(page(body, "<title>Hand washing</title>"), "w.html")
    text = art.rebuild_text()
    assert "twenty seconds" in text and "Search" not in text


def test_a_wikipedia_like_page_is_not_reported_as_citing_no_scholarly_source():
    # The reported failure: protocol-relative DOIs and PubMed links in ol.references were missed,
    # so the Citations view said "0 of 7 citations point to a scholarly ... source".
    from dashboard import tables

    art = parse("mediawiki.html")
    summary = tables.kind_summary(tables.citations_table(art))
    assert summary.startswith("4 of 6 citations point to a scholarly, government or education source")
    assert "3 scholarly" in summary


@pytest.mark.parametrize("tail", ["\n<!-- cached by a page cache -->\n", "\n<?xml-stylesheet href='x'?>\n"])
def test_a_comment_after_the_closing_html_tag_is_ignored(tail):
    """Page caches and CMSs often add a comment after </html>; the block-finding walk once raised on it."""
    page = (
        "<html><head><title>Sleep and memory</title></head><body><div class='wrap'>"
        "<h1>Sleep and memory</h1><p>Deep sleep moves new memories into long-term storage, and short "
        "nights weaken recall the next day, a trial found.</p><p>The trial followed 120 adults for two weeks.</p>"
        "</div></body></html>"
    )
    article = parse_bytes((page + tail).encode(), "page.html")
    assert article.title == "Sleep and memory"
    assert "120 adults" in article.rebuild_text()
