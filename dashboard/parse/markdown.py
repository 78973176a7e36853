"""The Markdown front end (CommonMark, front matter, footnotes, raw HTML): a Markdown article as a :class:`Draft`.

markdown-it-py gives every block its source line span, so the plain-text guarantees hold:
every line lands in one block and the source rebuilds byte for byte.

What a reader of the built page sees decides every rule here (docs: CommonMark, GFM, kramdown,
Liquid, Hugo, pandoc):

- Raw HTML is read as HTML: ``<h1>``-``<h6>`` are headings, ``<a href>`` are links, ``<p>``/``<td>``/
  ``<li>`` text is text; ``<script>``, ``<style>``, ``<pre>``, ``<template>``, ``<noscript>`` and
  comments are not text. A line that follows a complete HTML element and starts with no tag is
  Markdown again (kramdown, Markdown.pl and Python-Markdown end an HTML block there), so
  ``<hr/>`` then ``---`` is a rule and ``<br>`` then ``## Title`` is a heading; so is a line inside
  an element marked ``markdown="1"`` (kramdown, PHP Markdown Extra).
- Template tags are build-time code, not text: Liquid/Jinja/Nunjucks ``{% ... %}``, ``{{ ... }}``,
  Hugo shortcodes ``{{< ... >}}``/``{{% ... %}}``; http(s) URLs in their arguments (a quote's
  ``cite``) are links, ``src`` arguments are loads. kramdown attribute lists ``{: ...}``,
  ``{:target="_blank"}``, ``{::comment}``, ``{:toc}`` lists, ``*[abbr]:`` definitions and
  pandoc/kramdown ``{#id .class}`` are not text. Hugo's TOML front matter (``+++``) is front matter.
- Not headings: ``#`` lines in code, and R console output (knitr's ``## [1] 0.5``).
- Citations: absolute http(s) link targets (inline, reference-style where used, autolinks,
  raw ``<a href>``; ``//host`` is https) and URLs printed in prose, once per block, in reading
  order, kept as written (markdown-it's percent-encoding is turned off). Not citations:
  images and links to image files, ``mailto:``/``tel:``/fragments, URLs inside code spans and
  code blocks, and links to the article's own site when it is known (``origin``, or the page's
  own address in its front matter: ``canonical_url``, ``canonicalURL``, ``url``, ``permalink``).
- Reference lists: every heading named like one (``is_references_heading``: "References",
  "4 Sources", "Notes:"...); when an unambiguous one exists (References, Sources, Bibliography,
  Works cited, Citations), "Notes", "Further reading" and "Resources" are ordinary sections;
  otherwise they are lists only when numbered or made of footnotes. The list's heading (and any
  sub-heading under it) heads a section whose ``entries`` are the list's entries (draft.py says
  what that means). Under it, one entry per top-level list item and per footnote, a paragraph
  beside them being text; with no list, one entry per paragraph. Entries no heading heads are
  entries of no section: a list introduced by a paragraph that names it ("Sources:", "... a list
  of resources:"), and footnote definitions (unless the article has an unambiguous list).
- From an HTML page (``hints``, see :class:`Hints`): the page's title, its own site, its hrefs as
  written, and the reference entries its markup names, when it names them; the text is read
  literally (a page may print ``{{ }}``).

Linear time: one pass over the tokens, one over each block's text (links carry their line from
the line breaks seen before them), sets for membership; no per-link scan of the text.
"""

from __future__ import annotations

import html as _html
import re
import tomllib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.utils import EnvType
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from .. import citations as cit
from .draft import (
    Draft,
    Link,
    RawSection,
    Unit,
    fold,
    group_sections,
    is_image_file,
    is_references_heading,
    split_lines,
)


def _as_written(url: str) -> str:
    return url


_LONE_CR = re.compile(r"\r(?!\n)")
_MD = MarkdownIt("commonmark").use(front_matter_plugin).use(footnote_plugin)
# Markdown lines found inside a raw HTML block are parsed again on their own: no front matter there.
_MD_INNER = MarkdownIt("commonmark").use(footnote_plugin)
for _parser in (_MD, _MD_INNER):
    # Link targets are kept as written (no percent-encoding, no punycode); unsafe schemes are still refused.
    _parser.normalizeLink = _as_written  # type: ignore[method-assign]

# Links to these are not citations: they point at no document.
_NOT_CITATIONS = ("mailto:", "tel:", "#")
# A lead-in paragraph that announces a list of references: "Sources:", "Here is a list of resources:".
_REFERENCES_WORD = re.compile(
    r"(?i)\b(?:citations?|sources?|references?|bibliography|works cited|further reading|resources|reading list)\b"
)
# R prints a vector with its index, "[1] 0.5"; knitr prefixes console output with "##".
_CONSOLE_OUTPUT = re.compile(r"^\[\d+\]\s")
_ABBREVIATION = re.compile(r"\*\[[^\]\n]+\]:")
_TOML_FRONT_MATTER = re.compile(r"\A\+\+\+[ \t]*\r?\n(.*?)^\+\+\+[ \t]*\r?$", re.S | re.M)
_OWN_ADDRESS_KEYS = ("canonical_url", "canonicalURL", "canonical", "url", "permalink")

# ---------------------------------------------------------------- template tags and attribute lists

