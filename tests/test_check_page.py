"""Checking one cited page against a local server (tests/checkserver.py): each kind of page a
citation can lead to gives its status, a plain reason and the fields that go with it."""

from __future__ import annotations

import socket
import time

import pytest

from dashboard import fetch
from dashboard.check import page as check
from dashboard.check.page import STATUSES, PageCheck, archive_url, check_page

from .checkserver import PDF_TITLE, serve

ARTICLE_TITLE = "Short sleep weakens memory in adults"
CAP = 100_000


@pytest.fixture(scope="module")
def site():
    with serve() as running:
        yield running


def run(url: str, **kwargs) -> PageCheck:
    options = {"timeout": 5.0, "max_bytes": CAP, "allow_loopback": True} | kwargs
    got = check_page(url, **options)
    assert got.status in STATUSES
    assert got.reason and got.reason == got.reason.strip()
    assert got.elapsed >= 0
    if got.status not in ("ok", "redirected"):
        assert got.text == "" and got.words == 0
    return got


def test_a_good_article(site):
    url = site.url("/article.html")
    got = run(url, cited_title=ARTICLE_TITLE)
    assert (got.status, got.http_status) == ("ok", 200)
    assert got.reason == "the server answered 200 OK with a page of 310 words"
    assert got.final_url == url and got.redirects == ()
    assert got.content_type == "text/html"
    assert got.title == "Short Sleep Weakens Memory in Adults"
    assert (got.language, got.author, got.date) == ("en-GB", "Mara Lindqvist", "2024-03-05")
    assert got.site_name == "Health Weekly"
    assert got.words == 310
    assert "scored 30 percent lower on a word-recall" in " ".join(got.text.split())
    assert "Sign in" not in got.text  # the main text, not the navigation
    # A long free article with a "Sign in" link and an "Already a subscriber?" footer shows no sign.
    assert got.signs == ()
    assert got.archive_url == "https://web.archive.org/web/*/" + url


@pytest.mark.parametrize(
    ("path", "status", "code", "reason"),
    [
        ("/missing", "dead", 404, "the server answered 404 Not Found"),
        ("/gone", "dead", 410, "the server answered 410 Gone"),
        ("/broken", "error", 500, "the server answered 500 Internal Server Error"),
    ],
)
def test_http_errors(site, path, status, code, reason):
    got = run(site.url(path))
    assert (got.status, got.http_status, got.reason) == (status, code, reason)
    assert got.title is None and got.signs == ()


def test_a_login_wall_answering_401(site):
    got = run(site.url("/members"))
    assert (got.status, got.http_status, got.reason) == ("error", 401, "the server answered 401 Unauthorized")
    assert got.signs == ("login",)


def test_a_redirect_chain_to_another_site(site):
    got = run(site.url("/moved"), cited_title=ARTICLE_TITLE)
    landing = f"http://localhost:{site.port}/article.html"
    assert got.status == "redirected"
    assert got.reason == (
        "the link lands on another site, localhost; the server answered 200 OK with a page of 310 words"
    )
    assert got.redirects == (site.url("/moved-again"), landing)
    assert (got.final_url, got.http_status) == (landing, 200)
    assert got.title == "Short Sleep Weakens Memory in Adults" and got.words == 310  # the landing page is read
    assert got.archive_url.endswith("/" + site.url("/moved"))


def test_a_redirect_on_the_same_site_is_ok(site):
    got = run(site.url("/same-site"))
    assert got.status == "ok"
    assert got.reason == "the server answered 200 OK with a page of 310 words after 1 redirect on the same site"
    assert got.redirects == (site.url("/article.html"),)


def test_a_resolver_or_shortener_lands_where_it_sends_the_link():
    def chain(*urls: str) -> fetch.Probe:
        hops = (*(fetch.Hop(u, 302) for u in urls[:-1]), fetch.Hop(urls[-1], 200))
        return fetch.Probe(urls[0], hops)

    assert check._elsewhere(chain("https://doi.org/10.1000/x", "https://www.publisher.example.com/a")) is None
    assert check._elsewhere(chain("https://bit.ly/abc", "https://news.example.org/story")) is None
    assert check._elsewhere(chain("http://blog.example.org/a", "https://example.org/a")) is None
    assert check._elsewhere(chain("https://example.org/a", "https://spam.example.net/")) == "example.net"


@pytest.mark.parametrize(
    ("path", "status", "reason", "last"),
    [
        ("/to-private", "refused", "redirected to a private address 10.1.2.3: refused", "http://10.1.2.3/secret"),
        (
            "/to-ftp",
            "refused",
            "redirected to an address that is not http or https (ftp:): refused",
            "ftp://127.0.0.1/paper.txt",
        ),
        (
            "/to-nowhere",
            "dead",
            "redirected to moved-away.invalid, a host name that does not exist",
            "http://moved-away.invalid/article",
        ),
    ],
)
def test_a_redirect_refused_or_lost_on_the_way(site, path, status, reason, last):
    got = run(site.url(path))
    assert (got.status, got.reason) == (status, reason)
    assert got.redirects[-1] == got.final_url == last
    assert got.http_status is None  # the last URL was never asked


