"""Does a cited page say what the sentence citing it claims? A signal for a human, never a verdict.

The claim's *features* are sought in the page: its numbers (``1,000`` = ``1000``; ``50%`` =
``50 percent`` = ``50 per cent``), durations (``two weeks`` = ``2 weeks`` = ``14 days``; ``24
hours`` = ``a day``), named entities (runs of capitalised words, acronyms) and key terms
(lemmatised content words, the project's stopwords out). The page is cut into sentences once
(:class:`PageIndex`); each window of one to three consecutive sentences is scored by the weight
of the claim's features it holds, numbers and names weighing twice a word, and the best window is the *passage* a
reviewer reads. The label says how much of the claim that passage holds; see docs/checking.md.
"""

from __future__ import annotations

import heapq
import math
import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from ..terms import base_stopwords, lemma
from ..words import WORD_RE

LABELS = ("strong", "some", "none", "unknown")

# Weights of a claim's features: a number or duration singles out a finding, a name a source or
# a body; a word alone says less.
NUMBER_WEIGHT = 2.0
ENTITY_WEIGHT = 2.0
TERM_WEIGHT = 1.0
# Labels, on the share of the claim's feature weight the passage holds (0..1).
STRONG_AT = 0.6  # and every number and duration of the claim is in the passage
SOME_AT = 0.3
STRONG_MIN_MATCHED = 3  # features in the passage, so that a three-word claim is never "strong" on one word
SOME_MIN_MATCHED = 2
WINDOW_SENTENCES = 3  # a passage is one to this many consecutive sentences
SEEDS = 64  # windows are formed around the best-scoring single sentences only
MAX_SENTENCE_CHARS = 600  # longer runs without a sentence end are cut at a space
# Word variants: "depressive" ~ "depression", "reduction" ~ "reduced" (same first 5 letters and a
# shared prefix of 70% of the shorter word): simplemma lemmatises inflections, not derivations.
VARIANT_PREFIX = 5
VARIANT_SHARE = 0.7
# Words that report rather than say what a claim is about ("studies have shown that ...").
REPORTING_WORDS = frozenset(
    "study studies research researcher show shown find found suggest suggests evidence report reported "
    "according demonstrate demonstrated indicate indicated".split()
)
_CONNECTORS = frozenset("of and for the de du la le van von der del da y &".split())

_NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen".split()
    )
}
_TENS = {w: 10 * i for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if i >= 2}
_WORD_NUMBER = (
    rf"(?:(?:{'|'.join(_TENS)})(?:[\s-](?:{'|'.join(list(_NUMBER_WORDS)[1:10])}))?"
    rf"|{'|'.join(sorted(_NUMBER_WORDS, key=len, reverse=True))}|an?)"
)
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
_UNIT_DAYS = {"second": 1 / 86400, "minute": 1 / 1440, "hour": 1 / 24, "day": 1.0, "week": 7.0}
_UNIT_MONTHS = {"month": 1.0, "year": 12.0}
_UNIT_NAMES = {
    "sec": "second",
    "secs": "second",
    "min": "minute",
    "mins": "minute",
    "hr": "hour",
    "hrs": "hour",
    "wk": "week",
    "wks": "week",
    "yr": "year",
    "yrs": "year",
}
_QUANTITY = re.compile(
    rf"(?<![\w.,])(?P<a>{_DIGITS}|{_WORD_NUMBER})(?![\w])"
    rf"(?:\s*(?:-|–|—|to)\s*(?P<b>{_DIGITS}|{_WORD_NUMBER})(?![\w]))?"
    r"(?:\s*(?P<pct>%|percent\b|per\s+cent\b)"
    r"|[\s-]*(?P<unit>(?:second|sec|minute|min|hour|hr|day|week|wk|month|year|yr)s?)\b)?",
    re.IGNORECASE,
)
_URL = re.compile(r"(?i)\b(?:[a-z][a-z0-9+.\-]*://|www\.)\S+")
_NOTE_CALL = re.compile(r"\[\^?\w{1,8}\]")  # "[12]", "[^1]", "[a]": calls, not content
_SENTENCE_END = re.compile(r"[.!?][\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])")

Key = tuple[str, float | str]


@dataclass(frozen=True)
class Support:
    label: str  # strong | some | none | unknown
    score: float  # share of the claim's feature weight found in the passage, 0..1
    passage: str  # the page's best-matching one to three sentences ("" when nothing matched)
    matched: tuple[str, ...]  # the claim's features found in the passage, as the claim writes them
    missing: tuple[str, ...]  # the claim's features not in the passage


