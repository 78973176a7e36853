from __future__ import annotations

import pandas as pd

from dashboard import charts, tables, terms


def axis_titles(fig):
    return fig.layout.xaxis.title.text, fig.layout.yaxis.title.text


def test_section_lengths_chart(seed):
    df = tables.sections_table(seed)
    fig = charts.section_lengths(df, ["conclusion"])
    assert fig.layout.title.text.startswith("Words per section")
    assert axis_titles(fig) == ("Section", "Words")
    assert list(fig.data[0].y) == [197, 260, 155]
    assert list(fig.data[0].marker.color) == [charts.UNSELECTED, charts.UNSELECTED, charts.SELECTED]
    assert list(fig.data[0].x) == ["introduction", "mechanisms-of-action-and-effectiveness-of", "conclusion"]
    assert "Effectiveness of<br>Ketamine for" in fig.layout.xaxis.ticktext[1]


def test_sections_sharing_a_heading_keep_their_own_bars():
    df = pd.DataFrame({"section": ["a", "b"], "heading": ["Notes", "Notes"], "words": [3, 4], "sentences": [1, 1]})
    fig = charts.section_lengths(df, [])
    assert list(fig.data[0].x) == ["a", "b"] and list(fig.layout.xaxis.ticktext) == ["Notes", "Notes"]


def test_labels_are_escaped_for_plotly():
    df = pd.DataFrame({"section": ["x"], "heading": ["<a href='javascript:x'>Hi</a>"], "words": [3], "sentences": [1]})
    fig = charts.section_lengths(df, [])
    assert "<a" not in fig.layout.xaxis.ticktext[0] and "<a" not in str(fig.data[0].customdata)
    assert "&quot;" not in fig.layout.xaxis.ticktext[0]  # plotly shows quotes as they are
    counts = pd.DataFrame({"section": ["x"], "heading": ["h"], "matches": [1], "sentences": [1]})
    assert "<b>" not in charts.match_counts(counts, {"x": "h"}, "<b>q</b>").layout.title.text


def test_terms_and_heatmap(seed):
    toks = terms.section_tokens(seed, terms.stopword_set())
    ids = [s.id for s in seed.sections]
    top = terms.term_counts(toks, ids).head(5)
    bars = charts.top_bars(top, "term", "Top 5 terms")
    assert bars.data[0].y[-1] == "ketamine"  # most frequent drawn at the top
    assert axis_titles(bars) == ("Occurrences", "Term")
    heat = charts.term_heatmap(
        terms.term_section_matrix(toks, ids, top["term"].tolist()), {s.id: s.heading for s in seed.sections}
    )
    assert heat.layout.title.text and axis_titles(heat) == ("Section", "Term")


def test_citation_domains_coloured_by_kind(seed):
    fig = charts.citation_domains(tables.citations_table(seed))
    assert {t.name for t in fig.data} == {"cloud storage / CDN", "blog platform", "social"}
    assert sum(sum(t.x) for t in fig.data) == 9
    assert axis_titles(fig) == ("Citations", "Domain")


def test_selected_sections_from_click_event():
    ids = ["a", "b", "c"]
    assert charts.selected_sections({"selection": {"points": [{"point_index": 1, "x": "B"}]}}, ids) == ["b"]
    assert charts.selected_sections({"selection": {"points": []}}, ids) == []
    assert charts.selected_sections(None, ids) == []
    assert charts.selected_sections({"selection": {"points": [{"point_index": 9}]}}, ids) == []
    assert charts.selected_sections({"bogus": 1}, ids) == []
