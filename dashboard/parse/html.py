"""The HTML front end: a page's main content as Markdown, which the Markdown front end reads.

Every step is one pass over the page (or over the Markdown made from it):

1. **Read** the page with lxml: its ``<title>``, its own address (canonical, ``og:url``, JSON-LD,
   alternate versions), its headline (``og:title``, JSON-LD ``headline``, ``citation_title``,
   hAtom ``entry-title``, ``itemprop=headline``, MediaWiki ``#firstHeading``, ``h1``).
2. **Clean** it (:mod:`.htmlclean`): chrome out by tag, ARIA role and whole class names; headings
   and links tidied; the article-body container and the reference-list containers found.
3. **Main content**: the article-body container, when the markup names one, is written as
   Markdown by :func:`.htmlclean.convert`, which keeps every heading, list and link and marks the
   reference entries. Any other page goes through trafilatura, narrowed to the block that holds
   the headline and most of the page's text.
4. ``markdown.draft`` reads that Markdown once, with :class:`.markdown.Hints` saying what the
   markup told: the title (headings repeating it are not sections), the reference entries (else
   they are found by their headings, as in any Markdown), the page's own site and its hrefs.

Line spans and the rebuild refer to the extracted text; the raw HTML is kept by the article
store beside the parse.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

import lxml.etree
import lxml.html
import trafilatura

from .. import citations as cit
from ..bounded import Overdue, ThreadBudget
from ..model import ParseError
from . import markdown
from .draft import Draft, fold
from .htmlclean import class_names, clean, clean_text, convert, fix_href, is_web

_SPACE = re.compile(r"\s+")
_TAG = re.compile(r"<(/?)([a-zA-Z][\w:-]*)[^>]*?(/?)>")
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_CONTAINERS = re.compile(
    r"</?(?:div|span|section|article|main|aside|header|footer|nav|font|center|b|i|u|em|strong|small|big|"
    r"blockquote|figure|label|form|table|tbody|thead|tr|td|th)\b[^>]*>",
    re.IGNORECASE,
)
MAX_DEPTH = 200  # lxml, under trafilatura, silently drops content nested deeper than about 254 levels


# Main-content extraction (page head and metadata included) gets EXTRACT_SECONDS, then the page's
# plain text is used. Python cannot stop a thread, so each extraction runs in a fresh daemon
# thread that is abandoned when its time is up: a slow page never holds a worker the next page
# waits for (a fixed pool did: two slow pages held both workers, and the next small page waited
# out its own time and lost its extraction), and an abandoned thread does not keep the process
# alive at exit. At most MAX_OVERDUE abandoned extractions may still be running; past that a new
# page gets its plain text at once, so slow pages cannot pile up threads without bound.
EXTRACT_SECONDS = 15.0
MAX_OVERDUE = 4
_EXTRACTIONS = ThreadBudget(MAX_OVERDUE, "extract")

_HEADLINE_NAMES = frozenset("entry-title post-title".split())  # hAtom / Blogger post titles
_SUBTITLE = re.compile(r"(?i)(?:^|[-_])subtitle$")

# A MediaWiki page's own site includes its sister projects: it lists them in its sidebar
# (interlanguage links, "In other projects"); for saved pages without a sidebar, Wikimedia's
# projects and tool hosts are named here (https://meta.wikimedia.org/wiki/Wikimedia_projects).
WIKIMEDIA = frozenset(
    "wikipedia.org wikimedia.org wiktionary.org wikibooks.org wikiquote.org wikisource.org wikinews.org "
    "wikiversity.org wikivoyage.org wikidata.org mediawiki.org wikimediafoundation.org wikifunctions.org "
    "wikispecies.org wmflabs.org toolforge.org wmcloud.org".split()
)

_ARTICLE_TYPES = re.compile(r"(?i)article|posting|report|webpage|creativework|recipe|howto|review")
_TITLE_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|·|•|::|»|/)\s+")
_BODY_SHARE = 0.3  # an article-body container holds at least this share of the cleaned page's text
_SCOPE_SHARE = 0.5  # the block around the headline that holds this share of the page's paragraphs


def _plain_text(html: str) -> str:
    """Every paragraph of visible text, scripts and styles left out: the fallback when extraction is slow."""
    try:
        doc = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return ""
    for bad in list(doc.iter("script", "style", "noscript", "template")):
        if isinstance(bad, lxml.html.HtmlElement) and bad.getparent() is not None:
            bad.drop_tree()
    blocks = (" ".join(str(t).split()) for t in doc.itertext())
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
    title = _SPACE.sub(" ", doc.findtext(".//title") or "").strip() or None
    urls = [
        str((el.get("href") if el.tag == "link" else el.get("content")) or "").strip()
        for el in doc.iter("link", "meta")
        if (el.tag == "link" and el.get("rel") == "canonical") or (el.tag == "meta" and el.get("property") == "og:url")
    ]
    return title, next((u for u in urls if u), None)


# ---------------------------------------------------------------------------------------------
# 1. What the page says about itself


@dataclass
class _Head:
    title_tag: str | None = None
    meta: dict[str, str] = field(default_factory=dict)
    ld_headline: str | None = None
    own_urls: list[str] = field(default_factory=list)
    mediawiki: bool = False


def _read_head(doc: lxml.html.HtmlElement) -> _Head:
    head = _Head()
    for el in doc.iter("title", "meta", "link", "script"):
        if el.tag == "title" and head.title_tag is None:
            head.title_tag = clean_text(el.text_content()) or None
        elif el.tag == "meta":
            # property= (Open Graph), name= (Twitter, Dublin Core, Highwire), itemprop= (schema.org);
            # some CMSs write value= for content=
            key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
            value = clean_text(el.get("content") or el.get("value"))
            if key and value and key not in head.meta:
                head.meta[key] = value
        elif el.tag == "link":
            rel = (el.get("rel") or "").lower().split()
            href = (el.get("href") or "").strip()
            feed = "xml" in (el.get("type") or "").lower()
            if href and (
                "canonical" in rel or "shortlink" in rel or "amphtml" in rel or ("alternate" in rel and not feed)
            ):
                head.own_urls.append(fix_href(href))  # the page itself, or its mobile/AMP/language twin
        elif (el.get("type") or "").lower() == "application/ld+json":
            _read_json_ld(el.text or "", head)
    for key in ("og:url", "twitter:url", "url"):
        if key in head.meta:
            head.own_urls.append(fix_href(head.meta[key]))
    head.mediawiki = head.meta.get("generator", "").lower().startswith("mediawiki")
    return head


def _read_json_ld(text: str, head: _Head) -> None:
    """The headline and address of the article a JSON-LD block describes (schema.org)."""
    start = min((i for i in (text.find("{"), text.find("[")) if i >= 0), default=-1)
    end = max(text.rfind("}"), text.rfind("]"))
    if start < 0 or end <= start or end - start > 2_000_000:
        return
    try:
        data = json.loads(text[start : end + 1])
    except (ValueError, RecursionError):
        return
    stack, budget = [data], 5000
    while stack and budget:
        budget -= 1
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(reversed(item))
            continue
        if not isinstance(item, dict):
            continue
        kind = item.get("@type")
        kinds = " ".join(k for k in (kind if isinstance(kind, list) else [kind]) if isinstance(k, str))
        if _ARTICLE_TYPES.search(kinds) and head.ld_headline is None:
            # the first article the block describes is the page's own (later ones: related items)
            name = item.get("headline") or item.get("name")
            if isinstance(name, str) and clean_text(name):
                head.ld_headline = clean_text(name)
                head.own_urls += [u for k in ("url", "@id") if isinstance(u := item.get(k), str) and is_web(u)]
        graph = item.get("@graph")
        if isinstance(graph, list):
            stack.extend(reversed(graph))


def _cut_site_name(title: str, site_names: set[str]) -> str:
    """``Article - Site`` / ``Site | Article`` -> ``Article``: the parts that are not the site's
    name, else the first part when it is about the longest."""
    parts = [p for p in _TITLE_SEPARATORS.split(title) if p.strip()]
    if len(parts) < 2:
        colon = title.split(": ", 1)  # Blogger: "Blog name: Post title"
        if len(colon) == 2 and fold(colon[0]) in site_names:
            return colon[1].strip()
        return title
    kept = [p for p in parts if fold(p) not in site_names]
    if kept and len(kept) < len(parts):
        return kept[0].strip() if len(kept) == 1 else " - ".join(kept).strip()
    longest = max(parts, key=len)
    return parts[0].strip() if len(parts[0]) >= 0.6 * len(longest) else longest.strip()


@dataclass
class _Title:
    text: str | None  # the article's title
    shown: str | None  # the headline as the page prints it, when it prints it
    element: lxml.html.HtmlElement | None


def _choose_title(doc: lxml.html.HtmlElement, head: _Head, own_site: str | None) -> _Title:
    """The article's own headline: a printed heading that the page's metadata confirms, else the
    printed headline that markup names (MediaWiki, schema.org, hAtom), else the metadata
    (``og:title``, JSON-LD, ``citation_title``...), else the ``<title>`` minus the site's name."""
    site_names = {fold(head.meta[k]) for k in ("og:site_name", "application-name", "twitter:site") if k in head.meta}
    if own_site:
        site_names.add(fold(own_site.split(".")[0]))
    metas = [
        head.meta.get("og:title"),
        head.ld_headline,
        head.meta.get("citation_title"),
        head.meta.get("dc.title"),
        head.meta.get("twitter:title"),
    ]
    candidates = [m for m in metas if m]
    if head.title_tag:
        candidates.append(head.title_tag)
    candidates += [_cut_site_name(c, site_names) for c in candidates]
    candidates = [c for c in candidates if fold(c) not in site_names]  # a site-wide og:title names no article
    # Printed headlines, most telling first: MediaWiki's, schema.org's, hAtom's, then h1, h2, h3.
    ranked: list[tuple[int, lxml.html.HtmlElement]] = []
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        if el.get("id") == "firstHeading":
            ranked.append((0, el))
        elif el.get("itemprop") == "headline":
            ranked.append((1, el))
        elif _HEADLINE_NAMES.intersection((el.get("class") or "").lower().split()):
            ranked.append((2, el))
        elif el.tag in ("h1", "h2", "h3"):
            ranked.append((int(el.tag[1]) + 2, el))
        if len(ranked) > 2000:
            break
    ranked.sort(key=lambda r: r[0])
    printed = [(rank, el, clean_text(el.text_content())) for rank, el in ranked]
    by_text: dict[str, tuple[lxml.html.HtmlElement, str]] = {}
    for _, el, text in printed:
        if text:
            by_text.setdefault(fold(text), (el, text))
    for cand in candidates:
        hit = by_text.get(fold(cand))
        if hit:
            return _with_subtitle(_Title(cand, hit[1], hit[0]), head)
    strong = [(el, text) for rank, el, text in printed if rank <= 2 and text]
    if strong:
        return _with_subtitle(_Title(strong[0][1], strong[0][1], strong[0][0]), head)
    meta = next((m for m in metas if m and fold(m) not in site_names), None)
    if meta:
        return _Title(_cut_site_name(meta, site_names), None, None)
    h1s = [(el, text) for _, el, text in printed if el.tag == "h1" and text]
    if len(h1s) == 1:
        return _with_subtitle(_Title(h1s[0][1], h1s[0][1], h1s[0][0]), head)
    if head.title_tag:
        return _Title(_cut_site_name(head.title_tag, site_names), None, None)
    return _Title(h1s[0][1] if h1s else None, None, None)


