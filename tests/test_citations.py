from __future__ import annotations

import csv
import time
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
    assert info.reason  # every URL gets a reason


# Hand-made examples, one or more per signal family (none taken from the evaluation corpus).
@pytest.mark.parametrize(
    ("url", "kind", "reason_part"),
    [
        # DOIs anywhere in the path or query, on any host that has no stronger rule
        ("https://www.unknown-society.org/doi/full/10.5555/abcd.2020.12", "scholarly", "DOI in the URL path"),
        ("https://www.some-hospital.org/research?doi=10.5555/xyz-1", "scholarly", "DOI in the URL query"),
        ("https://www.nasa.gov/pdf/10.5555/report-1.pdf", "scholarly", "DOI in the URL path"),  # DOI beats .gov
        ("https://www.ncbi.nlm.nih.gov/pmc/articles/PMC3333333/", "scholarly", "PubMed Central"),
        ("https://www.ncbi.nlm.nih.gov/books/NBK111111/", "scholarly", "Bookshelf"),
        ("https://www.ncbi.nlm.nih.gov/gene/1234", "government", "National Library of Medicine"),
        ("https://www.nimh.nih.gov/health/topics", "government", "National Institutes of Health"),
        ("https://mirror.example.net/pubmed/7654321", "scholarly", "PubMed"),
        ("https://arxiv.org/abs/2301.00001", "scholarly", "preprint"),
        ("https://www.medrxiv.org/content/early/x", "scholarly", "preprint"),
        ("https://osf.io/preprints/psyarxiv/abcde", "scholarly", "preprint"),
        ("https://link.springer.com/chapter/x", "scholarly", "publisher"),
        ("https://academic.oup.com/brain/article/1/1/1/1", "scholarly", "publisher"),
        ("https://zenodo.org/records/1", "scholarly", "data"),
        ("https://www.semanticscholar.org/paper/x", "scholarly", "index"),
        ("https://scholar.google.de/scholar?q=x", "scholarly", "index"),
        ("https://www.researchgate.net/publication/1_x", "scholarly", "paper-sharing"),
        # scholarly structure on hosts with no rule
        ("https://journals.physics-society.example/jps/article/1", "scholarly", "journal platform host"),
        ("https://eprints.uni.example.ac.uk/1234/", "scholarly", "repository"),
        ("https://kb.uni-example.de/bitstream/handle/123/456/paper.pdf", "scholarly", "DSpace"),
        ("https://press.example.edu/books/x", "scholarly", "university press"),
        ("https://openjournal.example.org/index.php/jx/article/view/12", "scholarly", "Open Journal Systems"),
        ("https://www.ornithology-society.org/content/41/2/133", "scholarly", "volume/issue/page"),
        ("https://www.bird-society.example/PDF/12_3/12_3_45-67.pdf", "scholarly", "volume, issue and pages"),
        ("https://www.examplejournal.org/current", "scholarly", "guess: a journal"),
        # journal publishers' news sections are news
        ("https://www.science.org/content/article/some-news-story", "news", "news section"),
        ("https://www.science.org/doi/10.1126/science.abc1234", "scholarly", ""),
        ("https://www.nature.com/articles/d41586-021-00001-1", "news", "news section"),
        ("https://www.nature.com/articles/s41586-021-00001-1", "scholarly", "publisher"),
        # government by structure, worldwide
        ("https://www.justice.govt.nz/x", "government", "govt.nz"),
        ("https://www.mhlw.go.jp/english/", "government", "go.jp"),
        ("https://www.interieur.gouv.fr/x", "government", "gouv.fr"),
        ("https://www.salud.gob.mx/x", "government", "gob.mx"),
        ("https://www.sozialministerium.gv.at/x", "government", "gv.at"),
        ("https://www.bag.admin.ch/x", "government", ""),
        ("https://www.bsi.bund.de/x", "government", ""),
        ("https://www.army.mil/x", "government", ".mil"),
        ("https://www.nzdf.mil.nz/x", "government", "military"),
        ("https://www.example-treaty.int/x", "government", "intergovernmental"),
        ("https://www.dot.state.tx.us/x", "government", "state.tx.us"),
        ("https://www.ci.springfield.or.us/x", "government", "local government"),
        ("https://www.health.gov.au/x", "government", "gov.au"),
        ("https://www.canada.ca/en.html", "government", ""),
        ("https://www.unicef.org/x", "government", "UN"),
        ("https://www.oecd.org/x", "government", "intergovernmental"),
        ("https://ec.europa.eu/x", "government", "European Union"),
        ("https://www.nhs.uk/conditions/x", "government", ""),
        # education by structure and lists
        ("https://www.unimelb.edu.au/x", "education", "edu.au"),
        ("https://www.kyoto-u.ac.jp/x", "education", "ac.jp"),
        ("https://www.uct.ac.za/x", "education", "ac.za"),
        ("https://www.example.k12.ca.us/x", "education", "k12"),
        ("https://www.tum.de/en", "education", "swot"),
        ("https://www.mayoclinic.org/diseases-conditions/x", "education", "academic medical centre"),
        ("https://www.health.harvard.edu/x", "education", "academic medical centre"),
        # news
        ("https://www.reuters.com/world/x", "news", "wire"),
        ("https://www.lemonde.fr/x", "news", "France"),
        ("https://www.healthline.com/health/x", "news", "consumer-health"),
        ("https://www.smalltown-tribune.com/local/x", "news", "guess: named like a newspaper"),
        # reference
        ("https://fr.wiktionary.org/wiki/x", "reference", "Wikimedia"),
        ("https://web.archive.org/web/2001/https://doi.org/10.5555/x", "reference", "archive"),  # whatever it archived
        ("https://books.google.co.uk/books?id=x", "reference", "digital library"),
        ("https://www.google.com/books/edition/x", "reference", "digital library"),
        ("https://www.loc.gov/item/x/", "reference", "Library of Congress"),
        ("https://dictionary.cambridge.org/dictionary/english/x", "reference", "dictionary"),
        ("https://www.cambridge.org/core/journals/x", "scholarly", "publisher"),
        ("https://unix.stackexchange.com/questions/1", "reference", "question-and-answer"),
        ("https://www.statista.com/statistics/1/x", "reference", "statistics"),
        # social
        ("https://x.com/someone/status/1", "social", ""),
        ("https://vimeo.com/1", "social", ""),
        ("https://social.example-instance.org/@someone/1234567", "social", "fediverse"),
        ("https://developers.facebook.com/docs/x", "other", "company pages"),
        # blog platforms on any country domain, and per-user site hosts
        ("https://someone.blogspot.co.uk/2020/01/x.html", "blog platform", "Blogger"),
        ("https://someone.blogspot.com.br/x", "blog platform", "Blogger"),
        ("https://someone.github.io/project/", "blog platform", "per-user site"),
        ("https://someone.gitlab.io/x", "blog platform", "per-user site"),
        ("https://someone.netlify.app/x", "blog platform", "per-user site"),
        ("https://someone.hypotheses.org/1", "blog platform", ""),
        ("https://someone.coolblogs-host.net/x", "blog platform", "guess"),
        # cloud storage / CDN
        ("https://files.example-bucket.s3.amazonaws.com/x.pdf", "cloud storage / CDN", ""),
        ("https://drive.google.com/file/d/x/view", "cloud storage / CDN", "Google Drive"),
        ("https://i.imgur.com/x.png", "cloud storage / CDN", "image"),
        ("https://cdn.jsdelivr.net/npm/x", "cloud storage / CDN", "CDN"),
        ("https://someone.files.wordpress.com/2020/01/x.pdf", "cloud storage / CDN", "WordPress.com"),
        ("https://cdn.unknown-shop.example/x.pdf", "cloud storage / CDN", "content-delivery"),
        ("https://raw.githubusercontent.com/o/r/main/x.csv", "cloud storage / CDN", "raw file"),
        # other: code hosts, shorteners, companies, NGOs
        ("https://github.com/owner/repo", "other", "code host"),
        ("https://cran.r-project.org/package=x", "other", "registry"),
        ("https://bit.ly/3xyz", "other", "link shortener"),
        ("https://t.co/abc", "other", "link shortener"),
        ("https://amzn.to/abc", "other", "link shortener"),
        ("https://www.amazon.co.uk/dp/x", "other", "shop"),
        ("https://www.amnesty.org/en/x", "other", "NGO"),
        ("https://www.example-widgets.com/about", "other", "no rule"),
    ],
)
def test_describe_kinds_and_reasons(url, kind, reason_part):
    info = cit.describe(url)
    assert info.kind == kind, (url, info)
    assert reason_part in info.reason, (url, info.reason)


