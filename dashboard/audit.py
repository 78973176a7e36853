"""The citation and content audit: link-farm signals, claims with no source, repetition,
readability, and one row per section. Every finding carries its reason in one sentence.

Rules live in data files users extend: ``data/audit_rules.csv`` (shorteners, redirect
parameters, path tokens too common to link citations) and ``data/claim_patterns.csv``.
"""

from __future__ import annotations

import csv
import re
import textwrap
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pandas as pd
import pyphen
from rapidfuzz import fuzz, process, utils

from .citations import is_shortener
from .model import Article, Citation
from .render import visible
from .tables import REFERENCE_LIST, SOURCE_KINDS
from .words import WORD_RE

DATA = Path(__file__).resolve().parent.parent / "data"
REPEAT_THRESHOLD = 70  # rapidfuzz token_set_ratio, 0-100
REPEAT_MIN_WORDS = 6  # shorter sentences are too easily "similar"
# token_set_ratio scores a sentence 100 against any longer one that contains its words
# ("X is real." inside a long proof); a repeat must also be of about the same length.
REPEAT_MIN_LENGTH_RATIO = 0.6
EXACT_LIMIT = 1500  # sentences compared all-pairs; more are compared through a rare-word index
RARE_WORDS = 6  # beyond EXACT_LIMIT, pairs must share one of these rarest words of a sentence
RARE_MAX_DF = 50  # a word in more sentences than this cannot single out a duplicate
SEO_SECTION_WORDS = 300  # SEO checkers (Yoast) warn when text under one subheading runs longer
_VOWELS = set("aeiouy")


@dataclass(frozen=True)
class Signal:
    code: str
    reason: str  # one plain sentence


@dataclass(frozen=True)
class CitationAudit:
    n: int
    url: str | None
    host: str | None
    kind: str
    section: str | None
    signals: tuple[Signal, ...]
    kind_reason: str = ""  # why the URL has that kind
    shared_path: str | None = None  # the path or slug token it shares with citations on other hosts


@dataclass(frozen=True)
class Claim:
    section: str
    sentence: int  # 1-based within the section
    text: str
    labels: tuple[str, ...]
    supported: bool


@dataclass(frozen=True)
class Repeat:
    section_a: str
    sentence_a: int
    text_a: str
    section_b: str
    sentence_b: int
    text_b: str
    similarity: float


@dataclass(frozen=True)
class Audit:
    summary: tuple[str, ...]
    citations: tuple[CitationAudit, ...]
    claims: tuple[Claim, ...]
    repeats: tuple[Repeat, ...]
    repeated_share: float
    sections: pd.DataFrame = field(compare=False)
    has_inline_citations: bool = False

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["sections"] = self.sections.to_dict(orient="records")
        return d


# ---------------------------------------------------------------- rules from data files
@dataclass(frozen=True)
class Rules:
    shorteners: frozenset[str]
    redirect_params: frozenset[str]
    common_tokens: frozenset[str]
    claim_patterns: tuple[tuple[re.Pattern[str], str], ...]


