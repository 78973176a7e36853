from __future__ import annotations

import re

from dashboard import render
from dashboard.search import compile_query

HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)> [a](javascript:x) :red[x] $x$ \"q\" & 's'"


def test_highlight_escapes_everything_but_marks():
    out = render.highlight(HOSTILE + " alert", compile_query("alert"))
    assert "<script" not in out and "<img" not in out
    assert out.count("<mark>") == 3
    assert "&lt;script&gt;" in out and "&quot;q&quot;" in out and "&#x27;s&#x27;" in out
    # nothing but our own <mark> tags remain
    assert set(re.findall(r"<(/?\w+)", out)) == {"mark", "/mark"}


def test_highlight_budget_caps_marks():
    budget = [2]
    out = render.highlight("a a a a", compile_query("a"), budget)
    assert out.count("<mark>") == 2 and budget == [0]
    assert out.endswith("a a")


def test_section_html_escapes_heading():
    out = render.section_html("<b>Head</b>", True, ["x <i>y</i>"], None, [10])
    assert "&lt;b&gt;Head&lt;/b&gt;" in out and "&lt;i&gt;" in out
    assert "(heading inferred)" in out
    assert "(heading inferred, 1 match)" in render.section_html("H", True, ["a b"], compile_query("b"), [10])


def test_md_escape_neutralises_markdown():
    out = render.md_escape(HOSTILE)
    # every Markdown-active character comes out backslash-escaped
    assert re.search(r"(?<!\\)[<>\[\]()$:*`_]", out) is None
    assert out.replace("\\", "") == " ".join(HOSTILE.split())
    assert render.md_escape("a\nb") == "a b"
