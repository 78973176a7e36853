"""The HTML front end: a page's main content as Markdown, which the Markdown front end reads.

Every step is one pass over the page (or over the Markdown made from it):

1. **Read** the page with lxml: its ``<title>``, its own address (canonical, ``og:url``, JSON-LD,
   alternate versions), its headline (``og:title``, JSON-LD ``headline``, ``citation_title``,
   hAtom ``entry-title``, ``itemprop=headline``, MediaWiki ``#firstHeading``, ``h1``).
2. **Clean** it by how the web is built, never by site: chrome named by tag (``nav``, ``aside``,
   forms, frames), by ARIA role (navigation, banner, complementary, search, dialog...), by whole
   class or id names in common use (MediaWiki's TOC, edit links, navboxes, hatnotes, catlinks,
   authority control; WordPress/Blogger widgets, comments, Jetpack share and related posts;
   share/social bars; bylines and post meta; hidden and print-only blocks). Headings lose their
   edit links and permalink marks (``¶``, ``#``) and become plain text; footnote back-links
   (``↑``, ``^``, ``↩``) go; ``//host`` links become ``https:``; a link that only wraps a picture,
   points at an image file or is a share button is no link.
3. **Main content**: a well-known article-body container (MediaWiki ``#mw-content-text``,
   schema.org ``itemprop=articleBody``, hAtom ``entry-content``, Blogger ``post-body``, common
   ``article-body`` names, the one ``<article>`` holding the headline) is written as Markdown by
   a small linear converter that keeps every heading, list and link: trafilatura drops
   link-dense lists, which on an article are its source lists. Any other page goes through
   trafilatura, narrowed to the block that holds the headline and most of the page's text.
4. ``markdown.draft`` reads that Markdown; the draft is then restructured for the web: the
   headline and its repeats are the title, reference lists are found by their markup
   (``ol.references``, ``div.reflist``, ``doc-bibliography``/``doc-endnotes``, ``.footnotes``...)
   or else by their heading, one entry per list item; every other heading is a section.

Line spans and the rebuild refer to the extracted text; the raw HTML is kept by the article
store beside the parse.
"""

from __future__ import annotations

import concurrent.futures
import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import unquote

import lxml.etree
import lxml.html
import trafilatura
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from .. import citations as cit
from ..model import ParseError
from . import markdown
from .draft import REFERENCES, Draft, Link, Unit, group_sections

_SPACE = re.compile(r"\s+")
_ASCII_SPACE = re.compile(r"[ \t\n\r\f\v]+")
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
_HEADLINE_NAMES = frozenset("entry-title post-title".split())  # hAtom / Blogger post titles
_SUBTITLE = re.compile(r"(?i)(?:^|[-_])subtitle$")

# Links: footnote back-links, permalink marks in headings, image files, share buttons.
_BACKLINK_NAMES = frozenset("footnote-backref footnote-back reversefootnote footnote-return".split())
_ANCHOR_NAMES = frozenset("headerlink anchor anchorjs-link header-anchor heading-anchor hash-link permalink".split())
_MARKS = frozenset("¶ # § 🔗 ↑ ↩ ↩︎ ^ ⤴ ⇧".split())
# Share buttons: the share-intent endpoints of the big networks (a link there posts the page).
_SHARE_URL = re.compile(
    r"(?i)^https?://(?:[a-z0-9-]+\.)*(?:"
    r"facebook\.com/(?:sharer|share\.php|dialog/(?:share|feed))|(?:twitter|x)\.com/(?:intent/|share\b|home\?status)"
    r"|pinterest\.[a-z.]+/pin/create|linkedin\.com/(?:sharearticle|sharing/|cws/share)|reddit\.com/submit"
    r"|tumblr\.com/(?:share|widgets/share)|whatsapp\.com/send|wa\.me/\?|t(?:elegram)?\.me/share"
    r"|vk\.com/share|news\.ycombinator\.com/submitlink|getpocket\.com/(?:save|edit)|plus\.google\.com/share"
    r"|buffer\.com/add|flipboard\.com/bookmarklet|digg\.com/submit|addtoany\.com/share|xing\.com/spi/shares"
    r"|threads\.net/intent|bsky\.app/intent|mastodon\.social/share|service\.weibo\.com/share)"
)
_IMAGE_FILE = re.compile(r"(?i)\.(?:jpe?g|png|gif|webp|svg|bmp|tiff?|avif|ico)$")

