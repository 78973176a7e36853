"""Page chrome out, the article body in as Markdown: the cleaning and conversion steps of the HTML front end.

Both go by how the web is built, never by site:

- **Chrome** (:func:`clean`) is named by tag (``nav``, ``aside``, forms, frames), by ARIA role
  (navigation, banner, complementary, search, dialog...), by whole class or id names in common use
  (MediaWiki's TOC, edit links, navboxes, hatnotes, catlinks, authority control; WordPress/Blogger
  widgets, comments, Jetpack share and related posts; share/social bars; bylines and post meta;
  hidden and print-only blocks). Headings lose their edit links and permalink marks (``¶``, ``#``)
  and become plain text; footnote back-links (``↑``, ``^``, ``↩``) go; ``//host`` links become
  ``https:``; a link that only wraps a picture, points at an image file or is a share button is no
  link. The same pass finds the article-body container (MediaWiki ``#mw-content-text``, schema.org
  ``itemprop=articleBody``, hAtom ``entry-content``, Blogger ``post-body``, common ``article-body``
  names, the one ``<article>`` holding the headline) and the reference-list containers
  (``ol.references``, ``div.reflist``, ``doc-bibliography``/``doc-endnotes``, ``.footnotes``...).
- **Conversion** (:func:`convert`) writes the body as Markdown in one linear walk that keeps every
  heading, list and link (trafilatura drops link-dense lists, which on an article are its source
  lists) and records the first line of each reference entry inside a reference-list container.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

import lxml.html
from markdown_it.common.utils import unescapeAll

from .. import citations as cit
from .draft import fold, is_image_file, is_share_link

_ASCII_SPACE = re.compile(r"[ \t\n\r\f\v]+")

# ---------------------------------------------------------------------------------------------
# Chrome: what a reader does not take as the article. Class and id names are matched as whole
# names (``class="toc"``, never ``class="tocsy"``); a few families (share/social/related bars,
# tables of contents) also match as a hyphen/underscore-separated part of a class name
# (``sd-sharing-enabled``, ``jp-relatedposts``, ``ez-toc-container``).

_DROP_TAGS = frozenset(
    # not <form>: ASP.NET pages wrap the whole page in one; search, comment and signup forms go by name
    "script style noscript template nav aside button select input textarea iframe frame frameset "
    "svg canvas video audio object embed dialog map math head title".split()
)
_DROP_ROLES = frozenset(
    "navigation banner contentinfo complementary search dialog alertdialog menu menubar toolbar tablist "
    "doc-backlink doc-toc doc-pagelist".split()
)
_DROP_NAMES = frozenset(
    (
        # MediaWiki: TOC, edit links, navboxes, hatnotes, maintenance and sister boxes, categories
        "toc vector-toc toctitle mw-editsection navbox vertical-navbox navbox-styles catlinks hatnote dablink "
        "ambox mbox-small metadata authority-control sistersitebox noprint mw-jump-link printfooter "
        "mw-cite-backlink mw-indicators mw-hidden-catlinks navigation-not-searchable "
        # site navigation and page furniture
        "nav navbar navigation menu breadcrumb breadcrumbs skip-link skip-links pagination post-navigation "
        "nav-links nav-previous nav-next site-header site-footer site-navigation main-navigation footer "
        "header-nav "
        # sidebars and widgets (WordPress, Blogger)
        "sidebar widget widgets widget-area sidebar-primary blog-pager search-form searchform "
        # comment threads and forms
        "comments comment-list commentlist comments-area comment-respond comments-section comment-form "
        "disqus_thread "
        # share bars and like buttons (Jetpack sharedaddy, AddToAny, Shariff)
        "sharedaddy addtoany a2a_kit shariff post-share-buttons "
        # bylines, post meta, author boxes, tags
        "byline author-box author-bio about-author entry-meta entry-footer post-meta post-footer post-tags "
        "tag-links cat-links entry-tags "
        # ads, newsletters, cookie and modal boxes
        "ad ads advert advertisement advertisment adsbygoogle newsletter newsletter-signup cookie-banner "
        "cookie-notice gdpr modal popup "
        # text for screen readers only, print-only blocks
        "sr-only visually-hidden screen-reader-text print-only"
    ).split()
)
# Ids only (as class names they are too common): WordPress's sidebar, comment form and footer,
# MediaWiki's sub-title lines and side panels.
_DROP_IDS = frozenset(
    "secondary respond colophon masthead footer sitesub contentsub mw-navigation mw-head mw-panel p-lang".split()
)
_DROP_PARTS = frozenset("share shares sharing sharebar social related relatedposts toc".split())
_HIDDEN_STYLE = re.compile(r"(?i)display\s*:\s*none|visibility\s*:\s*hidden")
# Responsive utility classes that show an element hidden by ``d-none``/``hidden`` on wider screens.
_SHOWN_ON_SCREEN = re.compile(r"(?i)^(?:d-(?:sm|md|lg|xl|xxl)-(?!none)\w+|(?:sm|md|lg|xl|2xl):(?!hidden)\w+)$")

# Reference lists by markup: MediaWiki ``ol.references`` / ``div.reflist``, DPUB-ARIA roles,
# pandoc/kramdown/Hugo/python-markdown ``.footnotes``, JATS/journal ``ref-list``/``references``.
_REF_ROLES = frozenset("doc-bibliography doc-endnotes doc-footnotes".split())
_REF_NAMES = ("references", "reflist", "footnotes", "endnotes", "bibliography", "ref-list", "mw-references-wrap")
# a class that is one of those names, or ends with one as a BEM element ("article__references",
# "c-article-references"); "references-column-width" is a layout modifier, not a list
_REF_CLASS = re.compile(r"^(?:.*[-_])?(?:" + "|".join(re.escape(n) for n in _REF_NAMES) + r")$")

# Article-body containers, by well-known markup, most specific first.
_BODY_NAMES = (
    "mw-parser-output",  # MediaWiki
    "entry-content",  # hAtom: WordPress themes, Blogger
    "post-body",  # Blogger
    "post-content",
    "article-body",
    "article__body",
    "articlebody",
    "article-content",
    "story-body",
)

# Links: footnote back-links, permalink marks in headings, image files, share buttons.
_BACKLINK_NAMES = frozenset("footnote-backref footnote-back reversefootnote footnote-return".split())
_ANCHOR_NAMES = frozenset("headerlink anchor anchorjs-link header-anchor heading-anchor hash-link permalink".split())
_MARKS = frozenset("¶ # § 🔗 ↑ ↩ ↩︎ ^ ⤴ ⇧".split())
_SISTER_NAMES = frozenset("interlanguage-link wb-otherproject-link".split())


def clean_text(text: str | None) -> str:
    return " ".join((text or "").split())


def class_names(el: lxml.html.HtmlElement) -> list[str]:
    """The element's class names and id, lower-cased."""
    return (el.get("class") or "").lower().split() + (el.get("id") or "").lower().split()