def load_rules(rules_csv: Path = DATA / "audit_rules.csv", claims_csv: Path = DATA / "claim_patterns.csv") -> Rules:
    found: dict[str, set[str]] = defaultdict(set)
    with rules_csv.open(newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            rule, value = (row.get("rule") or "").strip(), (row.get("value") or "").strip().lower()
            if rule not in ("shortener", "redirect_param", "common_path_token"):
                raise ValueError(f"{rules_csv.name}: unknown rule {rule!r}")
            if value:
                found[rule].add(value)
    with claims_csv.open(newline="", encoding="utf-8") as f:
        patterns = tuple((re.compile(r["pattern"], re.IGNORECASE), r["label"]) for r in csv.DictReader(f))
    return Rules(
        frozenset(found["shortener"]),
        frozenset(found["redirect_param"]),
        frozenset(found["common_path_token"]),
        patterns,
    )


@lru_cache(maxsize=1)
def default_rules() -> Rules:
    return load_rules()


# ---------------------------------------------------------------- citations
def looks_random(label: str) -> bool:
    """A host label that reads like machine output: 3+ digits, or 4+ consonants in a row."""
    letters = re.sub(r"[^a-z]", "", label.lower())
    if sum(c.isdigit() for c in label) >= 3:
        return True
    run = longest = 0
    for c in letters:
        run = 0 if c in _VOWELS else run + 1
        longest = max(longest, run)
    return longest >= 4


def _path_tokens(url: str, common: frozenset[str]) -> set[str]:
    """Path segments and runs of consecutive segments, and words of slugs (5+ letters)."""
    try:
        segments = [s.lower() for s in urlsplit(url).path.split("/") if s]
    except ValueError:
        return set()
    segments = [re.sub(r"\.(?:html?|php|aspx?)$", "", s) for s in segments]
    tokens: set[str] = set()
    for n in (1, 2, 3):
        for i in range(len(segments) - n + 1):
            run = segments[i : i + n]
            if n == 1 and (run[0] in common or len(run[0]) < 4 or run[0].isdigit()):
                continue
            tokens.add("/".join(run))
    for s in segments:
        tokens.update(w for w in re.split(r"[-_.]", s) if len(w) >= 5 and w.isalpha() and w not in common)
    return tokens


def _shared_tokens(cites: Sequence[Citation], common: frozenset[str]) -> dict[int, tuple[str, int]]:
    """For each citation index: the most telling token it shares with citations on other hosts,
    and on how many other hosts. Longer tokens (more segments, more characters) tell more."""
    hosts_of: dict[str, set[str]] = defaultdict(set)
    tokens_of: dict[int, set[str]] = {}
    for i, c in enumerate(cites):
        if c.url and c.host:
            tokens_of[i] = _path_tokens(c.url, common)
            for t in tokens_of[i]:
                hosts_of[t].add(c.host)
    best: dict[int, tuple[str, int]] = {}
    for i, toks in tokens_of.items():
        shared = [(t, len(hosts_of[t]) - 1) for t in toks if len(hosts_of[t]) >= 2]
        if shared:
            best[i] = max(shared, key=lambda tc: (tc[0].count("/"), tc[1], len(tc[0]), tc[0]))
    return best


def citation_signals(c: Citation, shared: tuple[str, int] | None, rules: Rules) -> tuple[Signal, ...]:
    out: list[Signal] = []
    if c.kind == "cloud storage / CDN":
        where = f"on {c.provider} (cloud storage or CDN)" if c.provider else "in a cloud-storage bucket or CDN"
        out.append(
            Signal("cloud_storage", f"Hosted {where}: anyone can upload a page there, so it is not a publisher.")
        )
    if c.kind == "blog platform" and c.host and c.domain and c.host != c.domain:
        sub = c.host[: -len(c.domain) - 1]
        first = sub.split(".")[-1]
        if looks_random(first):
            out.append(
                Signal(
                    "random_subdomain",
                    f"A random-looking per-user subdomain ({first}) on the blog "
                    f"platform {c.domain}, the pattern of throwaway link-farm blogs.",
                )
            )
        else:
            out.append(
                Signal(
                    "blog_subdomain", f"A per-user blog ({sub}) on {c.domain}: self-published, not edited or reviewed."
                )
            )
    if shared:
        token, others = shared
        out.append(
            Signal(
                "shared_path",
                f"Shares the path or slug '{token}' with {others} citation host"
                f"{'s' if others != 1 else ''} elsewhere, a sign of one network "
                "publishing the same pages.",
            )
        )
    if c.kind == "social":
        out.append(Signal("social", "A social-media post: it may point to a source but is not one."))
    if c.host and (
        c.host in rules.shorteners or any(c.host.endswith("." + s) for s in rules.shorteners) or is_shortener(c.host)
    ):
        out.append(Signal("shortener", "A link shortener: the real destination is hidden."))
    elif c.url and c.host:
        try:
            params = {k.lower() for k, v in parse_qsl(urlsplit(c.url).query) if "://" in v or v.startswith("www.")}
        except ValueError:
            params = set()
        if params & rules.redirect_params:
            out.append(Signal("redirector", "A redirect link: it sends readers on to another address."))
    if c.url and c.scheme == "http":
        out.append(Signal("not_https", "Not https: the page is served without encryption."))
    elif c.url and c.scheme not in ("https", None):
        out.append(Signal("not_web", f"Not a web address ({c.scheme}:): it cannot be checked as a source."))
    if c.url is None:
        out.append(Signal("no_url", "A reference with no link: it cannot be followed or checked here."))
    return tuple(out)


# ---------------------------------------------------------------- readability
@lru_cache(maxsize=1)
def _hyphenator() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="en_US")  # dictionaries ship inside the package: no download