def _with_subtitle(title: _Title, head: _Head) -> _Title:
    """Headline + subtitle (``.subtitle``, ``.citation__subtitle``...) when the page's own
    metadata names the article so: ``Title: Subtitle``."""
    if title.element is None or title.text is None:
        return title
    near: list[lxml.html.HtmlElement] = []
    for el in (title.element, title.element.getparent()):
        sib = el.getnext() if el is not None else None
        for _ in range(3):
            if sib is None:
                break
            near.append(sib)
            sib = sib.getnext()
    named = [head.title_tag or "", *head.meta.values()]
    for el in near:
        if not isinstance(el.tag, str) or not any(_SUBTITLE.search(t) for t in class_names(el)):
            continue
        sub = clean_text(el.text_content())
        full = f"{title.text}: {sub}"
        if sub and any(fold(n).startswith(fold(full)) for n in named):
            return _Title(full, title.shown, title.element)
    return title


# ---------------------------------------------------------------------------------------------
# Extraction (under a time bound)


@dataclass
class _Page:
    text: str  # the main content as Markdown
    title: str | None = None
    page_title: str | None = None
    shown: str | None = None  # the headline as printed
    own_urls: list[str] = field(default_factory=list)
    sisters: set[str] = field(default_factory=set)  # a wiki's sister projects (registered domains)
    entries: set[int] = field(default_factory=set)  # first lines of the reference entries the markup names
    hrefs: dict[str, str] = field(default_factory=dict)  # link target as Markdown reads it -> href as written
    mediawiki: bool = False


