"""The compressing middleware in front of Streamlit's static files, driven as plain ASGI."""

from __future__ import annotations

import gzip

import brotli
import pytest

from dashboard.compress import STATIC, Cache, CompressMiddleware, add_preloads, choose_encoding, element_modules

from .helpers import drive_asgi

JS = b"function f(){return 'article lens';}\n" * 2000
IMMUTABLE = b"public, immutable, max-age=31536000"


class Inner:
    """A static-file server in miniature: counts its calls, answers 304 to a matching If-None-Match."""

    def __init__(self, body: bytes = JS, content_type: bytes = b"text/javascript", cache: bytes = IMMUTABLE):
        self.body, self.content_type, self.cache, self.calls = body, content_type, cache, 0

    async def __call__(self, scope, receive, send):
        self.calls += 1
        headers = dict(scope.get("headers", []))
        if scope["type"] != "http":
            await send({"type": "websocket.accept"})
            return
        if headers.get(b"if-none-match") in (b'"abc"', b'W/"abc"'):
            await send({"type": "http.response.start", "status": 304, "headers": [(b"etag", b'"abc"')]})
            await send({"type": "http.response.body", "body": b""})
            return
        status, body = 200, self.body
        extra = []
        if b"range" in headers:
            status, body = 206, self.body[:100]
            extra = [(b"content-range", f"bytes 0-99/{len(self.body)}".encode())]
        if scope["path"].endswith("missing.js"):
            status, body = 404, b"not found" * 200
        base = [(b"content-type", self.content_type), (b"etag", b'"abc"'), (b"cache-control", self.cache)]
        response_headers = [*base, (b"content-length", str(len(body)).encode()), *extra]
        await send({"type": "http.response.start", "status": status, "headers": response_headers})
        # in two chunks, as a file is streamed
        half = len(body) // 2
        body_out = b"" if scope["method"] == "HEAD" else body
        await send({"type": "http.response.body", "body": body_out[:half], "more_body": True})
        await send({"type": "http.response.body", "body": body_out[half:]})


def call(app, path="/static/js/index.abc.js", accept=b"gzip, deflate, br", method="GET", headers=(), kind="http"):
    scope = {
        "type": kind,
        "method": method,
        "path": path,
        "root_path": "",
        "query_string": b"",
        "headers": [(b"accept-encoding", accept), *headers],
    }
    sent = drive_asgi(app, scope)
    if kind != "http":
        return sent
    start = sent[0]
    body = b"".join(m.get("body", b"") for m in sent[1:])
    return start["status"], {k.decode(): v.decode() for k, v in start["headers"]}, body


def test_brotli_when_accepted():
    status, headers, body = call(CompressMiddleware(Inner()))
    assert status == 200
    assert headers["content-encoding"] == "br" and headers["vary"] == "Accept-Encoding"
    assert brotli.decompress(body) == JS and int(headers["content-length"]) == len(body) < len(JS) // 10
    assert headers["etag"] == 'W/"abc"'
    assert headers["cache-control"] == "public, max-age=31536000, immutable"


def test_gzip_without_brotli_and_identity_without_either():
    status, headers, body = call(CompressMiddleware(Inner()), accept=b"gzip, deflate")
    assert headers["content-encoding"] == "gzip" and gzip.decompress(body) == JS
    status, headers, body = call(CompressMiddleware(Inner()), accept=b"identity")
    assert status == 200 and "content-encoding" not in headers and body == JS
    assert headers["vary"] == "Accept-Encoding" and headers["etag"] == '"abc"'
    _, headers, body = call(CompressMiddleware(Inner()), accept=b"br;q=0, gzip;q=0.5")
    assert headers["content-encoding"] == "gzip"


def test_accept_encoding_parsing():
    assert choose_encoding("gzip, deflate, br, zstd") == "br"
    assert choose_encoding("gzip;q=1.0, br;q=0") == "gzip"
    assert choose_encoding("*") == "br"
    assert choose_encoding("") is None
    assert choose_encoding("identity, deflate") is None


def test_compressed_once_then_served_from_memory():
    inner = Inner()
    app = CompressMiddleware(inner)
    first = call(app)
    second = call(app)
    assert first == second and inner.calls == 1
    call(app, accept=b"gzip")  # another encoding: compressed once more
    call(app, accept=b"gzip")
    assert inner.calls == 2 and app.cache.size == len(first[2]) + len(call(app, accept=b"gzip")[2])


def test_head_from_memory_and_before_it():
    inner = Inner()
    app = CompressMiddleware(inner)
    status, headers, body = call(app, method="HEAD")  # nothing cached yet: the app's own answer
    assert status == 200 and body == b"" and "content-encoding" not in headers
    assert headers["vary"] == "Accept-Encoding"
    _, get_headers, _ = call(app)
    status, headers, body = call(app, method="HEAD")
    assert status == 200 and body == b"" and headers == get_headers and inner.calls == 2


def test_conditional_requests_reach_the_app_and_304_passes_through():
    inner = Inner()
    app = CompressMiddleware(inner)
    _, headers, _ = call(app)
    status, headers304, body = call(app, headers=[(b"if-none-match", headers["etag"].encode())])
    assert status == 304 and body == b"" and inner.calls == 2
    assert "content-encoding" not in headers304 and headers304["vary"] == "Accept-Encoding"


def test_range_requests_pass_through_uncompressed():
    inner = Inner()
    app = CompressMiddleware(inner)
    call(app)  # cached
    status, headers, body = call(app, headers=[(b"range", b"bytes=0-99")])
    assert status == 206 and body == JS[:100] and "content-encoding" not in headers and inner.calls == 2


