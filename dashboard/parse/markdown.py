"""The Markdown front end (CommonMark, front matter, footnotes): a Markdown article as a :class:`Draft`.

markdown-it-py gives every block its source line span, so the plain-text guarantees hold:
every line lands in one block and the source rebuilds byte for byte.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from .. import citations as cit
from .draft import REFERENCES, Draft, Link, RawSection, Unit, group_sections, split_lines

_LONE_CR = re.compile(r"\r(?!\n)")
_MD = MarkdownIt("commonmark").use(front_matter_plugin).use(footnote_plugin)
# Links to these schemes are not citations: they point at no document.
_NOT_CITATIONS = ("mailto:", "tel:", "#")


@dataclass
class _Block:
    kind: str  # heading | paragraph | code | rule | markup | front_matter | footnote
    start: int
    end: int  # exclusive, as markdown-it gives it
    text: str = ""
    level: int | None = None
    hrefs: list[str] = field(default_factory=list)
    in_footnote: bool = False
    footnote_refs: int = 0


def _inline(token: Token) -> tuple[str, list[str], int]:
    """Plain text of an inline token (markup dropped, images left out), its link targets, and
    how many footnote references it makes."""
    parts: list[str] = []
    hrefs: list[str] = []
    notes = 0
    for child in token.children or []:  # an image is one child of its own: neither text nor citation
        if child.type == "link_open":
            href = str(child.attrs.get("href", ""))
            if href:
                hrefs.append(href)
        elif child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "footnote_ref":
            notes += 1
    return " ".join("".join(parts).split()), hrefs, notes


def _blocks(tokens: list[Token]) -> list[_Block]:
    out: list[_Block] = []
    in_footnote = 0
    pending: _Block | None = None
    for tok in tokens:
        if tok.type == "footnote_open":
            in_footnote += 1
        elif tok.type == "footnote_close":
            in_footnote -= 1
        elif tok.type == "front_matter" and tok.map:
            out.append(_Block("front_matter", tok.map[0], tok.map[1], tok.content))
        elif tok.type in ("heading_open", "paragraph_open") and tok.map:
            kind = "heading" if tok.type == "heading_open" else "footnote" if in_footnote else "paragraph"
            level = int(tok.tag[1]) if kind == "heading" else None
            pending = _Block(kind, tok.map[0], tok.map[1], level=level, in_footnote=bool(in_footnote))
        elif tok.type == "inline" and pending is not None:
            pending.text, pending.hrefs, pending.footnote_refs = _inline(tok)
            out.append(pending)
            pending = None
        elif tok.type in ("fence", "code_block") and tok.map:
            out.append(_Block("code", tok.map[0], tok.map[1]))
        elif tok.type == "hr" and tok.map:
            out.append(_Block("rule", tok.map[0], tok.map[1]))
        elif tok.type == "html_block" and tok.map:
            out.append(_Block("markup", tok.map[0], tok.map[1]))
    return out


def _is_citation_target(href: str) -> bool:
    h = href.strip().lower()
    if not h or h.startswith(_NOT_CITATIONS):
        return False
    return "://" in h or h.startswith(("www.", "javascript:", "data:", "vbscript:", "file:", "doi:"))


def _front_matter_title(text: str, warnings: list[str]) -> str | None:
    try:
        meta = yaml.safe_load(text)
    except yaml.YAMLError:
        warnings.append("the front matter is not valid YAML; it was ignored")
        return None
    title = meta.get("title") if isinstance(meta, dict) else None
    if title is None:
        return None
    return " ".join(str(title).split()) or None


def draft(text: str, name: str, origin: str | None = None) -> Draft:
    """Headings (ATX and Setext, with levels), paragraphs, links, footnotes and a reference list.

    ``name`` and ``origin`` are unused here; the HTML front end tells internal links apart."""
    lines = split_lines(text)
    n = len(lines)
    kinds = ["blank" if not line.strip() else "markup" for line in lines]
    group = list(range(n))
    warnings: list[str] = []
    # markdown-it ends a line at a lone \r too; only \n ends one here, so a lone \r is handed to
    # it as a space and both count the same lines.
    blocks = _blocks(_MD.parse(_LONE_CR.sub(" ", text)))

    fm_title = None
    for b in blocks:
        if b.kind == "front_matter":
            fm_title = _front_matter_title(b.text, warnings)

    # The title: the first heading when it comes before any paragraph (usually the H1).
    title: str | None = None
    first_text = next((b for b in blocks if b.kind in ("heading", "paragraph")), None)
    if first_text is not None and first_text.kind == "heading" and first_text.level == 1:
        title = first_text.text
        first_text.kind = "title"
    page_title = fm_title if fm_title and title and fm_title.casefold() != title.casefold() else None
    if title is None:
        title = fm_title

    # The reference list: the last heading named like one, up to the next heading of its level or above.
    refs_at = next(
        (k for k in reversed(range(len(blocks))) if blocks[k].kind == "heading" and REFERENCES.match(blocks[k].text)),
        None,
    )
    refs_end = len(blocks)
    if refs_at is not None:
        level = blocks[refs_at].level or 1
        refs_end = next(
            (
                k
                for k in range(refs_at + 1, len(blocks))
                if blocks[k].kind == "heading" and (blocks[k].level or 1) <= level
            ),
            len(blocks),
        )

    units: list[Unit] = []
    headings: dict[int, int | None] = {}
    links: list[Link] = []
    for k, b in enumerate(blocks):
        span = range(b.start, min(b.end, n))
        for i in span:
            if kinds[i] != "blank" or b.kind in ("code", "front_matter"):
                kinds[i] = b.kind
            group[i] = b.start
        if b.kind == "heading" and refs_at is not None and refs_at < k < refs_end:
            b.kind = "reference"  # a sub-heading inside the reference list
        in_refs = refs_at is not None and refs_at < k < refs_end
        if k == refs_at:
            for i in span:
                kinds[i] = "references_heading"
        elif in_refs or b.kind == "footnote":
            for i in span:
                if kinds[i] != "blank":
                    kinds[i] = "reference"
            if b.kind in ("paragraph", "footnote", "reference"):
                targets = [h for h in b.hrefs if _is_citation_target(h)] or cit.find_urls(b.text, any_scheme=True)
                links.extend(Link(_line_of(lines, b, url), url, b.text, True) for url in targets or [None])
        elif b.kind in ("heading", "paragraph"):
            if b.kind == "heading":
                headings[len(units)] = b.level
            units.append(Unit(b.start, min(b.end, n) - 1, b.text, cited=b.footnote_refs > 0))
            if b.kind == "paragraph":
                targets = [h for h in b.hrefs if _is_citation_target(h)]
                targets += [u for u in cit.find_urls(b.text) if u not in targets]
                links.extend(Link(_line_of(lines, b, url), url, b.text, False) for url in targets)
    sections: list[RawSection] = group_sections(units, headings, warnings)
    if not sections:
        warnings.append("no article text found outside the title and the reference list")
    elif not headings:
        warnings.append("no headings found: the article is one section")
    if refs_at is None and not any(b.kind == "footnote" for b in blocks):
        warnings.append("no reference list found (a heading such as 'References' or 'Sources') and no footnotes")
    links.sort(key=lambda link: link.line)
    return Draft(lines, kinds, title, page_title, sections, links, warnings, group)


def _line_of(lines: list[str], block: _Block, url: str | None) -> int:
    """The line of ``block`` where ``url`` is written (a reference-style link: the block's first line)."""
    if url:
        for i in range(block.start, min(block.end, len(lines))):
            if url in lines[i]:
                return i
    return block.start