@pytest.mark.parametrize(
    ("url", "kind", "reason"),
    [
        (
            "https://sci-hub.example/10.5555/abc.123",
            "scholarly",
            "shadow library link wrapping a DOI: classified by the work it wraps",
        ),
        (
            "https://sci-hub.example/https://pubmed.ncbi.nlm.nih.gov/7654321/",
            "scholarly",
            "shadow library link wrapping a PubMed URL: classified by the work it wraps",
        ),
        (
            "https://libgen.example/scimag/?doi=10.5555%2Fabc",
            "scholarly",
            "shadow library link wrapping a DOI: classified by the work it wraps",
        ),
        ("https://sci-hub.example/", "other", "shadow library (unauthorised copies of papers and books)"),
        (
            "https://www-thelancet-com.ezproxy.uni.example.edu/journals/lancet/article/x",
            "scholarly",
            "library proxy link wrapping a URL on www.thelancet.com: classified by the work it wraps",
        ),
        (
            "https://login.proxy.uni.example.ac.uk/login?url=https://www.bbc.co.uk/news/x",
            "news",
            "library proxy link wrapping a URL on www.bbc.co.uk: classified by the work it wraps",
        ),
        (
            "https://www.google.com/url?q=https://arxiv.org/abs/2301.00001&sa=D",
            "scholarly",
            "redirect link wrapping an arXiv URL: classified by the work it wraps",
        ),
    ],
)
def test_wrappers_are_classified_by_what_they_wrap(url, kind, reason):
    info = cit.describe(url)
    assert (info.kind, info.reason) == (kind, reason)
    assert info.host == cit.describe(url.split("?")[0]).host  # the link's own host is still reported


