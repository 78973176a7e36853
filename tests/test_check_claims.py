"""Which sentences are tied to which cited URL: inline links, footnotes, numbered markers."""

from __future__ import annotations

import json
from pathlib import Path

from dashboard.check.claims import HOWS, NOTE_MARKER, TiedClaim, tied_claims
from dashboard.model import Article
from dashboard.parse import parse_bytes, parse_file

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"

MARKDOWN = """# Sleep

Most adults need [seven hours](https://www.cdc.gov/sleep/) of sleep. Teenagers need more, says the
[American Academy of Sleep Medicine](https://aasm.org/teens). Email [us](mailto:a@b.org) for more.

A trial (doi:10.1000/abc123) found that naps help memory. Naps are short.

[![badge](https://img.example.org/b.png)](https://example.org/badge) First sentence here. Second sentence here.

See [the review][rev] on dreams. Dreams are vivid.

Sleep helps memory.[^1] It also helps mood.[^mood]

[rev]: https://example.org/review

## References

[^1]: Walker M. Sleep and memory. https://pubmed.ncbi.nlm.nih.gov/123456/
[^mood]: Smith J. Mood. https://example.org/mood and https://doi.org/10.1000/mood
"""

WIKI_TEXT = """Ketamine and depression

Ketamine is an anaesthetic.[1] It acts within hours in some patients.[2][3] Its effects fade within two weeks.[9]

Esketamine is a related drug.[4]

References

1. Berman RM et al. Antidepressant effects of ketamine in depressed patients. https://pubmed.ncbi.nlm.nih.gov/10686270/
2. Zarate CA et al. A randomized trial of an NMDA antagonist. doi:10.1001/archpsyc.63.8.856
3. A book with no link. Oxford, 2010.
4. FDA. Press release. https://www.fda.gov/news-events/press-announcements/esketamine ftp://files.example.org/x
"""


FDA = "https://www.fda.gov/news-events/press-announcements/esketamine"


def rows(article: Article) -> list[tuple[str, str, str]]:
    return [(r.sentence, r.url, r.how) for r in tied_claims(article)]


def test_inline_links_go_to_the_sentence_holding_their_anchor() -> None:
    got = rows(parse_bytes(MARKDOWN.encode(), "sleep.md"))
    assert ("Most adults need seven hours of sleep.", "https://www.cdc.gov/sleep/", "link") in got
    assert (
        "Teenagers need more, says the American Academy of Sleep Medicine.",
        "https://aasm.org/teens",
        "link",
    ) in got
    # each link only where its anchor is, not on the paragraph's other sentences
    assert [s for s, u, _ in got if u == "https://www.cdc.gov/sleep/"] == ["Most adults need seven hours of sleep."]
    assert not any(u.startswith("mailto:") for _, u, _ in got)  # only http(s) URLs


def test_reference_style_link_resolves_its_definition() -> None:
    got = rows(parse_bytes(MARKDOWN.encode(), "sleep.md"))
    assert [s for s, u, _ in got if u == "https://example.org/review"] == ["See the review on dreams."]


def test_a_link_whose_sentence_cannot_be_told_goes_to_every_sentence_of_its_paragraph() -> None:
    got = rows(parse_bytes(MARKDOWN.encode(), "sleep.md"))
    # the anchor is an image: no text of the paragraph names it
    assert [s for s, u, _ in got if u == "https://example.org/badge"] == [
        "First sentence here.",
        "Second sentence here.",
    ]


def test_derived_doi_in_a_sentence_ties_that_sentence() -> None:
    got = rows(parse_bytes(MARKDOWN.encode(), "sleep.md"))
    assert [(s, how) for s, u, how in got if u == "https://doi.org/10.1000/abc123"] == [
        ("A trial (doi:10.1000/abc123) found that naps help memory.", "link")
    ]


def test_markdown_footnotes_go_to_their_definitions_urls() -> None:
    got = rows(parse_bytes(MARKDOWN.encode(), "sleep.md"))
    footnotes = [(s, u) for s, u, how in got if how == "footnote"]
    assert footnotes == [
        ("Sleep helps memory.", "https://pubmed.ncbi.nlm.nih.gov/123456/"),
        ("It also helps mood.", "https://example.org/mood"),
        ("It also helps mood.", "https://doi.org/10.1000/mood"),
    ]


def test_numbered_markers_resolve_to_the_nth_reference_entry() -> None:
    article = parse_bytes(WIKI_TEXT.encode(), "wiki.txt")
    assert rows(article) == [
        ("Ketamine is an anaesthetic.[1]", "https://pubmed.ncbi.nlm.nih.gov/10686270/", "marker"),
        # [2] is a DOI written in the entry (a derived URL); [3] is an entry with no link: no row
        ("It acts within hours in some patients.[2][3]", "https://doi.org/10.1001/archpsyc.63.8.856", "marker"),
        # [9] is past the list's end: no row; the entry's ftp:// URL is not a target
        (
            "Esketamine is a related drug.[4]",
            "https://www.fda.gov/news-events/press-announcements/esketamine",
            "marker",
        ),
    ]
    first = tied_claims(article)[0]
    assert first == TiedClaim(
        "Ketamine is an anaesthetic.[1]",
        "introduction",
        "Introduction",
        3,
        "https://pubmed.ncbi.nlm.nih.gov/10686270/",
        "marker",
    )


def test_markers_are_read_as_the_parser_reads_them() -> None:
    from dashboard.parse.draft import _NOTE_MARKER

    assert NOTE_MARKER.pattern == _NOTE_MARKER.pattern