def _parts(name: str) -> list[str]:
    return [p for p in re.split(r"[-_]+", name) if p]


def fix_href(href: str) -> str:
    href = "".join(href.split("\n")).strip()
    return "https:" + href if href.startswith("//") else href


def is_web(href: str) -> bool:
    return href.lower().startswith(("http://", "https://"))


# ---------------------------------------------------------------------------------------------
# Cleaning


def _hidden(el: lxml.html.HtmlElement, names: list[str]) -> bool:
    if el.get("hidden") is not None or (el.get("aria-hidden") or "").lower() == "true":
        return True
    style = el.get("style")
    if style and _HIDDEN_STYLE.search(style):
        return True
    if "d-none" in names or "hidden" in names:  # Bootstrap / Tailwind: hidden unless a wider screen shows it
        return not any(_SHOWN_ON_SCREEN.match(t) for t in (el.get("class") or "").split())
    return False


def _is_chrome(el: lxml.html.HtmlElement, names: list[str]) -> bool:
    if el.tag in _DROP_TAGS or (el.get("role") or "").lower() in _DROP_ROLES or _hidden(el, names):
        return True
    if (el.get("id") or "").lower() in _DROP_IDS or any(t in _DROP_NAMES for t in names):
        return True
    # families of names, as a part of a class name only (ids name anchors: "toc_title_1" is a section)
    return any(p in _DROP_PARTS for t in (el.get("class") or "").lower().split() for p in _parts(t))


