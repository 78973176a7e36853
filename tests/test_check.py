"""Checking every page an article cites, end to end against a local server: statuses, claims and
their support, progress, the total time limit, an offline machine, the JSON contract and the CLI."""

from __future__ import annotations

import json
import socket
import time

import pytest

from dashboard import library, settings
from dashboard.__main__ import main
from dashboard.check import check_article
from dashboard.check.report import CheckReport
from dashboard.parse import parse_bytes

from .checkserver import serve


@pytest.fixture(scope="module")
def local():
    with serve() as server:
        yield server


def sleep_article(url) -> bytes:
    return f"""# Sleep and memory

## What the trial found

Adults who slept less than six hours a night for two weeks scored 30 percent lower on a
word-recall test, according to the [Northfield Sleep Laboratory]({url("/article.html")}).

Coffee prices rose sharply last year in Brazil ([market report]({url("/other.html")})).

The [original study]({url("/gone")}) is no longer online.

A [summary]({url("/moved")}) moved elsewhere. An [internal page]({url("/to-private")}) should never be fetched.

The laboratory's [technical report]({url("/paper.pdf")}) says adults who slept less than six
hours for two weeks scored 30 percent lower.

See also [this domain]({url("/parked.html")}).
""".encode()


def test_every_cited_page_gets_its_status_and_each_claim_its_support(local):
    article = parse_bytes(sleep_article(local.url), "sleep.md")
    done = []
    report = check_article(
        article, "sleep", allow_loopback=True, timeout=3, progress=lambda n, total, url: done.append((n, total, url))
    )
    status = {c.url.rsplit("/", 1)[1]: c.status for c in report.citations}
    assert status == {
        "article.html": "ok",
        "other.html": "ok",
        "gone": "dead",
        "moved": "redirected",
        "to-private": "refused",
        "paper.pdf": "ok",
        "parked.html": "ok",
    }
    assert [c.url for c in report.citations] == [c.url for c in article.citations]  # in the order cited
    by_page = {c.url: c for c in report.citations}
    assert by_page[local.url("/moved")].final_url == f"http://localhost:{local.port}/article.html"
    assert "parked" in by_page[local.url("/parked.html")].signs
    assert by_page[local.url("/gone")].archive_url == "https://web.archive.org/web/*/" + local.url("/gone")
    support = {c.url.rsplit("/", 1)[1]: c.support for c in report.claims}
    assert support["article.html"] == "strong" and support["paper.pdf"] == "strong"
    assert support["other.html"] == "none"
    assert support["gone"] == support["to-private"] == "unknown"
    strong = next(c for c in report.claims if c.url.endswith("/article.html"))
    assert "30 percent lower" in strong.passage and "Northfield Sleep Laboratory" in strong.passage
    assert report.complete
    assert sorted(n for n, _, _ in done) == list(range(1, 8)) and {t for _, t, _ in done} == {7}
    summary = report.summary()
    assert summary[0].startswith(
        "1 of 7 cited pages is dead; 1 lands on another site; 1 was refused by the safety rules; 4 answered as cited"
    )
    assert "1 looks parked" in summary[1]
    assert summary[-1].startswith("of 7 claims tied to a source, 2 are supported by its page")
    assert CheckReport.from_dict(json.loads(json.dumps(report.to_dict()))) == report


def test_the_total_time_limit_marks_pages_it_did_not_reach(local):
    links = "\n\n".join(f"Slow [page {i}]({local.url('/slow')}?{i}) number {i}." for i in range(6))
    article = parse_bytes(f"# Slow\n\n{links}\n".encode(), "slow.md")
    started = time.monotonic()
    report = check_article(article, "slow", allow_loopback=True, timeout=10, total_seconds=2, at_once=2)
    assert time.monotonic() - started < 6  # the limit holds whatever the pages do
    assert not report.complete
    reasons = [c.reason for c in report.citations]
    assert len(reasons) == 6
    assert any("time limit of 2 s ran out" in r for r in reasons)
    assert {c.status for c in report.citations} <= {"ok", "timeout"}
    assert "stopped at its time limit" in " ".join(report.summary())