@dataclass(frozen=True)
class Feature:
    kind: str  # number | duration | entity | term
    label: str  # as the claim writes it
    keys: tuple[Key, ...]  # any of these in a sentence matches (a range "2-3 days" has two)
    weight: float


class PageIndex:
    """A page's text cut into sentences and indexed once, so that many claims are judged cheaply.

    Work counters (for tests, never timings): ``sentences`` is what was indexed, ``postings_visited``
    and ``windows_examined`` grow with each :func:`judge` call.
    """

    def __init__(self, page_text: str | None) -> None:
        self.sentences: tuple[str, ...] = tuple(page_sentences(page_text or ""))
        self.postings_visited = 0
        self.windows_examined = 0
        self._postings: dict[Key, list[int]] = {}
        cased: list[str] = []
        folded: list[str] = []
        for sid, sentence in enumerate(self.sentences):
            for key in _sentence_keys(sentence):
                ids = self._postings.setdefault(key, [])
                if not ids or ids[-1] != sid:
                    ids.append(sid)
            cased.append(sentence)
            folded.append(_fold_words(sentence))
        self._cased, self._cased_starts = _joined(cased)
        self._folded, self._folded_starts = _joined(folded)
        self._by_prefix: dict[str, list[str]] = {}
        for key in self._postings:
            if key[0] == "t" and isinstance(key[1], str) and len(key[1]) >= VARIANT_PREFIX:
                self._by_prefix.setdefault(key[1][:VARIANT_PREFIX], []).append(key[1])
        self._entities: dict[tuple[str, bool], list[int]] = {}

    @property
    def empty(self) -> bool:
        return not self.sentences

    def sentences_with(self, feature: Feature) -> Iterator[int]:
        """Ids of the sentences holding the feature (a sentence may come more than once)."""
        for key in feature.keys:
            if key[0] == "e":
                yield from self._phrase(str(key[1]), cased=False)
            elif key[0] == "a":
                yield from self._phrase(str(key[1]), cased=True)
            elif key[0] == "t":
                for term in self._variants(str(key[1])):
                    yield from self._postings[("t", term)]
            else:
                yield from self._postings.get(key, ())

    def _variants(self, term: str) -> list[str]:
        found = [term] if ("t", term) in self._postings else []
        if len(term) >= VARIANT_PREFIX:
            for other in self._by_prefix.get(term[:VARIANT_PREFIX], ()):
                if other != term and _shared_prefix(term, other) >= max(
                    VARIANT_PREFIX, math.ceil(VARIANT_SHARE * min(len(term), len(other)))
                ):
                    found.append(other)
        return found

    def _phrase(self, phrase: str, *, cased: bool) -> list[int]:
        """Sentences where ``phrase`` stands as whole words (folded words, or the text as written)."""
        cached = self._entities.get((phrase, cased))
        if cached is not None:
            return cached
        text, starts = (self._cased, self._cased_starts) if cased else (self._folded, self._folded_starts)
        out: list[int] = []
        at = text.find(phrase)
        while at >= 0:
            end = at + len(phrase)
            if (at == 0 or not text[at - 1].isalnum()) and (end == len(text) or not text[end].isalnum()):
                sid = bisect_right(starts, at) - 1
                if not out or out[-1] != sid:
                    out.append(sid)
            at = text.find(phrase, at + 1)
        self._entities[(phrase, cased)] = out
        return out


