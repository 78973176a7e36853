from __future__ import annotations

import json
import subprocess
import sys

import pytest

from dashboard import audit as au
from dashboard.parse import parse_bytes, parse_file

from .conftest import FIXTURES, ROOT


@pytest.fixture(scope="module")
def seed_audit(seed):
    return au.audit(seed)


def codes(c):
    return {s.code for s in c.signals}


def test_seed_summary_states_the_facts(seed_audit):
    summary = " ".join(seed_audit.summary)
    assert "0 of 9 citations point to a scholarly, government or education source" in summary
    assert "4 are pages in cloud-storage buckets or CDNs, sharing the path therapist/863ghdtnk" in summary
    assert "4 are posts on blog-platform subdomains (4 random-looking)" in summary
    assert "1 social-media post" in summary
    assert "no scholarly, government or primary source" in summary


def test_seed_citation_signals(seed_audit):
    cites = seed_audit.citations
    assert all({"cloud_storage", "shared_path"} <= codes(c) for c in cites[:4])
    assert codes(cites[4]) == {"social"}
    assert all({"random_subdomain", "shared_path"} <= codes(c) for c in cites[5:])
    assert "therapist/863ghdtnk" in next(s.reason for s in cites[0].signals if s.code == "shared_path")
    assert all(s.reason.endswith(".") for c in cites for s in c.signals)  # each reason is one sentence


def test_seed_claims_have_no_source(seed_audit):
    claims = seed_audit.claims
    assert len(claims) == 7 and not any(c.supported for c in claims)
    texts = " ".join(c.text for c in claims)
    for phrase in ("studies have shown", "One study found", "clinical trials", "within 24 hours", "up to two weeks"):
        assert phrase.lower() in texts.lower()
    assert not seed_audit.has_inline_citations


def test_seed_repetition(seed_audit):
    assert len(seed_audit.repeats) == 4
    top = seed_audit.repeats[0]
    assert top.similarity >= 80 and top.section_b == "conclusion"
    assert seed_audit.repeated_share == pytest.approx(4 / 29, abs=0.001)


def test_section_table(seed_audit):
    t = seed_audit.sections
    assert list(t["words"]) == [197, 260, 155]
    assert list(t["claims"]) == [1, 4, 2] and list(t["unsourced claims"]) == [1, 4, 2]
    assert t["reading ease"].between(0, 100).all() and t["grade"].between(5, 20).all()
    assert (t["length flag"] == "").all()  # no section over 300 words, too few for the IQR rule


def test_no_false_alarm_on_good_sources():
    art = parse_file(FIXTURES / "well-sourced.md")
    a = au.audit(art)
    assert all(not c.signals for c in a.citations)
    assert a.summary[0] == "4 of 4 citations point to a scholarly, government or education source."
    assert all(c.supported for c in a.claims) and len(a.claims) == 3
    html = au.audit(parse_file(FIXTURES / "saved-page.html"))
    assert all(not c.signals for c in html.citations if c.url)


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("https://bit.ly/abc", "shortener"),
        ("https://www.google.com/url?q=https://example.org/x", "redirector"),
        ("http://example.org/page", "not_https"),
        ("javascript:alert(1)", "not_web"),
        ("https://someone.blogspot.com/2020/post.html", "blog_subdomain"),
        ("https://xkcdqwrt.blogspot.com/post.html", "random_subdomain"),
    ],
)
def test_single_signals(url, code):
    art = parse_bytes(f"A Title\nSome text here.\nSources:\n{url}\n".encode(), "x.txt")
    assert code in codes(au.audit(art).citations[0])


def test_length_outliers():
    long_body = " ".join(["Word after word goes on here."] * 70)
    text = f"T\nIntro text. More.\nA Part\n{long_body}\nB Part\nShort text here.\nC Part\nShort one.\nD Part\nEnd.\n"
    a = au.audit(parse_bytes(text.encode(), "x.txt"))
    flags = dict(zip(a.sections["heading"], a.sections["length flag"], strict=True))
    assert "over 300 words" in flags["A Part"] and "outside 1.5 IQR" in flags["A Part"]