@lru_cache(maxsize=65536)
def syllables(word: str) -> int:
    hyphenated: str = _hyphenator().inserted(word.lower())
    return max(1, hyphenated.count("-") + 1)


def readability(sentences: Sequence[str]) -> tuple[float | None, float | None]:
    """Flesch reading ease and Flesch-Kincaid grade, or (None, None) without text."""
    words = [w for s in sentences for w in WORD_RE.findall(s) if not w.startswith(("http", "www."))]
    if not words or not sentences:
        return None, None
    wps = len(words) / len(sentences)
    spw = sum(syllables(w) for w in words) / len(words)
    return round(206.835 - 1.015 * wps - 84.6 * spw, 1), round(0.39 * wps + 11.8 * spw - 15.59, 1)


# ---------------------------------------------------------------- claims and repeats
def find_claims(article: Article, rules: Rules) -> list[Claim]:
    out = []
    for s in article.sections:
        cited = set(s.cited_lines)
        lines = s.sentence_lines or (0,) * len(s.sentences)
        for i, (text, line) in enumerate(zip(s.sentences, lines, strict=False), start=1):
            labels = tuple(dict.fromkeys(label for pattern, label in rules.claim_patterns if pattern.search(text)))
            if labels:
                out.append(Claim(s.id, i, text, labels, line in cited))
    return out


def find_repeats(article: Article) -> tuple[list[Repeat], float]:
    """Pairs of near-duplicate sentences, and the share of sentences that repeat an earlier one."""
    items = [(s.id, i, t) for s in article.sections for i, t in enumerate(s.sentences, start=1)]
    long_enough = [k for k, (_, _, t) in enumerate(items) if len(WORD_RE.findall(t)) >= REPEAT_MIN_WORDS]
    if len(long_enough) < 2:
        return [], 0.0
    texts = [utils.default_process(items[k][2]) for k in long_enough]
    pairs, repeating = [], set()
    lengths = [len(t.split()) for t in texts]
    for a, b, score in _similar_pairs(texts):
        if min(lengths[a], lengths[b]) < REPEAT_MIN_LENGTH_RATIO * max(lengths[a], lengths[b]):
            continue
        (sa, na, ta), (sb, nb, tb) = items[long_enough[a]], items[long_enough[b]]
        pairs.append(Repeat(sa, na, ta, sb, nb, tb, round(score, 1)))
        repeating.add(b)
    pairs.sort(key=lambda r: (-r.similarity, r.section_a, r.sentence_a))
    return pairs, len(repeating) / len(items)


