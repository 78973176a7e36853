"""The link guard in front of Streamlit, driven as plain ASGI (no server, no browser)."""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest

from dashboard.asgi import LinkGuard
from dashboard.viewstate import MAX_KEPT_VALUE_CHARS, SHORTENED

from .helpers import drive_asgi


async def _inner(scope, receive, send):
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"page"})


def request(query: bytes, method: str = "GET", path: str = "/"):
    scope = {"type": "http", "method": method, "path": path, "root_path": "", "query_string": query, "headers": []}
    sent = drive_asgi(LinkGuard(_inner), scope)
    start = sent[0]
    return start["status"], dict(start["headers"])


def test_ordinary_links_pass_through():
    assert request(b"view=text&q=ketamine") == (200, {})
    assert request(b"&".join([b"f=1"] * 1000))[0] == 200


@pytest.mark.parametrize("path", ["/", "//evil.example/", "/base/"])
def test_a_link_streamlit_would_drop_is_shortened_on_the_same_page(path):
    query = b"&".join([b"f=1"] * 1200) + b"&view=text&q=" + b"x" * 600_000
    status, headers = request(query, path=path)
    assert status == 303
    location = headers[b"location"].decode()
    assert location.startswith("?")  # query-only: the same host and path, never another site
    params = parse_qs(location[1:])
    assert params["view"] == ["text"] and len(params["q"][0]) == MAX_KEPT_VALUE_CHARS
    assert params[SHORTENED] == [f"1202,{len(query)}"]


def test_only_page_requests_are_redirected():
    long = b"&".join([b"f=1"] * 1200)
    assert request(long, method="POST")[0] == 200
    assert request(long, method="HEAD")[0] == 303


def test_a_shortened_link_is_never_redirected_again():
    """Case variants of Streamlit's embed keys once made the shortened link as long as the original."""
    variants = ["".join(c.upper() if (i >> j) & 1 else c for j, c in enumerate("embed_options")) for i in range(1200)]
    query = "&".join(f"{v}=x{i}&EMBED=true" for i, v in enumerate(variants)).encode()
    status, headers = request(query)
    assert status == 303
    location = headers[b"location"]
    assert request(location[1:]) == (200, {})
    params = parse_qs(location[1:].decode())
    assert params["embed"] == ["true"] and len(params["embed_options"]) == 10


HEAVY = ("pandas", "re2", "simplemma", "syntok", "tldextract")


@pytest.mark.parametrize(
    ("module", "heavy"),
    [
        ("dashboard.asgi", HEAVY),  # the link guard answers before the page: no analysis code behind it
        ("dashboard.viewstate", (*HEAVY, "streamlit")),
        ("dashboard.settings", (*HEAVY, "streamlit", "trafilatura", "lxml")),
        ("dashboard.store", ("pandas", "streamlit")),  # the CSV tables load pandas when they are written
        ("dashboard.library", ("pandas", "streamlit")),
    ],
)
def test_light_modules_load_no_heavy_libraries(module, heavy):
    """In a fresh interpreter, so what other tests imported does not count."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    code = f"import json, sys, {module}; print(json.dumps(sorted(sys.modules)))"
    env = {**os.environ, "PYTHONPATH": str(root)}
    out = subprocess.run([sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True, check=True)
    loaded = set(json.loads(out.stdout.strip().splitlines()[-1]))
    assert [name for name in heavy if name in loaded] == []