_TEMPLATE_OPEN = re.compile(r"\{%|\{\{|\{::comment\}")
_TEMPLATE_CLOSE = {"{%": "%}", "{{": "}}", "{::comment}": "{:/comment}"}
_LIQUID_COMMENT = re.compile(r"\{%-?\s*comment\s*-?%\}")
_LIQUID_END_COMMENT = re.compile(r"\{%-?\s*endcomment\s*-?%\}")
# kramdown IAL/ALD/extensions {: ...} {:: ... /} {:/...}; pandoc, kramdown and goldmark {#id .class key=val}.
_ATTRIBUTE_LIST = re.compile(r"\{:[^{}\n]*\}|\{[#.][\w:.-][^{}\n]*\}|\{[ \t]*[\w:-]+=[^{}\n]*\}")
_SRC_ARGUMENT = re.compile(r"""(?i)\bsrc\s*=\s*["']?([^"'\s>}]+)""")


def _template_spans(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, has_arguments) of every template tag, comment and attribute list, in order;
    has_arguments is True for a template tag whose arguments may hold a link.

    One scan: a closing delimiter that is missing once is missing for every later opener too."""
    spans: list[tuple[int, int, bool]] = []
    missing: set[str] = set()
    pos = 0
    while True:
        m = _TEMPLATE_OPEN.search(text, pos)
        if m is None:
            break
        opener = m.group()
        close = _TEMPLATE_CLOSE[opener]
        start = m.start()
        if opener == "{%" and (c := _LIQUID_COMMENT.match(text, start)) and "endcomment" not in missing:
            e = _LIQUID_END_COMMENT.search(text, c.end())
            if e is None:
                missing.add("endcomment")
            else:
                spans.append((start, e.end(), False))  # a Liquid comment: nothing in it is shown
                pos = e.end()
                continue
        end = -1 if close in missing else text.find(close, m.end())
        if end < 0:
            missing.add(close)
            pos = m.end()
            continue
        spans.append((start, end + len(close), opener != "{::comment}"))
        pos = end + len(close)
    if "{" not in text:
        return spans
    out: list[tuple[int, int, bool]] = []
    k, pos = 0, 0
    for a in _ATTRIBUTE_LIST.finditer(text):  # attribute lists outside template tags
        while k < len(spans) and spans[k][1] <= a.start():
            out.append(spans[k])
            pos = spans[k][1]
            k += 1
        if a.start() >= pos and (k >= len(spans) or a.end() <= spans[k][0]):
            out.append((a.start(), a.end(), False))
            pos = a.end()
    out.extend(spans[k:])
    return out


def _blank(text: str, spans: list[tuple[int, int, bool]]) -> str:
    """``text`` with each span replaced by spaces, its line breaks kept (so offsets and lines hold)."""
    if not spans:
        return text
    parts: list[str] = []
    pos = 0
    for start, end, _ in spans:
        parts.append(text[pos:start])
        parts.append(re.sub(r"[^\n]", " ", text[start:end]))
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


def _template_urls(tag: str) -> list[str]:
    """http(s) URLs written as a template tag's arguments, without its ``src`` loads and images."""
    loads = {m.group(1) for m in _SRC_ARGUMENT.finditer(tag)}
    return [u for u in cit.find_urls(tag) if u not in loads and not is_image_file(u)]


# ---------------------------------------------------------------- blocks


@dataclass
class _Block:
    kind: str  # heading | paragraph | code | rule | markup | front_matter
    start: int
    end: int  # exclusive, as markdown-it gives it
    level: int | None = None
    raw: str = ""  # the block's text as shown, line breaks as \n
    code: list[tuple[int, int]] = field(default_factory=list)  # spans of raw that are code (not URL text)
    text_line: int = 0  # the line of raw's first character
    hrefs: list[tuple[int, int, str]] = field(default_factory=list)  # (offset in raw, line, target)
    footnote: tuple[int, int] | None = None  # the footnote definition it belongs to
    items: tuple[int, ...] = ()  # first lines of the list items holding it, outermost first
    list_start: int | None = None  # first line of the outermost list holding it
    ordered: bool = False  # that list is numbered
    notes: int = 0  # footnote references it makes
    text: str = ""  # plain text: markup, template tags and attribute lists dropped, spaces collapsed
    clean: str = ""  # raw with template tags and attribute lists blanked (same offsets)
    tags: list[tuple[int, str]] = field(default_factory=list)  # (offset, tag) of template tags

    @property
    def item(self) -> int | None:
        """First line of the outermost list item holding it."""
        return self.items[0] if self.items else None

    def finish(self, literal: bool = False) -> _Block:
        """Its text and link sources; ``literal``: Markdown made from a page, where template tags and
        attribute lists are text the page prints, not build-time code."""
        raw = self.raw
        if literal:
            spans: list[tuple[int, int, bool]] = []
        elif "{:toc}" in raw or "{::toc}" in raw:  # kramdown replaces this list with the table of contents
            raw, spans = "", []
        elif raw.startswith("*[") and all(_ABBREVIATION.match(row) for row in raw.split("\n")):
            raw, spans = "", []  # abbreviation definitions (kramdown, PHP Markdown Extra): shown nowhere
        else:
            spans = _template_spans(raw)
        self.clean = _blank(raw, spans)
        self.tags = [(s, raw[s:e]) for s, e, has_arguments in spans if has_arguments]
        self.text = " ".join(self.clean.split())
        return self

    def links(self, any_scheme: bool = False, printed: bool = True) -> list[tuple[int, str]]:
        """(line, target) of every link (and, if ``printed``, every URL printed outside code), in
        reading order, each target once."""
        found: list[tuple[int, int, str]] = list(self.hrefs)
        if printed:
            url_text = _blank(self.clean, [(s, e, False) for s, e in self.code])
            offset, line = 0, self.text_line
            for piece in url_text.split("\n"):
                cursor = 0
                for url in cit.find_urls(piece, any_scheme=any_scheme):
                    at = piece.find(url, cursor)  # after the last one found: one pass over the line
                    cursor = at + len(url) if at >= 0 else cursor
                    found.append((offset + max(at, 0), line, url))
                offset += len(piece) + 1
                line += 1
        if self.tags:
            newlines, counted = 0, 0
            for at, tag in self.tags:
                newlines += self.clean.count("\n", counted, at)
                counted = at
                found.extend((at, self.text_line + newlines, url) for url in _template_urls(tag))
        found.sort(key=lambda f: f[0])
        seen: set[str] = set()
        out: list[tuple[int, str]] = []
        for _, at_line, url in found:
            if url not in seen:
                seen.add(url)
                out.append((at_line, url))
        return out