def _similar_pairs(texts: list[str]) -> list[tuple[int, int, float]]:
    """(a, b, score) with a < b and token-set similarity >= REPEAT_THRESHOLD.

    Up to EXACT_LIMIT sentences every pair is scored. Beyond, all-pairs is quadratic (a 1 MB
    article has ~8,000 sentences: 32 million pairs), so only pairs that share one of each
    sentence's RARE_WORDS rarest words (each in at most RARE_MAX_DF sentences) are scored;
    near-duplicates share most of their words, rare ones included.
    """
    n = len(texts)
    if n <= EXACT_LIMIT:
        scores = process.cdist(texts, texts, scorer=fuzz.token_set_ratio, score_cutoff=REPEAT_THRESHOLD, workers=1)
        return [(a, b, float(scores[a][b])) for b in range(n) for a in range(b) if scores[a][b] >= REPEAT_THRESHOLD]
    words = [set(t.split()) for t in texts]
    df: dict[str, int] = defaultdict(int)
    for ws in words:
        for w in ws:
            df[w] += 1
    index: dict[str, list[int]] = defaultdict(list)
    out = []
    for b, ws in enumerate(words):
        rare = sorted((w for w in ws if len(w) >= 4 and df[w] <= RARE_MAX_DF), key=lambda w: (df[w], w))[:RARE_WORDS]
        candidates = {a for w in rare for a in index[w]}
        for a in sorted(candidates):
            score = fuzz.token_set_ratio(texts[a], texts[b], score_cutoff=REPEAT_THRESHOLD)
            if score >= REPEAT_THRESHOLD:
                out.append((a, b, float(score)))
        for w in rare:
            index[w].append(b)
    return out


# ---------------------------------------------------------------- putting it together
def section_table(article: Article, claims: Sequence[Claim], repeats: Sequence[Repeat]) -> pd.DataFrame:
    # A reference list is long because it lists sources, not because its prose runs on: no length flag.
    reference_lists = {b.section for b in article.blocks if b.kind == "references_heading" and b.section}
    words = [s.words for s in article.sections if s.id not in reference_lists]
    usual: tuple[float, float] | None = None  # Q1 - 1.5 IQR .. Q3 + 1.5 IQR, with 4 or more sections
    if len(words) >= 4:
        q1, q3 = (float(q) for q in pd.Series(words).quantile([0.25, 0.75]).tolist())
        usual = (q1 - 1.5 * (q3 - q1), q3 + 1.5 * (q3 - q1))
    rows = []
    for s in article.sections:
        ease, grade = readability(s.sentences)
        repeated = {r.sentence_b for r in repeats if r.section_b == s.id}
        outliers = []
        if s.id not in reference_lists and s.words > SEO_SECTION_WORDS:
            outliers.append(f"over {SEO_SECTION_WORDS} words")
        out_of_range = usual is not None and not usual[0] <= s.words <= usual[1]
        if s.id not in reference_lists and out_of_range:
            outliers.append("outside 1.5 IQR")
        rows.append(
            {
                "section": s.id,
                "heading": s.heading,
                "words": s.words,
                "sentences": len(s.sentences),
                "reading ease": ease,
                "grade": grade,
                "citations": sum(1 for c in article.citations if c.section == s.id),
                "claims": sum(1 for c in claims if c.section == s.id),
                "unsourced claims": sum(1 for c in claims if c.section == s.id and not c.supported),
                "repeated sentences": len(repeated),
                "length flag": ", ".join(outliers),
            }
        )
    return pd.DataFrame(rows)


