"""Command line: ``python -m dashboard parse|audit|check|serve|cluster``.

Every failure the user can act on prints one line (``error: ...``) to stderr and exits non-zero:
2 for a path that is not there, 1 for an article that cannot be parsed or a folder that cannot
be written. Defaults come from the settings (:mod:`dashboard.settings`).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from . import settings
from .errors import UserError
from .parse import parse_file
from .store import ARTICLE_SUFFIXES, display_path, parse_and_write

T = TypeVar("T")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description="Article Lens command line.")
    sub = parser.add_subparsers(dest="command", required=True)
    p_parse = sub.add_parser("parse", help="parse an article and write its JSON and CSV tables")
    p_parse.add_argument("input", type=Path, help="an article (.txt, .md, .html) or a folder of them")
    p_parse.add_argument(
        "--out",
        type=Path,
        default=None,
        help=f"output folder (default: ${settings.PARSED_DIR} if set, else {_default_parsed_dir()})",
    )
    p_audit = sub.add_parser("audit", help="audit an article's citations and content")
    p_audit.add_argument("input", type=Path, help="an article (.txt, .md, .html)")
    p_audit.add_argument("--format", choices=("text", "json"), default="text", help="report format (default: text)")
    p_check = sub.add_parser(
        "check",
        help="fetch every page an article cites: is it there, what is it, does it back the sentence citing it",
        description="Check the pages an article cites (network access: only the cited pages, with the URL "
        "loader's safety rules). INPUT is an article file, or the id of an article in the library, whose "
        "latest check is then kept there for the app to show.",
    )
    p_check.add_argument("input", help="an article (.txt, .md, .html), or a library article's id or slug")
    p_check.add_argument("--format", choices=("text", "json"), default="text", help="report format (default: text)")
    p_check.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    p_serve = sub.add_parser("serve", help="serve the dashboard (what to deploy: long shared links get a note)")
    p_serve.add_argument("--address", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p_serve.add_argument("--port", type=int, default=8501, help="port (default: 8501)")
    p_cluster = sub.add_parser(
        "cluster",
        help="serve several replicas behind nginx with sticky sessions (needs nginx, and PostgreSQL for 2+)",
        description="Start REPLICAS `serve` processes on free 127.0.0.1 ports and one nginx in front of them "
        "(sticky sessions by a cookie, websockets proxied); Ctrl-C stops them all. See docs/deploy.md.",
    )
    p_cluster.add_argument(
        "--replicas",
        type=int,
        default=_cpu_count(),
        help=f"app processes to start here (default: the CPU count, {_cpu_count()})",
    )
    p_cluster.add_argument("--address", default="127.0.0.1", help="address nginx listens on (default: 127.0.0.1)")
    p_cluster.add_argument("--port", type=int, default=8501, help="port nginx listens on (default: 8501)")
    p_cluster.add_argument(
        "--upstream",
        action="append",
        default=[],
        metavar="HOST:PORT",
        help="a replica run elsewhere (`python -m dashboard serve` on another machine); repeatable",
    )
    args = parser.parse_args(argv)
    commands: dict[str, Callable[[argparse.Namespace], int]] = {
        "parse": lambda a: run_parse(a.input, a.out or settings.parsed_dir()),
        "audit": lambda a: run_audit(a.input, a.format),
        "check": lambda a: run_check(a.input, a.format, a.quiet),
        "serve": run_serve,
        "cluster": run_cluster,
    }
    return commands[args.command](args)


def _default_parsed_dir() -> str:
    return settings.setting(settings.PARSED_DIR).shown_default


def _error(message: str) -> None:
    print(f"error: {message}", file=sys.stderr)


def run_serve(args: argparse.Namespace) -> int:
    from .serve import serve

    return serve(args.address, args.port)


def _cpu_count() -> int:
    return len(os.sched_getaffinity(0))


def run_cluster(args: argparse.Namespace) -> int:
    from .cluster import run_cluster

    return run_cluster(args.replicas, args.address, args.port, args.upstream)


def run_parse(path: Path, out: Path) -> int:
    if path.is_dir():
        sources = [p for p in sorted(path.iterdir()) if p.is_file() and p.suffix.lower() in ARTICLE_SUFFIXES]
        if not sources:
            _error(f"{path} holds no article files ({', '.join(ARTICLE_SUFFIXES)})")
            return 2
    elif path.is_file():
        sources = [path]
    else:
        _error(f"{path} is not a file or folder")
        return 2
    failed = 0
    for source in sources:
        try:
            written = parse_and_write(source, out)
        except UserError as e:
            _error(f"{source}: {e}")
            failed += 1
            continue
        except OSError as e:
            if e.filename is not None and Path(e.filename) == source:
                _error(f"cannot read {source}: {e.strerror or e}")
                failed += 1
                continue
            _error(f"cannot write to {out}: {e.strerror or e}")
            return 1
        print(written.json)
    return 1 if failed else 0


def run_audit(path: Path, fmt: str) -> int:
    from .audit import audit, text_report

    if not path.is_file():
        _error(f"{path} is not a file")
        return 2
    article = _loaded(str(path), lambda: parse_file(path, display_path(path)))
    if article is None:
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


def _loaded(target: str, load: Callable[[], T]) -> T | None:
    """``load()``, or None once the one-line error for a UserError or OSError is printed."""
    try:
        return load()
    except UserError as e:
        _error(f"{target}: {e}")
    except OSError as e:
        _error(f"cannot read {target}: {e.strerror or e}")
    return None


def run_check(target: str, fmt: str, quiet: bool) -> int:
    from . import library
    from .check import check_article

    path = Path(target)
    keep: library.Library | None = None
    if path.is_file():
        article = _loaded(target, lambda: parse_file(path, display_path(path)))
        article_id = article.source.sha256[: library.ID_CHARS] if article else ""  # the library's id for it
    elif path.suffix.lower() in ARTICLE_SUFFIXES or os.sep in target:
        _error(f"{target} is not a file")
        return 2
    else:
        keep = _loaded(target, lambda: library.Library(library.open_backend()))
        article = _loaded(target, lambda: keep.get(target)) if keep else None
        article_id = target
    if article is None:
        return 1

    def progress(done: int, total: int, url: str) -> None:
        if not quiet:
            print(f"checked {done}/{total}: {url}", file=sys.stderr)

    report = check_article(article, article_id, progress=progress)
    if keep is not None:
        try:
            keep.put_check(article_id, report.checked_at, report.to_dict())
        except UserError as e:
            _error(f"the check could not be kept in the library: {e}")
    if fmt == "json":
        out = report.to_dict()
        article_info = {"id": out.pop("article_id"), "title": out.pop("article_title"), "source": article.source.path}
        print(json.dumps({"article": article_info, **out, "summary": report.summary()}, ensure_ascii=False, indent=1))
    else:
        print(report.text(), end="")
    return 0


if __name__ == "__main__":
    sys.exit(main())