def test_malformed_and_unsafe_urls_never_raise():
    assert cit.describe("https://[::1").kind == "other"
    assert cit.describe(None).kind == "no URL"
    assert cit.describe(None).reason == ""
    assert cit.describe(float("nan")).kind == "no URL"  # a pandas gap
    assert cit.describe("javascript:alert(1)").host is None
    assert cit.describe("doi:10.5555/x").kind == "scholarly"
    for url in ("javascript:alert(1)", "data:text/html,x", "ftp://x.org/a", "https://[::1", "", None, "//x.org"):
        assert not cit.is_safe_link(url)
    assert not cit.is_safe_link(float("nan"))
    assert cit.is_safe_link("https://doi.org/10.1/x")


def test_find_urls_trims_punctuation_and_keeps_balanced_brackets():
    text = "See (https://en.wikipedia.org/wiki/Foo_(bar)). And www.x.com/a, ok. Note: this"
    assert cit.find_urls(text) == ["https://en.wikipedia.org/wiki/Foo_(bar)", "www.x.com/a"]
    assert cit.find_urls("1. javascript:alert(1) and ftp://x.org/y.", any_scheme=True) == [
        "javascript:alert(1)",
        "ftp://x.org/y",
    ]
    assert cit.find_urls("Health: https://nih.gov", any_scheme=True) == ["https://nih.gov"]


def test_find_urls_default_is_web_addresses_only():
    text = "mailto:a@b.example javascript:x() Category:Foo ftp://f.example/x http://h.example www.w.example"
    assert cit.find_urls(text) == ["ftp://f.example/x", "http://h.example", "www.w.example"]


def test_any_scheme_never_takes_word_colon_word():
    text = (
        "Category:Foo File:Bar.jpg Note:this Data:set Template:Cite_web "
        "mailto:a@b.example tel:+441234 data:text/html,x urn:isbn:0000000000 "
        "vbscript:msgbox JavaScript:void(0) chrome://settings doi:10.5555/abc"
    )
    assert cit.find_urls(text, any_scheme=True) == [
        "mailto:a@b.example",
        "tel:+441234",
        "data:text/html,x",
        "urn:isbn:0000000000",
        "vbscript:msgbox",
        "JavaScript:void(0)",
        "chrome://settings",
        "doi:10.5555/abc",
    ]


