"""Adversarial but realistic article shapes, for each format, to check that every front end stays linear.

Each generator takes a size ``n`` (links, lines, headings, entries, blocks or sentences) and
returns the article as text; the same ``n`` always gives the same text (seeded). ``SHAPES[shape][fmt]``
is the generator; not every shape exists in every format (image-only and same-site links are
HTML's; footnotes are Markdown's). ``LINKS[shape](n)`` is how many distinct citation URLs the
shape writes, where that number is exact in every format that has the shape.

    python -m bench.shapes md links_one_line 1000 > case.md
"""

from __future__ import annotations

import argparse
import itertools
import math
import random
import sys
import textwrap
from collections.abc import Callable
from functools import cache

from bench.generate import HOSTS, vocabulary

FORMATS = ("txt", "md", "html")
ORIGIN = "https://www.example.com/blog/post.html"  # the page's own address, for the HTML front end
SHAPES: dict[str, dict[str, Callable[[int], str]]] = {}
# Distinct citation URLs a shape writes, where every format's parse must find exactly that many.
LINKS: dict[str, Callable[[int], int]] = {
    "links_one_line": lambda n: n,
    "links_per_line": lambda n: n,
    "references": lambda n: n,
    "footnotes": lambda n: n,
    "bare_ids": lambda n: n,
    "same_site_links": lambda n: 0,
    "no_container": lambda n: n,
}
TITLE = "Generated Shape Article"


def shape(name: str, *fmts: str) -> Callable[[Callable[[int], str]], Callable[[int], str]]:
    def register(fn: Callable[[int], str]) -> Callable[[int], str]:
        for fmt in fmts:
            SHAPES.setdefault(name, {})[fmt] = fn
        return fn

    return register


@cache
def _vocab() -> tuple[list[str], list[float]]:
    """The parse benchmark's Zipf-weighted vocabulary, with cumulative weights (drawing is then cheap)."""
    words, weights = vocabulary(random.Random(0))
    return words, list(itertools.accumulate(weights))


def _rng(*key: object) -> random.Random:
    return random.Random(repr(key))


def _words(rng: random.Random, k: int) -> str:
    return " ".join(rng.choices(_vocab()[0], cum_weights=_vocab()[1], k=k))


def _prose(rng: random.Random, sentences: int = 3) -> str:
    """Sentences of 8-30 words, as in the parse benchmark's articles, with no URL."""
    return " ".join(_words(rng, rng.randint(8, 30)).capitalize() + rng.choice("...?!") for _ in range(sentences))


def _url(k: int) -> str:
    """The k-th distinct external URL, across the hosts of the parse benchmark."""
    return "https://" + HOSTS[k % len(HOSTS)].format(n=k)


def _heading(rng: random.Random, k: int) -> str:
    """Capitalised words ending on a number: heading-like in plain text, never a dangling word."""
    return f"{_words(rng, rng.randint(2, 5)).title()} {k}"


def _page(body: str, title: str = TITLE, container: str = "article") -> str:
    """A page whose text sits in ``container``: an <article> the HTML front end converts itself, or
    a plain <div>, which sends the page through the main-content extractor (trafilatura)."""
    return (
        f"<!doctype html>\n<html><head><title>{title}</title></head>\n<body>\n<nav><a href='/'>Home</a></nav>\n"
        f"<{container}>\n<h1>{title}</h1>\n<p>{_prose(_rng('intro'))}</p>\n{body}\n</{container.split()[0]}>\n"
        "</body></html>\n"
    )


def _md(body: str) -> str:
    return f"# {TITLE}\n\n{_prose(_rng('intro'))}\n\n{body}\n"


def _txt(body: str) -> str:
    return f"{TITLE}\n\n{_prose(_rng('intro'))}\n\n{body}\n"


# 1. Many links on one line (numbered citation markers, a "see also" paragraph).
@shape("links_one_line", "txt")
def _links_one_line_txt(n: int) -> str:
    return _txt("See also: " + ", ".join(_url(k) for k in range(n)) + ".")


@shape("links_one_line", "md")
def _links_one_line_md(n: int) -> str:
    return _md("See also " + ", ".join(f"[{k + 1}]({_url(k)})" for k in range(n)) + ".")


@shape("links_one_line", "html")
def _links_one_line_html(n: int) -> str:
    return _page("<p>See also " + ", ".join(f'<a href="{_url(k)}">[{k + 1}]</a>' for k in range(n)) + ".</p>")


# 2. Many short lines, one link each (a link list, a hard-wrapped paragraph of sources).
@shape("links_per_line", "txt")
def _links_per_line_txt(n: int) -> str:
    rng = _rng("links_per_line")
    return _txt("\n".join(f"{_words(rng, 4).capitalize()} at {_url(k)} today." for k in range(n)))