def test_no_request_is_ever_sent_to_a_private_address(site, monkeypatch):
    connect = socket.create_connection

    def only_loopback(address, *args, **kwargs):
        assert address[0] == "127.0.0.1", address
        return connect(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", only_loopback)
    assert run(site.url("/to-private")).status == "refused"


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/loop", f"the link redirects more than {check.MAX_REDIRECTS} times"),
        ("/no-location", "the server answered 302 (a redirect) without saying where to"),
    ],
)
def test_broken_redirects(site, path, reason):
    got = run(site.url(path))
    assert (got.status, got.reason, got.http_status) == ("error", reason, 302)


@pytest.mark.parametrize("path", ["/slow", "/drip"])
def test_a_slow_page_times_out_within_the_limit(site, path):
    # /slow answers after 3 s; /drip answers at once but trickles its body for 5 s.
    started = time.monotonic()
    got = run(site.url(path), timeout=0.5)
    assert (got.status, got.reason) == ("timeout", "the server did not answer in full within 0.5 s")
    assert time.monotonic() - started < 2.5  # the limit holds for the whole answer, not each read


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/huge", "the page is 293 KB, over the 98 KB cap: capped, not read"),  # by its Content-Length
        ("/huge-stream", "the page is larger than the 98 KB cap: capped, not read"),  # read up to the cap
    ],
)
def test_a_huge_page_is_capped(site, path, reason):
    got = run(site.url(path))
    assert (got.status, got.http_status, got.reason) == ("unreadable", 200, reason)


def test_a_pdf_is_read_with_its_title_and_text(site):
    got = run(site.url("/paper.pdf"), cited_title="Deep sleep and word recall: a two-week trial")
    assert (got.status, got.content_type) == ("ok", "application/pdf")
    assert got.reason == "the server answered 200 OK with a PDF of 1 page (37 words)"
    assert (got.title, got.author, got.date, got.language) == (
        PDF_TITLE,
        "Northfield Sleep Laboratory",
        "2024-03-05",
        "en",
    )
    assert got.words == 37 and "30 percent lower" in got.text
    assert got.signs == ()


def test_a_pdf_by_its_signature_titled_by_its_first_line(site):
    got = run(site.url("/download"))
    assert (got.status, got.content_type, got.title) == ("ok", "application/octet-stream", "Deep Sleep and Word Recall")


def test_a_long_pdf_is_read_up_to_the_page_cap(site, monkeypatch):
    monkeypatch.setattr(check, "MAX_PDF_PAGES", 2)
    got = run(site.url("/long.pdf"))
    assert got.reason == "the server answered 200 OK with a PDF of 3 pages, the first 2 read (74 words)"


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/damaged.pdf", "the PDF cannot be read: it is damaged or not a PDF (PdfStreamError)"),
        ("/photo.png", "the link leads to an image (image/png), not a page or document"),
        ("/blob", "the link leads to application/octet-stream, not a page or document"),
        ("/empty", "the server answered with an empty page"),
    ],
)
def test_what_it_cannot_read(site, path, reason):
    got = run(site.url(path))
    assert (got.status, got.http_status, got.reason) == ("unreadable", 200, reason)
    assert got.title is None


def test_plain_text_is_read(site):
    got = run(site.url("/notes.txt"))
    assert (got.status, got.words, got.text) == ("ok", 4, "Sleep notes\n\nEight hours.")


@pytest.mark.parametrize(
    ("path", "signs"),
    [
        ("/parked.html", ("parked",)),  # the parked-domain ad framework and a sale notice
        ("/parked-plain.html", ("parked",)),  # a registrar's notice only
        ("/login.html", ("login",)),  # a password form and little else
        ("/report", ("login",)),  # sent to a sign-in page
        ("/paywall.html", ("paywall",)),  # a teaser, a subscription prompt and schema.org's flag
        ("/metered.html", ("paywall",)),  # the whole article, flagged as not free
        ("/soft-missing", ("soft_404", "different_article")),  # "page not found" answered with 200
        ("/old-story", ("soft_404", "different_article")),  # a deep link sent to the home page
    ],
)
def test_signs_of_what_the_landing_page_is(site, path, signs):
    got = run(site.url(path))
    assert got.status == "ok" and got.http_status == 200
    assert got.signs == signs


def test_a_page_whose_title_is_not_the_cited_one(site):
    other = run(site.url("/other.html"), cited_title=ARTICLE_TITLE)
    assert other.signs == ("different_article",)
    assert other.title == "Tidal Turbines Power a Harbour Town"
    assert run(site.url("/article.html"), cited_title="Sleep: memory in adults weakened").signs == ()
    assert run(site.url("/other.html"), cited_title="this study").signs == ()  # too few words to judge
    assert run(site.url("/other.html")).signs == ()