def _is_ref_container(el: lxml.html.HtmlElement) -> bool:
    if (el.get("role") or "").lower() in _REF_ROLES:
        return True
    return any(_REF_CLASS.match(t) for t in (el.get("class") or "").lower().split())


@dataclass
class Cleaned:
    body: lxml.html.HtmlElement | None  # the article-body container, if the markup names one
    ref_containers: set[lxml.html.HtmlElement]
    sisters: set[str]  # registered domains a wiki lists as its sister projects (its own site too)


def clean(doc: lxml.html.HtmlElement, headline: lxml.html.HtmlElement | None, own_urls: list[str]) -> Cleaned:
    """Remove chrome, tidy headings and links, and find the article-body container: one pass to
    decide, then one action per element found. What holds the ``headline`` is never chrome; links
    that carry one of the page's ``own_urls`` share the page."""
    chrome: list[lxml.html.HtmlElement] = []
    headings: list[lxml.html.HtmlElement] = []
    anchors: list[lxml.html.HtmlElement] = []
    refs: set[lxml.html.HtmlElement] = set()
    bodies: dict[str, list[lxml.html.HtmlElement]] = {}
    articles: list[lxml.html.HtmlElement] = []
    sisters: set[str] = set()
    icon_links: set[lxml.html.HtmlElement] = set()
    for el in doc.iter():
        tag = el.tag
        if not isinstance(tag, str):
            continue
        names = class_names(el)
        if _is_chrome(el, names):
            chrome.append(el)
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            headings.append(el)
        elif tag == "a":
            anchors.append(el)
        elif tag == "article":
            articles.append(el)
        elif tag == "li" and _SISTER_NAMES.intersection(names):
            for a in el.iter("a"):
                href = fix_href(a.get("href") or "")
                if is_web(href) and (d := cit.describe(href).domain):
                    sisters.add(d)
        if tag == "svg" or (tag in ("i", "span") and any(t.startswith(("icon", "fa-")) for t in names)):
            up = el.getparent()
            for _ in range(3):  # an icon sits in its link, or one or two wrappers down
                if up is None or up.tag == "a":
                    break
                up = up.getparent()
            if up is not None and up.tag == "a":
                icon_links.add(up)
        if _is_ref_container(el):
            refs.add(el)
        if el.get("itemprop") == "articleBody":
            bodies.setdefault("itemprop", []).append(el)
        if el.get("id") == "mw-content-text":
            bodies.setdefault("mw-content-text", []).append(el)
        for t in names:
            if t in _BODY_NAMES:
                bodies.setdefault(t, []).append(el)

    chrome_set = set(chrome)

    def in_chrome(el: lxml.html.HtmlElement) -> bool:
        return el in chrome_set or any(a in chrome_set for a in el.iterancestors())

    body = None
    for key in ("mw-content-text", _BODY_NAMES[0], "itemprop", *_BODY_NAMES[1:]):
        found = bodies.get(key, [])[:50]
        if len(found) > 1:  # one of them may be the article, the others teasers or comments
            found = [el for el in found if not in_chrome(el)]
        if len(found) == 1:
            body = found[0]
            break
    if body is None and articles:
        live = [el for el in articles[:200] if not in_chrome(el)]
        if headline is not None:
            around = set(headline.iterancestors())
            live = [el for el in live if el in around] or live
        if len(live) == 1:
            body = live[0]
    # Blogger holds its posts in a "widget", some themes their article in a "main-navigation"
    # wrapper: what holds the article body or its headline is never chrome.
    protected = {doc}
    for keep in (body, headline):
        if keep is not None:
            protected |= {keep, *keep.iterancestors()}
    for el in chrome:
        if el not in protected and el.getparent() is not None:
            el.drop_tree()

    for h in headings:
        _tidy_heading(h)
    own_keys = _own_keys(own_urls)
    for a in anchors:
        _tidy_link(a, a in icon_links, own_keys)
    return Cleaned(body, refs, sisters)


