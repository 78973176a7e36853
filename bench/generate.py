"""Seeded generator of large plain-text articles for the benchmarks.

Realistic shape: a title, sections under short headings, paragraphs of 3-6 sentences of 8-30
words drawn from the bundled article's vocabulary, a few inline URLs, and a reference list.
Run: python bench/generate.py SIZE_BYTES [--seed N] > article.txt
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

SEED_ARTICLE = Path(__file__).resolve().parent.parent / "data" / "raw" / "ketamine-for-depression.txt"
HOSTS = [
    "doi.org/10.1000/{n}",
    "pubmed.ncbi.nlm.nih.gov/{n}/",
    "www.cdc.gov/page/{n}",
    "cloudlinks.blob.core.windows.net/x/{n}.html",
    "blog{n}.blogspot.com/post",
]


def vocabulary(rng: random.Random, extra: int = 6000) -> tuple[list[str], list[float]]:
    """The bundled article's words plus made-up ones, weighted by Zipf's law as in real text."""
    words = sorted({w.lower() for w in re.findall(r"[A-Za-z']+", SEED_ARTICLE.read_text()) if len(w) > 1})
    syllables = ["ka", "ro", "mi", "te", "lan", "vor", "psy", "neu", "ther", "gen", "dia", "cor", "sta", "lu"]
    while len(words) < extra:
        words.append("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))))
    return words, [1 / (rank + 1) for rank in range(len(words))]


def sentence(rng: random.Random, vocab: tuple[list[str], list[float]]) -> str:
    words = rng.choices(vocab[0], weights=vocab[1], k=rng.randint(8, 30))
    if rng.random() < 0.03:
        words.insert(rng.randrange(len(words)), f"https://{rng.choice(HOSTS).format(n=rng.randint(1, 10**6))}")
    return " ".join(words).capitalize() + rng.choice([".", ".", ".", "?", "!"])


def article(size: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    vocab = vocabulary(rng)
    out = ["Generated Benchmark Article", ""]
    total = 0
    section = 0
    while total < size:
        section += 1
        heading = " ".join(rng.choices(vocab[0], weights=vocab[1], k=rng.randint(2, 6))).title()
        out.append(f"Part {section} {heading}")
        for _ in range(rng.randint(2, 8)):
            para = " ".join(sentence(rng, vocab) for _ in range(rng.randint(3, 6)))
            out.append(para)
            total += len(para) + 1
    out.append("References:")
    for n in range(max(5, size // 20000)):
        out.append(f"https://{rng.choice(HOSTS).format(n=n)}")
    return "\n".join(out) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("size", type=int)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    sys.stdout.write(article(args.size, args.seed))


if __name__ == "__main__":
    main()
