from __future__ import annotations

import pytest

from dashboard import terms


@pytest.fixture(scope="module")
def tokens(seed):
    return terms.section_tokens(seed, terms.stopword_set())


def ids(article):
    return [s.id for s in article.sections]


def test_ketamine_is_the_top_term(seed, tokens):
    top = terms.term_counts(tokens, ids(seed))
    assert top.iloc[0]["term"] == "ketamine"
    assert top.iloc[0]["count"] == 26
    assert list(top.columns) == ["term", "count"]


def test_terms_are_lemmatized_and_filtered():
    sw = terms.stopword_set()
    got = terms.sentence_terms("The studies showed 24 receptors at https://x.org and ketamine's effects.", sw)
    assert "study" in got and "receptor" in got and "ketamine" in got
    assert "24" not in got and not any(t and "x.org" in t for t in got)
    assert "https" not in got and "x" not in got
    assert "the" not in got


def test_section_filter_changes_counts(seed, tokens):
    intro = terms.term_counts(tokens, ["introduction"])
    assert intro.set_index("term").loc["ketamine", "count"] == 7


def test_user_stopwords_added_and_kept(seed):
    sw = terms.stopword_set(add=["ketamine"], keep=["research"])
    toks = terms.section_tokens(seed, sw)
    top = terms.term_counts(toks, ids(seed))
    assert "ketamine" not in set(top["term"])
    assert "research" in set(top["term"])
    assert "research" not in set(terms.term_counts(terms.section_tokens(seed, terms.stopword_set()), ids(seed))["term"])


def test_bigrams_do_not_cross_punctuation():
    sw = terms.stopword_set()
    toks = {"s": [terms.sentence_terms("Blocking receptors, ketamine helps; brain circuits recover.", sw)]}
    bigrams = set(terms.bigram_counts(toks, ["s"])["bigram"])
    assert "receptor ketamine" not in bigrams
    assert "brain circuit" in bigrams


def test_log_likelihood_known_value():
    # a=10 in 100 tokens vs b=10 in 1000 tokens: G2 = 2*(10 ln(10/1.818) + 10 ln(10/18.18))
    assert terms.log_likelihood(10, 10, 100, 1000) == pytest.approx(22.14, abs=0.01)
    assert terms.log_likelihood(0, 0, 10, 10) == 0.0
    assert terms.log_likelihood(3, 0, 10, 0) == 0.0


def test_distinctive_terms_per_section(seed, tokens):
    dist = terms.distinctive_terms(tokens, ids(seed), per_section=3)
    assert set(dist["section"]) == set(ids(seed))
    assert (dist.groupby("section").size() <= 3).all()
    intro = dist[dist["section"] == "introduction"]
    assert intro.iloc[0]["term"] == "antidepressant"


def test_term_section_matrix(seed, tokens):
    m = terms.term_section_matrix(tokens, ids(seed), ["ketamine", "depression"])
    assert m.loc["ketamine"].tolist() == [7, 11, 8]
    assert list(m.columns) == ids(seed)


def test_parse_word_list():
    assert terms.parse_word_list(" Foo, bar;BAR  baz ") == ("bar", "baz", "foo")