def _tag_attrs(tag: str) -> dict[str, str]:
    attrs: dict[str, str] = {}
    for m in _ATTR.finditer(tag):
        name = m.group(1).lower()
        if name not in attrs:
            value = m.group(2) if m.group(2) is not None else m.group(3) if m.group(3) is not None else m.group(4)
            attrs[name] = _html.unescape(value or "")
    return attrs


_BREAKS = ("softbreak", "hardbreak")
_INLINE_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")


def _inline(tok: Token, block: _Block) -> None:
    """Fill ``block`` from an inline token: its text (images and raw tags left out), the code
    spans in it, its links with their lines, and its footnote references."""
    parts: list[str] = []
    size = 0
    line = block.text_line = block.start
    hidden: str | None = None  # inside an inline <script> or <style>
    for child in tok.children or ():
        kind = child.type
        if kind == "html_inline":
            content = child.content
            m = _INLINE_TAG.match(content)
            if m:
                name = m.group(2).lower()
                if hidden:
                    hidden = None if m.group(1) and name == hidden else hidden
                elif not m.group(1) and name in ("script", "style"):
                    hidden = name
                elif not m.group(1) and name == "a":
                    href = _tag_attrs(content[m.end() :]).get("href", "")
                    if href:
                        block.hrefs.append((size, line, href))
                elif name == "br":
                    parts.append(" ")
                    size += 1
            line += content.count("\n")
            if "\n" in content:
                parts.append("\n" * content.count("\n"))
                size += content.count("\n")
            continue
        if kind in _BREAKS:
            parts.append("\n")
            size += 1
            line += 1
        elif hidden:
            continue
        elif kind == "text":
            parts.append(child.content)
            size += len(child.content)
        elif kind == "code_inline":
            block.code.append((size, size + len(child.content)))
            parts.append(child.content)
            size += len(child.content)
        elif kind == "link_open":
            href = str(child.attrs.get("href", ""))
            if href:
                block.hrefs.append((size, line, href))
        elif kind == "image":  # neither text nor citation; its alt text may break lines
            breaks = sum(1 for c in child.children or () if c.type in _BREAKS)
            if breaks:
                parts.append("\n" * breaks)
                size += breaks
                line += breaks
        elif kind == "footnote_ref":
            block.notes += 1
    block.raw = "".join(parts)


# ---------------------------------------------------------------- raw HTML

_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_RAW_TEXT = {"script": re.compile(r"(?i)</script[\s/>]"), "style": re.compile(r"(?i)</style[\s/>]")}
_HIDDEN = frozenset(("template", "noscript", "pre", "head", "svg", "math", "iframe", "object", "select"))
_CODE_TAGS = frozenset(("code", "kbd", "samp", "tt", "var"))
_BLOCK_TAGS = frozenset(
    "address article aside blockquote br caption center details dialog dd div dl dt fieldset figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 header hgroup hr li main nav ol p pre section summary table tbody td tfoot th "
    "thead tr ul".split()
)
_AUTO_CLOSE = {
    "p": frozenset(("p",)),
    "li": frozenset(("li",)),
    "dt": frozenset(("dt", "dd")),
    "dd": frozenset(("dt", "dd")),
    "tr": frozenset(("tr", "td", "th")),
    "td": frozenset(("td", "th")),
    "th": frozenset(("td", "th")),
    "option": frozenset(("option",)),
}
_HEADING_TAG = re.compile(r"h[1-6]")
_MARKDOWN_INSIDE = frozenset(("1", "block", "span", "true"))
_TAG_NAME = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)")
_TAG_STOP = re.compile(r"[>\"']")
_ATTR = re.compile(r"""([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"?|'([^']*)'?|([^\s>]+)))?""")
_SPACES = re.compile(r"[ \t]*")


def _tag_end(s: str, i: int) -> int:
    """The end of a tag whose name ends at ``i``: after its '>', quoted values skipped; the text's end
    if it never closes (as a browser reads it)."""
    n = len(s)
    while i < n:
        m = _TAG_STOP.search(s, i)
        if m is None:
            return n
        if m.group() == ">":
            return m.end()
        j = s.find(m.group(), m.end())
        if j < 0:
            return n
        i = j + 1
    return n