def _trafilatura(html: str) -> str | None:
    return trafilatura.extract(
        html,
        output_format="markdown",
        include_links=True,
        include_images=False,
        include_comments=False,
        include_tables=True,
        with_metadata=False,
    )


_FENCE = re.compile(r"^\s*(```|~~~)")
_LIST_LINE = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])(?:\s|$)")


def _unindent(text: str) -> str:
    """trafilatura keeps a pretty-printed page's indentation inside paragraphs; four spaces would
    make a paragraph's first line a code block, so paragraph lines lose it (list lines keep it)."""
    out: list[str] = []
    fenced = False
    for line in text.split("\n"):
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced and not _LIST_LINE.match(line):
            line = line.lstrip(" \t")
        out.append(line)
    return "\n".join(out)


def _scope(doc: lxml.html.HtmlElement, headline: lxml.html.HtmlElement | None) -> lxml.html.HtmlElement:
    """The smallest block around the headline that holds most of the page's paragraph text.

    One pass: the paragraph text before each element, in document order; a block's share is the
    difference between the element after it and the block itself."""
    if headline is None or headline.getparent() is None:
        return doc
    order: dict[lxml.html.HtmlElement, int] = {}
    before = [0]
    for i, el in enumerate(doc.iter()):
        order[el] = i
        before.append(before[-1] + (len(el.text_content()) if el.tag == "p" else 0))
    total = before[-1]
    if not total:
        return doc

    def after(el: lxml.html.HtmlElement) -> int:
        while el is not None:
            nxt = el.getnext()
            if nxt is not None:
                # A comment or processing instruction after </html> is the root's sibling, outside
                # the walk above: nothing of the page's text comes after it.
                return order.get(nxt, len(before) - 1)
            el = el.getparent()
        return len(before) - 1

    for el in headline.iterancestors():
        if el.tag in ("body", "html"):
            break
        if before[after(el)] - before[order[el]] >= _SCOPE_SHARE * total:
            return el
    return doc


