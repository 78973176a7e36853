"""Find URLs and scholarly identifiers in text and say what kind of place each URL points at.

``describe(url)`` gives every URL one kind (see ``KINDS``) and the reason for it, deciding in
layers, first match wins (data/README.md explains each layer and why it sits where it does):

1. user rules: host patterns in ``data/domain_kinds.csv`` (pattern, kind, provider, note);
2. wrappers: shadow-library, library-proxy and redirect links are classified by the URL or DOI
   they wrap; link shorteners are "other" (their target is hidden);
3. strong built-in site rules from ``data/known_sites.txt`` (path rules, and sites whose kind
   is scholarly, reference, social, blog platform or cloud storage / CDN);
4. scholarly identifiers in the URL: a DOI in the path or query, a PubMed or PMC record path;
5. weak built-in site rules (news, government, education, other);
6. government domains by structure (gov.uk, govt.nz, gouv.fr, go.jp, gob.mx, .gov, .mil, .int, ...);
7. scholarly structure: journal and repository host names and paths (OJS, DSpace, EPrints, ...);
8. academic domains by structure (.edu, ac.uk, edu.au, k12, ...);
9. bundled lists: university domains (JetBrains swot) and news sources (newspaper4k, fundus);
10. platform structure: CDN host names, fediverse profile paths;
11. guesses from the registered name (…journal…, …times, …herald, a subdomain on a …blog… host);
12. otherwise "other".

The registered domain comes from tldextract's bundled public suffix list, never from the network.
Everything that depends only on the host is computed once per host and cached.
"""

from __future__ import annotations

import csv
import fnmatch
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import SplitResult, parse_qsl, quote, unquote, urlsplit

import tldextract

DATA = Path(__file__).resolve().parent.parent / "data"
DOMAIN_KINDS_CSV = DATA / "domain_kinds.csv"
KNOWN_SITES = DATA / "known_sites.txt"
NEWS_SITES = DATA / "news_sites.txt"
EDUCATION_SITES = DATA / "education_sites.txt"
AUDIT_RULES_CSV = DATA / "audit_rules.csv"

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
# Built-in site rules of these kinds are "strong": a DOI in the URL does not override them.
STRONG_KINDS = frozenset({"scholarly", "reference", "social", "blog platform", "cloud storage / CDN"})

# In prose only web addresses count; in a reference list any scheme followed by `//` does, and
# the few schemes that legitimately take no slashes, so that a `javascript:` or `ftp:` entry is
# kept (and shown, never linked) while `Category:Foo` or `Note:this` is not taken for a URL.
NO_SLASH_SCHEMES = ("mailto", "doi", "javascript", "data", "vbscript", "tel", "sms", "urn", "news", "magnet")
_PROSE_URL = re.compile(r"(?i)\b(?:https?://|ftp://|www\.)[^\s<>\"'`]+")
_ANY_URL = re.compile(
    r"(?i)(?:\b[a-z][a-z0-9+.\-]{1,15}://(?=[^\s/])"
    r"|\b(?:" + "|".join(s for s in NO_SLASH_SCHEMES if s != "data") + r"):(?=[^\s])"
    r"|\bdata:(?=[a-z]+/|[,;])"  # a data: URI starts with a media type or a comma
    r"|\bwww\.)"
    r"[^\s<>\"'`]+"
)
_TRAILING = ".,;:!?'\"”’*"
_PAIRS = {")": "(", "]": "[", "}": "{"}

# Link shorteners: the real destination is hidden. data/audit_rules.csv `shortener` rows are added.
SHORTENERS = frozenset(
    """bit.ly bitly.com j.mp t.co tinyurl.com goo.gl ow.ly buff.ly amzn.to amzn.eu a.co ift.tt lnkd.in dlvr.it
    tiny.cc is.gd v.gd rb.gy shorturl.at eepurl.com trib.al bit.do cutt.ly rebrand.ly t.ly s.id shorte.st adf.ly
    ouo.io tidd.ly su.pr po.st fb.me msft.it aka.ms apple.co spoti.fi snip.ly bl.ink clck.ru qr.ae x.co
    shorturl.com tinyurl.co urlz.fr lc.cx soo.gd mcaf.ee hubs.ly hubs.la sforce.co social.ms smarturl.it
    linkin.bio cli.re t2m.io zpr.io gg.gg tr.im""".split()
)


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
    reason: str = ""  # one short human phrase: why this kind


@dataclass(frozen=True)
class SiteRule:
    """One built-in rule from data/known_sites.txt."""

    key: str  # host suffix ("nature.com"), or registered name under any suffix ("blogspot.*")
    path: str  # "" or a lower-case path prefix ("/pubmed")
    kind: str
    reason: str
    provider: str | None

    @property
    def strong(self) -> bool:
        return bool(self.path) or self.kind in STRONG_KINDS

    def matches_path(self, path: str) -> bool:
        """Whole path segments match ('/pmc' matches '/pmc/articles', not '/pmcx'); a trailing '*' is a raw prefix."""
        if not self.path:
            return True
        if self.path.endswith("*"):
            return path.startswith(self.path[:-1])
        p = self.path.rstrip("/")
        return path == p or path.startswith(p + "/")