def judge(claim: str, page_text: str | PageIndex | None) -> Support:
    """How much of ``claim`` the page holds, in its best passage; ``unknown`` when there is no page text."""
    index = page_text if isinstance(page_text, PageIndex) else PageIndex(page_text)
    features = claim_features(claim)
    if index.empty or not features:  # no page to read, or nothing in the claim to look for
        return Support("unknown", 0.0, "", (), ())
    hits: dict[int, int] = {}  # sentence id -> bitmask of the features it holds
    for bit, feature in enumerate(features):
        for sid in index.sentences_with(feature):
            index.postings_visited += 1
            hits[sid] = hits.get(sid, 0) | (1 << bit)
    # A number counts where a word or name of the claim stands beside it: "1200" alone in a
    # sentence about beds is not the claim's "1,200 adults", even in a window next to it.
    numeric = sum(1 << bit for bit, f in enumerate(features) if f.kind in ("number", "duration"))
    for sid, mask in list(hits.items()):
        if not mask & ~numeric:
            del hits[sid]
    labels = tuple(f.label for f in features)
    if not hits:
        return Support("none", 0.0, "", (), labels)

    weights: dict[int, float] = {}

    def weight(mask: int) -> float:
        w = weights.get(mask)
        if w is None:
            w = weights[mask] = sum(f.weight for bit, f in enumerate(features) if mask >> bit & 1)
        return w

    n = len(index.sentences)
    seeds = heapq.nlargest(SEEDS, hits, key=lambda sid: (weight(hits[sid]), -sid))
    windows = {
        (start, size)
        for sid in seeds
        for size in range(1, WINDOW_SENTENCES + 1)
        for start in range(max(0, sid - size + 1), min(sid, n - size) + 1)
    }
    best = (-1.0, 0, 0, 0)  # (weight, -size, -start, mask)
    for start, size in windows:
        index.windows_examined += 1
        mask = 0
        for sid in range(start, start + size):
            mask |= hits.get(sid, 0)
        candidate = (weight(mask), -size, -start, mask)
        if candidate > best:
            best = candidate
    _, neg_size, neg_start, mask = best
    start, size = -neg_start, -neg_size
    total = sum(f.weight for f in features)
    score = weight(mask) / total
    found = [f for bit, f in enumerate(features) if mask >> bit & 1]
    all_numbers = all(mask >> bit & 1 for bit, f in enumerate(features) if f.kind in ("number", "duration"))
    if score >= STRONG_AT and all_numbers and len(found) >= STRONG_MIN_MATCHED:
        label = "strong"
    elif score >= SOME_AT and len(found) >= SOME_MIN_MATCHED:
        label = "some"
    else:
        label = "none"
    return Support(
        label,
        round(score, 3),
        " ".join(index.sentences[start : start + size]),
        tuple(f.label for f in found),
        tuple(f.label for bit, f in enumerate(features) if not mask >> bit & 1),
    )


# ---------------------------------------------------------------- the claim's features
def claim_features(claim: str) -> tuple[Feature, ...]:
    """Numbers and durations, then named entities, then key terms, each once, in the claim's order."""
    text = _NOTE_CALL.sub(" ", _URL.sub(" ", claim))
    entities, taken = _entities(text)
    numbers: list[Feature] = []
    spans = list(taken)
    for m, keys in _quantities(text):
        if _within(m.start(), taken):
            continue  # the "19" of "COVID-19" is part of a name
        kind = "duration" if keys[0][0] in ("d", "m") else "number"
        numbers.append(Feature(kind, " ".join(m.group(0).split()), keys, NUMBER_WEIGHT))
        spans.append(m.span())
    terms: list[Feature] = []
    for m in WORD_RE.finditer(text):
        if _within(m.start(), spans):  # a name's words, a duration's unit: no terms of their own
            continue
        term = _term(m.group(0))
        if term and term not in REPORTING_WORDS:
            terms.append(Feature("term", term, (("t", term),), TERM_WEIGHT))
    out: dict[tuple[Key, ...], Feature] = {}
    for f in (*numbers, *entities, *terms):
        out.setdefault(f.keys, f)
    return tuple(out.values())


def _entities(text: str) -> tuple[list[Feature], list[tuple[int, int]]]:
    """Named entities: runs of two or more capitalised words (joined by 'of', 'and', 'for', 'the'...)
    and acronyms (two or more capitals: 'FDA', 'NMDA', 'COVID-19'). A run's first word is dropped
    when it opens the sentence and is a stopword ('The', 'In', 'Most'). A run also matches the
    acronym of its capitalised words ('Food and Drug Administration' ~ 'FDA')."""
    tokens = list(WORD_RE.finditer(text))
    out: list[Feature] = []
    taken: list[tuple[int, int]] = []
    k = 0
    while k < len(tokens):
        if not _capitalised(tokens[k].group(0)):
            k += 1
            continue
        run = [tokens[k]]
        j = k + 1
        while j < len(tokens) and not text[run[-1].end() : tokens[j].start()].strip():
            word = tokens[j].group(0)
            if not (_capitalised(word) or word.lower() in _CONNECTORS):
                break
            run.append(tokens[j])
            j += 1
        while run and run[-1].group(0).lower() in _CONNECTORS:
            run.pop()
        if k == 0 and run and run[0].group(0).lower() in base_stopwords():
            run.pop(0)
            while run and run[0].group(0).lower() in _CONNECTORS:
                run.pop(0)
        k = max(j, k + 1)
        capitals = [t.group(0) for t in run if _capitalised(t.group(0))]
        if len(capitals) >= 2:
            phrase = text[run[0].start() : run[-1].end()]
            keys: list[Key] = [("e", _fold_words(phrase))]
            plain = [w for w in capitals if not _acronym(w)]
            if len(plain) >= 2:
                keys.append(("a", "".join(w[0] for w in plain).upper()))
            out.append(Feature("entity", " ".join(phrase.split()), tuple(keys), ENTITY_WEIGHT))
        elif len(run) == 1 and _acronym(run[0].group(0)):
            out.append(Feature("entity", run[0].group(0), (("a", run[0].group(0)),), ENTITY_WEIGHT))
        else:
            continue
        taken.append((run[0].start(), run[-1].end()))
    return out, taken


