"""The corpus yardstick (bench/truth.py): the copy is intact and no figure falls below its floor."""

from __future__ import annotations

import hashlib
import json
from types import SimpleNamespace

import pytest

from bench import truth

CORPUS = truth.CORPUS


@pytest.fixture(scope="module")
def result():
    return truth.score()


def test_corpus_copy_is_intact():
    manifest = json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest) == 24
    for entry in manifest:
        data = (CORPUS / entry["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["file"]
        assert (CORPUS / "expected" / f"{entry['name']}.json").is_file(), entry["name"]
    assert sorted(p.name for p in (CORPUS / "articles").iterdir()) == sorted(e["file"][9:] for e in manifest)
    assert truth.corpus_mismatches() == []
    assert (CORPUS / "README.md").is_file()
    rows = (CORPUS / "citation_kinds.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0] == "url,kind,why" and len(rows) == 938


def test_no_figure_below_its_floor(result):
    assert truth.below_floors(result) == []


def test_every_article_parses_and_is_scored(result):
    assert [a["name"] for a in result["articles"]] == sorted(a["name"] for a in result["articles"])
    assert len(result["articles"]) == 24
    assert [a["name"] for a in result["articles"] if a["error"]] == []
    assert result["kinds"]["rows"] == 937


def test_report_is_deterministic(result):
    assert truth.render(result) == truth.render(truth.score())


def test_url_comparison_is_light():
    n = truth.norm_url
    assert n("//doi.org/10.1/X") == n("http://dx.doi.org/10.1%2Fx")
    assert n("HTTP://Example.ORG") == n("http://example.org/") == n("http://example.org:80/")
    assert n("https://a.org/p/") != n("https://a.org/p")
    assert n("https://a.org/P") != n("https://a.org/p")
    assert n("http://a.org/x") != n("https://a.org/x")
    assert n("https://a.org/x#f") != n("https://a.org/x")


def test_headings_compare_without_case_space_or_trailing_colon():
    assert truth.norm_heading("  Further   Reading: ") == truth.norm_heading("further reading")
    assert truth.norm_heading("History[edit]") != truth.norm_heading("History")


def test_derived_urls_count_when_found_and_are_not_spurious(monkeypatch, tmp_path):
    cite = SimpleNamespace
    art = SimpleNamespace(
        title="T",
        sections=(SimpleNamespace(heading="Intro", inferred=False, words=10),),
        citations=(
            cite(url="https://a.org/x", section="intro", line=1, derived=False),
            cite(url="https://doi.org/10.1/a", section=None, line=5, derived=True),
            cite(url="https://pubmed.ncbi.nlm.nih.gov/1", section=None, line=5, derived=True),
            cite(url=None, section=None, line=6),
        ),
        warnings=(),
    )
    monkeypatch.setattr("dashboard.parse.parse_file", lambda path: art)
    expected = {
        "format": "txt",
        "title": "T",
        "sections": [{"heading": "Intro", "approx_words": 10}],
        "citations": ["https://a.org/x", "http://dx.doi.org/10.1/A"],
        "reference_entries": 2,
        "reference_entries_without_url": 2,
        "citation_kinds": {},
    }
    res = truth.score_article("t", tmp_path / "t.txt", expected)
    assert res["title"]["ok"] and res["headings"]["tp"] == 1
    assert (res["citations"]["tp"], res["citations"]["got"], res["citations"]["spurious"]) == (2, 2, [])
    assert res["citations"]["derived_unmatched"] == 1
    assert (res["references"]["got"], res["references"]["got_without_url"]) == (2, 2)
    assert res["words"] == {"matched": 1, "within": 1, "misses": []}
