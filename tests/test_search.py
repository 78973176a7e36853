from __future__ import annotations

import pytest

from dashboard import search


def test_case_insensitive_literal(seed):
    p = search.compile_query("KETAMINE")
    counts = search.match_counts(seed, [s.id for s in seed.sections], p)
    assert counts["matches"].sum() == 26 + 0  # "ketamine's" counts once too
    assert search.compile_query("   ") is None


def test_whole_word():
    text = "Ketamine's effect; ketamines; ketamine."
    assert len(search.spans(text, search.compile_query("ketamine"))) == 3
    assert len(search.spans(text, search.compile_query("ketamine", whole_word=True))) == 2


def test_regex_characters_are_literal():
    assert search.spans("a (b) c", search.compile_query("(b)")) == [(2, 5)]
    assert search.spans("aaaa", search.compile_query("a+")) == []
    assert search.spans("x" * 50, search.compile_query("(x+x+)+y")) == []


def test_query_length_capped():
    p = search.compile_query("a" * 1000)
    assert len(p.pattern) == search.MAX_QUERY_CHARS


def test_kwic_rows_and_limit(seed):
    ids = [s.id for s in seed.sections]
    rows = search.kwic(seed, ids, search.compile_query("ketamine"))
    assert len(rows) == 26
    assert set(rows["match"].str.lower()) == {"ketamine"}
    assert len(search.kwic(seed, ids, search.compile_query("e"), limit=10)) == 10
    assert search.kwic(seed, ["conclusion"], search.compile_query("glimmer")).empty


def test_regex_search_is_linear_and_case_insensitive():
    p = search.compile_query(r"ket\w+", regex=True)
    assert search.spans("Ketamine and KETAMINES", p) == [(0, 8), (13, 22)]
    evil = search.compile_query("(a+)+$", regex=True)  # catastrophic for Python's re
    assert search.spans("a" * 100_000 + "b", evil) == []
    assert search.spans("x y", search.compile_query("x|y", whole_word=True, regex=True)) == [(0, 1), (2, 3)]


@pytest.mark.parametrize("pattern", ["(", "a{1000}{1000}", "[z-a]", "(?P<n>x)(?P=n)"])
def test_bad_regex_gives_a_plain_error(pattern):
    with pytest.raises(search.QueryError, match="not a pattern this search can use"):
        search.compile_query(pattern, regex=True)


def test_regex_memory_is_capped():
    with pytest.raises(search.QueryError):
        search.compile_query(r"\p{L}{1000}", regex=True)  # "pattern too large" under the memory cap