# A MediaWiki page's own site includes its sister projects: it lists them in its sidebar
# (interlanguage links, "In other projects"); for saved pages without a sidebar, Wikimedia's
# projects and tool hosts are named here (https://meta.wikimedia.org/wiki/Wikimedia_projects).
WIKIMEDIA = frozenset(
    "wikipedia.org wikimedia.org wiktionary.org wikibooks.org wikiquote.org wikisource.org wikinews.org "
    "wikiversity.org wikivoyage.org wikidata.org mediawiki.org wikimediafoundation.org wikifunctions.org "
    "wikispecies.org wmflabs.org toolforge.org wmcloud.org".split()
)
_SISTER_NAMES = frozenset("interlanguage-link wb-otherproject-link".split())

_ARTICLE_TYPES = re.compile(r"(?i)article|posting|report|webpage|creativework|recipe|howto|review")
_TITLE_SEPARATORS = re.compile(r"\s+(?:\||-|–|—|·|•|::|»|/)\s+")
_NUMBERING = re.compile(r"^(?:\d+(?:\.\d+)*\.?|[IVXLC]+\.|[A-Z]\.)\s+")
_MD = MarkdownIt("commonmark")
_MD_FULL = MarkdownIt("commonmark").use(front_matter_plugin).use(footnote_plugin)
_LONE_CR = re.compile(r"\r(?!\n)")
_BODY_SHARE = 0.3  # an article-body container holds at least this share of the cleaned page's text
_SCOPE_SHARE = 0.5  # the block around the headline that holds this share of the page's paragraphs


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


# ---------------------------------------------------------------------------------------------
# Small helpers


def _norm(text: str | None) -> str:
    """Text compared as a reader compares it: NFKC, case and spacing ignored."""
    return " ".join(unicodedata.normalize("NFKC", text or "").casefold().split())


def _clean_text(text: str | None) -> str:
    return " ".join((text or "").split())


def _names(el: lxml.html.HtmlElement) -> list[str]:
    """The element's class names and id, lower-cased."""
    return (el.get("class") or "").lower().split() + (el.get("id") or "").lower().split()


def _parts(name: str) -> list[str]:
    return [p for p in re.split(r"[-_]+", name) if p]


@lru_cache(maxsize=8192)
def _site_of(url: str) -> tuple[str | None, str | None]:
    info = cit.describe(url)
    return (info.host if info.provider else info.domain or info.host), info.domain


def _site(url: str | None) -> str | None:
    """The site a URL belongs to: its registered domain, or its host on a shared platform
    (two blogs on one blog host are different sites)."""
    return _site_of(url)[0] if url else None


def _domain(url: str) -> str | None:
    """The URL's registered domain."""
    return _site_of(url)[1]


def _fix_href(href: str) -> str:
    href = "".join(href.split("\n")).strip()
    return "https:" + href if href.startswith("//") else href


def _is_web(href: str) -> bool:
    return href.lower().startswith(("http://", "https://"))


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
            head.title_tag = _clean_text(el.text_content()) or None
        elif el.tag == "meta":
            # property= (Open Graph), name= (Twitter, Dublin Core, Highwire), itemprop= (schema.org);
            # some CMSs write value= for content=
            key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
            value = _clean_text(el.get("content") or el.get("value"))
            if key and value and key not in head.meta:
                head.meta[key] = value
        elif el.tag == "link":
            rel = (el.get("rel") or "").lower().split()
            href = (el.get("href") or "").strip()
            feed = "xml" in (el.get("type") or "").lower()
            if href and (
                "canonical" in rel or "shortlink" in rel or "amphtml" in rel or ("alternate" in rel and not feed)
            ):
                head.own_urls.append(_fix_href(href))  # the page itself, or its mobile/AMP/language twin
        elif (el.get("type") or "").lower() == "application/ld+json":
            _read_json_ld(el.text or "", head)
    for key in ("og:url", "twitter:url", "url"):
        if key in head.meta:
            head.own_urls.append(_fix_href(head.meta[key]))
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
            if isinstance(name, str) and _clean_text(name):
                head.ld_headline = _clean_text(name)
                head.own_urls += [u for k in ("url", "@id") if isinstance(u := item.get(k), str) and _is_web(u)]
        graph = item.get("@graph")
        if isinstance(graph, list):
            stack.extend(reversed(graph))