def _within(at: int, spans: list[tuple[int, int]]) -> bool:
    return any(a <= at < b for a, b in spans)


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


def _acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


# ---------------------------------------------------------------- numbers and durations
def _quantities(text: str) -> Iterator[tuple[re.Match[str], tuple[Key, ...]]]:
    """Each number, percentage or duration in ``text`` with its normalised keys."""
    for m in _QUANTITY.finditer(text):
        values = [v for v in (_value(m.group("a")), _value(m.group("b"))) if v is not None]
        worded = not re.match(r"[\d.]", m.group("a"))
        unit = (m.group("unit") or "").lower().rstrip("s")
        unit = _UNIT_NAMES.get(unit, unit)
        if m.group("pct"):
            keys: list[Key] = [("p", v) for v in values]
        elif unit in _UNIT_DAYS:
            keys = [("d", round(v * _UNIT_DAYS[unit], 6)) for v in values]
        elif unit in _UNIT_MONTHS:
            keys = [("m", round(v * _UNIT_MONTHS[unit], 6)) for v in values]
        elif worded:  # "one study", "a trial": number words count only with a unit or "percent"
            continue
        else:
            keys = [("n", v) for v in values]
        if keys:
            yield m, tuple(dict.fromkeys(keys))


def _value(written: str | None) -> float | None:
    if not written:
        return None
    word = " ".join(written.lower().replace("-", " ").split())
    if word[:1].isdigit() or word[:1] == ".":
        return float(word.replace(",", ""))
    if word in ("a", "an"):
        return 1.0
    parts = word.split()
    total = _TENS.get(parts[0], _NUMBER_WORDS.get(parts[0], 0))
    return float(total + (_NUMBER_WORDS.get(parts[1], 0) if len(parts) > 1 else 0))


# ---------------------------------------------------------------- the page
def page_sentences(text: str) -> Iterator[str]:
    """The page's sentences, spacing collapsed. A line break ends a sentence unless the next line
    starts in lower case (a PDF's wrapped line); runs longer than MAX_SENTENCE_CHARS are cut."""
    chunk: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if chunk and (not line or not line[:1].islower()):
            yield from _split_chunk(" ".join(chunk))
            chunk = []
        if line:
            chunk.append(line)
    if chunk:
        yield from _split_chunk(" ".join(chunk))


def _split_chunk(chunk: str) -> Iterator[str]:
    start = 0
    for m in _SENTENCE_END.finditer(chunk):
        yield from _cut(chunk[start : m.end()])
        start = m.end()
    yield from _cut(chunk[start:])


def _cut(sentence: str) -> Iterator[str]:
    sentence = " ".join(sentence.split())
    while len(sentence) > MAX_SENTENCE_CHARS:
        at = sentence.rfind(" ", MAX_SENTENCE_CHARS // 2, MAX_SENTENCE_CHARS)
        at = at if at > 0 else MAX_SENTENCE_CHARS
        yield sentence[:at]
        sentence = sentence[at:].lstrip()
    if sentence:
        yield sentence


def _sentence_keys(sentence: str) -> Iterable[Key]:
    for _, keys in _quantities(sentence):
        yield from keys
    for word in WORD_RE.findall(sentence):
        term = _term(word)
        if term:
            yield ("t", term)


@lru_cache(maxsize=65536)
def _term(word: str) -> str | None:
    """A content word's lemma, as the key terms count it (terms.py), else None."""
    word = word.lower().replace("’", "'")
    if "://" in word or word.startswith("www.") or any(c.isdigit() for c in word) or not any(c.isalpha() for c in word):
        return None
    if word.endswith("'s"):
        word = word[:-2]
    stopwords = base_stopwords()
    lem = lemma(word)
    return None if len(lem) < 2 or word in stopwords or lem in stopwords else lem


def _fold_words(text: str) -> str:
    return " ".join(WORD_RE.findall(text.replace("’", "'").lower()))


def _joined(parts: list[str]) -> tuple[str, list[int]]:
    starts, at = [], 0
    for part in parts:
        starts.append(at)
        at += len(part) + 1
    return "\n".join(parts), starts


def _shared_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n
