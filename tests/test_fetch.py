from __future__ import annotations

import pytest

from dashboard.fetch import FetchError, fetch, name_for

from .localserver import serve


@pytest.fixture(scope="module")
def base():
    with serve() as url:
        yield url


def test_loads_a_page_and_names_it(base):
    got = fetch(base + "/article.html", allow_loopback=True)
    assert b"Sleep Tips For Busy Parents" in got.data
    assert name_for(got) == "article.html"
    assert name_for(fetch(base + "/notes.md", allow_loopback=True)) == "notes.md"
    assert name_for(fetch(base + "/plain", allow_loopback=True)) == "plain.txt"


def test_follows_redirects(base):
    got = fetch(base + "/redirect", allow_loopback=True)
    assert got.url.endswith("/article.html")


def test_loopback_refused_by_default(base):
    with pytest.raises(FetchError, match="not a public internet address"):
        fetch(base + "/article.html")


@pytest.mark.parametrize(
    ("path", "kwargs", "message"),
    [
        ("/loop", {}, "too many redirects"),
        ("/to-private", {}, r"10\.1\.2\.3 is not a public"),
        ("/to-ftp", {}, "only http"),
        ("/big", {"max_bytes": 100_000}, "limit"),
        ("/slow", {"timeout": 1.0}, "timed out"),
        ("/missing", {}, "404"),
    ],
)
def test_refusals_and_limits(base, path, kwargs, message):
    with pytest.raises(FetchError, match=message):
        fetch(base + path, allow_loopback=True, **kwargs)


def test_binary_content_type_is_refused(base):
    with pytest.raises(FetchError, match="not text or HTML"):
        name_for(fetch(base + "/binary", allow_loopback=True))


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("file:///etc/passwd", "only http"),
        ("javascript:alert(1)", "only http"),
        ("http://", "no host"),
        ("http://user:pw@127.0.0.1/", "user name"),
        ("http://[::1", "not a valid URL"),
        ("http://169.254.169.254/latest/meta-data/", "not a public"),
        ("http://[::ffff:127.0.0.1]/", "not a public"),
        ("http://0.0.0.0/", "not a public"),
    ],
)
def test_bad_urls(url, message):
    with pytest.raises(FetchError, match=message):
        fetch(url, timeout=2)


def test_unknown_host(monkeypatch):
    import socket

    def fail(*args, **kwargs):
        raise socket.gaierror("Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", fail)
    with pytest.raises(FetchError, match="cannot find the host"):
        fetch("http://no-such-host.example/")


def test_a_name_resolving_to_a_private_address_is_refused_before_connecting(monkeypatch):
    import socket

    monkeypatch.setattr(
        socket, "getaddrinfo", lambda *a, **k: [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.5", 80))]
    )
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: pytest.fail("must not connect"))
    with pytest.raises(FetchError, match=r"10\.0\.0\.5 is not a public"):
        fetch("http://looks-public.example/")


def test_the_size_cap_and_time_limit_default_to_the_settings(base, monkeypatch):
    from dashboard import settings

    monkeypatch.setenv(settings.MAX_UPLOAD_MB, "0.5")
    with pytest.raises(FetchError, match=r"limit (of|is) 0.5 MB"):
        fetch(base + "/big", allow_loopback=True)
    monkeypatch.delenv(settings.MAX_UPLOAD_MB)
    monkeypatch.setenv(settings.FETCH_TIMEOUT, "1")
    with pytest.raises(FetchError, match="timed out after 1 s"):
        fetch(base + "/slow", allow_loopback=True)