# ---------------------------------------------------------------- loading data files
def load_rules(path: Path = DOMAIN_KINDS_CSV) -> tuple[Rule, ...]:
    """User rules from the CSV, most specific first: literal hosts (longest first), then globs.

    Rows whose pattern starts with '#' are comments.
    """
    with path.open(newline="", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if (r.get("pattern") or "").strip()]
    rules = []
    for r in rows:
        if r["pattern"].strip().startswith("#"):
            continue
        kind = (r.get("kind") or "").strip()
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


def load_site_rules(path: Path = KNOWN_SITES) -> dict[str, tuple[SiteRule, ...]]:
    """Built-in site rules by key; each key's rules are ordered path rules first (longest first)."""
    table: dict[str, list[SiteRule]] = {}
    kind = reason = ""
    provider: str | None = None
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("="):
            parts = [p.strip() for p in line[1:].split("|")]
            kind, reason = parts[0], parts[1] if len(parts) > 1 else ""
            provider = parts[2] if len(parts) > 2 and parts[2] else None
            if kind not in KINDS:
                raise ValueError(f"{path.name}:{n}: unknown kind {kind!r}")
            continue
        if not kind:
            raise ValueError(f"{path.name}:{n}: hosts before the first '= kind | reason' line")
        for token in line.split():
            host, slash, rest = token.lower().partition("/")
            rule = SiteRule(host, (slash + rest) if slash else "", kind, reason, provider)
            rules = table.setdefault(host, [])
            if any(r.path == rule.path for r in rules):
                raise ValueError(f"{path.name}:{n}: {token} is listed twice")
            rules.append(rule)
    return {k: tuple(sorted(v, key=lambda r: -len(r.path))) for k, v in table.items()}


def _load_host_list(path: Path) -> frozenset[str]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return frozenset()
    return frozenset(s.strip().lower() for s in lines if s.strip() and not s.startswith("#"))


@lru_cache(maxsize=1)
def _default_rules() -> tuple[Rule, ...]:
    return load_rules()


_Matcher = Callable[[str], Rule | None]
_MATCHERS: dict[int, tuple[tuple[Rule, ...], _Matcher]] = {}


def _rule_matcher(rules: tuple[Rule, ...]) -> _Matcher:
    """host -> first matching user rule (literal hosts longest first, then globs), cached per host."""
    entry = _MATCHERS.get(id(rules))
    if entry is not None and entry[0] is rules:
        return entry[1]
    literal: dict[str, Rule] = {}
    for r in rules:
        if not r.is_glob:
            literal.setdefault(r.pattern, r)
    globs = tuple(r for r in rules if r.is_glob)

    @lru_cache(maxsize=32768)
    def match(host: str) -> Rule | None:
        for suffix in _suffixes(host):
            if suffix in literal:
                return literal[suffix]
        return next((r for r in globs if fnmatch.fnmatchcase(host, r.pattern)), None)

    if len(_MATCHERS) > 8:
        _MATCHERS.clear()
    _MATCHERS[id(rules)] = (rules, match)
    return match


@lru_cache(maxsize=1)
def _site_rules() -> dict[str, tuple[SiteRule, ...]]:
    return load_site_rules()


@lru_cache(maxsize=1)
def _news_sites() -> frozenset[str]:
    return _load_host_list(NEWS_SITES)


@lru_cache(maxsize=1)
def _education_sites() -> frozenset[str]:
    return _load_host_list(EDUCATION_SITES)


@lru_cache(maxsize=1)
def _shorteners() -> frozenset[str]:
    extra: set[str] = set()
    try:
        with AUDIT_RULES_CSV.open(newline="", encoding="utf-8") as f:
            extra = {
                (r.get("value") or "").strip().lower()
                for r in csv.DictReader(f)
                if (r.get("rule") or "").strip() == "shortener"
            }
    except FileNotFoundError:
        pass
    return SHORTENERS | frozenset(e for e in extra if e)


@lru_cache(maxsize=1)
def _extractor() -> tldextract.TLDExtract:
    # suffix_list_urls=() keeps tldextract on its bundled snapshot: no fetch at run time.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True)


# ---------------------------------------------------------------- finding URLs in text
def _trim(url: str) -> str:
    """Drop sentence punctuation and unbalanced closing brackets glued to a URL.

    Bracket counts are taken once and kept up to date, so a URL followed by thousands of
    brackets is trimmed in linear time.
    """
    counts = {c: url.count(c) for c in (*_PAIRS, *_PAIRS.values())}
    end = len(url)
    while end:
        last = url[end - 1]
        if last in _TRAILING or (last in _PAIRS and counts[last] > counts[_PAIRS[last]]):
            if last in counts:
                counts[last] -= 1
            end -= 1
        else:
            break
    return url[:end]


