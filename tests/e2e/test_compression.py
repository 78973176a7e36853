"""The served dashboard's static files arrive compressed in Chromium, and the page still works."""

from __future__ import annotations

import gzip
import urllib.request

import brotli

from .server import wait_for_app


def test_the_javascript_arrives_compressed_and_the_page_works(page, server):
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(server + "/")
    wait_for_app(page)
    for name in ("Section lengths", "Key terms", "Citations", "Text & search"):
        assert page.get_by_role("tab", name=name).is_visible()
    assert page.get_by_test_id("stPlotlyChart").count() >= 1  # drawn: plotly's bundle decoded and ran

    scripts = [r for r in responses if "/static/" in r.url and r.url.endswith(".js") and r.status == 200]
    assert scripts
    accepted = scripts[0].request.all_headers().get("accept-encoding", "")
    # Chromium offers brotli on plain http to 127.0.0.1 (it sends "gzip, deflate, br, zstd").
    expected = "br" if "br" in accepted else "gzip"
    on_wire = {r.url: r.request.sizes()["responseBodySize"] for r in scripts}
    big = max(scripts, key=lambda r: len(r.body()))
    assert len(big.body()) > 1_000_000  # plotly's bundle, decoded by the browser
    assert big.headers["content-encoding"] == expected
    assert big.headers["vary"] == "Accept-Encoding"
    assert "immutable" in big.headers["cache-control"]
    assert on_wire[big.url] < len(big.body()) // 3
    for r in scripts:
        if len(r.body()) >= 1024:
            assert r.headers.get("content-encoding") == expected, r.url


def test_the_page_preloads_plotly_and_fetches_it_once(page, server):
    """The page names plotly's module for early fetching, the browser takes it then, and the chart's
    own import reuses it rather than fetching it a second time."""
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(server + "/")
    wait_for_app(page)
    href = page.locator("link[rel='modulepreload'][href*='PlotlyChart.']").get_attribute("href")
    plotly = [url for url in requested if "/static/js/PlotlyChart." in url]
    assert plotly == [server + "/" + href.removeprefix("./")]
    assert page.get_by_test_id("stPlotlyChart").first.locator(".main-svg").count() >= 1


def fetch(url: str, accept: str) -> tuple[dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": accept})
    with urllib.request.urlopen(request, timeout=30) as response:
        return {k.lower(): v for k, v in response.headers.items()}, response.read()


def test_each_encoding_from_a_plain_http_client(server, page):
    page.goto(server + "/")
    src = page.locator("script[src*='/static/js/index']").first.get_attribute("src")
    url = server + "/" + src.lstrip("./").lstrip("/")
    plain_headers, plain = fetch(url, "identity")
    assert "content-encoding" not in plain_headers and len(plain) > 100_000
    assert plain_headers["vary"] == "Accept-Encoding"
    headers, body = fetch(url, "br")
    assert headers["content-encoding"] == "br" and brotli.decompress(body) == plain
    assert int(headers["content-length"]) == len(body) < len(plain) // 2
    assert headers["etag"].startswith("W/")
    headers, body = fetch(url, "gzip, deflate")
    assert headers["content-encoding"] == "gzip" and gzip.decompress(body) == plain