def _cut_site_name(title: str, site_names: set[str]) -> str:
    """``Article - Site`` / ``Site | Article`` -> ``Article``: the parts that are not the site's
    name, else the first part when it is about the longest."""
    parts = [p for p in _TITLE_SEPARATORS.split(title) if p.strip()]
    if len(parts) < 2:
        colon = title.split(": ", 1)  # Blogger: "Blog name: Post title"
        if len(colon) == 2 and _norm(colon[0]) in site_names:
            return colon[1].strip()
        return title
    kept = [p for p in parts if _norm(p) not in site_names]
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
    site_names = {_norm(head.meta[k]) for k in ("og:site_name", "application-name", "twitter:site") if k in head.meta}
    if own_site:
        site_names.add(_norm(own_site.split(".")[0]))
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
    candidates = [c for c in candidates if _norm(c) not in site_names]  # a site-wide og:title names no article
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
    printed = [(rank, el, _clean_text(el.text_content())) for rank, el in ranked]
    by_text: dict[str, tuple[lxml.html.HtmlElement, str]] = {}
    for _, el, text in printed:
        if text:
            by_text.setdefault(_norm(text), (el, text))
    for cand in candidates:
        hit = by_text.get(_norm(cand))
        if hit:
            return _with_subtitle(_Title(cand, hit[1], hit[0]), head)
    strong = [(el, text) for rank, el, text in printed if rank <= 2 and text]
    if strong:
        return _with_subtitle(_Title(strong[0][1], strong[0][1], strong[0][0]), head)
    meta = next((m for m in metas if m and _norm(m) not in site_names), None)
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
        if not isinstance(el.tag, str) or not any(_SUBTITLE.search(t) for t in _names(el)):
            continue
        sub = _clean_text(el.text_content())
        full = f"{title.text}: {sub}"
        if sub and any(_norm(n).startswith(_norm(full)) for n in named):
            return _Title(full, title.shown, title.element)
    return title


# ---------------------------------------------------------------------------------------------
# 2. Cleaning


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
class _Cleaned:
    body: lxml.html.HtmlElement | None  # the article-body container, if the markup names one
    ref_containers: set[lxml.html.HtmlElement]
    family: set[str]  # registered domains that are the page's own site (a wiki's sister projects)


def _clean(doc: lxml.html.HtmlElement, head: _Head, title: _Title) -> _Cleaned:
    """Remove chrome, tidy headings and links, and find the article-body container: one pass to
    decide, then one action per element found."""
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
        names = _names(el)
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
                href = _fix_href(a.get("href") or "")
                if _is_web(href) and (d := _domain(href)):
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
        if title.element is not None:
            around = set(title.element.iterancestors())
            live = [el for el in live if el in around] or live
        if len(live) == 1:
            body = live[0]
    # Blogger holds its posts in a "widget", some themes their article in a "main-navigation"
    # wrapper: what holds the article body or its headline is never chrome.
    protected = {doc}
    for keep in (body, title.element):
        if keep is not None:
            protected |= {keep, *keep.iterancestors()}
    for el in chrome:
        if el not in protected and el.getparent() is not None:
            el.drop_tree()

    for h in headings:
        _tidy_heading(h)
    own_keys = _own_keys(head.own_urls)
    for a in anchors:
        _tidy_link(a, a in icon_links, own_keys)
    return _Cleaned(body, refs, sisters if head.mediawiki else set())


def _tidy_heading(h: lxml.html.HtmlElement) -> None:
    """A heading as plain text: edit links, permalink marks and anchors gone."""
    if h.getparent() is None:
        return
    for el in list(h.iter("a", "span")):
        if el is h or el.getparent() is None:
            continue
        if _ANCHOR_NAMES.intersection(_names(el)):
            el.drop_tree()
        elif el.tag == "a" and (el.get("href") or "").startswith("#"):
            text = el.text_content().strip()  # links do not nest: each text is read once
            if text in _MARKS or not text:
                el.drop_tree()
    text = _clean_text(h.text_content())
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
        _BACKLINK_NAMES.intersection(_names(a))
        or (a.get("role") or "").lower() == "doc-backlink"
        or (href.strip().startswith("#") and text in _MARKS)
    ):
        a.drop_tree()  # a footnote's way back to the text
        return
    href = _fix_href(href)
    query = unquote(href.partition("?")[2]).casefold()
    if (
        _IMAGE_FILE.search(href.split("#")[0].split("?")[0])
        or _SHARE_URL.match(href)
        or (query and any(k in query for k in own_keys))
    ):
        del a.attrib["href"]  # a link to an image file, or a share button: no citation
        return
    if not text:
        if not icon or a.find(".//img") is not None or a.find(".//picture") is not None:
            del a.attrib["href"]  # a link that only wraps a picture (or nothing) cites nothing
            return
        # an icon link (an "open" arrow, a logo glyph): named by its label, else by a mark
        for child in list(a):
            a.remove(child)
        a.text = _clean_text(a.get("aria-label") or a.get("title")) or "↗"
    a.set("href", href)