def find_urls(text: str, *, any_scheme: bool = False) -> list[str]:
    """URLs written in ``text``, in order, with trailing punctuation removed.

    By default only http(s), ftp and ``www.`` addresses. With ``any_scheme`` also any
    ``scheme://...`` and the schemes in ``NO_SLASH_SCHEMES`` (``javascript:``, ``mailto:``, ...),
    never a bare ``word:word`` such as ``Category:Foo``.
    """
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
    """True only for http(s) URLs with a host: the only ones the app makes clickable.

    Anything that is not a string (None, a pandas NaN) is not a link.
    """
    if not isinstance(url, str) or not url:
        return False
    try:
        parts = urlsplit(url.strip())
        return parts.scheme.lower() in SAFE_SCHEMES and bool(parts.hostname)
    except ValueError:
        return False


# ---------------------------------------------------------------- scholarly identifiers
_ID_RE = re.compile(
    r"(?P<doi>(?:\bdoi[ \t]{0,3}:?[ \t]{0,3}|(?<![\w/.\-:])(?=10\.\d))(?P<doival>10\.\d{4,9}/[^\s\"<>]+))"
    r"|(?P<pmid>\bPMID[ \t]{0,3}:?[ \t]{0,3}(?P<pmidval>\d{1,9})\b)"
    r"|(?P<pmc>(?<![\w/=])(?-i:PMC)[ \t]?(?P<pmcval>\d{4,9})\b)"
    r"|(?P<arxiv>\barXiv[ \t]{0,3}:?[ \t]{0,3}"
    r"(?P<arxivval>\d{4}\.\d{4,5}(?:v\d+)?|[a-z][a-z\-]{1,15}(?:\.[a-z]{2})?/\d{7}(?:v\d+)?)(?!\w|\.\d))",
    re.IGNORECASE,
)


def _clean_doi(doi: str) -> str:
    """A DOI with sentence punctuation and unbalanced closing brackets trimmed off its end."""
    return _trim(doi)


def _doi_url(doi: str) -> str:
    return "https://doi.org/" + quote(doi, safe="/:;()[]._-~,+=@!*'&$")


def find_identifiers(text: str) -> list[tuple[str, str]]:
    """Scholarly identifiers written in ``text`` as (as written, resolvable URL), in order, each URL once.

    DOIs (``doi:10.x/y``, ``DOI 10.x/y``, or a bare ``10.1234/abc`` outside a URL), PMIDs
    (``PMID: 12345678``), PMCIDs (``PMC1234567``) and arXiv ids (``arXiv:2101.01234``,
    ``arXiv:hep-th/9901001``). DOIs that are part of a URL (doi.org/10...) are left to ``find_urls``.
    """
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for m in _ID_RE.finditer(text):
        if m.group("doi"):
            doi = _clean_doi(m.group("doival"))
            labelled = not m.group("doi").startswith("10.")
            suffix = doi.split("/", 1)[1] if "/" in doi else ""
            if not suffix or (not labelled and suffix.isdigit()):
                continue
            written = m.group("doi")[: m.start("doival") - m.start("doi")] + doi
            url = _doi_url(doi)
        elif m.group("pmid"):
            written, url = m.group("pmid"), f"https://pubmed.ncbi.nlm.nih.gov/{int(m.group('pmidval'))}/"
        elif m.group("pmc"):
            written = m.group("pmc")
            url = f"https://www.ncbi.nlm.nih.gov/pmc/articles/PMC{m.group('pmcval')}/"
        else:
            written, url = m.group("arxiv"), f"https://arxiv.org/abs/{m.group('arxivval')}"
        if url not in seen:
            seen.add(url)
            out.append((written, url))
    return out


_DOI_IN_URL = re.compile(r"(?i)(?:^|[/=:])(10\.\d{4,9}/[^\s?#&\"<>]+)")
_DOI_TAIL = re.compile(
    r"(?i)(?:/(?:full|abstract|abs|pdf|epdf|pdfdirect|fulltext|full-text|html|meta|summary|references|figures|"
    r"tables|suppl|supplemental|citedby|epub|reader|download|info|metrics|issuetoc)|\.full|\.pdf|\.abstract|"
    r"\.short|\.long|\.html?|/)$"
)
_PUBMED_PATH = re.compile(r"(?i)^/(?:m/)?pubmed/(\d+)")
_PMC_PATH = re.compile(r"(?i)/pmc/articles/pmc(\d+)|^/articles/pmc(\d+)")
_EUROPEPMC = re.compile(r"(?i)^/(?:article|abstract)/(med|pmc)/(?:pmc)?(\d+)|^/articles/pmc(\d+)")
_ARXIV_PATH = re.compile(
    r"(?i)^/(?:abs|pdf|html|format|ps)/(\d{4}\.\d{4,5}|[a-z][a-z\-]*(?:\.[a-z]{2})?/\d{7})(?:v\d+)?(?:\.pdf)?/?$"
)


