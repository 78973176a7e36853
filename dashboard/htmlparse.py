"""Parse a saved web page: trafilatura keeps the main content as Markdown, which mdparse reads.

Navigation, sidebars, comment threads and widgets are dropped by the extractor. Line spans and
the rebuild refer to the extracted text, which is kept in the blocks; the raw HTML is kept by
the article store beside the parse.
"""

from __future__ import annotations

import re

import lxml.html
import trafilatura

from .mdparse import draft_markdown
from .model import ParseError
from .parse import Draft

_SPACE = re.compile(r"\s+")


def _page_title(html: str) -> str | None:
    try:
        doc = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return None
    titles = doc.xpath("//title/text()")
    if not titles:
        return None
    return _SPACE.sub(" ", str(titles[0])).strip() or None


def extract(html: str) -> tuple[str, str | None, str | None]:
    """(main content as Markdown, article title, page <title>) of a page."""
    text = trafilatura.extract(
        html,
        output_format="markdown",
        include_links=True,
        include_images=False,
        include_comments=False,
        include_tables=True,
        with_metadata=False,
    )
    if not text or not text.strip():
        raise ParseError("no article text found in this page (the extractor found no main content)")
    meta = trafilatura.extract_metadata(html)
    title = _SPACE.sub(" ", meta.title).strip() if meta is not None and meta.title else None
    return text, title, _page_title(html)


def draft_html(html: str, stem: str) -> tuple[Draft, str]:
    """The draft of the page's main content, and that content (the text the blocks tile)."""
    text, meta_title, page_title = extract(html)
    draft = draft_markdown(text, stem)
    title_missing = any(w.startswith("no title found") for w in draft.warnings)
    if title_missing and meta_title:
        draft.warnings = [w for w in draft.warnings if not w.startswith("no title found")]
        draft.title = meta_title
    if page_title and page_title.casefold() != draft.title.casefold():
        draft.page_title = page_title
    draft.warnings.append("HTML: line numbers refer to the extracted main text, not to the HTML source")
    return draft, text