def _html_events(s: str) -> Iterator[tuple[str, int, int, str, bool, str]]:
    """Yield (kind, start, end, name, closing, attrs) over ``s``; kind is text, tag or skip
    (comments, declarations, script and style bodies). Each character is read once."""
    i, n = 0, len(s)
    while i < n:
        j = s.find("<", i)
        if j < 0:
            yield "text", i, n, "", False, ""
            return
        if j > i:
            yield "text", i, j, "", False, ""
        if s.startswith("<!--", j):
            k = s.find("-->", j + 4)
            end = n if k < 0 else k + 3
            yield "skip", j, end, "", False, ""
            i = end
            continue
        m = _TAG_NAME.match(s, j)
        if m is not None:
            end = _tag_end(s, m.end())
            name = m.group(2).lower()
            closing = m.group(1) == "/"
            yield "tag", j, end, name, closing, s[m.end() : end]
            i = end
            if not closing and name in _RAW_TEXT and not s[m.end() : end].rstrip(">").rstrip().endswith("/"):
                end_tag = _RAW_TEXT[name].search(s, i)
                stop = n if end_tag is None else end_tag.start()
                if stop > i:
                    yield "skip", i, stop, "", False, ""
                i = stop
            continue
        if s.startswith(("<!", "<?"), j):
            k = s.find(">", j)
            end = n if k < 0 else k + 1
            yield "skip", j, end, "", False, ""
            i = end
            continue
        yield "text", j, j + 1, "", False, ""
        i = j + 1


class _Stack:
    """Open elements, with the implied ends HTML gives p, li, td and the like; O(1) amortised."""

    def __init__(self) -> None:
        self.names: list[str] = []
        self.count: dict[str, int] = {}
        self.markdown: list[bool] = []  # the element asks for Markdown inside (markdown="1")

    def open(self, name: str, attrs: str) -> None:
        if name in _VOID or attrs.rstrip(">").rstrip().endswith("/"):
            return
        auto = _AUTO_CLOSE.get(name)
        if auto and self.names and self.names[-1] in auto:
            self._pop()
        self.names.append(name)
        self.count[name] = self.count.get(name, 0) + 1
        asks = "markdown" in attrs.lower() and _tag_attrs(attrs).get("markdown", "").lower() in _MARKDOWN_INSIDE
        self.markdown.append(asks)

    def close(self, name: str) -> None:
        if self.count.get(name):
            while self._pop() != name:
                pass

    def _pop(self) -> str:
        name = self.names.pop()
        self.count[name] -= 1
        self.markdown.pop()
        return name

    def inside(self, names: frozenset[str]) -> bool:
        return any(self.count.get(n) for n in names)


def _markdown_lines(s: str) -> list[bool]:
    """For each line of a raw HTML block: is it Markdown? It is when it starts after every element
    opened before it has closed (or inside one marked markdown="1", as kramdown, PHP Markdown Extra
    and Python-Markdown read it), outside any tag or comment, with no tag of its own first."""
    starts = [0] + [m.end() for m in re.finditer("\n", s)]
    if starts[-1] == len(s):
        starts.pop()
    md = [False] * len(starts)
    stack = _Stack()
    k = 1  # the block's first line is HTML: it is what made it a block
    for kind, start, end, name, closing, attrs in _html_events(s):
        while k < len(starts) and starts[k] < end:
            at = starts[k]
            if kind == "text" and at >= start and (not stack.names or stack.markdown[-1]):
                spaces = _SPACES.match(s, at)
                assert spaces is not None  # [ \t]* matches anywhere
                first = spaces.end()
                md[k] = first < len(s) and s[first] not in "<\n"
            k += 1
        if kind == "tag":
            if closing:
                stack.close(name)
            else:
                stack.open(name, attrs)
    return md


class _Piece:
    """A block being filled from raw HTML: its text so far, and the last line it reaches."""

    def __init__(self, kind: str, line: int, level: int | None = None) -> None:
        self.block = _Block(kind, line, line + 1, level=level, text_line=line)
        self.parts: list[str] = []
        self.size = 0
        self.last = line

    def add(self, text: str, code: bool = False) -> None:
        if code:
            self.block.code.append((self.size, self.size + len(text)))
        self.parts.append(text)
        self.size += len(text)

    def done(self) -> _Block:
        self.block.raw = "".join(self.parts)
        self.block.end = self.last + 1
        return self.block


