"""The Markdown front end on real-world shapes: raw HTML, kramdown, Liquid and Hugo, footnotes, reference lists.

Fixtures in tests/fixtures/markdown/ are written for these tests (health topics, invented wording).
"""

from __future__ import annotations

import time

import pytest

from dashboard.parse import parse_bytes, parse_file
from dashboard.parse.markdown import draft

from .conftest import FIXTURES

MD = FIXTURES / "markdown"


def _md(text: str, origin: str | None = None):
    return parse_bytes(text.encode(), "post.md", origin=origin)


def _urls(art) -> list[str | None]:
    return [c.url for c in art.citations if not getattr(c, "derived", False)]


# ---------------------------------------------------------------- a Jekyll post with raw HTML citations


@pytest.fixture(scope="module")
def jekyll():
    return parse_file(MD / "jekyll-vitamin-d.md")


def test_jekyll_title_and_headings(jekyll):
    assert jekyll.title == "Vitamin D and Winter Colds: What the Trials Say"
    # '## Who might benefit' follows a <br> line (kramdown ends the HTML there); <h2> in raw HTML is a heading;
    # '#' lines in the fenced code and the '<h6>' in a script string are not
    assert [(s.heading, s.level) for s in jekyll.sections] == [
        ("Introduction", None),
        ("Who might benefit", 2),
        ("How much is too much?", 2),
        ("References", 2),
    ]


def test_jekyll_raw_html_links_in_paragraphs_are_citations(jekyll):
    prose = [(c.url, c.line) for c in jekyll.citations if c.section is not None]
    assert prose == [
        ("https://www.bmj.com/content/356/bmj.i6583", 10),  # <a href="..." target="_blank">Martineau et al., 2017</a>
        ("https://www.nejm.org/doi/full/10.1056/NEJMoa1809944", 11),  # single-quoted href, next line
        ("https://ods.od.nih.gov/factsheets/VitaminD-HealthProfessional/", 13),  # followed by {:target="_blank"}
        ("https://www.who.int/tools/elena/interventions/vitamind-supp-pregnancy", 14),  # reference-style, where used
        ("https://www.cdc.gov/nutrition/vitamin-d.html", 19),  # <a> inside a <p> HTML block
        ("https://www.thelancet.com/journals/landia/article/PIIS2213-8587(21)00051-6/fulltext", 26),
        ("https://www.nhs.uk/conditions/vitamins-and-minerals/vitamin-d/", 31),  # autolink
    ]
    urls = _urls(jekyll)
    # not citations: the image link, mailto, URLs inside code, a script's URL, an unused definition
    for absent in ("vitamin-d-chart.png", "mailto:", "cran.example.org", "api.example.org", "tiles.", "unused."):
        assert not any(u and absent in u for u in urls), absent


def test_jekyll_reference_list_entries_with_raw_html_links(jekyll):
    entries = [(c.line, c.url) for c in jekyll.citations if c.section is None]
    assert entries == [
        (48, "https://www.bmj.com/content/356/bmj.i6583"),
        (49, "https://www.nejm.org/doi/full/10.1056/NEJMoa1809944"),  # the link is on the item's second line
        (51, None),  # no URL: still an entry
    ]
    assert "the reference list has 1 entry without a URL" in jekyll.warnings


def test_jekyll_template_tags_and_attribute_lists_are_not_words(jekyll):
    text = " ".join(s for sec in jekyll.sections for s in sec.sentences)
    for junk in ("{%", "include", "{:", "target", "_blank", ".lead", "Levels", "tiles"):
        assert junk not in text, junk
    assert "(Martineau et al., 2017)" in text  # the raw link's text is text
    kinds = {b.line_start: b.kind for b in jekyll.blocks}
    assert kinds[7] == "markup"  # the Liquid include line
    assert kinds[22] == "rule"  # '---' after raw HTML is a rule, not a Setext underline
    assert kinds[33] == "code"


def test_fixtures_rebuild_byte_for_byte():
    for path in sorted(MD.glob("*.md")):
        art = parse_file(path)
        assert art.rebuild_bytes() == path.read_bytes(), path.name
        covered = [n for b in art.blocks for n in range(b.line_start, b.line_end + 1)]
        assert covered == list(range(1, len(covered) + 1))


# ---------------------------------------------------------------- a Hugo post: TOML, shortcodes, footnotes


@pytest.fixture(scope="module")
def hugo():
    return parse_file(MD / "hugo-sleep-study.md")


def test_hugo_front_matter_shortcodes_and_html_headings(hugo):
    assert hugo.title == "Sleep Duration and Memory in Teenagers"  # TOML front matter
    # <h2> inside <!--html_preserve--> comments is a heading; '{#results}' is an attribute, not text;
    # R console output '## [1] 0.42' is not a heading; 'Notes' is a section when a References list exists
    assert [(s.heading, s.level) for s in hugo.sections] == [
        ("Introduction", None),
        ("Methods", 2),
        ("Results", 2),
        ("References", 2),
        ("Notes", 2),
    ]
    text = " ".join(s for sec in hugo.sections for s in sec.sentences)
    assert "figure" not in text and "quote" not in text and "footer" not in text
    assert "Sleep is when the day's learning is filed away." in text


