"""Command line: ``python -m dashboard parse INPUT [--out DIR]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .model import ParseError
from .store import ARTICLE_SUFFIXES, PARSED_DIR, parse_and_write


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description="Article Lens command line.")
    sub = parser.add_subparsers(dest="command", required=True)
    p_parse = sub.add_parser("parse", help="parse an article and write its JSON and CSV tables")
    p_parse.add_argument("input", type=Path, help="an article (.txt, .md, .html) or a folder of them")
    p_parse.add_argument("--out", type=Path, default=PARSED_DIR, help=f"output folder (default: {PARSED_DIR})")
    args = parser.parse_args(argv)

    if args.command == "parse":
        if args.input.is_dir():
            sources = [p for p in sorted(args.input.iterdir()) if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES]
            if not sources:
                print(f"error: {args.input} holds no article files ({', '.join(ARTICLE_SUFFIXES)})", file=sys.stderr)
                return 2
        elif args.input.is_file():
            sources = [args.input]
        else:
            print(f"error: {args.input} is not a file or folder", file=sys.stderr)
            return 2
        failed = 0
        for source in sources:
            try:
                written = parse_and_write(source, args.out)
            except ParseError as e:
                print(f"error: {source}: {e}", file=sys.stderr)
                failed += 1
                continue
            except OSError as e:
                print(f"error: cannot write to {args.out}: {e.strerror or e}", file=sys.stderr)
                return 1
            print(written.json)
        return 1 if failed else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