def _arxiv_key(ident: str) -> str:
    ident = re.sub(r"(?i)v\d+$", "", ident)
    if "/" in ident:  # old style: the subject class is optional (math.GT/0309136 == math/0309136)
        archive, number = ident.split("/", 1)
        return f"arxiv:{archive.split('.')[0].lower()}/{number}"
    return f"arxiv:{ident}"


def _doi_key(doi: str) -> str:
    doi = _clean_doi(unquote(doi))
    while True:
        shorter = _DOI_TAIL.sub("", doi)
        if shorter == doi or "/" not in shorter:
            break
        doi = shorter
    doi = doi.lower()
    if doi.startswith("10.1101/"):  # bioRxiv/medRxiv URLs add a version the DOI does not have
        doi = re.sub(r"v\d+$", "", doi)
    if doi.startswith("10.48550/arxiv."):
        return _arxiv_key(doi[len("10.48550/arxiv.") :])
    return "doi:" + doi


def work_key(url: str | None) -> str | None:
    """A key that is the same for URLs to the same work, or None.

    'doi:10.x/y' (lower-case, unquoted) for doi.org links and DOIs in a publisher's path or query;
    'pmid:N' for PubMed records; 'pmc:N' for PubMed Central; 'arxiv:ID' (no version) for arXiv.
    """
    if not url:
        return None
    url = url.strip()
    if url.lower().startswith("doi:"):
        return _doi_key(url[4:].strip()) if re.match(r"10\.\d{4,9}/\S", url[4:].strip()) else None
    try:
        parts = urlsplit("http://" + url if url.lower().startswith("www.") else url)
        host = (parts.hostname or "").rstrip(".").lower()
    except ValueError:
        return None
    path = unquote(parts.path)
    if host.endswith("arxiv.org") or host == "xxx.lanl.gov":
        m = _ARXIV_PATH.match(path)
        if m:
            return _arxiv_key(m.group(1))
    if host == "pubmed.ncbi.nlm.nih.gov":
        m = re.match(r"^/(\d+)", path)
        if m:
            return f"pmid:{int(m.group(1))}"
    if host.endswith("ncbi.nlm.nih.gov"):
        m = _PUBMED_PATH.match(path)
        if m:
            return f"pmid:{int(m.group(1))}"
        m = _PMC_PATH.search(path)
        if m:
            return f"pmc:{int(m.group(1) or m.group(2))}"
    if host.endswith("europepmc.org"):
        m = _EUROPEPMC.match(path)
        if m:
            if m.group(3):
                return f"pmc:{int(m.group(3))}"
            return f"{'pmid' if m.group(1).lower() == 'med' else 'pmc'}:{int(m.group(2))}"
    m = _DOI_IN_URL.search(path)
    if m:
        return _doi_key(m.group(1))
    for _, value in parse_qsl(parts.query):
        m = re.match(r"(?i)^(?:doi:|https?://(?:dx\.)?doi\.org/)?(10\.\d{4,9}/\S+)$", value.strip())
        if m:
            return _doi_key(m.group(1))
    return None


# ---------------------------------------------------------------- per-host facts (cached)
_GOV_LABELS = frozenset({"gov", "govt", "gouv", "gob", "gub", "mil", "gv", "gc"})
_EDU_LABELS = frozenset({"edu", "ac", "ed", "sch", "school", "k12"})
_COUNTRY = {
    "uk": "UK", "au": "Australian", "nz": "New Zealand", "ca": "Canadian", "ie": "Irish", "za": "South African",
    "in": "Indian", "jp": "Japanese", "kr": "South Korean", "cn": "Chinese", "hk": "Hong Kong", "tw": "Taiwanese",
    "sg": "Singapore", "my": "Malaysian", "id": "Indonesian", "th": "Thai", "ph": "Philippine", "vn": "Vietnamese",
    "pk": "Pakistani", "bd": "Bangladeshi", "lk": "Sri Lankan", "il": "Israeli", "tr": "Turkish", "ir": "Iranian",
    "sa": "Saudi", "ae": "UAE", "eg": "Egyptian", "ng": "Nigerian", "ke": "Kenyan", "gh": "Ghanaian",
    "br": "Brazilian", "mx": "Mexican", "ar": "Argentine", "cl": "Chilean", "co": "Colombian", "pe": "Peruvian",
    "fr": "French", "at": "Austrian", "es": "Spanish", "it": "Italian", "pt": "Portuguese", "pl": "Polish",
    "gr": "Greek", "cy": "Cypriot", "ru": "Russian", "ua": "Ukrainian", "be": "Belgian", "us": "US",
    "ch": "Swiss", "de": "German", "nl": "Dutch", "se": "Swedish", "no": "Norwegian", "dk": "Danish",
    "fi": "Finnish", "si": "Slovenian", "hu": "Hungarian", "cz": "Czech", "ro": "Romanian",
}  # fmt: skip
_REPO_LABELS = frozenset(
    """repository repositorio repositori repositorium eprints eprint dspace digitalcommons scholarworks
    scholarsarchive scholarship escholarship openaccess open-access researchonline research-repository
    researchportal researchoutput publications pubs""".split()
)  # safe on any host
_ACADEMIC_REPO_LABELS = frozenset("ir ora pure opus edoc elib kups dash deepblue dataverse".split())
_JOURNAL_LABEL = re.compile(r"^(?:e-?)?journals?(?:[-\d].*)?$")
_SHADOW = re.compile(r"^(?:sci-?hub|scihub|libgen|library-?genesis|z-?lib(?:rary)?|1lib|b-ok|booksc|annas-archive)")
_PROXY_LABELS = frozenset({"ezproxy", "libproxy", "proxy", "ezp", "proxy-lib", "remotexs", "eres"})
_CDN_LABEL = re.compile(r"^cdn(?:$|[-_\d])|[-_]cdn(?:$|[-_\d])|^[a-z]*cdn$")
_NEWS_NAME = re.compile(
    r"(?:news|times|herald|tribune|gazette|chronicle|courier|observer|dispatch|sentinel|examiner|telegraph|"
    r"inquirer|zeitung|nachrichten|noticias|diario|giornale|gazete|gazeta|krant|tidende|tidning|posten|"
    r"post|presse|dailynews|newspaper)$|^(?:daily|news)(?!letter)"
)