def test_a_host_that_does_not_exist_is_dead():
    # RFC 6761: names under .invalid never exist; they are answered without asking a resolver.
    got = run("https://no-such-site.invalid/paper", allow_loopback=False)
    assert (got.status, got.http_status) == ("dead", None)
    assert got.reason == "the host name no-such-site.invalid does not exist (the DNS has no record of it)"
    assert got.archive_url == "https://web.archive.org/web/*/https://no-such-site.invalid/paper"


@pytest.mark.parametrize(
    ("errno", "status", "reason"),
    [
        (socket.EAI_NONAME, "dead", "the host name news.example.org does not exist (the DNS has no record of it)"),
        (
            socket.EAI_AGAIN,
            "error",
            "the host name news.example.org could not be looked up (a DNS failure; it may work later)",
        ),
    ],
)
def test_nxdomain_is_told_from_a_failed_lookup(monkeypatch, errno, status, reason):
    def answer(*args, **kwargs):
        raise socket.gaierror(errno, "resolver says no")

    monkeypatch.setattr(socket, "getaddrinfo", answer)
    got = run("https://news.example.org/story", allow_loopback=False)
    assert (got.status, got.reason) == (status, reason)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://example.org/a.txt", "only http and https links are checked, and this one is ftp:: refused"),
        ("http://user:pw@example.org/", "the link is a URL with a user name or password: refused"),
        ("http://10.0.0.7/admin", "the link points to a private address 10.0.0.7: refused"),
        ("http://169.254.169.254/latest/", "the link points to a link-local address 169.254.169.254: refused"),
    ],
)
def test_refused_by_the_safety_rules(url, reason):
    got = run(url, allow_loopback=False)
    assert (got.status, got.reason, got.http_status) == ("refused", reason, None)


def test_loopback_is_refused_unless_allowed(site):
    got = run(site.url("/article.html"), allow_loopback=False)
    assert (got.status, got.reason) == ("refused", "the link points to a loopback address 127.0.0.1: refused")


def test_a_name_resolving_to_a_private_address_is_refused(monkeypatch):
    monkeypatch.setattr(
        socket, "getaddrinfo", lambda *a, **k: [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("192.168.1.9", 80))]
    )
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: pytest.fail("must not connect"))
    got = run("http://looks-public.example/", allow_loopback=False)
    assert got.reason == "the host looks-public.example resolves to a private address 192.168.1.9: refused"


def test_a_refused_connection_is_an_error():
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    got = run(f"http://127.0.0.1:{port}/")
    assert got.status == "error"
    assert got.reason.startswith("the connection to 127.0.0.1 failed: ConnectionRefusedError")


def test_reading_a_page_is_bounded_in_time(site, monkeypatch):
    def slow_extraction(*args, **kwargs):
        time.sleep(1.0)

    monkeypatch.setattr(check.trafilatura, "bare_extraction", slow_extraction)
    got = run(site.url("/article.html"), read_seconds=0.2)
    assert (got.status, got.reason) == ("unreadable", "reading the page took longer than 0.2 s")


def test_it_never_raises_for_a_page(site, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(check, "_read", broken)
    got = run(site.url("/article.html"))
    assert (got.status, got.reason) == ("error", "the check itself failed on this page (an internal error)")
    assert got.archive_url


def test_the_request_asks_for_pages_pdfs_and_text(site):
    before = len(site.seen)
    run(site.url("/paper.pdf"))
    accept = site.seen[before][2]
    assert "text/html" in accept and "application/pdf" in accept and "text/plain" in accept


def test_probe_records_the_chain_and_returns_error_statuses(site):
    got = fetch.probe(site.url("/to-private"), timeout=5, max_bytes=CAP, allow_loopback=True)
    assert [(h.url, h.status) for h in got.hops] == [
        (site.url("/to-private"), 302),
        (site.url("/to-private-2"), 302),
        ("http://10.1.2.3/secret", None),
    ]
    assert (got.failure, got.address) == ("address", "10.1.2.3")
    missing = fetch.probe(site.url("/missing"), timeout=5, max_bytes=CAP, allow_loopback=True)
    assert (missing.failure, missing.status, missing.data) == (None, 404, b"no")
    capped = fetch.probe(site.url("/huge-stream"), timeout=5, max_bytes=CAP, allow_loopback=True)
    assert (capped.capped, len(capped.data), capped.length) == (True, CAP, None)


@pytest.mark.parametrize(
    ("url", "built"),
    [
        ("https://example.org/a?b=1#part", "https://web.archive.org/web/*/https://example.org/a?b=1"),
        ("http://example.org/a b", "https://web.archive.org/web/*/http://example.org/a%20b"),
        ("javascript:alert(1)", ""),
    ],
)
def test_archive_url(url, built):
    assert archive_url(url) == built
