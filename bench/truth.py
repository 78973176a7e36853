"""The corpus yardstick: score the parser and the kind classifier against hand-checked expectations.

    python -m bench.truth            # score tests/corpus, write bench/TRUTH.md, print a summary
    python -m bench.truth --check    # score, print, write nothing; exit 1 if a figure is below FLOORS
    python -m bench.truth --corpus DIR --out FILE

The corpus (tests/corpus, see its README.md) is a yardstick, not a source of rules: nothing in it
(hosts, labels, the upstream tools) may be copied into the parser's code or data.

What is compared, and the only normalisations made (for comparison, never written back):

- Title: ``article.title`` against the expected title, whitespace collapsed, case kept; articles
  whose expected title is empty are not counted.
- Headings: non-inferred ``article.sections`` against expected ``sections[].heading`` as multisets
  (order-insensitive). Both sides: Unicode NFKC, casefold, whitespace collapsed, trailing
  ``: . ; ,`` and spaces stripped. Micro-averaged precision / recall / F1.
- Citation URLs: unique parsed ``citation.url`` with an http(s) scheme against expected
  ``citations``. Both sides: ``//host`` -> ``https://host`` (the corpus rule), scheme and host
  lowercased, a default port (:80 for http, :443 for https) dropped, an empty path written as
  ``/`` (``http://a.org`` == ``http://a.org/``). Nothing else: a trailing ``/`` after a path, case in
  the path, percent-encoding, fragments and ``http`` vs ``https`` all count, except that a DOI
  resolver URL (``http(s)://[dx.|www.]doi.org/10.…``) compares as its DOI, percent-decoded and
  casefolded (DOIs are case-insensitive), so ``http://dx.doi.org/10.1/X`` ==
  ``https://doi.org/10.1%2Fx``. A citation flagged
  ``derived`` (a URL built from a DOI/PMID in the text) counts as found when it matches; when it
  matches nothing it is left out of precision (it is a real citation that is not written as a URL).
- Reference entries: parsed entries are the distinct ``line`` values of citations whose
  ``section`` is None; an entry is "without URL" when none of its citations has a written (not
  derived) http(s) URL. Expected ``null`` (no list) counts as 0.
- Kinds: ``dashboard.citations.describe(url).kind`` over every row of citation_kinds.csv, and over
  each article's ``citation_kinds`` map.
- Words: per expected section matched by heading (first unused parsed section with the same
  normalised heading), ``section.words`` within ±10% of ``approx_words``.

TRUTH.md carries no timestamp: re-running on the same code gives the same file.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import math
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
OUT = ROOT / "bench" / "TRUTH.md"
FORMATS = ("html", "md", "txt")
GROUPS = (*FORMATS, "overall")
MISS_CAP = 30
DOI_HOSTS = ("doi.org", "dx.doi.org", "www.doi.org")

# Goals for the parser and the classifier (figures are shares, 0-1).
TARGETS = {
    "title_exact": 1.0,
    "heading_f1": 0.95,
    "citation_recall": 0.97,
    "citation_precision": 0.95,
    "kind_accuracy": 0.92,
    "scholarly_recall": 0.97,
}

# Regression floors: the figures measured when a floor was last set, minus 0.02, rounded down.
# tests/test_truth.py fails when a figure drops below its floor; raise them as the parser improves
# (`python -m bench.truth --floors` prints the floors this rule gives for the current parser).
# Set from the parser of the issue-9 submission (the package, measured on the corpus).
FLOORS = {
    "overall.title_exact": 0.98,
    "overall.heading_precision": 0.97,
    "overall.heading_recall": 0.94,
    "overall.heading_f1": 0.95,
    "overall.citation_recall": 0.98,
    "overall.citation_precision": 0.85,
    "overall.reference_within_10pct": 0.98,
    "overall.words_within_10pct": 0.86,
    "html.heading_f1": 0.98,
    "md.heading_f1": 0.98,
    "txt.heading_f1": 0.86,
    "html.citation_recall": 0.98,
    "md.citation_recall": 0.98,
    "txt.citation_recall": 0.98,
    "html.citation_precision": 0.97,
    "md.citation_precision": 0.65,
    "txt.citation_precision": 0.98,
    "kinds.accuracy": 0.86,
    "kinds.scholarly_recall": 0.84,
    "kinds.article_accuracy": 0.77,
}


# ---------------------------------------------------------------- normalisation


def norm_space(text: str) -> str:
    return " ".join(text.split())


def norm_heading(text: str) -> str:
    text = norm_space(unicodedata.normalize("NFKC", text).casefold())
    return text.rstrip(":.;, ")


def norm_url(url: str) -> str:
    """Syntax-level URL equivalence only (RFC 3986 §6.2.2-6.2.3), see the module docstring."""
    url = url.strip()
    if url.startswith("//"):
        url = "https:" + url
    m = re.match(r"(?s)([A-Za-z][A-Za-z0-9+.\-]*)://([^/?#]*)(.*)", url)
    if not m:
        return url
    scheme, authority, rest = m.group(1).lower(), m.group(2), m.group(3)
    userinfo, at, hostport = authority.rpartition("@")
    hostport = hostport.lower()
    default_port = {"http": ":80", "https": ":443"}.get(scheme)
    if default_port and hostport.endswith(default_port):
        hostport = hostport[: -len(default_port)]
    if not rest.startswith("/"):
        rest = "/" + rest
    if scheme in ("http", "https") and hostport in DOI_HOSTS and rest.startswith("/10."):
        return "doi:" + unquote(rest[1:]).casefold()  # one identifier, however the resolver URL is written
    return f"{scheme}://{userinfo}{at}{hostport}{rest}"


def is_web_url(url: str | None) -> bool:
    if not url:
        return False
    try:
        return urlsplit(url.strip()).scheme.lower() in ("http", "https")
    except ValueError:
        return False


# ---------------------------------------------------------------- helpers


def ratio(num: float, den: float) -> float | None:
    return num / den if den else None


def f1(p: float | None, r: float | None) -> float | None:
    if p is None or r is None:
        return None
    return 2 * p * r / (p + r) if p + r else 0.0


def within(got: int, want: int, tol: float = 0.10) -> bool:
    return abs(got - want) <= tol * want


def fmt(x: float | None, digits: int = 3) -> str:
    return "–" if x is None else f"{x:.{digits}f}"


def capped(items: list[str], cap: int = MISS_CAP) -> str:
    shown = ", ".join(f"`{i}`" for i in items[:cap])
    return shown + (f" … and {len(items) - cap} more" if len(items) > cap else "")


def load_manifest(corpus: Path) -> list[dict]:
    return json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))


def corpus_mismatches(corpus: Path = CORPUS) -> list[str]:
    """Article files whose SHA-256 differs from manifest.json (empty when the copy is intact)."""
    bad = []
    for entry in load_manifest(corpus):
        path = corpus / entry["file"]
        if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != entry["sha256"]:
            bad.append(entry["file"])
    return bad


# ---------------------------------------------------------------- scoring one article


def score_article(name: str, path: Path, expected: dict) -> dict:
    from dashboard.citations import describe
    from dashboard.parse import parse_file

    fmt_ = expected["format"]
    res: dict = {"name": name, "format": fmt_, "error": None}
    try:
        art = parse_file(path)
    except Exception as e:  # a crash scores as an empty parse, it does not stop the run
        res["error"] = f"{type(e).__name__}: {e}"
        art = None

    # title
    want_title = norm_space(expected.get("title") or "")
    got_title = norm_space(art.title) if art is not None and art.title else ""
    res["title"] = {"expected": want_title, "got": got_title, "counted": bool(want_title)}
    res["title"]["ok"] = bool(want_title) and got_title == want_title

    # headings (multiset)
    want_heads = [s["heading"] for s in expected["sections"]]
    got_secs = [s for s in art.sections if not s.inferred] if art is not None else []
    want_c = Counter(norm_heading(h) for h in want_heads)
    got_c = Counter(norm_heading(s.heading) for s in got_secs)
    common = want_c & got_c
    missed_c, spurious_c = want_c - got_c, got_c - want_c
    missed, spurious = [], []
    for h in want_heads:
        if missed_c[norm_heading(h)] > 0:
            missed_c[norm_heading(h)] -= 1
            missed.append(norm_space(h))
    for s in got_secs:
        if spurious_c[norm_heading(s.heading)] > 0:
            spurious_c[norm_heading(s.heading)] -= 1
            spurious.append(norm_space(s.heading))
    res["headings"] = {
        "tp": sum(common.values()),
        "expected": len(want_heads),
        "got": len(got_secs),
        "missed": missed,
        "spurious": spurious,
    }

    # citation URLs
    want_urls = list(dict.fromkeys(expected["citations"]))
    want_norm = {norm_url(u): u for u in want_urls}
    got_urls: dict[str, tuple[str, bool]] = {}  # normalised -> (as parsed, derived)
    non_web = 0
    for c in art.citations if art is not None else ():
        if not c.url:
            continue
        if not is_web_url(c.url):
            non_web += 1
            continue
        key = norm_url(c.url)
        derived = bool(getattr(c, "derived", False))
        if key not in got_urls or (got_urls[key][1] and not derived):
            got_urls[key] = (c.url, derived)
    found = [k for k in want_norm if k in got_urls]
    spurious_urls = [u for k, (u, d) in got_urls.items() if k not in want_norm and not d]
    derived_extra = sum(1 for k, (_, d) in got_urls.items() if k not in want_norm and d)
    res["citations"] = {
        "tp": len(found),
        "expected": len(want_norm),
        "got": len(found) + len(spurious_urls),
        "missed": [u for k, u in want_norm.items() if k not in got_urls],
        "spurious": spurious_urls,
        "derived_unmatched": derived_extra,
        "non_web": non_web,
    }

    # reference entries
    entries: dict[int, bool] = {}  # line -> has a written http(s) URL
    for c in art.citations if art is not None else ():
        if c.section is None:
            written = is_web_url(c.url) and not getattr(c, "derived", False)
            entries[c.line] = entries.get(c.line, False) or written
    want_n = expected.get("reference_entries")
    want_nourl = expected.get("reference_entries_without_url")
    got_n = len(entries)
    got_nourl = sum(1 for has in entries.values() if not has)
    res["references"] = {
        "expected": want_n,
        "expected_without_url": want_nourl,
        "got": got_n,
        "got_without_url": got_nourl,
        "error": abs(got_n - (want_n or 0)),
        "error_without_url": abs(got_nourl - (want_nourl or 0)),
        "within": within(got_n, want_n or 0),
    }

    # words per matched section
    queue: dict[str, list] = defaultdict(list)
    for s in got_secs:
        queue[norm_heading(s.heading)].append(s)
    matched = hits = 0
    word_misses = []
    for s in expected["sections"]:
        q = queue.get(norm_heading(s["heading"]))
        if not q:
            continue
        got = q.pop(0)
        matched += 1
        if within(got.words, s["approx_words"]):
            hits += 1
        else:
            word_misses.append(f"{norm_space(s['heading'])}: {got.words} vs {s['approx_words']}")
    res["words"] = {"matched": matched, "within": hits, "misses": word_misses}

    # kinds of the article's own citations
    kinds = expected.get("citation_kinds") or {}
    kind_misses = []
    for url, want in kinds.items():
        got = describe(url).kind
        if got != want:
            kind_misses.append(f"{url} ({want} → {got})")
    res["kinds"] = {"total": len(kinds), "ok": len(kinds) - len(kind_misses), "misses": kind_misses}
    res["warnings"] = len(art.warnings) if art is not None else 0
    return res


# ---------------------------------------------------------------- the kinds CSV


def score_kinds(corpus: Path) -> dict:
    from dashboard.citations import describe

    with (corpus / "citation_kinds.csv").open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    confusion: dict[str, Counter] = defaultdict(Counter)
    misses = []
    for row in rows:
        got = describe(row["url"]).kind
        confusion[row["kind"]][got] += 1
        if got != row["kind"]:
            misses.append((row["kind"], got, row["url"]))
    ok = sum(c[k] for k, c in confusion.items())
    scholarly = confusion.get("scholarly", Counter())
    return {
        "rows": len(rows),
        "ok": ok,
        "accuracy": ratio(ok, len(rows)),
        "scholarly_recall": ratio(scholarly["scholarly"], sum(scholarly.values())),
        "confusion": {k: dict(v) for k, v in confusion.items()},
        "misses": sorted(misses),
    }


# ---------------------------------------------------------------- the whole corpus


def aggregate(arts: list[dict]) -> dict:
    t_n = sum(1 for a in arts if a["title"]["counted"])
    t_ok = sum(1 for a in arts if a["title"]["ok"])
    h = {k: sum(a["headings"][k] for a in arts) for k in ("tp", "expected", "got")}
    c = {k: sum(a["citations"][k] for a in arts) for k in ("tp", "expected", "got")}
    hp, hr = ratio(h["tp"], h["got"]), ratio(h["tp"], h["expected"])
    w_m = sum(a["words"]["matched"] for a in arts)
    k_n = sum(a["kinds"]["total"] for a in arts)
    return {
        "articles": len(arts),
        "title_n": t_n,
        "title_ok": t_ok,
        "title_exact": ratio(t_ok, t_n),
        "headings": h,
        "heading_precision": hp,
        "heading_recall": hr,
        "heading_f1": f1(hp, hr),
        "citations": c,
        "citation_recall": ratio(c["tp"], c["expected"]),
        "citation_precision": ratio(c["tp"], c["got"]),
        "reference_within": sum(a["references"]["within"] for a in arts),
        "reference_within_10pct": ratio(sum(a["references"]["within"] for a in arts), len(arts)),
        "reference_abs_error": sum(a["references"]["error"] for a in arts),
        "reference_abs_error_without_url": sum(a["references"]["error_without_url"] for a in arts),
        "words_matched": w_m,
        "words_within": sum(a["words"]["within"] for a in arts),
        "words_within_10pct": ratio(sum(a["words"]["within"] for a in arts), w_m),
        "kind_n": k_n,
        "kind_ok": sum(a["kinds"]["ok"] for a in arts),
        "article_kind_accuracy": ratio(sum(a["kinds"]["ok"] for a in arts), k_n),
        "errors": sum(1 for a in arts if a["error"]),
    }


def score(corpus: Path = CORPUS) -> dict:
    """Score every article and the kinds CSV; returns per-article results, per-format and overall figures."""
    arts = []
    for entry in sorted(load_manifest(corpus), key=lambda e: e["name"]):
        expected = json.loads((corpus / "expected" / f"{entry['name']}.json").read_text(encoding="utf-8"))
        arts.append(score_article(entry["name"], corpus / entry["file"], expected))
    groups = {f: aggregate([a for a in arts if a["format"] == f]) for f in FORMATS}
    groups["overall"] = aggregate(arts)
    return {"articles": arts, "groups": groups, "kinds": score_kinds(corpus)}


def figures(result: dict) -> dict[str, float]:
    """Flat ``group.metric`` -> share, the names FLOORS uses (metrics with no data are left out)."""
    out = {}
    for g, agg in result["groups"].items():
        for m in (
            "title_exact",
            "heading_precision",
            "heading_recall",
            "heading_f1",
            "citation_recall",
            "citation_precision",
            "reference_within_10pct",
            "words_within_10pct",
        ):
            if agg[m] is not None:
                out[f"{g}.{m}"] = agg[m]
    k = result["kinds"]
    out["kinds.accuracy"] = k["accuracy"]
    out["kinds.scholarly_recall"] = k["scholarly_recall"]
    out["kinds.article_accuracy"] = result["groups"]["overall"]["article_kind_accuracy"]
    return out


def below_floors(result: dict, floors: dict[str, float] = FLOORS) -> list[str]:
    figs = figures(result)
    return [
        f"{name}: {figs.get(name, float('nan')):.4f} < floor {floor:.2f}"
        for name, floor in floors.items()
        if not figs.get(name, -1.0) >= floor
    ]


def suggested_floors(result: dict, margin: float = 0.02) -> dict[str, float]:
    figs = figures(result)
    return {name: max(0.0, math.floor(round((figs[name] - margin) * 100, 6)) / 100) for name in FLOORS}


# ---------------------------------------------------------------- report


def status(value: float | None, target: float) -> str:
    if value is None:
        return "–"
    return "met" if value >= target - 1e-12 else "**missed**"


def render(result: dict) -> str:
    g, k, arts = result["groups"], result["kinds"], result["articles"]
    o = g["overall"]
    out = [
        "# Corpus yardstick: parser and kind classifier against tests/corpus",
        "",
        "Generated by `python -m bench.truth` (do not edit by hand); what is compared and normalised is in the",
        "docstring of `bench/truth.py`. Shares are micro-averaged (pooled counts); `–` means nothing to count.",
        f"{len(arts)} articles, {k['rows']} classified URLs."
        + (f" **{o['errors']} articles failed to parse.**" if o["errors"] else ""),
        "",
        "## Overall",
        "",
        "| metric | target | html | md | txt | overall | floor | status |",
        "|---|---|---|---|---|---|---|---|",
    ]

    def row(label: str, metric: str, target: float | None, counts=None) -> str:
        cells = []
        for grp in GROUPS:
            v = g[grp][metric]
            cells.append(fmt(v) + (f" ({counts(g[grp])})" if counts and v is not None else ""))
        floor = FLOORS.get("kinds.article_accuracy" if metric == "article_kind_accuracy" else f"overall.{metric}")
        tgt = "–" if target is None else f"≥ {target:.2f}"
        st = "–" if target is None else status(o[metric], target)
        return f"| {label} | {tgt} | " + " | ".join(cells) + f" | {fmt(floor, 2)} | {st} |"

    out += [
        row("title exact", "title_exact", TARGETS["title_exact"], lambda a: f"{a['title_ok']}/{a['title_n']}"),
        row("heading precision", "heading_precision", None, lambda a: f"{a['headings']['tp']}/{a['headings']['got']}"),
        row("heading recall", "heading_recall", None, lambda a: f"{a['headings']['tp']}/{a['headings']['expected']}"),
        row("heading F1", "heading_f1", TARGETS["heading_f1"]),
        row(
            "citation recall",
            "citation_recall",
            TARGETS["citation_recall"],
            lambda a: f"{a['citations']['tp']}/{a['citations']['expected']}",
        ),
        row(
            "citation precision",
            "citation_precision",
            TARGETS["citation_precision"],
            lambda a: f"{a['citations']['tp']}/{a['citations']['got']}",
        ),
        row(
            "reference entries within ±10%",
            "reference_within_10pct",
            None,
            lambda a: f"{a['reference_within']}/{a['articles']}",
        ),
        row(
            "section words within ±10%",
            "words_within_10pct",
            None,
            lambda a: f"{a['words_within']}/{a['words_matched']}",
        ),
        row(
            "kind accuracy, article citations",
            "article_kind_accuracy",
            None,
            lambda a: f"{a['kind_ok']}/{a['kind_n']}",
        ),
        f"| kind accuracy, citation_kinds.csv | ≥ {TARGETS['kind_accuracy']:.2f} | | | | {fmt(k['accuracy'])} "
        f"({k['ok']}/{k['rows']}) | {fmt(FLOORS['kinds.accuracy'], 2)} | "
        f"{status(k['accuracy'], TARGETS['kind_accuracy'])} |",
        f"| scholarly recall, citation_kinds.csv | ≥ {TARGETS['scholarly_recall']:.2f} | | | | "
        f"{fmt(k['scholarly_recall'])} ({k['confusion'].get('scholarly', {}).get('scholarly', 0)}/"
        f"{sum(k['confusion'].get('scholarly', {}).values())}) | {fmt(FLOORS['kinds.scholarly_recall'], 2)} | "
        f"{status(k['scholarly_recall'], TARGETS['scholarly_recall'])} |",
        "",
        "Floors are the overall ones; per-format floors are in `FLOORS` in `bench/truth.py`.",
        "",
        "Reference entries: total absolute error "
        f"{o['reference_abs_error']} entries ({o['reference_abs_error_without_url']} for entries without URL);"
        " an article with no reference list counts as expecting 0.",
        "",
        "## Per article",
        "",
        "| article | fmt | title | headings tp/exp/got | F1 | URLs tp/exp/got | recall | precision "
        "| ref entries exp/got (no URL) | words ±10% | kinds |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for a in arts:
        h, c, r, w, kk = a["headings"], a["citations"], a["references"], a["words"], a["kinds"]
        hp, hr = ratio(h["tp"], h["got"]), ratio(h["tp"], h["expected"])
        hf = f1(hp, hr) if h["expected"] or h["got"] else None
        title = ("ok" if a["title"]["ok"] else "**no**") if a["title"]["counted"] else "–"
        ref_exp = "none" if r["expected"] is None else f"{r['expected']} ({r['expected_without_url']})"
        ref = f"{ref_exp} / {r['got']} ({r['got_without_url']})" + ("" if r["within"] else " ✗")
        out.append(
            f"| {a['name']} | {a['format']} | {title} | {h['tp']}/{h['expected']}/{h['got']} | {fmt(hf, 2)} "
            f"| {c['tp']}/{c['expected']}/{c['got']} | {fmt(ratio(c['tp'], c['expected']), 2)} "
            f"| {fmt(ratio(c['tp'], c['got']), 2)} | {ref} | {w['within']}/{w['matched']} | {kk['ok']}/{kk['total']} |"
        )

    out += ["", "## Kinds: citation_kinds.csv", "", "Rows: expected kind; columns: `describe(url).kind`.", ""]
    kinds_order = list(
        dict.fromkeys([*sorted(k["confusion"]), *sorted({x for v in k["confusion"].values() for x in v})])
    )
    out.append("| expected \\ got | " + " | ".join(kinds_order) + " | recall |")
    out.append("|---" * (len(kinds_order) + 2) + "|")
    for want in sorted(k["confusion"]):
        cnt = k["confusion"][want]
        cells = [str(cnt.get(x, 0)) if cnt.get(x, 0) else "·" for x in kinds_order]
        out.append(f"| {want} | " + " | ".join(cells) + f" | {fmt(ratio(cnt.get(want, 0), sum(cnt.values())), 2)} |")
    out += ["", f"### Misses ({len(k['misses'])})", "", "| expected | got | url |", "|---|---|---|"]
    out += [f"| {want} | {got} | {url} |" for want, got, url in k["misses"]]

    out += ["", "## Misses per article", ""]
    for a in arts:
        h, c, r, w, kk = a["headings"], a["citations"], a["references"], a["words"], a["kinds"]
        out += [f"### {a['name']} ({a['format']})", ""]
        if a["error"]:
            out.append(f"- **parse failed**: {a['error']}")
        if a["title"]["counted"] and not a["title"]["ok"]:
            out.append(f"- title: got `{a['title']['got']}`, expected `{a['title']['expected']}`")
        if h["missed"]:
            out.append(f"- missed headings ({len(h['missed'])}): {capped(h['missed'])}")
        if h["spurious"]:
            out.append(f"- spurious headings ({len(h['spurious'])}): {capped(h['spurious'])}")
        if c["missed"]:
            out.append(f"- missed URLs ({len(c['missed'])}): {capped(c['missed'])}")
        if c["spurious"]:
            out.append(f"- spurious URLs ({len(c['spurious'])}): {capped(c['spurious'])}")
        if c["derived_unmatched"]:
            out.append(f"- derived URLs not in the expectations (not counted): {c['derived_unmatched']}")
        if c["non_web"]:
            out.append(f"- non-http(s) citation URLs (ignored): {c['non_web']}")
        if not r["within"] or r["error_without_url"]:
            exp = "no list" if r["expected"] is None else f"{r['expected']} ({r['expected_without_url']} without URL)"
            out.append(f"- reference entries: got {r['got']} ({r['got_without_url']} without URL), expected {exp}")
        if w["misses"]:
            out.append(f"- section words off by more than 10% (got vs expected): {capped(w['misses'])}")
        if kk["misses"]:
            out.append(f"- kinds ({len(kk['misses'])}): {capped(kk['misses'])}")
        if out[-1].startswith("###"):
            out.append("- no misses")
        out.append("")
    return "\n".join(out)


def summary(result: dict) -> str:
    g, k = result["groups"], result["kinds"]
    lines = [f"{'':8} {'title':>6} {'head P':>7} {'head R':>7} {'head F1':>7} {'cite R':>7} {'cite P':>7} {'refs':>6}"]
    for grp in GROUPS:
        a = g[grp]
        lines.append(
            f"{grp:8} {fmt(a['title_exact'], 2):>6} {fmt(a['heading_precision']):>7} {fmt(a['heading_recall']):>7} "
            f"{fmt(a['heading_f1']):>7} {fmt(a['citation_recall']):>7} {fmt(a['citation_precision']):>7} "
            f"{fmt(a['reference_within_10pct'], 2):>6}"
        )
    lines.append(
        f"kinds: accuracy {fmt(k['accuracy'])} ({k['ok']}/{k['rows']}), scholarly recall {fmt(k['scholarly_recall'])}"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.truth", description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS, help="corpus directory (default tests/corpus)")
    ap.add_argument("--out", type=Path, default=OUT, help="report to write (default bench/TRUTH.md)")
    ap.add_argument("--check", action="store_true", help="write nothing; exit 1 if a figure is below its floor")
    ap.add_argument("--floors", action="store_true", help="also print floors suggested from this run")
    args = ap.parse_args(argv)

    bad = corpus_mismatches(args.corpus)
    if bad:
        print(f"warning: corpus files differ from manifest.json: {', '.join(bad)}", file=sys.stderr)
    result = score(args.corpus)
    print(summary(result))
    if args.floors:
        print(json.dumps(suggested_floors(result), indent=4))
    if not args.check:
        text = render(result) + "\n"
        text = re.sub(r"[ \t]+\n", "\n", text)
        args.out.write_text(text, encoding="utf-8")
        print(f"wrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    failed = below_floors(result)
    for line in failed:
        print(f"below floor: {line}", file=sys.stderr)
    return 1 if failed and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