@dataclass(frozen=True)
class _HostFacts:
    domain: str | None  # registered domain under the ICANN section
    private_suffix: str | None  # tenant platform from the private section of the suffix list
    sub_labels: tuple[str, ...]  # labels left of the registered domain
    name: str  # the registered name (label left of the public suffix)
    suffix: str  # ICANN public suffix
    site_rules: tuple[SiteRule, ...]
    gov: str | None
    edu: str | None
    academic: bool
    repo_host: str | None
    listed: tuple[str, str] | None
    cdn: str | None
    guess: tuple[str, str] | None
    shortener: bool
    shadow: bool
    proxy: bool
    redirector: str | None  # path prefix under which this host redirects to a ?url= parameter


def _suffixes(host: str) -> list[str]:
    labels = host.split(".")
    return [".".join(labels[i:]) for i in range(len(labels))]


def _site_candidates(host: str, sub: tuple[str, ...], name: str) -> tuple[SiteRule, ...]:
    table = _site_rules()
    found: list[SiteRule] = []
    for s in _suffixes(host):
        found.extend(table.get(s, ()))
    if name:
        wild = ".".join((*sub, name, "*"))
        for s in _suffixes(wild)[:-1]:
            found.extend(table.get(s, ()))
    return tuple(found)


def _gov_reason(host: str, name: str, suffix: str) -> str | None:
    labels = host.split(".")
    sfx = suffix.split(".") if suffix else []
    if not sfx:
        return None
    if sfx[-1] == "gov" and len(sfx) == 1:
        return "US government domain (.gov)"
    if sfx[-1] == "mil" and len(sfx) == 1:
        return "US military domain (.mil)"
    if sfx[-1] == "int" and len(sfx) == 1:
        return "intergovernmental organisation domain (.int)"
    reg = [name, *sfx] if name else sfx
    cc = sfx[-1] if len(sfx[-1]) == 2 else ""
    country = _COUNTRY.get(cc, "")
    for i, label in enumerate(reg):
        if label in _GOV_LABELS and i < len(reg) - 1 and cc and (label != "gc" or reg[i + 1] == "ca"):
            tail = ".".join(reg[i:])
            if label == "mil":
                return f"{country + ' ' if country else ''}military domain ({tail})"
            return f"{country + ' ' if country else ''}government domain ({tail})"
    if len(sfx) >= 2 and sfx[-2] in ("go", "lg") and cc:
        return f"{country + ' ' if country else ''}government domain ({'.'.join(sfx[-2:])})"
    if cc == "in" and reg[-2:] == ["nic", "in"]:
        return "Indian government site (nic.in)"
    if cc == "us" and len(labels) >= 3:
        if labels[-2] in ("fed", "nsn"):
            return f"US government domain ({labels[-2]}.us)"
        if len(labels[-2]) == 2 and labels[-3] in ("state", "dst", "cog"):
            return f"US state government domain ({labels[-3]}.{labels[-2]}.us)"
        if len(labels) >= 4 and len(labels[-2]) == 2 and labels[-4] in ("ci", "co", "city", "town", "twp", "vil"):
            return f"US local government domain ({labels[-4]}.*.{labels[-2]}.us)"
    return None


