"""Find URLs in text and say what kind of place each one points at.

Kinds and providers come from ``data/domain_kinds.csv`` (pattern, kind,
provider, note), a file users extend; the registered domain comes from
tldextract's bundled public suffix list, never from the network.
"""

from __future__ import annotations

import csv
import fnmatch
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import tldextract

DOMAIN_KINDS_CSV = Path(__file__).resolve().parent.parent / "data" / "domain_kinds.csv"

KINDS = (
    "scholarly",
    "government",
    "education",
    "news",
    "reference",
    "social",
    "blog platform",
    "cloud storage / CDN",
    "other",
    "no URL",
)
SAFE_SCHEMES = ("http", "https")

# In prose only web addresses count; in a reference list any scheme does, so
# that a `javascript:` or `ftp:` entry is kept (and shown, never linked).
_PROSE_URL = re.compile(r"(?i)\b(?:https?://|ftp://|www\.)[^\s<>\"'`]+")
_ANY_URL = re.compile(r"(?i)(?:\b[a-z][a-z0-9+.\-]{1,15}:/{0,2}(?=[^\s/])|\bwww\.)[^\s<>\"'`]+")
_TRAILING = ".,;:!?'\"”’*"
_PAIRS = {")": "(", "]": "[", "}": "{"}


@dataclass(frozen=True)
class Rule:
    pattern: str
    kind: str
    provider: str | None
    note: str

    @property
    def is_glob(self) -> bool:
        return any(c in self.pattern for c in "*?[")

    def matches(self, host: str) -> bool:
        if self.is_glob:
            return fnmatch.fnmatchcase(host, self.pattern)
        return host == self.pattern or host.endswith("." + self.pattern)


@dataclass(frozen=True)
class UrlInfo:
    scheme: str | None
    host: str | None
    domain: str | None
    provider: str | None
    kind: str


def load_rules(path: Path = DOMAIN_KINDS_CSV) -> tuple[Rule, ...]:
    """Rules from the CSV, most specific first: literal hosts (longest first), then globs."""
    with path.open(newline="", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if (r.get("pattern") or "").strip()]
    rules = []
    for r in rows:
        kind = r["kind"].strip()
        if kind not in KINDS:
            raise ValueError(f"{path.name}: unknown kind {kind!r} for pattern {r['pattern']!r}")
        rules.append(
            Rule(
                r["pattern"].strip().lower(),
                kind,
                (r.get("provider") or "").strip() or None,
                (r.get("note") or "").strip(),
            )
        )
    return tuple(sorted(rules, key=lambda r: (r.is_glob, -len(r.pattern))))


@lru_cache(maxsize=1)
def _default_rules() -> tuple[Rule, ...]:
    return load_rules()


@lru_cache(maxsize=1)
def _extractor() -> tldextract.TLDExtract:
    # suffix_list_urls=() keeps tldextract on its bundled snapshot: no fetch at run time.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True)


def _trim(url: str) -> str:
    """Drop sentence punctuation and unbalanced closing brackets glued to a URL."""
    while url:
        last = url[-1]
        if last in _TRAILING or (last in _PAIRS and url.count(last) > url.count(_PAIRS[last])):
            url = url[:-1]
        else:
            break
    return url


def find_urls(text: str, *, any_scheme: bool = False) -> list[str]:
    """URLs written in ``text``, in order, with trailing punctuation removed."""
    pattern = _ANY_URL if any_scheme else _PROSE_URL
    found = []
    for m in pattern.finditer(text):
        url = _trim(m.group(0))
        if any_scheme and not url.lower().startswith("www.") and re.fullmatch(r"(?i)[a-z][a-z0-9+.\-]*:/*", url):
            continue
        if url:
            found.append(url)
    return found


_DOI = re.compile(r"(?i)^(?:doi:\s*|https?://(?:dx\.)?doi\.org/)(10\.\d{4,9}/\S+)$")


def normalize_doi(url: str) -> str:
    """'doi:10.1/x' and 'http://dx.doi.org/10.1/x' -> 'https://doi.org/10.1/x'; other URLs unchanged."""
    m = _DOI.match(url.strip())
    return f"https://doi.org/{m.group(1)}" if m else url


def is_safe_link(url: str | None) -> bool:
    """True only for http(s) URLs with a host: the only ones the app makes clickable."""
    if not url:
        return False
    try:
        parts = urlsplit(url.strip())
        return parts.scheme.lower() in SAFE_SCHEMES and bool(parts.hostname)
    except ValueError:
        return False


def describe(url: str | None, rules: tuple[Rule, ...] | None = None) -> UrlInfo:
    """Scheme, host, registered domain, provider and kind of one URL."""
    if not url:
        return UrlInfo(None, None, None, None, "no URL")
    rules = _default_rules() if rules is None else rules
    to_split = "http://" + url if url.lower().startswith("www.") else url
    try:
        parts = urlsplit(to_split)
        scheme = parts.scheme.lower() or None
        host = (parts.hostname or "").rstrip(".") or None
    except ValueError:  # e.g. an unbalanced IPv6 bracket
        return UrlInfo(None, None, None, None, "other")
    if host is None:
        return UrlInfo(scheme, None, None, None, "other")
    ext = _extractor()(host)
    domain = ext.top_domain_under_public_suffix or None
    if ext.is_private:
        # The private section of the suffix list names shared platforms (tenant hosts);
        # the registered domain is still taken under the ICANN section.
        icann = _extractor().extract_str(host, include_psl_private_domains=False)
        domain = icann.top_domain_under_public_suffix or None
    rule = next((r for r in rules if r.matches(host)), None)
    provider = rule.provider if rule else None
    if provider is None and ext.is_private and ext.domain:
        provider = ext.suffix
    kind = rule.kind if rule else "other"
    return UrlInfo(scheme, host, domain, provider, kind)