def _summary(
    article: Article, cites: Sequence[CitationAudit], claims: Sequence[Claim], repeats: Sequence[Repeat], share: float
) -> list[str]:
    n = len(cites)
    lines = []
    if n == 0:
        lines.append("The article cites nothing: no reference list and no links in the text.")
    else:
        sources = sum(1 for c in cites if c.kind in SOURCE_KINDS)
        lines.append(
            f"{sources} of {n} citation{'s' if n != 1 else ''} point to a scholarly, government or education source."
        )
        storage = [c for c in cites if any(s.code == "cloud_storage" for s in c.signals)]
        if storage:
            shared = [c.shared_path for c in storage if c.shared_path]
            common = max(set(shared), key=shared.count) if shared else None
            tail = f", sharing the path {common}" if common and shared.count(common) == len(storage) else ""
            lines.append(
                f"{len(storage)} {'are pages' if len(storage) != 1 else 'is a page'} in cloud-storage "
                f"buckets or CDNs{tail}."
            )
        blogs = [c for c in cites if any(s.code in ("random_subdomain", "blog_subdomain") for s in c.signals)]
        if blogs:
            random_ = sum(1 for c in blogs if any(s.code == "random_subdomain" for s in c.signals))
            lines.append(
                f"{len(blogs)} {'are posts' if len(blogs) != 1 else 'is a post'} on blog-platform "
                f"subdomains ({random_} random-looking)."
            )
        for code, one, many in (
            ("social", "social-media post", "social-media posts"),
            ("shortener", "shortened link", "shortened links"),
            ("redirector", "redirect link", "redirect links"),
            ("not_https", "link without https", "links without https"),
            ("no_url", "reference without a link", "references without a link"),
        ):
            k = sum(1 for c in cites if any(s.code == code for s in c.signals))
            if k:
                lines.append(f"{k} {one if k == 1 else many}.")
        if sources == 0:
            lines.append("There is no scholarly, government or primary source in the list at all.")
    unsourced = sum(1 for c in claims if not c.supported)
    if claims:
        lines.append(
            f"{len(claims)} sentence{'s' if len(claims) != 1 else ''} assert evidence "
            f"(studies, trials, figures, durations); {unsourced} cite nothing where they stand."
        )
    if repeats:
        lines.append(
            f"{len(repeats)} near-duplicate sentence pair{'s' if len(repeats) != 1 else ''}; "
            f"{share:.0%} of sentences repeat an earlier one."
        )
    return lines


def audit(article: Article, rules: Rules | None = None) -> Audit:
    rules = rules or default_rules()
    shared = _shared_tokens(article.citations, rules.common_tokens)
    cites = tuple(
        CitationAudit(
            i + 1,
            c.url,
            c.host,
            c.kind,
            c.section,
            citation_signals(c, shared.get(i), rules),
            c.kind_reason,
            shared[i][0] if i in shared else None,
        )
        for i, c in enumerate(article.citations)
    )
    claims = find_claims(article, rules)
    repeats, share = find_repeats(article)
    table = section_table(article, claims, repeats)
    return Audit(
        summary=tuple(_summary(article, cites, claims, repeats, share)),
        citations=cites,
        claims=tuple(claims),
        repeats=tuple(repeats),
        repeated_share=round(share, 3),
        sections=table,
        has_inline_citations=any(c.section is not None and c.url for c in article.citations)
        or any(s.cited_lines for s in article.sections),
    )


# ---------------------------------------------------------------- tables as the view and the report show them
CITATION_ROW_COLUMNS = ["#", "URL", "kind", "why this kind", "where", "warning signs", "why"]
CLAIM_ROW_COLUMNS = ["section", "#", "claim", "asserts", "sourced"]
REPEAT_ROW_COLUMNS = ["similarity", "first", "sentence", "repeated in", "repeat"]
NO_SIGNS = "no warning signs"


def _chosen(headings: Mapping[str, str], section_ids: Iterable[str] | None) -> set[str]:
    return set(headings if section_ids is None else section_ids)


def citation_rows(report: Audit, headings: Mapping[str, str], section_ids: Iterable[str] | None = None) -> pd.DataFrame:
    """One row per audited citation written in the chosen sections (all when None) or in the
    reference list: its URL as text, kind and why, where it stands, and its warning signs with
    their reasons."""
    chosen = _chosen(headings, section_ids)
    rows = [
        {
            "#": c.n,
            "URL": visible(c.url) if c.url else "(no URL)",
            "kind": c.kind,
            "why this kind": c.kind_reason,
            "where": headings.get(c.section, REFERENCE_LIST) if c.section else REFERENCE_LIST,
            "warning signs": len(c.signals),
            "why": " ".join(s.reason for s in c.signals) or NO_SIGNS,
        }
        for c in report.citations
        if c.section is None or c.section in chosen
    ]
    return pd.DataFrame(rows, columns=CITATION_ROW_COLUMNS)