def _html_blocks(s: str, first_line: int) -> list[_Block]:
    """Headings and runs of text (with their links) of a stretch of raw HTML that starts at ``first_line``.

    A run ends at every block-level tag, so each paragraph, list item and table cell stands alone."""
    out: list[_Block] = []
    stack = _Stack()
    line, counted = first_line, 0
    heading: _Piece | None = None
    heading_depth = 0
    run: _Piece | None = None

    def at(pos: int) -> int:
        nonlocal line, counted
        if pos > counted:
            line += s.count("\n", counted, pos)
            counted = pos
        return line

    def current() -> _Piece:
        nonlocal run
        if heading is not None:
            return heading
        if run is None:
            run = _Piece("paragraph", line)
        return run

    def end_run() -> None:
        nonlocal run
        if run is not None:
            out.append(run.done())
            run = None

    for kind, start, end, name, closing, attrs in _html_events(s):
        at(start)
        hidden = stack.inside(_HIDDEN)
        if kind == "text":
            piece = "" if hidden else _html.unescape(s[start:end])
            if piece.strip() or (piece and (heading is not None or run is not None)):
                target = current()
                target.add(piece, code=stack.inside(_CODE_TAGS))
                shown = len(s[start:end].rstrip())
                if shown:
                    target.last = at(start + shown - 1)
            continue
        newlines = s.count("\n", start, end)
        if kind == "tag":
            if closing:
                stack.close(name)
                if heading is not None and len(stack.names) < heading_depth:
                    heading.last = at(max(start, end - 1))
                    out.append(heading.done())
                    heading = None
                    continue
                if name in _BLOCK_TAGS and heading is None:
                    end_run()
            else:
                if name in _BLOCK_TAGS and heading is None:
                    end_run()
                if heading is None and not hidden and _HEADING_TAG.fullmatch(name):
                    stack.open(name, attrs)
                    heading = _Piece("heading", line, level=int(name[1]))
                    heading_depth = len(stack.names)
                    continue
                stack.open(name, attrs)
                if name == "a" and not hidden:
                    href = _tag_attrs(attrs).get("href", "")
                    if href:
                        target = current()
                        target.block.hrefs.append((target.size, line, href))
        # keep line breaks in the text, and a space for a block's edge
        if (heading is not None or run is not None) and (newlines or (kind == "tag" and name in _BLOCK_TAGS)):
            current().add("\n" * newlines or " ")
    if heading is not None:
        out.append(heading.done())
    end_run()
    return out


# ---------------------------------------------------------------- the token walk


@dataclass
class _Context:
    footnote: tuple[int, int] | None = None
    depth: int = 0  # list nesting
    list_start: int | None = None
    ordered: bool = False
    items: list[int] = field(default_factory=list)  # open list items (markdown-it nests at most 20 deep)
    literal: bool = False  # Markdown made from a page: no template tags, attribute lists or console output

    def new(self, kind: str, start: int, end: int, level: int | None = None) -> _Block:
        return self.fill(_Block(kind, start, end, level=level))

    def fill(self, b: _Block) -> _Block:
        b.footnote, b.items, b.list_start, b.ordered = self.footnote, tuple(self.items), self.list_start, self.ordered
        return b


def _walk(
    tokens: list[Token],
    offset: int,
    env: EnvType,
    out: list[_Block],
    ctx: _Context | None = None,
    literal: bool = False,
) -> None:
    """Blocks of a token stream whose line 0 is source line ``offset``; ``ctx`` is set when the
    stream is Markdown found inside raw HTML (its HTML blocks are then read as HTML only)."""
    inner = ctx is not None
    ctx = ctx or _Context(literal=literal)
    pending: _Block | None = None
    for tok in tokens:
        kind, span = tok.type, tok.map
        if kind == "footnote_open":
            ctx.footnote = (offset, int(tok.meta.get("id", 0)))
        elif kind == "footnote_close":
            ctx.footnote = None
        elif kind in ("bullet_list_open", "ordered_list_open"):
            ctx.depth += 1
            if ctx.depth == 1 and span:
                ctx.list_start, ctx.ordered = span[0] + offset, kind == "ordered_list_open"
        elif kind in ("bullet_list_close", "ordered_list_close"):
            ctx.depth -= 1
            if ctx.depth == 0:
                ctx.list_start = None
                ctx.items.clear()
        elif kind == "list_item_open" and span:
            ctx.items.append(span[0] + offset)
        elif kind == "list_item_close" and ctx.items:
            ctx.items.pop()
        elif kind == "front_matter" and span:
            out.append(_Block("front_matter", span[0] + offset, span[1] + offset, raw=tok.content))
        elif kind in ("heading_open", "paragraph_open") and span:
            level = int(tok.tag[1]) if kind == "heading_open" else None
            pending = ctx.new("heading" if level else "paragraph", span[0] + offset, span[1] + offset, level)
        elif kind == "inline" and pending is not None:
            _inline(tok, pending)
            out.append(pending.finish(ctx.literal))
            if pending.kind == "heading" and not ctx.literal and _CONSOLE_OUTPUT.match(pending.text):
                pending.kind = "code"  # R console output under knitr's "##" prefix, not a heading
            pending = None
        elif kind in ("fence", "code_block") and span:
            out.append(ctx.new("code", span[0] + offset, span[1] + offset))
        elif kind == "hr" and span:
            out.append(ctx.new("rule", span[0] + offset, span[1] + offset))
        elif kind == "html_block" and span:
            _raw_html(tok, span[0] + offset, span[1] + offset, env, out, ctx, inner)


def _raw_html(tok: Token, first: int, end: int, env: EnvType, out: list[_Block], ctx: _Context, inner: bool) -> None:
    """A raw HTML block: markup, its headings and text runs, and the Markdown lines inside it."""
    out.append(ctx.new("markup", first, end))
    content = tok.content
    rows = split_lines(content)  # only \n ends a line (markdown-it's rule too), not \f or \u2028
    md = [False] * len(rows) if inner else _markdown_lines(content)
    i = 0
    while i < len(rows):
        j = i + 1
        while j < len(rows) and md[j] == md[i]:
            j += 1
        chunk = "".join(rows[i:j])
        if md[i]:
            references = {"references": env.get("references", {})}
            _walk(_MD_INNER.parse(chunk, references), first + i, env, out, ctx)
        else:
            for b in _html_blocks(chunk, first + i):
                out.append(ctx.fill(b).finish(ctx.literal))
        i = j


# ---------------------------------------------------------------- targets, sites, front matter


