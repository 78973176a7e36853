"""Scholarly identifiers written in the text become derived, resolvable citations."""

from __future__ import annotations

from dashboard.parse import parse_bytes

ARTICLE = b"""Sleep and Memory

A trial found better recall after sleep (doi:10.5555/sleep.2020.1). A later cohort agreed, PMID: 31234567.
The same trial again: https://doi.org/10.5555/SLEEP.2020.1 was linked here.

References

1. Smith J. Sleep and recall. J Sleep. 2020. https://example-journal.org/articles/1
2. Lee K. A cohort study. Cohort Res. 2019. PMCID: PMC7654321
3. Park S. An essay with no identifier. 2018.
4. Chen L. Preprint. arXiv:2101.01234v2
"""


def test_identifiers_become_derived_citations_once_per_work():
    art = parse_bytes(ARTICLE, "sleep.txt")
    derived = {c.url: c for c in art.citations if c.derived}
    assert set(derived) == {
        "https://pubmed.ncbi.nlm.nih.gov/31234567/",
        "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC7654321/",
        "https://arxiv.org/abs/2101.01234v2",
    }
    # the DOI written as text is the work the article links to further on: no derived copy of it
    dois = [c for c in art.citations if c.url and "10.5555" in c.url.lower()]
    assert [(c.url, c.derived) for c in dois] == [("https://doi.org/10.5555/SLEEP.2020.1", False)]
    assert all(c.kind == "scholarly" for c in derived.values())
    assert derived["https://pubmed.ncbi.nlm.nih.gov/31234567/"].section == "introduction"


def test_a_doi_written_as_text_alone_becomes_a_doi_link():
    art = parse_bytes(b"A Title\n\nThe trial (doi:10.5555/abc.1) says so.\n", "t.txt")
    assert [(c.url, c.derived) for c in art.citations] == [("https://doi.org/10.5555/abc.1", True)]


def test_an_entry_with_only_an_identifier_has_a_url_and_the_bare_one_does_not():
    art = parse_bytes(ARTICLE, "sleep.txt")
    entries = [c for c in art.citations if c.section is None]
    pmc = [c for c in entries if c.url and "PMC7654321" in c.url]
    assert len(pmc) == 1 and pmc[0].derived and pmc[0].text.startswith("2. Lee K.")
    assert [c.text for c in entries if c.url is None] == ["3. Park S. An essay with no identifier. 2018."]
    assert "the reference list has 1 entry without a URL" in art.warnings


def test_identifiers_in_a_long_line_are_found_in_linear_time():
    line = " ".join(f"see doi:10.5555/x{i}." for i in range(20_000))
    art = parse_bytes(f"Title Here\n\n{line}\n".encode(), "many.txt")
    assert sum(c.derived for c in art.citations) == 20_000
