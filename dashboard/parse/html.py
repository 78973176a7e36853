"""The HTML front end: trafilatura keeps a page's main content as Markdown, which the Markdown front end reads.

Navigation, sidebars, comment threads and widgets are dropped by the extractor. Line spans and
the rebuild refer to the extracted text, which is kept in the blocks; the raw HTML is kept by
the article store beside the parse.
"""

from __future__ import annotations

import concurrent.futures
import re

import lxml.html
import trafilatura

from .. import citations as cit
from ..model import ParseError
from . import markdown
from .draft import Draft

_SPACE = re.compile(r"\s+")
_TAG = re.compile(r"<(/?)([a-zA-Z][\w:-]*)[^>]*?(/?)>")
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_CONTAINERS = re.compile(
    r"</?(?:div|span|section|article|main|aside|header|footer|nav|font|center|b|i|u|em|strong|small|big|"
    r"blockquote|figure|label|form|table|tbody|thead|tr|td|th)\b[^>]*>",
    re.IGNORECASE,
)
MAX_DEPTH = 200  # lxml, under trafilatura, silently drops content nested deeper than about 254 levels


EXTRACT_SECONDS = 15.0
_POOL = concurrent.futures.ThreadPoolExecutor(max_workers=2, thread_name_prefix="extract")


def _plain_text(html: str) -> str:
    """Every paragraph of visible text, scripts and styles left out: the fallback when extraction is slow."""
    try:
        doc = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return ""
    for bad in doc.xpath("//script|//style|//noscript|//template"):
        bad.drop_tree()
    blocks = (" ".join(t.split()) for t in doc.itertext())
    return "\n\n".join(b for b in blocks if b)


def nesting_depth(html: str) -> int:
    """How deep the page's elements nest (a tag scan; void and self-closed tags don't count)."""
    depth = deepest = 0
    for closing, name, self_closed in _TAG.findall(html):
        if name.lower() in _VOID or self_closed:
            continue
        depth = max(0, depth - 1) if closing else depth + 1
        deepest = max(deepest, depth)
    return deepest


def _head(html: str) -> tuple[str | None, str | None]:
    """The page's <title>, and its own address as it states it (<link rel=canonical>, else og:url)."""
    try:
        doc = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return None, None
    titles = doc.xpath("//title/text()")
    urls = doc.xpath("//link[@rel='canonical']/@href | //meta[@property='og:url']/@content")
    title = _SPACE.sub(" ", str(titles[0])).strip() or None if titles else None
    return title, (str(urls[0]).strip() or None if urls else None)


def extract(html: str, warnings: list[str] | None = None) -> tuple[str, str | None]:
    """(main content as Markdown, article title from the page's metadata) of a page."""
    depth = nesting_depth(html)
    if depth > MAX_DEPTH:
        # Containers carry no text of their own: dropping them flattens the page, so nothing is lost
        # to the parser's depth limit. Paragraphs, headings, lists and links stay.
        html = _CONTAINERS.sub(" ", html)
        if warnings is not None:
            warnings.append(
                f"the page nests its markup {depth} levels deep; its layout containers were removed "
                "so that no text is lost"
            )
    future = _POOL.submit(
        trafilatura.extract,
        html,
        output_format="markdown",
        include_links=True,
        include_images=False,
        include_comments=False,
        include_tables=True,
        with_metadata=False,
    )
    try:
        text = future.result(timeout=EXTRACT_SECONDS)
    except concurrent.futures.TimeoutError:
        # The extractor's time grows faster than the page (28 s for a 7 MB page here). The thread
        # cannot be stopped, but nobody waits for it: the page's plain text is used instead.
        text = _plain_text(html)
        if warnings is not None:
            warnings.append(
                f"the main-content extractor took longer than {EXTRACT_SECONDS:g} s on this page, so "
                "all of its text was used, navigation and sidebars included"
            )
    if not text or not text.strip():
        raise ParseError("no article text found in this page (the extractor found no main content)")
    meta = trafilatura.extract_metadata(html)
    title = _SPACE.sub(" ", meta.title).strip() if meta is not None and meta.title else None
    return text, title


def _site(url: str | None) -> str | None:
    """The site a URL belongs to: its registered domain, or its host on a shared platform
    (two blogs on one blog host are different sites)."""
    info = cit.describe(url) if url else None
    if info is None:
        return None
    return info.host if info.provider else info.domain or info.host


def draft(html: str, name: str, origin: str | None = None) -> Draft:
    """The draft of the page's main content; its lines are that content, extracted as Markdown.

    ``origin`` is the URL the page was loaded from, if any; with the page's own canonical URL it
    tells which absolute links are internal (same registered domain) and so not citations.
    """
    notes: list[str] = []
    text, meta_title = extract(html, notes)
    page_title, own_url = _head(html)
    found = markdown.draft(text, name)
    found.text_of = "extracted"
    found.warnings[:0] = notes
    site = _site(origin) or _site(own_url)
    if site:
        outbound = [link for link in found.links if not (link.url and _site(link.url) == site)]
        internal = len(found.links) - len(outbound)
        found.links = outbound
        if internal:
            found.warnings.append(f"{internal} link(s) to the page's own site ({site}) are not counted as citations")
    if found.title is None:
        found.title = meta_title
    if page_title and found.title and page_title.casefold() != found.title.casefold():
        found.page_title = page_title
    found.warnings.append("HTML: line numbers refer to the extracted main text, not to the HTML source")
    return found