@shape("links_per_line", "md")
def _links_per_line_md(n: int) -> str:
    rng = _rng("links_per_line")  # one paragraph: consecutive lines with no blank line between
    return _md("\n".join(f"{_words(rng, 4).capitalize()} [source]({_url(k)}) today." for k in range(n)))


@shape("links_per_line", "html")
def _links_per_line_html(n: int) -> str:
    rng = _rng("links_per_line")
    return _page(
        "\n".join(f'<p>{_words(rng, 4).capitalize()} <a href="{_url(k)}">source</a> today.</p>' for k in range(n))
    )


# 3. Many headings, each over a short paragraph (a FAQ, a glossary).
@shape("headings", "txt")
def _headings_txt(n: int) -> str:
    rng = _rng("headings")
    return _txt("\n\n".join(f"{_heading(rng, k)}\n{_prose(rng, 1)}" for k in range(n)))


@shape("headings", "md")
def _headings_md(n: int) -> str:
    rng = _rng("headings")
    return _md("\n\n".join(f"{'#' * (2 + k % 3)} {_heading(rng, k)}\n\n{_prose(rng, 1)}" for k in range(n)))


@shape("headings", "html")
def _headings_html(n: int) -> str:
    rng = _rng("headings")
    return _page(
        "\n".join(f"<h{2 + k % 3}>{_heading(rng, k)}</h{2 + k % 3}>\n<p>{_prose(rng, 1)}</p>" for k in range(n))
    )


# 4. Many reference entries: a References list (md: numbered; html: ol.references).
def _entry(rng: random.Random, k: int) -> str:
    authors = f"{_words(rng, 2).title()} A, {_words(rng, 1).title()} B"
    return f"{authors}. {_words(rng, 6).capitalize()}. J Stud. {1990 + k % 35}"


@shape("references", "txt")
def _references_txt(n: int) -> str:
    rng = _rng("references")
    return _txt("References\n" + "\n".join(f"{k + 1}. {_entry(rng, k)}. {_url(k)}" for k in range(n)))


@shape("references", "md")
def _references_md(n: int) -> str:
    rng = _rng("references")
    return _md("## References\n\n" + "\n".join(f"{k + 1}. {_entry(rng, k)}. <{_url(k)}>" for k in range(n)))


@shape("references", "html")
def _references_html(n: int) -> str:
    rng = _rng("references")
    items = "\n".join(f'<li>{_entry(rng, k)}. <a href="{_url(k)}">{_url(k)}</a></li>' for k in range(n))
    return _page(f'<h2>References</h2>\n<ol class="references">\n{items}\n</ol>')


@shape("footnotes", "md")
def _footnotes_md(n: int) -> str:
    rng = _rng("footnotes")
    text = "\n\n".join(f"{_prose(rng, 1)}[^{k + 1}]" for k in range(n))
    notes = "\n".join(f"[^{k + 1}]: {_entry(rng, k)}. {_url(k)}" for k in range(n))
    return _md(f"{text}\n\n{notes}")


# 5. Deep nesting, repeated n times: outlines, nested lists and quotes, div soup. HTML stays well
# within html.MAX_DEPTH (200), beyond which the front end flattens the page first.
@shape("nesting", "txt")
def _nesting_txt(n: int) -> str:
    rng = _rng("nesting")
    return _txt("\n\n".join("\n".join(f"{'  ' * d}- {_words(rng, 5)}" for d in range(8)) for _ in range(n)))


@shape("nesting", "md")
def _nesting_md(n: int) -> str:
    rng = _rng("nesting")  # markdown-it stops at 20 levels: 6 nested lists or quotes stay inside

    def block(k: int) -> str:
        if k % 2:
            return "\n".join(f"{'> ' * (d + 1)}{_words(rng, 5)}\n{'> ' * (d + 1)}" for d in range(6))
        return "\n".join(f"{'   ' * d}- {_words(rng, 5)}" for d in range(6))

    return _md("\n\n".join(block(k) for k in range(n)))