def _edu_reason(host: str, name: str, suffix: str) -> str | None:
    sfx = suffix.split(".") if suffix else []
    if not sfx:
        return None
    if sfx == ["edu"]:
        return "US higher-education domain (.edu)"
    labels = host.split(".")
    if sfx[-1] == "us" and ("k12" in labels[-4:-1] or "cc" in labels[-4:-1]):
        return "US school or college domain (k12/cc .us)"
    reg = [name, *sfx] if name else sfx
    cc = sfx[-1] if len(sfx[-1]) == 2 else ""
    if not cc:
        return None
    country = _COUNTRY.get(cc, "")
    for i, label in enumerate(reg[:-1]):
        if label in _EDU_LABELS:
            tail = ".".join(reg[i:])
            what = "school" if label in ("sch", "school", "k12") else "academic"
            return f"{country + ' ' if country else ''}{what} domain ({tail})"
    return None


def _listed(host: str, hosts: frozenset[str]) -> bool:
    return any(s in hosts for s in _suffixes(host)[:-1])


@lru_cache(maxsize=32768)
def _host_facts(host: str) -> _HostFacts:
    ext = _extractor()(host)
    icann = _extractor().extract_str(host, include_psl_private_domains=False)
    domain = icann.top_domain_under_public_suffix or None
    private_suffix = ext.suffix if ext.is_private and ext.domain else None
    name, suffix = icann.domain, icann.suffix
    sub = tuple(s for s in icann.subdomain.split(".") if s)
    site_rules = _site_candidates(host, sub, name)
    gov = _gov_reason(host, name, suffix)
    edu = None if gov else _edu_reason(host, name, suffix)
    academic = bool(edu) or _listed(host, _education_sites())

    repo_host = None
    for label in sub:
        if _JOURNAL_LABEL.match(label):
            repo_host = f"journal platform host name ({label}.)"
        elif label in _REPO_LABELS or (academic and label in _ACADEMIC_REPO_LABELS):
            repo_host = f"research repository host name ({label}.)"
        elif academic and "press" in label:
            repo_host = f"university press ({label}.)"
        if repo_host:
            break
    if repo_host is None and academic and "press" in name:
        repo_host = f"university press ({name})"

    listed = None
    if _listed(host, _education_sites()):
        listed = ("education", "university or college domain (swot list)")
    elif _listed(host, _news_sites()):
        listed = ("news", "news source (newspaper4k/fundus news-site list)")

    cdn = None
    for label in (*sub, name):
        if label and _CDN_LABEL.search(label):
            cdn = f"content-delivery host name ({label})"
            break

    guess = None
    if name and "journal" in name:
        guess = ("scholarly", f"guess: a journal's own domain ({domain})")
    elif name and _NEWS_NAME.search(name):
        guess = ("news", f"guess: named like a newspaper ({domain})")
    elif name and "blog" in name and [s for s in sub if s not in ("www", "blog", "blogs")]:
        guess = ("blog platform", f"guess: a subdomain on a domain named like a blog host ({domain})")

    shorteners = _shorteners()
    return _HostFacts(
        domain=domain,
        private_suffix=private_suffix,
        sub_labels=sub,
        name=name,
        suffix=suffix,
        site_rules=site_rules,
        gov=gov,
        edu=edu,
        academic=academic,
        repo_host=repo_host,
        listed=listed,
        cdn=cdn,
        guess=guess,
        shortener=any(s in shorteners for s in _suffixes(host)[:-1]),
        shadow=bool(name and _SHADOW.match(name)) or any(_SHADOW.match(s) for s in sub),
        proxy=bool(_PROXY_LABELS & set(sub)) or host.endswith(".idm.oclc.org"),
        redirector=next((prefix for host_re, prefix in _REDIRECTORS if host_re.search(host)), None),
    )


def is_shortener(host: str | None) -> bool:
    """True for a link-shortener host (built-in list plus data/audit_rules.csv `shortener` rows)."""
    if not host:
        return False
    return _host_facts(host.lower().rstrip(".")).shortener