def test_hugo_citations(hugo):
    assert [(c.url, c.section) for c in hugo.citations] == [
        ("https://social.example.com/@sleepdoc/1234", "introduction"),  # a shortcode's cite argument
        ("https://osf.io/abcd1/", "methods"),  # a link in a raw HTML heading
        ("https://doi.org/10.31234/osf.io/xyz12", "results"),
        ("https://ci.example.net/sleeplab", "results"),  # a badge's link target; the badge image is not cited
        ("https://pubmed.ncbi.nlm.nih.gov/27224145/", None),  # footnote [^1] under References
        (None, None),  # footnote [^2]: a book, no URL
    ]
    # the figure's src (an image load) and the post's own site (canonicalURL) are not citations
    assert any("own site" in w for w in hugo.warnings)


# ---------------------------------------------------------------- one rule at a time


def test_kramdown_attribute_lists_are_ignored():
    art = _md(
        '# T\n\nRead [the trial](https://trials.example.org/1){:target="_blank"} today.\n{: .note}\n\n'
        "## Heading {#custom-id .big}\n\nText {: .x} ends.\n"
    )
    assert [s.heading for s in art.sections] == ["Introduction", "Heading"]
    assert art.sections[0].sentences == ("Read the trial today.",)
    assert art.sections[1].sentences == ("Text ends.",)
    assert _urls(art) == ["https://trials.example.org/1"]


def test_markdown_inside_html_marked_markdown_1_and_abbreviations():
    art = _md(
        '# T\n\n<div class="notice" markdown="1">\n**Note:** see [the trial](https://t.example.org/1).\n</div>\n\n'
        "The CSS rules apply.\n\n*[CSS]: Cascading Style Sheets\n"
    )
    assert art.sections[0].sentences == ("Note: see the trial.", "The CSS rules apply.")
    assert _urls(art) == ["https://t.example.org/1"]


def test_r_package_braces_are_text():
    art = _md("# T\n\nThe {targets} package and {x = 1} stay.\n")
    assert art.sections[0].sentences == ("The {targets} package and {x = 1} stay.",)


def test_html_block_headings_keep_their_level():
    art = _md(
        '# T\n\nIntro text.\n\n<h3 class="x">Side <em>effects</em></h3>\n\nText.\n\n'
        "<div>\n<h4>Dosing</h4>\n<p>More.</p>\n</div>\n"
    )
    assert [(s.heading, s.level) for s in art.sections] == [("Introduction", None), ("Side effects", 3), ("Dosing", 4)]


def test_hash_lines_in_code_are_not_headings():
    art = _md(
        "# T\n\nText.\n\n```bash\n# install\n## not a heading\n```\n\n    # indented code\n\n~~~\n# tilde fence\n~~~\n"
    )
    assert [s.heading for s in art.sections] == ["Introduction"]


def test_autolinks_and_reference_style_links_in_order_of_use():
    art = _md(
        "# T\n\nFirst [b][] then <https://a.example.org/x> then [c][C] and [b] again.\n\n"
        "[c]: https://c.example.org/\n[b]: https://b.example.org/\n[b]: https://ignored.example.org/\n"
    )
    assert _urls(art) == ["https://b.example.org/", "https://a.example.org/x", "https://c.example.org/"]


def test_rule_after_raw_html_is_not_a_setext_heading():
    art = _md("# T\n\nText here.\n\n<hr/>\n---\n\nMore text.\n")
    assert [s.heading for s in art.sections] == ["Introduction"]


def test_images_mail_and_code_urls_are_not_citations():
    art = _md(
        "# T\n\n![x](https://img.example.org/a.png) [chart](https://img.example.org/b.JPG?v=2) "
        "[![photo](https://cdn.example.org/p.jpg)](https://story.example.org/1) [mail](mailto:a@b.org) "
        '`https://api.example.org/v1` <img src="https://img.example.org/c.gif"> [top](#top) '
        "https://printed.example.org/page.\n"
    )
    assert _urls(art) == ["https://story.example.org/1", "https://printed.example.org/page"]


def test_unsafe_raw_html_links_are_not_prose_citations():
    art = _md('# T\n\nClick <a href="javascript:alert(1)">here</a> or <a href="data:text/html,x">there</a>.\n')
    assert _urls(art) == []


def test_scripts_styles_and_comments_are_not_text():
    art = _md(
        "# T\n\nText one.\n\n<style>\np { color: red }\n</style>\n\n<!-- a hidden note -->\n\nText <span>two</span>.\n"
    )
    assert [s for sec in art.sections for s in sec.sentences] == ["Text one.", "Text two."]


