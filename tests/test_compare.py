"""The Compare view's tables, built without Streamlit."""

from __future__ import annotations

import pytest

from dashboard import compare
from dashboard.parse import parse_file

from .conftest import FIXTURES


@pytest.fixture(scope="module")
def both(seed):
    return compare.comparison([seed, parse_file(FIXTURES / "saved-page.html")])


def test_overview_one_row_per_article(both, seed):
    overview = both.overview
    assert overview.columns.tolist() == compare.OVERVIEW_COLUMNS
    assert overview["article"].tolist() == [seed.slug, "saved-page"]
    assert overview["words"].tolist()[0] == 612 and overview["citations"].tolist() == [9, 5]
    assert overview["scholarly share"].tolist() == [0.0, 0.6]
    assert overview["source share"].tolist() == [0.0, 0.8]
    assert overview["top terms"].iloc[0].startswith("ketamine")
    assert "article" not in both.overview_rows() and len(both.overview_rows()) == 2


def test_labels_and_long_tables(both, seed):
    assert both.labels[seed.slug].startswith("Exploring The Potential") and both.labels["saved-page"]
    lengths = both.section_lengths
    assert lengths.groupby("article", sort=False)["words"].sum().tolist()[0] == 612
    kinds = both.citation_kinds
    assert kinds.groupby("article")["count"].sum().to_dict() == {seed.slug: 9, "saved-page": 5}
    assert (kinds["count"] > 0).all()


def test_term_rates(both, seed):
    rates = both.term_rates
    assert rates.columns.tolist() == [seed.slug, "saved-page"]
    assert rates.loc["ketamine", seed.slug] > 0 and rates.loc["ketamine", "saved-page"] == 0
    rows = both.term_rate_rows()
    assert rows.columns[0] == "term" and rows["term"].tolist() == rates.index.tolist()


def test_nothing_to_compare():
    empty = compare.comparison([])
    assert empty.overview.empty and empty.overview.columns.tolist() == compare.OVERVIEW_COLUMNS
    assert empty.labels == {} and empty.citation_kinds.empty and empty.term_rates.empty