# ---------------------------------------------------------------------------------------------
# 3. The article body as Markdown

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

    def __init__(self, title: _Title, refs: set[lxml.html.HtmlElement]) -> None:
        self.lines: list[str] = []
        self.entries: set[int] = set()
        self.raw_urls: dict[str, str] = {}
        self.titles = {_norm(t) for t in (title.text, title.shown) if t}
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
        text = _clean_text(h.text_content())
        if not text or _norm(text) in self.titles:
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
        if self.link_depth or not _is_web(href):
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
        self.raw_urls[_MD.normalizeLink(dest.replace("\\\\", "\\"))] = href
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


def _convert(body: lxml.html.HtmlElement, title: _Title, refs: set[lxml.html.HtmlElement]) -> _Converter:
    conv = _Converter(title, refs)
    if title.shown:
        conv.lines.append(_heading_line(1, title.shown))
    conv.node(body)
    conv.flush()
    while conv.lines and conv.lines[-1] == "":
        conv.lines.pop()
    return conv


# ---------------------------------------------------------------------------------------------
# Extraction (under a time bound)


@dataclass
class _Page:
    text: str
    title: str | None = None
    page_title: str | None = None
    shown: str | None = None  # the headline as printed
    own_urls: list[str] = field(default_factory=list)
    family: set[str] = field(default_factory=set)
    entries: set[int] | None = None  # first lines of reference entries found by markup
    raw_urls: dict[str, str] = field(default_factory=dict)
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
                return order[nxt]
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
        if code.getparent() is not None:
            code.drop_tree()
    own_site = next((s for u in head.own_urls if _is_web(u) and (s := _site(u))), None)
    title = _choose_title(doc, head, own_site)
    cleaned = _clean(doc, head, title)
    page = _Page("", title.text, head.title_tag, title.shown, head.own_urls, cleaned.family, mediawiki=head.mediawiki)
    body = cleaned.body
    if body is not None and _enough(doc, body):
        try:
            conv: _Converter | None = _convert(body, title, cleaned.ref_containers)
        except RecursionError:  # nesting deep enough to exhaust the stack: trafilatura walks it
            conv = None
        text = "\n".join(conv.lines) if conv else ""
        if conv and len(text.split()) >= 5:
            page.text, page.entries, page.raw_urls = text + "\n", conv.entries, conv.raw_urls
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
    for a in scope.iter("a"):
        href = a.get("href")
        if href and _is_web(href):
            page.raw_urls[_MD.normalizeLink(href)] = href
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
    future = _POOL.submit(_extract_page, html)
    try:
        page = future.result(timeout=EXTRACT_SECONDS)
    except concurrent.futures.TimeoutError:
        # The extractor's time grows faster than the page (28 s for a 7 MB page here). The thread
        # cannot be stopped, but nobody waits for it: the page's plain text is used instead.
        page_title, own_url = _head(html)
        page = _Page(_plain_text(html), page_title, page_title, None, [own_url] if own_url else [])
        if warnings is not None:
            warnings.append(
                f"the main-content extractor took longer than {EXTRACT_SECONDS:g} s on this page, so "
                "all of its text was used, navigation and sidebars included"
            )
    if not page.text or not page.text.strip():
        raise ParseError("no article text found in this page (the extractor found no main content)")
    return page


# ---------------------------------------------------------------------------------------------
# 4. The draft, restructured for the web


@dataclass
class _Block:
    kind: str  # heading | paragraph
    start: int
    end: int  # exclusive
    text: str = ""
    level: int | None = None
    hrefs: list[str] = field(default_factory=list)
    items: tuple[int, ...] = ()  # first lines of the list items holding it, outermost first
    ordered: bool = False  # its outermost list is numbered
    footnote: bool = False