def _extract_page(html: str) -> _Page:
    try:
        doc = lxml.html.document_fromstring(html.encode("utf-8"), parser=lxml.html.HTMLParser(encoding="utf-8"))
    except (ValueError, lxml.etree.ParserError):
        doc = None
    if doc is None:
        return _Page(_trafilatura(html) or "")
    head = _read_head(doc)
    for code in list(doc.iter("script", "style", "noscript", "template")):  # never text, not in a headline either
        if isinstance(code, lxml.html.HtmlElement) and code.getparent() is not None:
            code.drop_tree()
    own_site = next((s for u in head.own_urls if is_web(u) and (s := cit.site(u))), None)
    title = _choose_title(doc, head, own_site)
    cleaned = clean(doc, title.element, head.own_urls)
    sisters = cleaned.sisters if head.mediawiki else set()
    page = _Page("", title.text, head.title_tag, title.shown, head.own_urls, sisters, mediawiki=head.mediawiki)
    body = cleaned.body
    if body is not None and _enough(doc, body):
        try:
            conv = convert(body, title.text, title.shown, cleaned.ref_containers)
        except RecursionError:  # nesting deep enough to exhaust the stack: trafilatura walks it
            conv = None
        text = "\n".join(conv.lines) if conv else ""
        if conv and len(text.split()) >= 5:
            page.text, page.entries, page.hrefs = text + "\n", conv.entries, conv.hrefs
            return page
    scope = _scope(doc, title.element)
    if scope is not doc:
        # Only the headline's block is left, inside its own wrappers (which tell trafilatura
        # where a page's content sits): the blocks beside it are the sidebars and rails.
        keep = scope
        for up in scope.iterancestors():
            for sibling in list(up):
                if sibling is not keep and sibling.tag != "head" and isinstance(sibling.tag, str):
                    up.remove(sibling)
            keep = up
    page.text = _unindent(_trafilatura(lxml.html.tostring(doc, encoding="unicode")) or "")
    if not page.text.strip():  # all of it looked like chrome: the page as it is, rather than nothing
        page.text = _unindent(_trafilatura(html) or "")
    return page


