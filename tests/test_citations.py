from __future__ import annotations

from collections import Counter

import pytest

from dashboard import citations as cit


def test_seed_kinds_and_providers(seed):
    kinds = Counter(c.kind for c in seed.citations)
    assert kinds == {"cloud storage / CDN": 4, "blog platform": 4, "social": 1}
    providers = [c.provider for c in seed.citations if c.kind == "cloud storage / CDN"]
    assert providers == ["Google Cloud Storage", "Azure Blob Storage", "BunnyCDN", "Wasabi"]
    assert [c.domain for c in seed.citations][:4] == ["googleapis.com", "windows.net", "b-cdn.net", "wasabisys.com"]
    assert seed.citations[4].host == "twitter.com"


@pytest.mark.parametrize(
    ("url", "kind", "domain"),
    [
        ("https://doi.org/10.1000/xyz", "scholarly", "doi.org"),
        ("https://pubmed.ncbi.nlm.nih.gov/12345/", "scholarly", "nih.gov"),
        ("https://www.cdc.gov/sleep/", "government", "cdc.gov"),
        ("https://www.gov.uk/x", "government", "www.gov.uk"),  # gov.uk is itself a public suffix
        ("https://www.ox.ac.uk/research", "education", "ox.ac.uk"),
        ("https://www.bbc.co.uk/news/health", "news", "bbc.co.uk"),
        ("https://en.wikipedia.org/wiki/Ketamine", "reference", "wikipedia.org"),
        ("https://someone.blogspot.com/2020/01/post.html", "blog platform", "blogspot.com"),
        ("https://example.com/page", "other", "example.com"),
        ("http://trusted.org@evil.com/", "other", "evil.com"),
        ("https://192.168.1.1/x", "other", None),
    ],
)
def test_describe(url, kind, domain):
    info = cit.describe(url)
    assert (info.kind, info.domain) == (kind, domain)


def test_provider_falls_back_to_private_suffix():
    assert cit.describe("https://someone.github.io/x").provider == "github.io"


def test_malformed_and_unsafe_urls_never_raise():
    assert cit.describe("https://[::1").kind == "other"
    assert cit.describe(None).kind == "no URL"
    assert cit.describe("javascript:alert(1)").host is None
    for url in ("javascript:alert(1)", "data:text/html,x", "ftp://x.org/a", "https://[::1", "", None, "//x.org"):
        assert not cit.is_safe_link(url)
    assert cit.is_safe_link("https://doi.org/10.1/x")


def test_find_urls_trims_punctuation_and_keeps_balanced_brackets():
    text = "See (https://en.wikipedia.org/wiki/Foo_(bar)). And www.x.com/a, ok. Note: this"
    assert cit.find_urls(text) == ["https://en.wikipedia.org/wiki/Foo_(bar)", "www.x.com/a"]
    assert cit.find_urls("1. javascript:alert(1) and ftp://x.org/y.", any_scheme=True) == [
        "javascript:alert(1)",
        "ftp://x.org/y",
    ]
    assert cit.find_urls("Health: https://nih.gov", any_scheme=True) == ["https://nih.gov"]


def test_rules_come_from_the_data_file(tmp_path):
    csv = tmp_path / "kinds.csv"
    csv.write_text("pattern,kind,provider,note\nexample.com,news,,test\n*.example.com,social,,glob\n")
    rules = cit.load_rules(csv)
    assert rules[0].pattern == "example.com"  # literal before glob
    assert cit.describe("https://a.example.com/", rules).kind == "news"
    bad = tmp_path / "bad.csv"
    bad.write_text("pattern,kind,provider,note\nx.org,nonsense,,\n")
    with pytest.raises(ValueError, match="unknown kind"):
        cit.load_rules(bad)


def test_default_data_file_is_valid():
    rules = cit.load_rules()
    assert {r.kind for r in rules} <= set(cit.KINDS)
    assert len({r.pattern for r in rules}) == len(rules), "duplicate patterns in data/domain_kinds.csv"


def test_no_network_at_run_time(no_network):
    cit._extractor.cache_clear()
    try:
        info = cit.describe("https://www.bbc.co.uk/news/x")
    finally:
        cit._extractor.cache_clear()
    assert info.domain == "bbc.co.uk"
    assert no_network == []