def test_notes_is_the_list_only_without_an_unambiguous_one():
    with_refs = _md(
        "# T\n\nText.[^1]\n\n## References\n\n1. A. https://a.example.org/\n\n## Notes\n\n[^1]: An aside.\n"
    )
    assert [s.heading for s in with_refs.sections] == ["Introduction", "References", "Notes"]
    assert with_refs.sections[2].sentences == ("An aside.",)  # a remark, not an entry
    assert [(c.url, c.section) for c in with_refs.citations] == [("https://a.example.org/", None)]
    only_notes = _md("# T\n\nText.[^1]\n\n## Notes\n\n[^1]: Smith 2020. https://a.example.org/\n")
    assert [s.heading for s in only_notes.sections] == ["Introduction", "Notes"]
    assert only_notes.sections[1].sentences == () and only_notes.sections[1].words == 3
    assert [(c.url, c.section) for c in only_notes.citations] == [("https://a.example.org/", None)]


def test_bulleted_further_reading_is_a_section_and_numbered_resources_a_list():
    bullets = _md(
        "# T\n\nText.\n\n## Further reading\n\n- [One](https://one.example.org/)\n- [Two](https://two.example.org/)\n"
    )
    assert [s.heading for s in bullets.sections] == ["Introduction", "Further reading"]
    assert all(c.section == "further-reading" for c in bullets.citations)
    numbered = _md("# T\n\nText.\n\n## Resources\n\n1. [One](https://one.example.org/)\n2. Two, a book.\n")
    assert [(c.url, c.section) for c in numbered.citations] == [("https://one.example.org/", None), (None, None)]


def test_a_list_announced_as_resources_is_a_reference_list():
    art = _md(
        "# T\n\nText.\n\nHere is a list of resources to start with:\n\n"
        "1. [Trials registry](https://registry.example.org/) - all trials\n"
        "2. [A primer](https://primer.example.org/) - for beginners\n"
    )
    assert [(c.url, c.section) for c in art.citations] == [
        ("https://registry.example.org/", None),
        ("https://primer.example.org/", None),
    ]
    described = _md(
        "# T\n\nThe data come from three sources:\n\n"
        "- **Weather** - [station records](https://w.example.org/)\n- **Soil** - [survey](https://s.example.org/)\n"
    )
    assert all(c.section == "introduction" for c in described.citations)  # a list that mentions links


def test_one_entry_per_list_item_and_per_footnote():
    art = _md(
        "# T\n\nText.[^a]\n\n## References\n\n"
        "- Smith 2020. [Paper](https://p.example.org/1)\n\n  Also [data](https://d.example.org/1).\n"
        "- Jones 2021.\n\n"
        "[^a]: Lee 2019. https://l.example.org/\n    https://l2.example.org/\n"
    )
    lines = {}
    for c in art.citations:
        lines.setdefault(c.line, []).append(c.url)
    assert list(lines.values()) == [
        ["https://p.example.org/1", "https://d.example.org/1"],
        [None],
        ["https://l.example.org/", "https://l2.example.org/"],
    ]


def test_links_to_the_articles_own_site_are_not_citations():
    text = "# T\n\nSee [our guide](https://www.health.example.org/guide) and [the CDC](https://www.cdc.gov/x).\n"
    assert len(_md(text).citations) == 2
    art = _md(text, origin="https://health.example.org/post.md")
    assert _urls(art) == ["https://www.cdc.gov/x"]
    front = "---\ntitle: T\ncanonical_url: https://health.example.org/t\n---\n" + text
    assert _urls(_md(front)) == ["https://www.cdc.gov/x"]


def test_protocol_relative_links_become_https_and_targets_stay_as_written():
    art = _md(
        "# T\n\n[a](//cdn-free.example.org/paper) [b](https://de.example.org/Müller%2Fx) <https://x.example.org/A_(b)>\n"
    )
    assert _urls(art) == [
        "https://cdn-free.example.org/paper",
        "https://de.example.org/Müller%2Fx",
        "https://x.example.org/A_(b)",
    ]


def test_links_carry_the_line_they_are_written_on():
    d = draft(
        "# T\n\nOne [a](https://a.example.org/)\ntwo [b](https://b.example.org/)\nthree https://c.example.org/\n",
        "x.md",
    )
    assert [(link.line, link.url) for link in d.links] == [
        (2, "https://a.example.org/"),
        (3, "https://b.example.org/"),
        (4, "https://c.example.org/"),
    ]


# ---------------------------------------------------------------- linear time


@pytest.mark.parametrize(
    "make",
    [
        lambda k: "Intro " + " ".join(f"[l{i}](https://e{i}.example.org/p)" for i in range(k)),
        lambda k: (
            "Intro "
            + " ".join(f'(<a href="https://e{i}.example.org/p" target="_blank">A et al., {i}</a>)' for i in range(k))
        ),
        lambda k: (
            "Intro "
            + " ".join(f"[l{i}][r{i}]" for i in range(k))
            + "\n\n"
            + "".join(f"[r{i}]: https://e{i}.example.org/\n" for i in range(k))
        ),
    ],
    ids=["inline", "raw-html", "reference-style"],
)
def test_many_links_on_one_line_parse_quickly(make):
    """5,000 links on one line: was quadratic (a scan of the line per link); a generous bound."""
    data = ("# Many Links\n\n" + make(5000) + "\n").encode()
    t = time.perf_counter()
    art = parse_bytes(data, "many.md")
    assert time.perf_counter() - t < 5
    assert len({c.url for c in art.citations}) == 5000
    assert {c.line for c in art.citations} == {3}
