"""Command line: ``python -m dashboard parse|audit|serve``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .model import ParseError
from .parse import parse_file
from .store import ARTICLE_SUFFIXES, PARSED_DIR, display_path, parse_and_write


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description="Article Lens command line.")
    sub = parser.add_subparsers(dest="command", required=True)
    p_parse = sub.add_parser("parse", help="parse an article and write its JSON and CSV tables")
    p_parse.add_argument("input", type=Path, help="an article (.txt, .md, .html) or a folder of them")
    p_parse.add_argument("--out", type=Path, default=PARSED_DIR, help=f"output folder (default: {PARSED_DIR})")
    p_audit = sub.add_parser("audit", help="audit an article's citations and content")
    p_audit.add_argument("input", type=Path, help="an article (.txt, .md, .html)")
    p_audit.add_argument("--format", choices=("text", "json"), default="text", help="report format (default: text)")
    p_serve = sub.add_parser("serve", help="serve the dashboard (what to deploy: long shared links get a note)")
    p_serve.add_argument("--address", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p_serve.add_argument("--port", type=int, default=8501, help="port (default: 8501)")
    args = parser.parse_args(argv)

    if args.command == "serve":
        from .serve import serve

        return serve(args.address, args.port)
    if args.command == "audit":
        return run_audit(args.input, args.format)

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


def run_audit(path: Path, fmt: str) -> int:
    from .audit import audit, text_report

    if not path.is_file():
        print(f"error: {path} is not a file", file=sys.stderr)
        return 2
    try:
        article = parse_file(path, display_path(path))
    except ParseError as e:
        print(f"error: {path}: {e}", file=sys.stderr)
        return 1
    report = audit(article)
    if fmt == "json":
        print(
            json.dumps(
                {"article": {"title": article.title, "source": article.source.path}, **report.to_dict()},
                ensure_ascii=False,
                indent=1,
            )
        )
    else:
        print(text_report(article, report), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