def _target(href: str, prose: bool = False) -> str | None:
    """The citation a link target makes, or None (fragments, mail, relative paths, images)."""
    h = href.strip()
    if h.startswith("//") and len(h) > 2 and h[2] != "/":
        h = "https:" + h  # protocol-relative
    low = h.lower()
    if not low or low.startswith(_NOT_CITATIONS) or is_image_file(h):
        return None
    if prose:  # web addresses only; an identifier such as doi:10.1/x is left to the identifier finder
        return h if ("://" in low or low.startswith("www.")) and _MD.validateLink(h) else None
    if "://" in low or low.startswith(("www.", "javascript:", "data:", "vbscript:", "file:", "doi:")):
        return h  # in a reference list every scheme is kept (shown, never linked)
    return None


def _front_matter(b: _Block, warnings: list[str]) -> dict[str, object]:
    if b.tags:  # TOML (Hugo)
        try:
            meta = tomllib.loads(b.raw)
        except tomllib.TOMLDecodeError:
            warnings.append("the front matter is not valid TOML; it was ignored")
            return {}
        return meta
    try:
        meta = yaml.safe_load(b.raw)
    except yaml.YAMLError:
        warnings.append("the front matter is not valid YAML; it was ignored")
        return {}
    return meta if isinstance(meta, dict) else {}


def _meta_title(meta: Mapping[str, object]) -> str | None:
    title = meta.get("title")
    if title is None:
        return None
    return " ".join(str(title).split()) or None


def _own_address(meta: Mapping[str, object]) -> str | None:
    for key in _OWN_ADDRESS_KEYS:
        value = meta.get(key)
        if isinstance(value, str) and value.strip().lower().startswith(("http://", "https://")):
            return value.strip()
    return None


# ---------------------------------------------------------------- reference lists


# ("footnote", its definition), ("item", the first line of its outermost list item) or ("block", its index)
_EntryKey = tuple[str, int | tuple[int, int]]


@dataclass
class _Entry:
    """A reference entry gathered over its blocks."""

    line: int  # its first line
    texts: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)  # its links' targets
    blocks: list[_Block] = field(default_factory=list)


@dataclass
class _Lists:
    """The reference list as blocks: the headings that head it, and the entry of each entry block."""

    heads: set[int] = field(default_factory=set)  # headings of reference-list sections
    entry: dict[int, _EntryKey] = field(default_factory=dict)  # block index -> key of the entry it is part of
    headed: set[int] = field(default_factory=set)  # entry blocks under such a heading: in its section


def _entry_key(b: _Block, k: int) -> _EntryKey:
    if b.footnote is not None:
        return ("footnote", b.footnote)
    return ("item", b.item) if b.item is not None else ("block", k)


def _lead_in(b: _Block) -> bool:
    """A line that introduces a list ("The works cited:"), with no link of its own."""
    return b.text.endswith(":") and not any(_target(h) for _, h in b.links(printed=False))


def _lists_by_headings(blocks: list[_Block], footnotes_ok: bool) -> _Lists:
    """Reference lists under the headings that name one, their sub-headings included; footnotes;
    lists a paragraph announces.

    Every heading named like a list opens one, up to the next heading of its level or above. When
    an unambiguous one exists (References, Sources, Bibliography, Works cited, Citations), it is
    the list and "Notes", "Further reading", "Resources" head ordinary sections; otherwise those
    are lists when numbered or made of footnotes. Under the heading, the list items and footnotes
    are the entries (a paragraph beside them is text); with no list, each paragraph is one.
    Footnote definitions elsewhere are entries unless an unambiguous list exists."""
    candidates: list[tuple[int, int]] = []  # (heading index, end index)
    open_at, open_level = -1, 0
    for k, b in enumerate(blocks):
        if b.kind not in ("heading", "title"):
            continue
        level = b.level or 1
        if open_at >= 0 and level <= open_level:
            candidates.append((open_at, k))
            open_at = -1
        if open_at < 0 and b.kind == "heading" and is_references_heading(b.text):
            open_at, open_level = k, level
    if open_at >= 0:
        candidates.append((open_at, len(blocks)))
    strong = [(h, e) for h, e in candidates if is_references_heading(blocks[h].text, unambiguous=True)]
    chosen = strong or [
        (h, e)
        for h, e in candidates
        if any(blocks[k].ordered or (footnotes_ok and blocks[k].footnote is not None) for k in range(h + 1, e))
    ]
    lists = _Lists()
    region: set[int] = set()
    for h, e in chosen:
        lists.heads.add(h)
        members = [k for k in range(h + 1, e) if blocks[k].kind in ("heading", "paragraph")]
        region.update(members)
        listed = any(blocks[k].item is not None or blocks[k].footnote is not None for k in members)
        for k in members:
            b = blocks[k]
            if b.kind == "heading":
                if b.text:
                    lists.heads.add(k)  # a sub-heading of the list ("Books", "Articles") heads part of it
            elif (b.item is not None or b.footnote is not None) if listed else not _lead_in(b):
                lists.entry[k] = _entry_key(b, k)
                lists.headed.add(k)
    if not strong:
        for k, b in enumerate(blocks):
            if b.footnote is not None and b.kind == "paragraph" and k not in region:
                lists.entry[k] = _entry_key(b, k)
    for k in _introduced_lists(blocks, region):
        lists.entry[k] = _entry_key(blocks[k], k)
    return lists