def test_reference_list_sentences_are_never_claims() -> None:
    text = """# T

Sleep matters.[^1]

## References

All sources below were read in May 2024, see [our policy](https://example.org/policy).

[^1]: Walker M. https://pubmed.ncbi.nlm.nih.gov/123456/
"""
    article = parse_bytes(text.encode(), "t.md")
    # the list's lead-in is a sentence of the References section, with a link of that section
    assert article.sections[-1].sentences == ("All sources below were read in May 2024, see our policy.",)
    assert any(c.url == "https://example.org/policy" and c.section == "references" for c in article.citations)
    assert rows(article) == [("Sleep matters.", "https://pubmed.ncbi.nlm.nih.gov/123456/", "footnote")]


def test_wikipedia_page_saved_as_html() -> None:
    article = parse_file(FIXTURES / "html" / "mediawiki.html")
    got = [(r.section, r.sentence[:40], r.url, r.how) for r in tied_claims(article)]
    doi_1 = "https://doi.org/10.1016%2Fj.smrv.2014.10.001"
    pmc_1 = "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC4400203"
    doi_2 = "https://doi.org/10.1053%2Fsmrv.2001.0246"
    cdc = "https://www.cdc.gov/sleep/about_sleep/sleep_hygiene.html"
    foundation = "https://www.sleepfoundation.org/sleep-hygiene"
    assert got == [
        ("introduction", "Sleep hygiene is a set of behavioural an", doi_1, "marker"),
        ("introduction", "Sleep hygiene is a set of behavioural an", pmc_1, "marker"),
        ("introduction", "Clinicians assess the sleep hygiene of p", doi_2, "marker"),
        # "[3]" is a book with no URL
        ("sleep-schedule", "A regular sleep schedule is recommended ", cdc, "link"),
        ("sleep-schedule", "A regular sleep schedule is recommended ", doi_1, "marker"),
        ("sleep-schedule", "A regular sleep schedule is recommended ", pmc_1, "marker"),
        ("external-links", "Sleep hygiene at the Sleep Foundation", foundation, "link"),
    ]


def test_well_sourced_markdown_fixture() -> None:
    got = rows(parse_file(FIXTURES / "well-sourced.md"))
    assert [(s[:30], how) for s, _, how in got] == [
        ("Esketamine nasal spray was app", "link"),
        ("In a randomised trial, a singl", "footnote"),
        ("A meta-analysis of several tri", "footnote"),
        ("Long-term safety is still bein", "link"),
    ]
    assert got[1][1] == "https://pubmed.ncbi.nlm.nih.gov/16894061/"
    assert got[2][1] == "https://doi.org/10.1176/appi.ajp.2015.15040465"


def test_bundled_article_ties_no_sentence() -> None:
    """Its nine URLs sit in a bare 'Citations:' list that no sentence calls: nothing is tied."""
    parsed = json.loads((ROOT / "data" / "parsed" / "ketamine-for-depression.json").read_text(encoding="utf-8"))
    article = Article.from_dict(parsed)
    assert len([c for c in article.citations if c.url]) == 9
    assert tied_claims(article) == ()
    assert tied_claims(parse_file(ROOT / "data" / "raw" / "ketamine-for-depression.txt")) == ()


def test_rows_are_unique_and_well_formed_on_every_fixture() -> None:
    for path in sorted(FIXTURES.rglob("*")):
        if path.suffix not in (".md", ".txt", ".html"):
            continue
        article = parse_file(path)
        found = tied_claims(article)
        keys = [(r.section, r.line, r.sentence, r.url) for r in found]
        assert len(keys) == len(set(keys)), path
        sections = {s.id: s for s in article.sections}
        for r in found:
            assert r.how in HOWS
            assert r.url.startswith(("http://", "https://"))
            assert r.sentence in sections[r.section].sentences
            assert r.section_heading == sections[r.section].heading


def test_many_paragraphs_one_row_each() -> None:
    paragraphs = [f"Fact number {i} is stated [here](https://example.org/{i}). It stands alone." for i in range(3000)]
    article = parse_bytes(("# Facts\n\n" + "\n\n".join(paragraphs) + "\n").encode(), "facts.md")
    found = tied_claims(article)
    assert len(found) == 3000
    assert all(r.sentence.startswith(f"Fact number {i} ") for i, r in enumerate(found))
    assert [r.url for r in found[:2]] == ["https://example.org/0", "https://example.org/1"]


def test_one_long_paragraph_each_link_and_call_to_its_own_sentence() -> None:
    links = " ".join(f"Fact {i} is stated by [source {i}](https://example.org/{i})." for i in range(2000))
    found = tied_claims(parse_bytes(f"# Facts\n\n{links}\n".encode(), "links.md"))
    assert [(r.sentence, r.url) for r in found] == [
        (f"Fact {i} is stated by source {i}.", f"https://example.org/{i}") for i in range(2000)
    ]
    calls = " ".join(f"Fact {i} holds.[^{i}]" for i in range(2000))
    notes = "\n".join(f"[^{i}]: Ref https://example.org/r{i}" for i in range(2000))
    found = tied_claims(parse_bytes(f"# Facts\n\n{calls}\n\n## References\n\n{notes}\n".encode(), "notes.md"))
    assert [(r.sentence, r.url, r.how) for r in found] == [
        (f"Fact {i} holds.", f"https://example.org/r{i}", "footnote") for i in range(2000)
    ]