def claim_rows(report: Audit, headings: Mapping[str, str], section_ids: Iterable[str] | None = None) -> pd.DataFrame:
    """One row per sentence asserting evidence in the chosen sections (all when None); ``sourced``
    is True when a link or note stands where it does."""
    chosen = _chosen(headings, section_ids)
    rows = [
        {
            "section": headings[c.section],
            "#": c.sentence,
            "claim": c.text,
            "asserts": ", ".join(c.labels),
            "sourced": c.supported,
        }
        for c in report.claims
        if c.section in chosen
    ]
    return pd.DataFrame(rows, columns=CLAIM_ROW_COLUMNS)


def repeat_rows(report: Audit, headings: Mapping[str, str], section_ids: Iterable[str] | None = None) -> pd.DataFrame:
    """One row per near-duplicate pair with a sentence in the chosen sections (all when None);
    'first' and 'repeated in' read 'Heading #n'."""
    chosen = _chosen(headings, section_ids)
    rows = [
        {
            "similarity": r.similarity,
            "first": f"{headings[r.section_a]} #{r.sentence_a}",
            "sentence": r.text_a,
            "repeated in": f"{headings[r.section_b]} #{r.sentence_b}",
            "repeat": r.text_b,
        }
        for r in report.repeats
        if r.section_a in chosen or r.section_b in chosen
    ]
    return pd.DataFrame(rows, columns=REPEAT_ROW_COLUMNS)


def section_rows(report: Audit, section_ids: Iterable[str] | None = None) -> pd.DataFrame:
    """The per-section table for the chosen sections (all when None), without the id column."""
    table = (
        report.sections if section_ids is None else report.sections[report.sections["section"].isin(list(section_ids))]
    )
    return table.drop(columns=["section"]).reset_index(drop=True)


def text_report(article: Article, a: Audit, width: int = 100) -> str:
    """The audit as plain text for the command line, from the same tables as the app's view."""
    headings = {s.id: s.heading for s in article.sections}
    out = [f"Audit of: {article.title}", f"Source: {article.source.path} ({article.source.format})", ""]
    out += ["Summary"] + [f"  - {s}" for s in a.summary] + ["", "Citations"]
    for row in citation_rows(a, headings).to_dict("records"):
        why = f": {row['why this kind']}" if row["why this kind"] else ""
        out.append(f"  {row['#']}. {row['URL']}  [{row['kind']}{why}]  ({row['where']})")
        out += textwrap.wrap(row["why"], width, initial_indent="       - ", subsequent_indent="         ")
    claims = claim_rows(a, headings)
    unsourced = claims[~claims["sourced"].astype(bool)]
    out += ["", "Claims with no source"]
    if claims.empty:
        out.append("  none: no sentence asserts evidence")
    elif unsourced.empty:
        out.append("  none: every claim has a link or footnote where it stands")
    for row in unsourced.to_dict("records"):
        out.append(f"  [{row['section']} #{row['#']}] ({row['asserts']}) {row['claim']}")
    if not claims.empty and not a.has_inline_citations:
        out.append("  (the article has no links or footnotes in its text, so no claim can be tied to a source)")
    out += ["", f"Repetition: {len(a.repeats)} pairs, {a.repeated_share:.0%} of sentences repeat an earlier one"]
    for row in repeat_rows(a, headings).to_dict("records"):
        out.append(f"  {row['similarity']:.0f}%  [{row['first']}] {row['sentence']}")
        out.append(f"        [{row['repeated in']}] {row['repeat']}")
    out += ["", "Sections", section_rows(a).to_string(index=False)]
    return "\n".join(out) + "\n"
