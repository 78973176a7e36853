from __future__ import annotations

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