def _md_blocks(text: str) -> list[_Block]:
    """Headings and paragraphs of the Markdown, with their links and the list items holding them."""
    out: list[_Block] = []
    items: list[int] = []
    lists: list[bool] = []  # open lists: numbered or not
    pending: _Block | None = None
    notes = 0
    for tok in _MD_FULL.parse(_LONE_CR.sub(" ", text)):
        if tok.type in ("ordered_list_open", "bullet_list_open"):
            lists.append(tok.type == "ordered_list_open")
        elif tok.type in ("ordered_list_close", "bullet_list_close") and lists:
            lists.pop()
        elif tok.type == "footnote_open":
            notes += 1
        elif tok.type == "footnote_close":
            notes -= 1
        elif tok.type == "list_item_open" and tok.map:
            items.append(tok.map[0])
        elif tok.type == "list_item_close" and items:
            items.pop()
        elif tok.type in ("heading_open", "paragraph_open") and tok.map:
            kind = "heading" if tok.type == "heading_open" else "paragraph"
            level = int(tok.tag[1]) if kind == "heading" else None
            pending = _Block(kind, tok.map[0], tok.map[1], level=level, items=tuple(items), footnote=notes > 0)
            pending.ordered = bool(lists) and lists[0]
        elif tok.type == "inline" and pending is not None:
            parts: list[str] = []
            for child in tok.children or []:
                if child.type == "link_open" and child.attrs.get("href"):
                    pending.hrefs.append(str(child.attrs["href"]))
                elif child.type in ("text", "code_inline"):
                    parts.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    parts.append(" ")
            pending.text = " ".join("".join(parts).split())
            out.append(pending)
            pending = None
    return out


def _is_target(href: str) -> bool:
    h = href.strip().lower()
    if not h or h.startswith(("mailto:", "tel:", "#")):
        return False
    return "://" in h or h.startswith(("www.", "doi:"))


def is_references_heading(text: str) -> bool:
    """'References', 'Notes', '4 References', 'IV. Sources': a heading that names a reference list."""
    return bool(REFERENCES.match(_NUMBERING.sub("", text.strip())))


# Headings that name a reference list for sure; "Notes", "Further reading", "Resources" may name
# a link list or remarks instead (as in the Markdown front end).
_STRONG_REFERENCES = re.compile(r"(?i)^\W{0,3}(?:citations?|sources?|references?|bibliography|works cited|footnotes)\b")


# markdown.draft's warnings about sections and references, which the restructuring redoes
_REDONE = (
    "the text before the first heading",
    "opens with a concluding phrase",
    "no article text found outside",
    "no headings found",
    "no reference list found",
)


def _entries_by_heading(blocks: list[_Block]) -> dict[int, int]:
    """Block index -> entry key for the lists (else paragraphs) under a heading that names a
    reference list, and for footnotes."""
    entry_of: dict[int, int] = {}
    strong = any(b.kind == "heading" and _STRONG_REFERENCES.match(_NUMBERING.sub("", b.text.strip())) for b in blocks)
    k = 0
    while k < len(blocks):
        b = blocks[k]
        if b.kind == "heading" and is_references_heading(b.text):
            level = b.level or 1
            end = next(
                (
                    j
                    for j in range(k + 1, len(blocks))
                    if blocks[j].kind == "heading" and (blocks[j].level or 1) <= level
                ),
                len(blocks),
            )
            region = [j for j in range(k + 1, end) if blocks[j].kind == "paragraph"]
            listed = [j for j in region if blocks[j].items]
            if strong and not _STRONG_REFERENCES.match(_NUMBERING.sub("", b.text.strip())):
                listed = [j for j in listed if blocks[j].ordered]  # a weak name: numbered notes only
                region = []
            for j in listed or region:
                entry_of[j] = blocks[j].items[0] if blocks[j].items else blocks[j].start
            k = end
            continue
        if b.footnote:
            entry_of[k] = b.start
        k += 1
    return entry_of