# ---------------------------------------------------------------- path signals
_SCHOLARLY_PATHS = (
    (
        re.compile(r"(?i)/index\.php/[^/]+/article/(?:view|download)|/ojs/|/article/view/\d"),
        "article on an Open Journal Systems journal",
    ),
    (
        re.compile(r"(?i)/bitstream/(?:handle/)?\d|/handle/\d+(?:\.\d+)*/\d|/(?:jspui|xmlui)/"),
        "item in an institutional repository (DSpace handle)",
    ),
    (re.compile(r"(?i)^/(?:id/)?eprint/\d|/eprints?/\d+/"), "item in an EPrints research repository"),
    (
        # HighWire-style /content/<volume>/<issue>/<page>; a year in the volume slot is a news date
        re.compile(r"(?i)^/content/(?:early/\d{4}/\d\d/\d\d/)?(?!(?:19|20)\d\d/)\d{1,4}/\d{1,3}/[a-z]{0,3}\d+"),
        "journal article path (volume/issue/page)",
    ),
    (re.compile(r"(?i)(?:^|/)journals/[^/]+/(?:article|vol|volume|issue)"), "journal article path (/journals/...)"),
    (
        re.compile(r"(?i)(?:^|[/_\-])(?!(?:19|20)\d\d[_.\-])\d{1,4}[_.\-]\d{1,3}[_.\-]\d{1,5}-\d{1,5}\.pdf$"),
        "journal article PDF (volume, issue and pages in the file name)",
    ),
)
_FEDIVERSE = re.compile(r"^/@[A-Za-z0-9_.]{1,64}(?:@[a-z0-9.\-]+)?(?:/\d+)?/?$|^/users/[A-Za-z0-9_]+/statuses/\d+")
_REDIRECT_PARAMS = ("url", "q", "u", "z", "target", "dest", "destination", "redirect", "redirect_uri", "goto", "link")
_REDIRECTORS = (
    (re.compile(r"^(?:www\.)?google\.[a-z.]+$"), "/url"),
    (re.compile(r"^(?:l|lm|m|www)\.facebook\.com$"), ""),
    (re.compile(r"^l\.instagram\.com$"), ""),
    (re.compile(r"^out\.reddit\.com$"), ""),
    (re.compile(r"^(?:www\.)?youtube\.com$"), "/redirect"),
    (re.compile(r"^t\.umblr\.com$"), ""),
    (re.compile(r"^href\.li$"), ""),
    (re.compile(r"^(?:www\.)?linkedin\.com$"), "/redir"),
    (re.compile(r"(?:^|\.)safelinks\.protection\.outlook\.com$"), ""),
    (re.compile(r"^(?:www\.)?bing\.com$"), "/ck"),
)


def _wrapped_target(parts: SplitResult, facts: _HostFacts, host: str, raw_url: str) -> tuple[str, str] | None:
    """(wrapper name, wrapped URL or DOI) for shadow-library, proxy and redirect links."""
    query = parse_qsl(parts.query, keep_blank_values=False)
    if facts.shadow:
        tail = unquote(raw_url.split(host, 1)[-1]) if host in raw_url else unquote(parts.path)
        m = re.search(r"(?i)(https?://\S+|www\.\S+)", tail)
        if m:
            return "shadow library", m.group(1)
        m = re.search(r"(10\.\d{4,9}/[^\s?#&]+)", tail)
        if m:
            return "shadow library", "doi:" + _trim(m.group(1))
        m = re.match(r"^/+([a-z0-9\-]+(?:\.[a-z0-9\-]+)+\.[a-z]{2,}/\S*)", unquote(parts.path), re.I)
        if m:
            return "shadow library", "https://" + m.group(1)
        return "shadow library", ""
    if facts.proxy:
        for k, v in query:
            if k.lower() in ("url", "qurl") and re.match(r"(?i)https?://|www\.", v):
                return "library proxy", v
        first = facts.sub_labels[0] if facts.sub_labels else ""
        if "-" in first:
            decoded = first.replace("--", "\0").replace("-", ".").replace("\0", "-")
            ext = _extractor().extract_str(decoded, include_psl_private_domains=False)
            if ext.suffix and ext.domain:
                rest = raw_url.split(host, 1)[-1] if host in raw_url else parts.path
                return "library proxy", "https://" + decoded + rest
        return None
    if facts.redirector is not None and parts.path.lower().startswith(facts.redirector):
        for k, v in query:
            if k.lower() in _REDIRECT_PARAMS and re.match(r"(?i)https?://|www\.", v):
                return "redirect", v
    return None


def _wrapped_what(target: str, info: UrlInfo) -> str:
    if target.startswith("doi:") or (info.host or "").endswith("doi.org"):
        return "a DOI"
    key = work_key(target) or ""
    if key.startswith("pmid:"):
        return "a PubMed URL"
    if key.startswith("pmc:"):
        return "a PubMed Central URL"
    if key.startswith("arxiv:"):
        return "an arXiv URL"
    if key.startswith("doi:"):
        return "a URL with a DOI"
    return f"a URL on {info.host}" if info.host else "a URL"


def _platform_provider(rule: SiteRule, facts: _HostFacts) -> str | None:
    """The shared platform a tenant host sits on: only for blog platforms and cloud storage / CDN."""
    if rule.provider or rule.kind not in ("blog platform", "cloud storage / CDN"):
        return rule.provider
    if facts.private_suffix:
        return facts.private_suffix
    if rule.key.endswith(".*"):
        return facts.domain or rule.key[:-2]
    key_ext = _extractor().extract_str(rule.key, include_psl_private_domains=False)
    return key_ext.top_domain_under_public_suffix or rule.key


# ---------------------------------------------------------------- describe
def describe(url: str | None, rules: tuple[Rule, ...] | None = None, *, _depth: int = 0) -> UrlInfo:
    """Scheme, host, registered domain, provider, kind and the reason for the kind of one URL."""
    if not url or not isinstance(url, str):
        return UrlInfo(None, None, None, None, "no URL", "")
    if rules is None and _depth == 0:
        return _describe_with_default_rules(url)
    return _describe(url, rules, _depth=_depth)