def test_other_statuses_small_bodies_and_other_types_pass_through():
    status, headers, body = call(CompressMiddleware(Inner()), path="/static/js/missing.js")
    assert status == 404 and "content-encoding" not in headers and body == b"not found" * 200
    _, headers, body = call(CompressMiddleware(Inner(body=b"x" * 500)))
    assert "content-encoding" not in headers and body == b"x" * 500
    png = bytes(range(256)) * 40
    _, headers, body = call(CompressMiddleware(Inner(body=png, content_type=b"image/png")))
    assert "content-encoding" not in headers and "vary" not in headers and body == png


def test_streamlit_endpoints_websockets_and_posts_pass_through():
    inner = Inner()
    app = CompressMiddleware(inner)
    _, headers, body = call(app, path="/_stcore/host-config")
    assert "content-encoding" not in headers and body == JS
    assert call(app, path="/_stcore/stream", kind="websocket") == [{"type": "websocket.accept"}]
    _, headers, body = call(app, method="POST")
    assert "content-encoding" not in headers and body == JS


def test_the_page_is_compressed_per_request_not_cached():
    html = b"<!doctype html><html><head><title>Article Lens</title></head><body>" + b"<div></div>" * 200
    inner = Inner(body=html, content_type=b"text/html; charset=utf-8", cache=b"no-cache")
    app = CompressMiddleware(inner)
    _, headers, body = call(app, path="/")
    assert headers["content-encoding"] == "br" and brotli.decompress(body) == html
    assert headers["cache-control"] == "no-cache" and headers["vary"] == "Accept-Encoding"
    call(app, path="/")
    assert inner.calls == 2 and app.cache.size == 0


@pytest.mark.parametrize("limit", [0, 3000])
def test_the_cache_is_bounded(limit):
    app = CompressMiddleware(Inner(), cache=Cache(limit))
    first = call(app)
    assert brotli.decompress(first[2]) == JS
    call(app, path="/static/js/other.abc.js")
    assert app.cache.size <= limit


PAGE = (
    b'<!doctype html><html><head><script type="module" crossorigin src="./static/js/index.x1.js"></script>'
    b'<link rel="modulepreload" crossorigin href="./static/js/react.x2.js"></head><body>'
    + b"<div></div>" * 200
    + b"</body></html>"
)
PRELOAD = ["./static/js/Chart.x3.js", "./static/js/react.x2.js"]
CHART_TAG = b'<link rel="modulepreload" crossorigin href="./static/js/Chart.x3.js">'


def test_add_preloads_names_each_module_once_in_the_head():
    out = add_preloads(PAGE, PRELOAD)
    head = out.split(b"</head>")[0]
    assert CHART_TAG in head and head.count(b"react.x2.js") == 1  # already named: not twice
    assert out.replace(CHART_TAG + b"\n", b"") == PAGE
    assert add_preloads(b"<p>no head</p>", PRELOAD) == b"<p>no head</p>"


def test_the_page_gets_its_preloads_compressed_or_not():
    inner = Inner(body=PAGE, content_type=b"text/html; charset=utf-8", cache=b"no-cache")
    app = CompressMiddleware(inner, preload=PRELOAD)
    _, headers, body = call(app, path="/")
    assert headers["content-encoding"] == "br" and CHART_TAG in brotli.decompress(body)
    _, headers, body = call(app, path="/", accept=b"identity")
    assert "content-encoding" not in headers and CHART_TAG in body
    assert int(headers["content-length"]) == len(body) == len(PAGE) + len(CHART_TAG) + 1
    status, headers, body = call(app, method="HEAD", path="/")  # no body to rewrite: the app's answer
    assert status == 200 and body == b""
    _, headers, body = call(CompressMiddleware(Inner(), preload=PRELOAD))  # not a page: no preloads added
    assert brotli.decompress(body) == JS


def test_element_modules_follow_the_frontends_imports(tmp_path):
    js = tmp_path / "static" / "js"
    js.mkdir(parents=True)
    (tmp_path / "index.html").write_text(
        '<script type="module" crossorigin src="./static/js/index.e1.js"></script></head>'
    )
    (js / "index.e1.js").write_text(
        'import{a}from"./react.r1.js";const C=lazy(()=>H(()=>import(`./Chart.c1.js`),deps([1])));'
        "const T=lazy(()=>import(`./Table.t1.js`));"
    )
    (js / "react.r1.js").write_text("export const a=1;")
    (js / "Chart.c1.js").write_text('import{a}from"./react.r1.js";import"./plot.p1.js";export default 1;')
    (js / "plot.p1.js").write_text('import {b} from "./util.u1.js";')
    (js / "util.u1.js").write_text("export const b=2;")
    (js / "Table.t1.js").write_text('import"./util.u1.js";')
    # The chart's own chunk first, then what it imports that the page does not load already.
    assert element_modules(["Chart"], tmp_path) == [
        "./static/js/Chart.c1.js",
        "./static/js/plot.p1.js",
        "./static/js/util.u1.js",
    ]
    assert element_modules(["Table", "Chart"], tmp_path) == [
        "./static/js/Table.t1.js",
        "./static/js/util.u1.js",
        "./static/js/Chart.c1.js",
        "./static/js/plot.p1.js",
    ]
    with pytest.raises(LookupError, match="Map"):
        element_modules(["Map"], tmp_path)


def test_the_installed_streamlit_has_the_plotly_chunk_the_dashboard_preloads():
    from dashboard.asgi import PRELOADED_ELEMENTS

    modules = element_modules(PRELOADED_ELEMENTS)
    assert modules[0].startswith("./static/js/PlotlyChart.")
    chunk = (STATIC / modules[0].removeprefix("./")).read_bytes()
    assert len(chunk) > 1_000_000 and b"plotly" in chunk  # the chart library itself, not a stub
    assert all((STATIC / m.removeprefix("./")).is_file() for m in modules)