def _tidy_heading(h: lxml.html.HtmlElement) -> None:
    """A heading as plain text: edit links, permalink marks and anchors gone."""
    if h.getparent() is None:
        return
    for el in list(h.iter("a", "span")):
        if el is h or el.getparent() is None:
            continue
        if _ANCHOR_NAMES.intersection(class_names(el)):
            el.drop_tree()
        elif el.tag == "a" and (el.get("href") or "").startswith("#"):
            text = el.text_content().strip()  # links do not nest: each text is read once
            if text in _MARKS or not text:
                el.drop_tree()
    text = clean_text(h.text_content())
    while text and (text[-1] in "¶§🔗" or text.endswith(" #")):
        text = text[:-1].rstrip()
    for child in list(h):
        h.remove(child)
    h.text = text


def _own_keys(own_urls: list[str]) -> list[str]:
    """The page's own addresses without scheme and ``www.``: a link carrying one as a parameter
    shares the page (a share button); it cites nothing."""
    keys = []
    for url in own_urls:
        key = re.sub(r"(?i)^(?:https?:)?//(?:www\.)?", "", url.strip()).rstrip("/")
        if len(key) > 12 and "/" in key:
            keys.append(key.casefold())
    return keys


def _tidy_link(a: lxml.html.HtmlElement, icon: bool, own_keys: list[str]) -> None:
    if a.getparent() is None:
        return
    href = a.get("href")
    if href is None:
        return
    text = a.text_content().strip()
    if (
        _BACKLINK_NAMES.intersection(class_names(a))
        or (a.get("role") or "").lower() == "doc-backlink"
        or (href.strip().startswith("#") and text in _MARKS)
    ):
        a.drop_tree()  # a footnote's way back to the text
        return
    href = fix_href(href)
    query = unquote(href.partition("?")[2]).casefold()
    if is_image_file(href) or is_share_link(href) or (query and any(k in query for k in own_keys)):
        del a.attrib["href"]  # a link to an image file, or a share button: no citation
        return
    if not text:
        if not icon or a.find(".//img") is not None or a.find(".//picture") is not None:
            del a.attrib["href"]  # a link that only wraps a picture (or nothing) cites nothing
            return
        # an icon link (an "open" arrow, a logo glyph): named by its label, else by a mark
        for child in list(a):
            a.remove(child)
        a.text = clean_text(a.get("aria-label") or a.get("title")) or "↗"
    a.set("href", href)


# ---------------------------------------------------------------------------------------------
# The article body as Markdown

_HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())
_BLOCKS = frozenset(
    "p div section article main header footer figure figcaption blockquote dl dt dd center address "
    "details summary hgroup caption fieldset legend hr li pre table".split()
)
_SKIP = frozenset("img picture source track area wbr".split()) | _DROP_TAGS
_ESCAPE = re.compile(r"([\\`*_\[\]<>&])")
_LINE_START = re.compile(r"^(?:([#>+=~|-])|(\d{1,9})([.)])(?=\s|$))")


def _esc(text: str) -> str:
    return _ESCAPE.sub(r"\\\1", text)


def _heading_line(level: int, text: str) -> str:
    esc = _esc(text)
    if esc.endswith("#"):  # not a closing sequence
        esc = esc[:-1] + "\\#"
    return f"{'#' * level} {esc}"


def _esc_line(line: str) -> str:
    """A line that stays a paragraph line: no heading, list, quote, rule or fence marker at its start."""
    m = _LINE_START.match(line)
    if not m:
        return line
    if m.group(1):
        return "\\" + line
    return f"{m.group(2)}\\{line[len(m.group(2)) :]}"


