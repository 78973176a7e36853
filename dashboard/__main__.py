"""Command line: ``python -m dashboard parse INPUT [--out DIR]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .model import ParseError
from .store import PARSED_DIR, parse_and_write


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description="Article Lens command line.")
    sub = parser.add_subparsers(dest="command", required=True)
    p_parse = sub.add_parser("parse", help="parse an article and write its JSON and CSV tables")
    p_parse.add_argument("input", type=Path, help="a plain-text article (.txt)")
    p_parse.add_argument("--out", type=Path, default=PARSED_DIR, help=f"output folder (default: {PARSED_DIR})")
    args = parser.parse_args(argv)

    if args.command == "parse":
        if not args.input.is_file():
            print(f"error: {args.input} is not a file", file=sys.stderr)
            return 2
        try:
            written = parse_and_write(args.input, args.out)
        except ParseError as e:
            print(f"error: {args.input}: {e}", file=sys.stderr)
            return 1
        except OSError as e:
            print(f"error: cannot write to {args.out}: {e.strerror or e}", file=sys.stderr)
            return 1
        print(written.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
