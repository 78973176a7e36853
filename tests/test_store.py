from __future__ import annotations

import json
import shutil
import subprocess
import sys

from dashboard import store
from dashboard.__main__ import main
from dashboard.model import Article

from .conftest import FIXTURES, ROOT, SEED


def test_committed_parse_equals_a_fresh_parse(tmp_path):
    written = store.parse_and_write(SEED, tmp_path)
    committed = ROOT / "data" / "parsed"
    for fresh in (written.json, *written.csvs):
        assert fresh.read_bytes() == (committed / fresh.name).read_bytes(), f"{fresh.name} is stale: re-run the parse"


def test_json_format_fields(seed):
    d = json.loads(store.to_json(seed))
    assert d["schema_version"] == 1
    assert set(d["source"]) >= {"path", "sha256", "format"}
    assert d["source"]["path"] == "data/raw/ketamine-for-depression.txt"
    assert set(d["sections"][0]) >= {
        "id",
        "heading",
        "inferred",
        "level",
        "line_start",
        "line_end",
        "words",
        "sentences",
    }
    assert set(d["citations"][0]) >= {"url", "host", "domain", "provider", "kind", "line"}
    assert d["boilerplate"][0] == {"text": "Comments", "line_start": 43, "line_end": 43}
    assert isinstance(d["warnings"], list)
    assert Article.from_dict(d) == seed


def test_load_uses_json_and_reparses_when_stale(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    src = raw / "note.txt"
    src.write_text("A Title\nFirst text here.\n")
    parsed = tmp_path / "parsed"
    art, reparsed = store.load(src, parsed)
    assert reparsed and (parsed / "note.json").exists()
    art2, reparsed = store.load(src, parsed)
    assert not reparsed and art2 == art
    src.write_text("A Title\nChanged text here.\n")
    art3, reparsed = store.load(src, parsed)
    assert reparsed and art3.sections[0].sentences == ("Changed text here.",)
    (parsed / "note.json").write_text("{not json")
    assert store.load(src, parsed)[1]


def test_raw_articles_lists_article_files(tmp_path):
    (tmp_path / "b.txt").write_text("x")
    (tmp_path / "a.md").write_text("x")
    (tmp_path / "c.html").write_text("x")
    (tmp_path / "d.pdf").write_text("x")
    assert list(store.raw_articles(tmp_path)) == ["a", "b", "c"]
    assert "ketamine-for-depression" in store.raw_articles()


def test_clashing_slugs_stay_apart(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "my article.txt").write_text("First Title\nOne text here.\n")
    (raw / "my-article.txt").write_text("Second Title\nTwo text here.\n")
    (raw / "Кетамин.txt").write_text("Третий\nТекст здесь.\n")
    found = store.raw_articles(raw)
    assert list(found) == ["my-article", "my-article-2", "кетамин"]
    titles = {slug: store.load(path, tmp_path / "parsed", slug)[0].title for slug, path in found.items()}
    assert titles == {"my-article": "First Title", "my-article-2": "Second Title", "кетамин": "Третий"}
    assert store.load(found["my-article-2"], tmp_path / "parsed", "my-article-2")[0].slug == "my-article-2"


def test_cli_parse_prints_json_path(tmp_path, capsys):
    src = tmp_path / "guide.txt"
    shutil.copy(FIXTURES / "wrapped-health-guide.txt", src)
    assert main(["parse", str(src), "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out.strip()
    assert out.endswith("guide.json")
    assert json.loads((tmp_path / "out" / "guide.json").read_text())["title"].startswith("Sleep and Memory")
    for name in ("sections", "sentences", "citations"):
        assert (tmp_path / "out" / f"guide.{name}.csv").exists()


def test_cli_bad_input_exits_nonzero_without_traceback(tmp_path):
    binary = tmp_path / "blob.txt"
    binary.write_bytes(b"\x00\x01\x02")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    for path, message in ((binary, "binary"), (empty, "empty"), (tmp_path / "missing.txt", "not a file or folder")):
        proc = subprocess.run(
            [sys.executable, "-m", "dashboard", "parse", str(path), "--out", str(tmp_path)],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        assert proc.returncode != 0
        assert message in proc.stderr
        assert "Traceback" not in proc.stderr


def test_cli_parses_a_folder_of_every_format(tmp_path, capsys):
    src = tmp_path / "in"
    src.mkdir()
    for name in ("saved-page.html", "sleep-and-memory.md", "wrapped-health-guide.txt"):
        shutil.copy(FIXTURES / name, src / name)
    (src / "notes.pdf").write_bytes(b"%PDF")  # not an article: skipped
    (src / "empty.txt").write_bytes(b"")  # an article that fails: reported, the others still written
    assert main(["parse", str(src), "--out", str(tmp_path / "out")]) == 1
    printed = capsys.readouterr()
    assert sorted(p.rsplit("/", 1)[-1] for p in printed.out.split()) == [
        "saved-page.json",
        "sleep-and-memory.json",
        "wrapped-health-guide.json",
    ]
    assert "empty.txt: the article is empty" in printed.err
    formats = {
        json.loads((tmp_path / "out" / f"{n}.json").read_text())["source"]["format"]
        for n in ("saved-page", "sleep-and-memory", "wrapped-health-guide")
    }
    assert formats == {"html", "md", "txt"}


def test_cli_serve_outside_the_project_root_says_where_to_run_it(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["serve", "--port", "1"]) == 2
    assert "run this from the project root" in capsys.readouterr().err


def test_the_tables_written_beside_the_json_are_the_callers_choice(seed, tmp_path):
    written = store.write(seed, tmp_path, tables_of=lambda article: {})
    assert written.csvs == () and sorted(p.name for p in tmp_path.iterdir()) == [f"{seed.slug}.json"]