class _Converter:
    """A linear lxml -> Markdown walk that keeps headings, paragraphs, lists, tables (a row a
    line), code, and links with their exact targets. Every list item is one line; the first
    line of each entry of a reference list (by markup) is recorded."""

    def __init__(self, titles: set[str], refs: set[lxml.html.HtmlElement]) -> None:
        self.lines: list[str] = []
        self.entries: set[int] = set()
        self.hrefs: dict[str, str] = {}  # a link's target as Markdown reads it -> the href as written
        self.titles = titles
        self.refs = refs
        self.buf: list[str | None] = []  # inline Markdown; None is a line break
        self.ref_depth = 0  # > 0 inside a reference-list container
        self.ref_list_open = False  # inside a list of a reference container (its items are entries)
        self.indent: list[str] = []  # content columns of the open list items
        self.inline_only = 0  # > 0 while writing one list item, table row or link label as one line
        self.link_depth = 0
        self.pending: tuple[str, bool] | None = None  # the open list item's marker, and if it is an entry

    # output
    def _blank(self) -> None:
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    def block(self, lines: list[str]) -> int:
        """Write a block after a blank line; the index of its first line."""
        if lines:
            self._blank()
            self.lines.extend(lines)
        return len(self.lines) - len(lines)

    def inline(self, text: str | None) -> None:
        if text:
            self.buf.append(_esc(_ASCII_SPACE.sub(" ", text)))

    def _take(self) -> list[str]:
        """The buffered inline text as escaped lines (split at line breaks)."""
        out: list[str] = []
        cur: list[str] = []
        for piece in [*self.buf, None]:
            if piece is None:
                line = " ".join("".join(cur).split())
                if line:
                    out.append(_esc_line(line))
                cur = []
            else:
                cur.append(piece)
        self.buf = []
        return out

    def flush(self) -> None:
        if self.inline_only:
            self.buf.append(" ")
            return
        lines = self._take()
        if lines:
            at = self.block(lines)
            if self.ref_depth > 0 and not self.indent:
                self.entries.add(at)  # a reference container's paragraph is an entry

    # walk
    def walk(self, el: lxml.html.HtmlElement) -> None:
        self.inline(el.text)
        for child in el:
            self.node(child)
            self.inline(child.tail)

    def node(self, el: lxml.html.HtmlElement) -> None:
        tag = el.tag
        if not isinstance(tag, str):
            return  # a comment or processing instruction: its tail is read by the caller
        if tag == "br":
            self.buf.append(" " if self.inline_only else None)
            return
        if tag in _SKIP:
            return
        ref = el in self.refs
        self.ref_depth += ref
        if tag in _HEADINGS and not self.inline_only:
            self.heading(el)
        elif tag == "pre" and not self.inline_only:
            self.code(el)
        elif tag in ("ul", "ol", "menu"):
            self.list(el)
        elif tag == "table" and not self.inline_only:
            self.table(el)
        elif tag in ("td", "th"):
            self.buf.append(" ")
            self.walk(el)
            self.buf.append(" ")
        elif tag == "a":
            self.anchor(el)
        elif tag in _BLOCKS or tag in _HEADINGS:
            self.flush()
            self.walk(el)
            self.flush()
        else:
            self.walk(el)
        self.ref_depth -= ref

    def heading(self, h: lxml.html.HtmlElement) -> None:
        self.flush()
        text = clean_text(h.text_content())
        if not text or fold(text) in self.titles:
            return  # empty, or the headline again: the title line holds it
        self.block([_heading_line(int(h.tag[1]), text)])

    def code(self, pre: lxml.html.HtmlElement) -> None:
        self.flush()
        body = pre.text_content().replace("\r", "").strip("\n")
        if not body.strip():
            return
        fence = "`" * max(3, max((len(r) for r in re.findall(r"`+", body)), default=0) + 1)
        self.block([fence, *body.split("\n"), fence])

    def table(self, table: lxml.html.HtmlElement) -> None:
        self.flush()
        rows: list[str] = []
        self.inline_only += 1
        for tr in _rows(table):  # a nested table is written inside its cell
            self.walk(tr)
            row = " ".join("".join(p or " " for p in self.buf).split())
            self.buf = []
            if row:
                rows.append(_esc_line(row))
        self.inline_only -= 1
        if rows:
            at = self.block(rows)
            if self.ref_depth > 0 and not self.indent:
                self.entries.add(at)

    def list(self, lst: lxml.html.HtmlElement) -> None:
        if self.inline_only and not self.indent:
            self.walk(lst)  # a list inside a table cell or a link
            return
        if self.indent:
            self.flush_item(nested=True)
        else:
            self.flush()
            self._blank()
        ordered = lst.tag == "ol"
        entries = self.ref_depth > 0 and not self.ref_list_open
        was_open = self.ref_list_open
        self.ref_list_open = self.ref_list_open or entries
        for li in lst:
            if not isinstance(li.tag, str):
                continue
            if li.tag == "li":
                self.item(li, ordered, entries)
            elif li.tag in ("ul", "ol"):
                self.list(li)
        self.ref_list_open = was_open
        if not self.indent:
            self._blank()

    def item(self, li: lxml.html.HtmlElement, ordered: bool, entry: bool) -> None:
        marker = "1. " if ordered else "- "
        self.pending = ("".join(self.indent) + marker, entry)
        self.indent.append(" " * len(marker))
        self.inline_only += 1
        self.walk(li)
        self.inline_only -= 1
        self.flush_item()
        self.indent.pop()

    def flush_item(self, nested: bool = False) -> None:
        """Write the open list item's line (before a nested list, or at its end)."""
        text = " ".join("".join(p or " " for p in self.buf).split())
        self.buf = []
        if not text:
            if nested and self.pending is not None:  # an item that only holds a list: its bare marker
                self.lines.append(self.pending[0].rstrip())
                self.pending = None
            return
        if self.pending is None:  # text after a nested list: a line of the item
            self.lines.append("".join(self.indent) + _esc_line(text))
            return
        lead, entry = self.pending
        self.pending = None
        if entry:
            self.entries.add(len(self.lines))
        self.lines.append(lead + _esc_line(text))

    def anchor(self, a: lxml.html.HtmlElement) -> None:
        href = a.get("href") or ""
        if self.link_depth or not is_web(href):
            self.walk(a)
            return
        self.link_depth += 1
        self.inline_only += 1  # a block inside a link stays inside its label
        mark = len(self.buf)
        self.walk(a)
        self.inline_only -= 1
        self.link_depth -= 1
        label = " ".join("".join(p or " " for p in self.buf[mark:]).split())
        del self.buf[mark:]
        if not label:
            return
        dest = href.replace("\\", "\\\\").replace("<", "%3C").replace(">", "%3E").replace("\t", "%09")
        dest = dest.replace("\r", "").replace("\n", "")
        self.hrefs[unescapeAll(dest)] = href
        self.buf.append(f"[{label}](<{dest}>)")


def _rows(table: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """The table's own rows (in thead/tbody/tfoot or directly in it), not those of nested tables."""
    rows = []
    for part in table:
        if part.tag == "tr":
            rows.append(part)
        elif part.tag in ("thead", "tbody", "tfoot"):
            rows.extend(tr for tr in part if tr.tag == "tr")
    return rows


def convert(
    body: lxml.html.HtmlElement, title: str | None, shown: str | None, refs: set[lxml.html.HtmlElement]
) -> _Converter:
    """The body as Markdown lines (after the printed headline ``shown``, as an H1), the first line of
    each reference entry inside the ``refs`` containers, and the hrefs of its links."""
    conv = _Converter({fold(t) for t in (title, shown) if t}, refs)
    if shown:
        conv.lines.append(_heading_line(1, shown))
    conv.node(body)
    conv.flush()
    while conv.lines and conv.lines[-1] == "":
        conv.lines.pop()
    return conv