def test_find_identifiers():
    text = (
        "1. Doe J. A study. J Ex. 2021;3:4. doi:10.5555/ex.2021.004. PMID: 30000001; PMCID: PMC7000001.\n"
        "2. Roe R. Preprint. arXiv:2203.01234v3 and the old arXiv:cond-mat/9912001.\n"
        "3. Poe P. Chapter. DOI 10.5555/(SICI)12-3(45)6-7). Also 10.5555/bare-one, and again doi:10.5555/ex.2021.004.\n"
        "4. A link is left to find_urls: https://doi.org/10.5555/in-a-url and a fraction 10.1234/5678."
    )
    assert cit.find_identifiers(text) == [
        ("doi:10.5555/ex.2021.004", "https://doi.org/10.5555/ex.2021.004"),
        ("PMID: 30000001", "https://pubmed.ncbi.nlm.nih.gov/30000001/"),
        ("PMC7000001", "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC7000001/"),
        ("arXiv:2203.01234v3", "https://arxiv.org/abs/2203.01234v3"),
        ("arXiv:cond-mat/9912001", "https://arxiv.org/abs/cond-mat/9912001"),
        ("DOI 10.5555/(SICI)12-3(45)6-7", "https://doi.org/10.5555/(SICI)12-3(45)6-7"),
        ("10.5555/bare-one", "https://doi.org/10.5555/bare-one"),
    ]
    assert cit.find_identifiers("") == []
    assert cit.find_identifiers("pmc1234567 in lower case, /pmc/articles/PMC7654321/ in a path") == []


def test_find_identifiers_and_find_urls_are_linear():
    hostile = [
        "doi" + " " * 200_000 + "x",
        "10." * 100_000,
        "PMID" + ":" * 100_000,
        "arXiv:" + "a" * 200_000,
        ("doi:10.5555/" + "(" * 500) * 200,
        "http://" + "a." * 100_000,
    ]
    start = time.perf_counter()
    for text in hostile:
        cit.find_identifiers(text)
        cit.find_urls(text, any_scheme=True)
    assert time.perf_counter() - start < 5


@pytest.mark.parametrize(
    ("urls", "key"),
    [
        (
            [
                "https://doi.org/10.5555/ABC.123",
                "http://dx.doi.org/10.5555%2Fabc.123",
                "doi:10.5555/abc.123",
                "https://onlinelibrary.wiley.com/doi/full/10.5555/abc.123",
                "https://www.tandfonline.com/doi/pdf/10.5555/abc.123?needAccess=true",
                "https://journals.plos.org/x/article?id=10.5555/abc.123",
            ],
            "doi:10.5555/abc.123",
        ),
        (
            [
                "https://pubmed.ncbi.nlm.nih.gov/30000001/",
                "https://www.ncbi.nlm.nih.gov/pubmed/30000001",
                "https://europepmc.org/article/MED/30000001",
            ],
            "pmid:30000001",
        ),
        (
            [
                "https://www.ncbi.nlm.nih.gov/pmc/articles/PMC7000001/",
                "https://pmc.ncbi.nlm.nih.gov/articles/PMC7000001/",
                "https://europepmc.org/article/PMC/PMC7000001",
            ],
            "pmc:7000001",
        ),
        (
            [
                "https://arxiv.org/abs/2203.01234",
                "https://arxiv.org/abs/2203.01234v3",
                "http://export.arxiv.org/pdf/2203.01234v1.pdf",
                "https://doi.org/10.48550/arXiv.2203.01234",
            ],
            "arxiv:2203.01234",
        ),
        (["https://arxiv.org/abs/math.GT/0309136", "https://arxiv.org/abs/math/0309136v2"], "arxiv:math/0309136"),
        (
            [
                "https://www.biorxiv.org/content/10.1101/2020.01.01.000001v2.full.pdf",
                "https://doi.org/10.1101/2020.01.01.000001",
            ],
            "doi:10.1101/2020.01.01.000001",
        ),
        (["https://example.com/page", "https://arxiv.org/list/cs.AI/recent", None, ""], None),
    ],
)
def test_work_key(urls, key):
    assert {cit.work_key(u) for u in urls} == {key}


def test_identifiers_found_in_text_dedupe_against_links():
    for written, url in cit.find_identifiers("doi:10.5555/X.1 PMID: 30000001 PMC7000001 arXiv:2203.01234v2"):
        assert cit.work_key(url) is not None, written
    keys = {cit.work_key(u) for _, u in cit.find_identifiers("doi:10.5555/X.1 PMID 30000001 arXiv:2203.01234v2")}
    assert keys == {"doi:10.5555/x.1", "pmid:30000001", "arxiv:2203.01234"}


