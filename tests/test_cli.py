"""The command line: ``python -m dashboard parse|audit`` on fixtures, and bad input as one plain line."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from dashboard import settings
from dashboard.__main__ import main

from .conftest import FIXTURES, ROOT

MD = FIXTURES / "sleep-and-memory.md"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_error(err: str) -> None:
    assert err.startswith("error: ") and err.count("\n") == 1 and "Traceback" not in err


def test_parse_writes_the_json_and_tables(capsys, tmp_path):
    code, out, err = run(capsys, "parse", str(MD), "--out", str(tmp_path))
    assert (code, err) == (0, "")
    assert out.strip() == str(tmp_path / "sleep-and-memory.json")
    assert json.loads((tmp_path / "sleep-and-memory.json").read_text())["title"] == "Sleep and Memory: What We Know"
    for table in ("sections", "sentences", "citations"):
        assert (tmp_path / f"sleep-and-memory.{table}.csv").is_file()


def test_parse_writes_to_the_parsed_folder_of_the_settings(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv(settings.PARSED_DIR, str(tmp_path / "parsed"))
    code, out, _ = run(capsys, "parse", str(MD))
    assert code == 0 and out.strip() == str(tmp_path / "parsed" / "sleep-and-memory.json")


def test_parse_a_folder(capsys, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "one.txt").write_text("One Title\n\nSome text here. More text.\n")
    (src / "two.md").write_text("# Two Title\n\nSome text here. More text.\n")
    (src / "notes.csv").write_text("not,an,article\n")
    code, out, _ = run(capsys, "parse", str(src), "--out", str(tmp_path / "out"))
    assert code == 0 and out.split() == [str(tmp_path / "out" / "one.json"), str(tmp_path / "out" / "two.json")]


def test_a_bad_article_is_one_line_and_the_others_are_parsed(capsys, tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "empty.txt").write_bytes(b"")
    (src / "good.txt").write_text("Good Title\n\nSome text here. More text.\n")
    code, out, err = run(capsys, "parse", str(src), "--out", str(tmp_path / "out"))
    assert code == 1 and out.split() == [str(tmp_path / "out" / "good.json")]
    assert_one_line_error(err)
    assert "empty.txt" in err


@pytest.mark.parametrize(
    ("make", "exit_code"),
    [
        (lambda p: p / "missing.txt", 2),
        (lambda p: p, 2),  # a folder with no articles
        (lambda p: (p / "binary.txt").write_bytes(b"\x00\x01\x02\x03" * 50) and p / "binary.txt", 1),
    ],
    ids=["missing", "no-articles", "binary"],
)
def test_parse_refuses_bad_input_in_one_line(capsys, tmp_path, make, exit_code):
    (tmp_path / "in").mkdir()
    path = make(tmp_path / "in")
    code, out, err = run(capsys, "parse", str(path), "--out", str(tmp_path / "out"))
    assert (code, out) == (exit_code, "")
    assert_one_line_error(err)


def test_an_unwritable_out_folder_is_one_line(capsys, tmp_path):
    (tmp_path / "a-file").write_text("x")
    code, out, err = run(capsys, "parse", str(MD), "--out", str(tmp_path / "a-file" / "out"))
    assert (code, out) == (1, "")
    assert_one_line_error(err)
    assert "cannot write to" in err


def test_audit_text(capsys):
    code, out, err = run(capsys, "audit", str(ROOT / "data" / "raw" / "ketamine-for-depression.txt"))
    assert (code, err) == (0, "")
    assert "0 of 9 citations" in out


def test_audit_json(capsys):
    code, out, err = run(capsys, "audit", str(MD), "--format", "json")
    assert (code, err) == (0, "")
    report = json.loads(out)
    assert report["article"]["title"] == "Sleep and Memory: What We Know"


@pytest.mark.parametrize("content", [None, b"", b"\x00\x01\x02\x03" * 50], ids=["missing", "empty", "binary"])
def test_audit_refuses_bad_input_in_one_line(capsys, tmp_path, content):
    path = tmp_path / "article.txt"
    if content is not None:
        path.write_bytes(content)
    code, out, err = run(capsys, "audit", str(path))
    assert code == (2 if content is None else 1) and out == ""
    assert_one_line_error(err)


def test_the_real_command_exits_non_zero_without_a_traceback(tmp_path):
    (tmp_path / "empty.md").write_bytes(b"   \n")
    for command in ("parse", "audit"):
        done = subprocess.run(
            [sys.executable, "-m", "dashboard", command, str(tmp_path / "empty.md")],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env={**settings_free_environ(), "PYTHONPATH": str(ROOT), settings.PARSED_DIR: str(tmp_path / "out")},
        )
        assert done.returncode == 1 and done.stdout == ""
        assert_one_line_error(done.stderr)


def settings_free_environ() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if not k.startswith("ARTICLE_LENS_")}