def _restructure(
    d: Draft,
    text: str,
    titles: tuple[str | None, ...],
    markup_entries: set[int] | None,
    internal: Callable[[str], bool],
    raw_urls: dict[str, str],
) -> int:
    """Title and title repeats, reference entries (by markup, else by heading), every other
    heading a section; returns how many links were to the page's own site."""
    blocks = _md_blocks(text)
    n = len(d.lines)
    want = {_norm(t) for t in titles if t}
    first = next(iter(blocks), None)

    entry_of: dict[int, int] = {}  # block index -> the first line of its entry
    if markup_entries:
        for k, b in enumerate(blocks):
            key = next((i for i in b.items if i in markup_entries), None)
            if key is None and b.start in markup_entries:
                key = b.start
            if key is not None and b.kind == "paragraph":
                entry_of[k] = key
    else:
        entry_of = _entries_by_heading(blocks)

    # The heading of a reference list (one under which there are only entries) heads no section:
    # like the Markdown front end, the list sits outside the sections.
    refs_headings: set[int] = set()
    current, listed, other = None, 0, 0
    for k, b in enumerate([*blocks, None]):
        if b is None or b.kind == "heading":
            if current is not None and listed and not other:
                refs_headings.add(current)
            current, listed, other = k, 0, 0
        elif k in entry_of:
            listed += 1
        else:
            other += 1

    units: list[Unit] = []
    headings: dict[int, int | None] = {}
    entry_units: dict[int, list[Unit]] = {}
    for k, b in enumerate(blocks):
        span = range(b.start, min(b.end, n))
        unit = Unit(b.start, min(b.end, n) - 1, b.text)
        if b.kind == "heading":
            if _norm(b.text) in want or (b is first and b.level == 1 and not want):
                role = "title" if b is first else "title_repeat"
            elif k in refs_headings:
                role = "references_heading"
            else:
                role = "heading"
                headings[len(units)] = b.level
                units.append(unit)
        elif k in entry_of:
            role = "reference"
            entry_units.setdefault(entry_of[k], []).append(unit)
        else:
            role = "paragraph"
            units.append(unit)
        for i in span:
            if d.kinds[i] != "blank" or role in ("title", "title_repeat", "heading", "references_heading"):
                d.kinds[i] = role

    # Links: markdown.draft's for the prose; for the reference list, one entry per item
    entry_lines = {i for us in entry_units.values() for u in us for i in range(u.start, u.end + 1)}
    dropped = 0
    links: list[Link] = []
    for link in d.links:
        if link.line in entry_lines or not link.url:
            continue
        link.url = raw_urls.get(link.url, link.url)
        if internal(link.url):
            dropped += 1
            continue
        link.in_list = False
        links.append(link)
    by_start = {b.start: b for b in blocks}
    for key, us in entry_units.items():
        entry_text = " ".join(u.text for u in us)
        hrefs = [h for u in us for h in by_start[u.start].hrefs if _is_target(h)]
        targets = [raw_urls.get(h, h) for h in hrefs] or cit.find_urls(entry_text, any_scheme=True)
        outbound = []
        for url in dict.fromkeys(targets):
            if internal(url):
                dropped += 1
            else:
                outbound.append(url)
        links.extend(Link(key, url, entry_text, True) for url in outbound or [None])
    links.sort(key=lambda link: link.line)
    d.links = links

    warnings = [w for w in d.warnings if not w.startswith(_REDONE)]
    grouped: list[str] = []
    d.sections = group_sections(units, headings, grouped)
    warnings += grouped
    if not units:
        warnings.append("no article text found outside the title")
    elif not headings:
        warnings.append("no headings found: the article is one section")
    if not entry_units:
        warnings.append(
            "no reference list found (reference-list markup, or a heading such as 'References' or 'Sources')"
        )
    d.warnings = warnings
    return dropped


def draft(html: str, name: str, origin: str | None = None) -> Draft:
    """The draft of the page's main content; its lines are that content, extracted as Markdown.

    ``origin`` is the URL the page was loaded from, if any; with the page's own addresses
    (canonical, ``og:url``, alternates) it tells which absolute links are internal (same
    registered domain, or a sister project of a wiki) and so not citations.
    """
    notes: list[str] = []
    page = extract(html, notes)
    found = markdown.draft(page.text, name)
    found.text_of = "extracted"
    found.warnings[:0] = notes
    sites = {s for url in [origin, *page.own_urls] if url and _is_web(url) and (s := _site(url))}
    family = set(page.family)
    if page.mediawiki and (family | sites) & WIKIMEDIA:
        family |= WIKIMEDIA  # one Wikimedia project links the others as its own

    def internal(url: str) -> bool:
        return _site(url) in sites or (bool(family) and _domain(url) in family)

    dropped = _restructure(found, page.text, (page.title, page.shown), page.entries, internal, page.raw_urls)
    if dropped:
        own = ", ".join(sorted(sites)[:2] or sorted(family)[:2])
        found.warnings.append(f"{dropped} link(s) to the page's own site ({own}) are not counted as citations")
    if page.title:
        found.title = page.title
    if page.page_title and found.title and page.page_title.casefold() != found.title.casefold():
        found.page_title = page.page_title
    found.warnings.append("HTML: line numbers refer to the extracted main text, not to the HTML source")
    return found