def test_rules_come_from_the_data_file(tmp_path):
    csv_path = tmp_path / "kinds.csv"
    csv_path.write_text("pattern,kind,provider,note\nexample.com,news,,test\n*.example.com,social,,glob\n")
    rules = cit.load_rules(csv_path)
    assert rules[0].pattern == "example.com"  # literal before glob
    assert cit.describe("https://a.example.com/", rules).kind == "news"
    bad = tmp_path / "bad.csv"
    bad.write_text("pattern,kind,provider,note\nx.org,nonsense,,\n")
    with pytest.raises(ValueError, match="unknown kind"):
        cit.load_rules(bad)


def test_user_rows_win_over_every_built_in_rule(tmp_path):
    csv_path = tmp_path / "kinds.csv"
    csv_path.write_text(
        "pattern,kind,provider,note\n"
        "# comment rows are skipped,,,\n"
        "reuters.com,other,,our house rule\n"
        "some-news.example,news,,a news site that prints DOIs\n"
        "bit.ly,social,,we trust our own short links\n"
        "*.gov,education,,odd but the user's choice\n"
    )
    rules = cit.load_rules(csv_path)
    assert len(rules) == 4
    info = cit.describe("https://www.reuters.com/x", rules)
    assert (info.kind, info.reason) == ("other", "our house rule")
    assert cit.describe("https://some-news.example/10.5555/x", rules).kind == "news"  # beats the DOI signal
    assert cit.describe("https://bit.ly/x", rules).kind == "social"  # beats the shortener rule
    assert cit.describe("https://www.cdc.gov/x", rules).kind == "education"
    assert cit.describe("https://www.nature.com/x", rules).kind == "scholarly"  # built-ins still apply


def test_layer_order_doi_versus_host_kinds():
    # weak host kinds (news, government, education, other) give way to a DOI in the path ...
    assert cit.describe("https://www.reuters.com/10.5555/x").kind == "scholarly"
    assert cit.describe("https://github.com/o/r/blob/main/10.5555/x").kind == "scholarly"
    # ... strong ones (reference, cloud, blog, social) do not
    assert cit.describe("https://archive.org/details/10.5555/x").kind == "reference"
    assert cit.describe("https://drive.google.com/10.5555/x").kind == "cloud storage / CDN"
    assert cit.describe("https://someone.github.io/10.5555/x").kind == "blog platform"


def test_default_data_file_is_valid():
    rules = cit.load_rules()
    assert {r.kind for r in rules} <= set(cit.KINDS)
    assert len({r.pattern for r in rules}) == len(rules), "duplicate patterns in data/domain_kinds.csv"
    assert not any(r.is_glob for r in rules), "generic patterns belong in citations.py, not in the user file"


def test_known_sites_file_is_valid():
    table = cit.load_site_rules()
    assert len(table) > 1500
    assert {r.kind for rules in table.values() for r in rules} <= set(cit.KINDS) - {"no URL"}
    assert all(r.reason for rules in table.values() for r in rules)


def test_bundled_lists_name_their_source_and_licence():
    for path, word in ((cit.NEWS_SITES, "newspaper4k"), (cit.EDUCATION_SITES, "swot")):
        head = path.read_text(encoding="utf-8")[:6000]
        assert word in head and "MIT" in head and "Permission is hereby granted" in head
    assert cit.describe("https://www.uni-heidelberg.de/x").kind == "education"


def test_shorteners_agree_with_the_audit_rules():
    with cit.AUDIT_RULES_CSV.open(newline="", encoding="utf-8") as f:
        audit = {r["value"] for r in csv.DictReader(f) if r["rule"] == "shortener"}
    for host in audit:
        assert cit.is_shortener(host), host
        assert cit.describe(f"https://{host}/abc").kind == "other"
    assert not cit.is_shortener("www.nature.com")
    assert not cit.is_shortener(None)


def test_describe_is_fast_for_thousands_of_urls():
    urls = [f"https://h{i % 700}.example-{i % 13}.org/p/{i}" for i in range(6000)]
    urls += [f"https://www.nature.com/articles/s{i}" for i in range(2000)]
    start = time.perf_counter()
    for u in urls:
        cit.describe(u)
    assert time.perf_counter() - start < 5


def test_no_network_at_run_time(no_network):
    cit._extractor.cache_clear()
    cit._host_facts.cache_clear()
    cit._describe_with_default_rules.cache_clear()
    try:
        info = cit.describe("https://www.bbc.co.uk/news/x")
    finally:
        cit._extractor.cache_clear()
        cit._host_facts.cache_clear()
    assert info.domain == "bbc.co.uk"
    assert no_network == []