def test_readability_known_values():
    assert au.readability([]) == (None, None)
    ease, grade = au.readability(["The cat sat on the mat."])
    assert ease > 100 and grade < 0  # six one-syllable words: very easy
    assert au.syllables("depression") == 3


def test_rules_come_from_data_files(tmp_path):
    rules = tmp_path / "rules.csv"
    rules.write_text("rule,value,note\nshortener,sho.rt,test\n")
    claims = tmp_path / "claims.csv"
    claims.write_text("pattern,label\n\\bmiracle\\b,miracle\n")
    custom = au.load_rules(rules, claims)
    art = parse_bytes(b"A Title\nIt is a miracle cure. Truly.\nSources:\nhttps://sho.rt/x\n", "x.txt")
    a = au.audit(art, custom)
    assert "shortener" in codes(a.citations[0]) and a.claims[0].labels == ("miracle",)
    (tmp_path / "bad.csv").write_text("rule,value,note\nnonsense,x,\n")
    with pytest.raises(ValueError, match="unknown rule"):
        au.load_rules(tmp_path / "bad.csv", claims)


def test_audit_needs_no_network(no_network, seed):
    au._hyphenator.cache_clear()
    au.syllables.cache_clear()
    assert au.audit(seed).sections["reading ease"].notna().all()
    assert no_network == []