def _enough(doc: lxml.html.HtmlElement, body: lxml.html.HtmlElement) -> bool:
    """The container holds a good part of the page's text, chrome removed (so it is the
    article, not a teaser)."""

    def text(el: lxml.html.HtmlElement) -> int:
        return len(_SPACE.sub("", el.text_content()))

    inside = text(body)
    return inside > 0 and inside >= _BODY_SHARE * text(doc)


def extract(html: str, warnings: list[str] | None = None) -> _Page:
    """The page's main content as Markdown, with what the page says about itself."""
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
    try:
        page = _EXTRACTIONS.run(EXTRACT_SECONDS, lambda: _extract_page(html))
    except Overdue as e:
        # The extractor's time grows faster than the page (28 s for a 7 MB page here). Its thread
        # cannot be stopped, but nobody waits for it: the page's plain text is used instead.
        page_title, own_url = _head(html)
        page = _Page(_plain_text(html), page_title, page_title, None, [own_url] if own_url else [])
        if warnings is not None:
            warnings.append(
                (
                    f"the main-content extractor took longer than {EXTRACT_SECONDS:g} s on this page, so "
                    if e.started
                    else "the main-content extractor is busy with slow pages, so "
                )
                + "all of its text was used, navigation and sidebars included"
            )
    if not page.text or not page.text.strip():
        raise ParseError("no article text found in this page (the extractor found no main content)")
    return page


# ---------------------------------------------------------------------------------------------
# The draft


def draft(html: str, name: str, origin: str | None = None) -> Draft:
    """The draft of the page's main content; its lines are that content, extracted as Markdown.

    ``origin`` is the URL the page was loaded from, if any; with the page's own addresses
    (canonical, ``og:url``, alternates) it tells which absolute links are internal (same
    registered domain, or a sister project of a wiki) and so not citations.
    """
    notes: list[str] = []
    page = extract(html, notes)
    sites = {s for url in [origin, *page.own_urls] if url and is_web(url) and (s := cit.site(url))}
    family = set(page.sisters)
    if page.mediawiki and (family | sites) & WIKIMEDIA:
        family |= WIKIMEDIA  # one Wikimedia project links the others as its own

    def own(url: str) -> bool:
        return cit.site(url) in sites or (bool(family) and cit.describe(url).domain in family)

    hints = markdown.Hints(
        title=page.title,
        shown=page.shown,
        page_title=page.page_title,
        entries=frozenset(page.entries),
        own=own if sites or family else None,
        own_name=f"the page's own site ({', '.join(sorted(sites)[:2] or sorted(family)[:2])})",
        hrefs=page.hrefs,
    )
    found = markdown.draft(page.text, name, hints=hints)
    found.text_of = "extracted"
    found.warnings[:0] = notes
    found.warnings.append("HTML: line numbers refer to the extracted main text, not to the HTML source")
    return found