def _lists_by_markup(blocks: list[_Block], marked: frozenset[int]) -> _Lists:
    """Reference entries a page marks up (``marked``: the first line of each); a heading right
    above entries heads a reference-list section when it names a list or heads nothing else."""
    lists = _Lists()
    under: list[int] = []  # the entry blocks below the current heading
    head, other = -1, 0

    def close() -> None:
        if head >= 0 and under and blocks[head].text and (is_references_heading(blocks[head].text) or not other):
            lists.heads.add(head)
            lists.headed.update(under)

    for k, b in enumerate(blocks):
        if b.kind == "heading":
            close()
            head, under, other = k, [], 0
        elif b.kind == "paragraph":
            key = next((i for i in b.items if i in marked), b.start if b.start in marked else None)
            if key is not None:
                lists.entry[k] = ("item", key)
                under.append(k)
            elif b.text:
                other += 1
    close()
    return lists


def _introduced_lists(blocks: list[_Block], taken: set[int]) -> dict[int, int]:
    """Lists announced as references by the paragraph before them ("Sources:", "a list of resources:"):
    block index -> index of the lead-in. A short label is enough; after a sentence, every item must
    open with its link (a list of linked titles, not a list that mentions links)."""
    out: dict[int, int] = {}
    k = 0
    while k < len(blocks):
        b = blocks[k]
        if b.kind == "paragraph" and b.list_start is None and k not in taken and b.footnote is None:
            label = b.text.rstrip("*_ ")
            if label.endswith(":") and _REFERENCES_WORD.search(label):
                nxt = next((j for j in range(k + 1, len(blocks)) if blocks[j].kind not in ("markup", "rule")), None)
                if nxt is not None and blocks[nxt].list_start is not None and blocks[nxt].start > b.start:
                    first_list = blocks[nxt].list_start
                    members = []
                    j = nxt
                    while j < len(blocks) and (blocks[j].list_start == first_list or blocks[j].kind == "markup"):
                        if blocks[j].list_start == first_list and j not in taken:
                            members.append(j)
                        j += 1
                    led: dict[int | None, bool] = {}  # item -> it opens with a link
                    for m in members:
                        if blocks[m].item not in led:
                            hrefs = blocks[m].hrefs
                            led[blocks[m].item] = bool(hrefs) and hrefs[0][0] == 0 and bool(_target(hrefs[0][2]))
                    if len(label.split()) <= 4 or (led and all(led.values())):
                        out.update((m, k) for m in members)
                    k = j
                    continue
        k += 1
    return out


# ---------------------------------------------------------------- the draft


@dataclass(frozen=True)
class Hints:
    """What the HTML front end knows from a page's markup about the Markdown it made of the page."""

    title: str | None = None  # the article's title (from the page's metadata and printed headline)
    shown: str | None = None  # the headline as printed: a heading saying it, or the title, is the title again
    page_title: str | None = None  # the page's <title>: kept when it differs from the title
    entries: frozenset[int] = frozenset()  # first lines of the reference entries the markup names; none: by headings
    own: Callable[[str], bool] | None = None  # is a URL on the page's own site (not a citation)?
    own_name: str = "the page's own site"  # that site, as a warning names it
    hrefs: Mapping[str, str] = field(default_factory=dict)  # a link target as read here -> the page's href