@shape("nesting", "html")
def _nesting_html(n: int) -> str:
    rng = _rng("nesting")
    depth = 60

    def block() -> str:
        opening = "".join(f"<div class='d{d}'><p>{_words(rng, 5)}.</p>" for d in range(depth // 2))
        inner = "<ul><li>" * 10 + _words(rng, 8) + "</li></ul>" * 10
        return opening + inner + "</div>" * (depth // 2)

    return _page("\n".join(block() for _ in range(n)))


# 6. One very long line of prose: no line break at all (a pasted article, a minified page).
@shape("long_line", "txt")
def _long_line_txt(n: int) -> str:
    return _txt(_prose(_rng("long_line"), n))


@shape("long_line", "md")
def _long_line_md(n: int) -> str:
    return _md(_prose(_rng("long_line"), n))


@shape("long_line", "html")
def _long_line_html(n: int) -> str:
    return _page(f"<p>{_prose(_rng('long_line'), n)}</p>").replace("\n", " ")


# 7. One paragraph hard-wrapped at 72 columns over n lines (an e-mail, a plain-text archive).
def _wrapped(n: int) -> str:
    return "\n".join(textwrap.wrap(_prose(_rng("wrapped"), max(1, n * 72 // 110)), 72)[:n])


@shape("wrapped_paragraph", "txt")
def _wrapped_txt(n: int) -> str:
    return _txt(_wrapped(n))


@shape("wrapped_paragraph", "md")
def _wrapped_md(n: int) -> str:
    return _md(_wrapped(n))


@shape("wrapped_paragraph", "html")
def _wrapped_html(n: int) -> str:
    return _page(f"<p>{_wrapped(n)}</p>")


# 8. Many bare URLs and identifiers in prose: a URL, a DOI and a PubMed id per sentence.
def _cited(rng: random.Random, k: int) -> str:
    return f"{_words(rng, 8).capitalize()} {_url(k)} (doi:10.{1000 + k % 9000}/j.{k}; PMID: {30000000 + k})."


def _cited_paragraphs(n: int) -> list[str]:
    rng = _rng("bare_ids")
    return [" ".join(_cited(rng, k) for k in range(i, min(i + 5, n))) for i in range(0, n, 5)]


@shape("bare_ids", "txt")
def _bare_ids_txt(n: int) -> str:
    return _txt("\n\n".join(_cited_paragraphs(n)))


@shape("bare_ids", "md")
def _bare_ids_md(n: int) -> str:
    return _md("\n\n".join(_cited_paragraphs(n)))


@shape("bare_ids", "html")
def _bare_ids_html(n: int) -> str:
    return _page("\n".join(f"<p>{p}</p>" for p in _cited_paragraphs(n)))


# 9. HTML only: links to the page's own site (navigation in the text), and links that are only an image.
@shape("same_site_links", "html")
def _same_site_html(n: int) -> str:
    rng = _rng("same_site_links")
    return _page(
        "\n".join(
            f'<p>{_words(rng, 6).capitalize()} <a href="{ORIGIN.rsplit("/", 1)[0]}/{k}.html">{_words(rng, 2)}</a>.</p>'
            for k in range(n)
        )
    )


@shape("no_container", "html")
def _no_container_html(n: int) -> str:
    rng = _rng("no_container")  # headings, paragraphs and links, in no article-body container
    body = "\n".join(
        f'<h2>{_heading(rng, k)}</h2>\n<p>{_prose(rng, 1)} <a href="{_url(k)}">{_words(rng, 2)}</a>.</p>'
        for k in range(n)
    )
    return _page(body, container='div class="main"')


@shape("image_links", "html")
def _image_links_html(n: int) -> str:
    rng = _rng("image_links")
    return _page(
        "\n".join(
            f'<p>{_words(rng, 6).capitalize()}. <a href="{_url(k)}"><img src="/img/{k}.png" alt=""></a></p>'
            for k in range(n)
        )
    )


def urls(n: int) -> list[str]:
    """The distinct URLs a shape of size n cites (the shapes in ``LINKS``)."""
    return [_url(k) for k in range(n)]


def n_for_bytes(fmt: str, name: str, size: int) -> int:
    """The n that makes the shape about ``size`` bytes, rounded to 1, 1.5, 2, 2.5 ... times a power of ten."""
    per_unit = (len(generate(fmt, name, 41)) - len(generate(fmt, name, 1))) / 40
    n = max(1.0, size / per_unit)
    unit = 10 ** math.floor(math.log10(n))
    return int(round(n / unit * 2) / 2 * unit) or 1


def cases(fmt: str | None = None) -> list[tuple[str, str]]:
    """Every (format, shape) pair, in a stable order."""
    return [(f, name) for name, by_fmt in SHAPES.items() for f in FORMATS if f in by_fmt and fmt in (None, f)]


def generate(fmt: str, name: str, n: int) -> bytes:
    return SHAPES[name][fmt](n).encode()


def main() -> None:
    ap = argparse.ArgumentParser(description="Write one generated shape to stdout.")
    ap.add_argument("fmt", choices=FORMATS)
    ap.add_argument("shape", choices=sorted(SHAPES))
    ap.add_argument("n", type=int)
    args = ap.parse_args()
    sys.stdout.buffer.write(generate(args.fmt, args.shape, args.n))


if __name__ == "__main__":
    main()