def _no_dns(known: dict[str, str]):
    real = socket.getaddrinfo

    def lookup(host, port, *args, **kwargs):
        if host in known:
            return real(known[host], port, *args, **kwargs)
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    return lookup


LINK_FARM = b"""# Two links

First [one](https://first-made-up-host.org/a) here.

Second [two](https://second-made-up-host.net/b) there.
"""


def test_a_server_with_no_dns_does_not_call_every_page_dead(monkeypatch):
    monkeypatch.setattr(socket, "getaddrinfo", _no_dns({}))
    report = check_article(parse_bytes(LINK_FARM, "farm.md"), "farm", timeout=2)
    assert [c.status for c in report.citations] == ["error", "error"]
    assert all("may have no internet access" in c.reason for c in report.citations)
    assert report.offline and "may have no internet access" in report.summary()[0]


def test_made_up_hosts_are_dead_when_names_can_be_looked_up(monkeypatch):
    monkeypatch.setattr(socket, "getaddrinfo", _no_dns({"example.com": "127.0.0.1"}))
    report = check_article(parse_bytes(LINK_FARM, "farm.md"), "farm", timeout=2)
    assert [c.status for c in report.citations] == ["dead", "dead"]
    assert "does not exist" in report.citations[0].reason
    assert report.summary()[0].startswith("2 of 2 cited pages are dead")


def test_an_article_citing_nothing_says_so():
    report = check_article(parse_bytes(b"# Plain\n\nNo links at all here.\n", "plain.md"), "plain")
    assert report.citations == () and report.claims == ()
    assert report.summary() == ["the article cites no web page, so there was nothing to check"]


@pytest.fixture
def cli_env(monkeypatch, tmp_path):
    monkeypatch.setenv(settings.ALLOW_LOOPBACK_URLS, "1")
    monkeypatch.setenv(settings.FETCH_TIMEOUT, "3")
    monkeypatch.setenv(settings.SQLITE_PATH, str(tmp_path / "lib.sqlite3"))
    monkeypatch.delenv(settings.DATABASE_URL, raising=False)
    return tmp_path


def test_the_cli_prints_the_json_contract(local, cli_env, capsys):
    path = cli_env / "sleep.md"
    path.write_bytes(sleep_article(local.url))
    assert main(["check", str(path), "--format", "json"]) == 0
    captured = capsys.readouterr()
    out = json.loads(captured.out)
    assert {"article", "checked_at", "citations", "claims", "summary"} <= out.keys()
    assert out["article"]["title"] == "Sleep and memory"
    first = out["citations"][0]
    assert {"url", "status", "http_status", "final_url", "title"} <= first.keys()
    assert first["status"] == "ok" and first["http_status"] == 200
    assert {"sentence", "section", "url", "support", "passage"} <= out["claims"][0].keys()
    assert out["summary"][0].startswith("1 of 7 cited pages is dead")
    assert "checked 7/7: " in captured.err  # progress on stderr


def test_the_cli_text_report_and_a_library_article_keeps_its_check(local, cli_env, capsys):
    lib = library.Library(library.open_backend())
    entry = lib.add(sleep_article(local.url), "sleep.md")
    assert main(["check", entry.id, "--quiet"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("Cited pages of: Sleep and memory\nChecked: ")
    assert "[dead HTTP 410]" in captured.out and "[strong]" in captured.out
    assert captured.err == ""
    kept = library.Library(library.open_backend()).latest_check(entry.id)
    assert kept is not None and CheckReport.from_dict(kept).article_id == entry.id


def test_the_cli_refuses_what_it_cannot_check(cli_env, capsys):
    assert main(["check", str(cli_env / "missing.md")]) == 2
    assert main(["check", "0123456789abcdef"]) == 1
    err = capsys.readouterr().err
    assert "missing.md is not a file" in err and "no article with the id" in err
    assert "Traceback" not in err