def draft(text: str, name: str, origin: str | None = None, *, hints: Hints | None = None) -> Draft:
    """Headings (ATX, Setext and raw HTML, with levels), paragraphs, links, footnotes and reference lists.

    ``origin`` is the URL the article was loaded from, if any: links to its site are not citations.
    ``hints``: the Markdown was made from an HTML page, which says what its title, reference entries
    and own site are; its text is read literally (no template tags or attribute lists)."""
    lines = split_lines(text)
    n = len(lines)
    kinds = ["blank" if not line.strip() else "markup" for line in lines]
    group = list(range(n))
    warnings: list[str] = []
    # markdown-it ends a line at a lone \r too; only \n ends one here, so a lone \r is handed to
    # it as a space and both count the same lines.
    src = _LONE_CR.sub(" ", text)
    blocks: list[_Block] = []
    toml = _TOML_FRONT_MATTER.match(src) if hints is None else None
    if toml:  # Hugo's TOML front matter: its lines are blanked for markdown-it, which knows only YAML
        rows = src.count("\n", 0, toml.end())
        blocks.append(_Block("front_matter", 0, rows + 1, raw=toml.group(1), tags=[(0, "toml")]))
        src = "\n" * rows + src[toml.end() :]
    env: EnvType = {}
    _walk(_MD.parse(src, env), 0, env, blocks, literal=hints is not None)
    blocks.sort(key=lambda b: b.start)  # footnote definitions come last from markdown-it

    meta: dict[str, object] = {}
    for b in blocks:
        if b.kind == "front_matter":
            meta = _front_matter(b, warnings)
            break
    title, page_title = _title(blocks, meta, hints)

    if hints is not None and hints.entries:
        lists = _lists_by_markup(blocks, hints.entries)
    else:
        lists = _lists_by_headings(blocks, any(b.footnote is not None for b in blocks))

    units: list[Unit] = []
    headings: dict[int, int | None] = {}
    in_list: set[int] = set()  # units that are entries of a reference-list section
    links: list[Link] = []
    entries: dict[_EntryKey, _Entry] = {}
    for k, b in enumerate(blocks):
        span = range(b.start, min(b.end, n))
        for i in span:
            if kinds[i] != "blank" or b.kind in ("code", "front_matter"):
                kinds[i] = b.kind
            group[i] = b.start
        if b.kind in ("code", "front_matter", "rule", "markup", "title", "title_repeat"):
            continue
        unit = Unit(b.start, min(b.end, n) - 1, b.text, cited=b.notes > 0)
        if k in lists.heads:
            for i in span:
                kinds[i] = "references_heading"
            headings[len(units)] = b.level
            units.append(unit)
        elif k in lists.entry:
            for i in span:
                if kinds[i] != "blank":
                    kinds[i] = "reference"
            slot = entries.setdefault(lists.entry[k], _Entry(b.start))
            slot.texts.append(b.text)
            slot.targets.extend(t for _, h in b.links(printed=False) if (t := _target(h)))
            slot.blocks.append(b)
            if k in lists.headed:
                in_list.add(len(units))
                units.append(unit)
        else:
            cites = [(line, t) for line, h in b.links() if (t := _target(h, prose=True))]
            if not b.text and not cites:
                for i in span:
                    if kinds[i] != "blank":
                        kinds[i] = "markup"  # template tags, attribute lists or an image only
                continue
            if b.kind == "heading" and not b.text:
                b.kind = "paragraph"  # a heading of a linked image only: its link is kept, it heads nothing
                for i in span:
                    kinds[i] = "paragraph"
            if b.kind == "heading":
                headings[len(units)] = b.level
            units.append(unit)
            links.extend(Link(line, t, b.text, False) for line, t in cites)
    for entry in entries.values():
        entry_text = " ".join(t for t in entry.texts if t)
        targets = entry.targets
        if not targets:  # an entry with no link: a URL of any scheme written in it counts (shown, never linked)
            targets = [t for b in entry.blocks for _, h in b.links(any_scheme=True) if (t := _target(h))]
        unique: list[str | None] = list(dict.fromkeys(targets))
        links.extend(Link(entry.line, url, entry_text, True) for url in unique or [None])
    if hints is not None and hints.hrefs:  # the page's hrefs, exactly as written there
        for link in links:
            link.url = hints.hrefs.get(link.url, link.url) if link.url else None
    links = _without_own_site(links, meta, origin, hints, warnings)

    sections: list[RawSection] = group_sections(units, headings, warnings, in_list)
    if not sections:
        warnings.append("no article text found outside the title and the reference list")
    elif not headings:
        warnings.append("no headings found: the article is one section")
    if not lists.heads and not lists.entry:
        warnings.append(
            "no reference list found (reference-list markup, or a heading such as 'References' or 'Sources')"
            if hints is not None
            else "no reference list found (a heading such as 'References' or 'Sources') and no footnotes"
        )
    links.sort(key=lambda link: link.line)
    return Draft(lines, kinds, title, page_title, sections, links, warnings, group)


def _title(blocks: list[_Block], meta: Mapping[str, object], hints: Hints | None) -> tuple[str | None, str | None]:
    """The title and page title. The title is the first heading when it is an H1 that comes before
    any paragraph, else the front matter's; a page's own title when it has one (headings saying
    it are the title again, not sections)."""
    first_text = next((b for b in blocks if b.kind in ("heading", "paragraph") and (b.text or b.hrefs)), None)
    want = {fold(t) for t in (hints.title, hints.shown) if t} if hints is not None else set()
    title: str | None = None
    if want:
        for b in blocks:
            if b.kind == "heading" and fold(b.text) in want:
                b.kind = "title" if b is first_text else "title_repeat"
        title = hints.title or hints.shown if hints is not None else None
    elif first_text is not None and first_text.kind == "heading" and first_text.level == 1 and first_text.text:
        title = first_text.text
        first_text.kind = "title"
    if hints is not None:
        page = hints.page_title
        return title, page if page and title and page.casefold() != title.casefold() else None
    fm_title = _meta_title(meta)
    page_title = fm_title if fm_title and title and fm_title.casefold() != title.casefold() else None
    return title or fm_title, page_title


def _without_own_site(
    links: list[Link], meta: Mapping[str, object], origin: str | None, hints: Hints | None, warnings: list[str]
) -> list[Link]:
    """Links to the article's own site are not citations; a reference entry that only linked
    there stays, without a URL. The site: the page's (``hints``), else the address the article was
    loaded from, else the one its front matter states."""
    if hints is not None:
        own, own_name = hints.own, hints.own_name
    else:
        site = cit.site(origin) or cit.site(_own_address(meta))
        own = (lambda url: cit.site(url) == site) if site else None
        own_name = f"the article's own site ({site})"
    if own is None:
        return links
    kept: list[Link] = []
    internal = 0
    for link in links:
        if link.url and own(link.url):
            internal += 1
            if link.in_list:
                kept.append(Link(link.line, None, link.text, True))
            continue
        kept.append(link)
    if internal:
        warnings.append(f"{internal} link(s) to {own_name} are not counted as citations")
    return _dedupe_entries(kept)


def _dedupe_entries(links: list[Link]) -> list[Link]:
    """Drop an entry's missing-URL placeholder when the entry kept a URL, and repeated placeholders."""
    with_url = {(link.line, link.text) for link in links if link.in_list and link.url}
    out: list[Link] = []
    seen: set[tuple[int, str]] = set()
    for link in links:
        if link.in_list and link.url is None:
            key = (link.line, link.text)
            if key in with_url or key in seen:
                continue
            seen.add(key)
        out.append(link)
    return out
