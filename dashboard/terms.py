"""Key terms: lemmatized content words, bigrams, and the terms that mark each section."""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache

import pandas as pd
import simplemma
from stop_words import get_stop_words

from .inputs import parse_word_list as parse_word_list  # where the word-list syntax is declared
from .model import Article
from .words import WORD_RE

# Keyed by section id: one list per sentence, one entry per word (a lemma, or None for a
# stopword, number or URL, so that bigrams never bridge a dropped word).
SectionTokens = dict[str, list[list[str | None]]]

_HAS_DIGIT = re.compile(r"\d")
_URL = re.compile(r"(?i)\b(?:[a-z][a-z0-9+.\-]*://|www\.)\S+")
_CLAUSE_BREAK = re.compile(r"[,;:()\[\]{}—–\"“”]|\s-\s|\.\s")
_WORD_CHARS = re.compile(r"[^\W\d_]")


@lru_cache(maxsize=1)
def base_stopwords() -> frozenset[str]:
    """The packaged English list (stop-words, BSD-3-Clause), lower-cased."""
    return frozenset(w.lower() for w in get_stop_words("en"))


def stopword_set(add: Iterable[str] = (), keep: Iterable[str] = ()) -> frozenset[str]:
    """The packaged list plus the user's own stopwords, minus the words they keep."""
    return (base_stopwords() | {w.lower() for w in add}) - {w.lower() for w in keep}


@lru_cache(maxsize=65536)
def lemma(word: str) -> str:
    return simplemma.lemmatize(word, lang="en").lower()


def _normalise(word: str) -> str:
    return word.lower().replace("’", "'")


def sentence_terms(sentence: str, stopwords: frozenset[str]) -> list[str | None]:
    out: list[str | None] = []
    sentence = _URL.sub(" , ", sentence)  # a URL is no term, and no bigram spans it
    for clause in _CLAUSE_BREAK.split(sentence):
        out.extend(_clause_terms(clause, stopwords))
        out.append(None)  # a bigram never spans punctuation
    return out[:-1]


def _clause_terms(clause: str, stopwords: frozenset[str]) -> list[str | None]:
    out: list[str | None] = []
    for raw in WORD_RE.findall(clause):
        word = _normalise(raw)
        if "://" in word or word.startswith("www.") or _HAS_DIGIT.search(word) or not _WORD_CHARS.search(word):
            out.append(None)
            continue
        if word.endswith("'s"):
            word = word[:-2]
        lem = lemma(word)
        out.append(None if len(lem) < 2 or word in stopwords or lem in stopwords else lem)
    return out


def section_tokens(article: Article, stopwords: frozenset[str]) -> SectionTokens:
    return {s.id: [sentence_terms(sent, stopwords) for sent in s.sentences] for s in article.sections}


def _chosen(tokens: SectionTokens, section_ids: Sequence[str]) -> Iterable[list[str | None]]:
    for sid in section_ids:
        yield from tokens.get(sid, [])


def term_counts(tokens: SectionTokens, section_ids: Sequence[str]) -> pd.DataFrame:
    """Columns term, count; most frequent first, ties alphabetical."""
    counts = Counter(t for sent in _chosen(tokens, section_ids) for t in sent if t)
    return _ranked(counts, "term")


def bigram_counts(tokens: SectionTokens, section_ids: Sequence[str]) -> pd.DataFrame:
    """Adjacent content-word pairs within a sentence; columns bigram, count."""
    counts: Counter[str] = Counter()
    for sent in _chosen(tokens, section_ids):
        for a, b in itertools.pairwise(sent):
            if a and b:
                counts[f"{a} {b}"] += 1
    return _ranked(counts, "bigram")


def _ranked(counts: Counter[str], name: str) -> pd.DataFrame:
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return pd.DataFrame(rows, columns=[name, "count"])


def log_likelihood(a: int, b: int, c: int, d: int) -> float:
    """Dunning's G2 for a term seen a times in c tokens here and b times in d tokens elsewhere."""
    total = a + b
    if not total or not c or not d:
        return 0.0
    e1, e2 = c * total / (c + d), d * total / (c + d)
    g2 = (a * math.log(a / e1) if a else 0.0) + (b * math.log(b / e2) if b else 0.0)
    return 2 * g2


def distinctive_terms(tokens: SectionTokens, section_ids: Sequence[str], per_section: int = 8) -> pd.DataFrame:
    """Terms over-used in each chosen section compared with the rest of the article (G2).

    G2 >= 3.84 is significant at p < 0.05 for one degree of freedom.
    """
    counts = {sid: Counter(t for sent in sents for t in sent if t) for sid, sents in tokens.items()}
    total = Counter[str]()
    for c in counts.values():
        total.update(c)
    n_total = sum(total.values())
    rows = []
    for sid in section_ids:
        here = counts.get(sid, Counter())
        n_here = sum(here.values())
        n_rest = n_total - n_here
        scored = []
        for term, a in here.items():
            b = total[term] - a
            if n_rest and a / n_here > b / n_rest:
                scored.append((log_likelihood(a, b, n_here, n_rest), term, a, b))
        scored.sort(key=lambda x: (-x[0], x[1]))
        for g2, term, a, b in scored[:per_section]:
            rows.append({"section": sid, "term": term, "count": a, "elsewhere": b, "g2": round(g2, 2)})
    return pd.DataFrame(rows, columns=["section", "term", "count", "elsewhere", "g2"])


def term_section_matrix(tokens: SectionTokens, section_ids: Sequence[str], terms: Sequence[str]) -> pd.DataFrame:
    """Counts of each term (rows) in each section (columns), in the given orders."""
    data = {}
    for sid in section_ids:
        c = Counter(t for sent in tokens.get(sid, []) for t in sent if t)
        data[sid] = [c[t] for t in terms]
    return pd.DataFrame(data, index=list(terms), columns=list(section_ids), dtype="int64")