def test_cli_audit_text_and_json():
    run = [sys.executable, "-m", "dashboard", "audit", "data/raw/ketamine-for-depression.txt"]
    text = subprocess.run(run, capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert "0 of 9 citations" in text and "Claims with no source" in text and "therapist/863ghdtnk" in text
    out = subprocess.run([*run, "--format", "json"], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    data = json.loads(out)
    assert set(data) >= {"summary", "citations", "claims", "repeats", "sections", "repeated_share"}
    assert len(data["citations"]) == 9 and len(data["sections"]) == 3
    bad = subprocess.run(
        [sys.executable, "-m", "dashboard", "audit", "missing.txt"], capture_output=True, text=True, cwd=ROOT
    )
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


def test_every_shortener_the_kinds_know_is_flagged_by_the_audit():
    from dashboard.model import Citation

    c = Citation("https://amzn.to/3xyz", "x", "https", "amzn.to", "amzn.to", None, "other", 1, None)
    assert any(s.code == "shortener" for s in au.citation_signals(c, None, au.default_rules()))


def test_summary_counts_read_as_english():
    text = (
        "A Title\nSome text here.\nReferences\n1. http://a.example.org/x\n2. http://b.example.org/y\n"
        "3. Smith J. A book. 2001.\n"
    )
    lines = au.audit(parse_bytes(text.encode(), "t.txt")).summary
    assert "2 links without https." in lines and "1 reference without a link." in lines


def test_a_short_sentence_inside_a_long_one_is_not_a_repeat():
    text = (
        "A Title\nThe determinant of a Hermitian matrix is real. "
        "Alternatively, the determinant of a Hermitian matrix is real because it is the product of the "
        "matrix's eigenvalues, and every one of those eigenvalues is real as we saw before.\n"
    )
    assert au.audit(parse_bytes(text.encode(), "t.txt")).repeats == ()


def test_a_long_reference_list_is_not_flagged_as_a_long_section():
    entries = "".join(f"{i}. Author {i}. A long title of study {i} in a journal. 2020.\n" for i in range(1, 60))
    text = f"# A Title\n\nSome text. It says things.\n\n## References\n\n{entries}"
    art = parse_bytes(text.encode(), "t.md")
    table = au.audit(art).sections.set_index("heading")
    assert table.loc["References", "words"] > au.SEO_SECTION_WORDS
    assert table.loc["References", "length flag"] == ""


def test_a_numbered_note_marker_ties_a_claim_to_the_reference_list():
    text = (
        "# A Title\n\nA trial found that 40% of patients improved.[2] Another study showed a 3-week effect.[9]\n\n"
        "A cohort study found that 20% relapsed within a year.\n\n"
        "## References\n\n1. Smith J. A trial. 2020.\n2. Lee K. A cohort. 2021. https://doi.org/10.5555/k\n"
    )
    art = parse_bytes(text.encode(), "t.md")
    claims = {c.text: c.supported for c in au.audit(art).claims}
    assert claims["A trial found that 40% of patients improved.[2]"] is True
    assert claims["A cohort study found that 20% relapsed within a year."] is False
    # without a reference list, a bracketed number is no note call
    bare = parse_bytes(b"# A Title\n\nA trial found that 40% of patients improved.[2]\n", "t.md")
    assert [c.supported for c in au.audit(bare).claims] == [False]


def test_an_apostrophe_in_a_shared_path_survives_into_the_summary():
    text = (
        "# A Title\n\nSome text here, see [one](https://storage.googleapis.com/alpha/o'neil-guide/page.html) "
        "and [two](https://s3.amazonaws.com/beta/o'neil-guide/page.html).\n"
    )
    report = au.audit(parse_bytes(text.encode(), "t.md"))
    assert [c.shared_path for c in report.citations] == ["o'neil-guide/page", "o'neil-guide/page"]
    assert "2 are pages in cloud-storage buckets or CDNs, sharing the path o'neil-guide/page." in report.summary


def test_the_shared_path_is_data_on_the_citation(seed_audit):
    assert [c.shared_path for c in seed_audit.citations[:4]] == ["therapist/863ghdtnk"] * 4
    assert seed_audit.citations[4].shared_path is None


def seed_headings(seed):
    return {s.id: s.heading for s in seed.sections}


def test_citation_rows(seed, seed_audit):
    rows = au.citation_rows(seed_audit, seed_headings(seed))
    assert rows.columns.tolist() == au.CITATION_ROW_COLUMNS and len(rows) == 9
    assert set(rows["where"]) == {"reference list"}  # the reference list belongs to every selection
    assert len(au.citation_rows(seed_audit, seed_headings(seed), ["conclusion"])) == 9
    assert rows["warning signs"].tolist()[4] == 1 and "social-media post" in rows["why"].iloc[4]
    assert "therapist/863ghdtnk" in rows["why"].iloc[0]


def test_claim_and_repeat_rows_obey_the_sections(seed, seed_audit):
    headings = seed_headings(seed)
    claims = au.claim_rows(seed_audit, headings)
    assert claims.columns.tolist() == au.CLAIM_ROW_COLUMNS and len(claims) == 7 and not claims["sourced"].any()
    conclusion = au.claim_rows(seed_audit, headings, ["conclusion"])
    assert conclusion["section"].tolist() == ["Conclusion", "Conclusion"]
    repeats = au.repeat_rows(seed_audit, headings)
    assert len(repeats) == 4 and repeats["repeated in"].iloc[0].startswith("Conclusion #")
    assert len(au.repeat_rows(seed_audit, headings, ["introduction"])) == 1
    assert au.repeat_rows(seed_audit, headings, []).empty
    assert au.claim_rows(seed_audit, headings, []).columns.tolist() == au.CLAIM_ROW_COLUMNS


def test_section_rows(seed_audit):
    assert au.section_rows(seed_audit)["words"].tolist() == [197, 260, 155]
    assert au.section_rows(seed_audit, ["conclusion"])["heading"].tolist() == ["Conclusion"]
    assert "section" not in au.section_rows(seed_audit)


def test_the_text_report_is_made_of_the_same_tables(seed, seed_audit):
    report = au.text_report(seed, seed_audit)
    headings = seed_headings(seed)
    for row in au.citation_rows(seed_audit, headings).to_dict("records"):
        assert f"  {row['#']}. {row['URL']}  [{row['kind']}" in report
    for row in au.claim_rows(seed_audit, headings).to_dict("records"):
        assert f"[{row['section']} #{row['#']}] ({row['asserts']}) {row['claim']}" in report
    for row in au.repeat_rows(seed_audit, headings).to_dict("records"):
        assert f"[{row['first']}] {row['sentence']}" in report and f"[{row['repeated in']}] {row['repeat']}" in report
    assert au.section_rows(seed_audit).to_string(index=False) in report