def site(url: str | None) -> str | None:
    """The site a URL belongs to, which tells a page's own links from outbound ones: its registered
    domain, or its host when the host is a tenant of a shared platform (two blogs on blogspot.com,
    two projects on github.io are two sites: see ``UrlInfo.provider``). None without a host."""
    if not url:
        return None
    info = describe(url)
    return info.host if info.provider else info.domain or info.host


@lru_cache(maxsize=2**14)
def _describe_with_default_rules(url: str) -> UrlInfo:
    # Articles repeat URLs (reference lists, link farms): the default rules answer from memory.
    return _describe(url, None)


def _describe(url: str, rules: tuple[Rule, ...] | None = None, *, _depth: int = 0) -> UrlInfo:
    rules = _default_rules() if rules is None else rules
    stripped = url.strip()
    to_split = "http://" + stripped if stripped.lower().startswith("www.") else stripped
    try:
        parts = urlsplit(to_split)
        scheme = parts.scheme.lower() or None
        host = (parts.hostname or "").rstrip(".") or None
    except ValueError:  # e.g. an unbalanced IPv6 bracket
        return UrlInfo(None, None, None, None, "other", "malformed URL")
    if host is None:
        if scheme == "doi" and re.match(r"\s*10\.\d{4,9}/\S", parts.path):
            return UrlInfo(scheme, None, None, None, "scholarly", "DOI")
        return UrlInfo(scheme, None, None, None, "other", "not a web address" if scheme else "no host")
    if re.fullmatch(r"[\d.]+|[0-9a-f]*:[0-9a-f:]*", host):
        return UrlInfo(scheme, host, None, None, "other", "bare IP address")
    facts = _host_facts(host)
    domain = facts.domain
    fallback_provider = facts.private_suffix

    def info(kind: str, reason: str, provider: str | None = None) -> UrlInfo:
        return UrlInfo(scheme, host, domain, provider or fallback_provider, kind, reason)

    # 1. user rules
    rule = _rule_matcher(rules)(host)
    if rule:
        return info(rule.kind, rule.note or f"rule '{rule.pattern}' in {DOMAIN_KINDS_CSV.name}", rule.provider)

    # 2. wrappers and shorteners
    if _depth < 2 and (facts.shadow or facts.proxy or facts.redirector is not None):
        wrapped = _wrapped_target(parts, facts, host, stripped)
        if wrapped and wrapped[1]:
            wrapper, target = wrapped
            inner = describe(target, rules, _depth=_depth + 1)
            what = _wrapped_what(target, inner)
            return info(inner.kind, f"{wrapper} link wrapping {what}: classified by the work it wraps")
        if facts.shadow:
            return info("other", "shadow library (unauthorised copies of papers and books)")
    if facts.shortener:
        return info("other", "link shortener: the real target is hidden")

    # 3. strong built-in site rules
    path = parts.path.lower()
    site = next((r for r in facts.site_rules if r.matches_path(path)), None)
    if site and site.strong:
        return info(site.kind, site.reason, _platform_provider(site, facts))

    # 4. scholarly identifiers in the URL
    unq_path = unquote(parts.path)
    if _DOI_IN_URL.search(unq_path):
        return info("scholarly", "DOI in the URL path")
    if parts.query and re.search(r"(?:^|[=&:/])10\.\d{4,9}/[^\s&]", unquote(parts.query)):
        return info("scholarly", "DOI in the URL query")
    if _PUBMED_PATH.search(path) or re.search(r"/pmc/articles/pmc\d", path):
        return info("scholarly", "PubMed or PubMed Central record path")

    # 5. weak built-in site rules
    if site:
        return info(site.kind, site.reason, _platform_provider(site, facts))

    # 6. government by domain structure
    if facts.gov:
        return info("government", facts.gov)

    # 7. scholarly structure: repository and journal paths and host names
    for pattern, reason in _SCHOLARLY_PATHS:
        if pattern.search(path):
            return info("scholarly", reason)
    if facts.academic and re.search(r"(?:^|/)journals?(?:/|$)", path):
        return info("scholarly", "journal hosted by a university (/journal/ path)")
    if facts.repo_host:
        return info("scholarly", facts.repo_host)

    # 8. academic domain structure
    if facts.edu:
        return info("education", facts.edu)

    # 9. bundled lists
    if facts.listed:
        return info(*facts.listed)

    # 10. platform structure
    if facts.cdn:
        return info("cloud storage / CDN", facts.cdn)
    if _FEDIVERSE.match(parts.path):
        return info("social", "fediverse-style profile or post path (/@user)")

    # 11. guesses from the name
    if facts.guess:
        kind, reason = facts.guess
        return info(kind, reason, domain if kind == "blog platform" else None)

    return info("other", "no rule matched: a company, organisation, project or personal site")
