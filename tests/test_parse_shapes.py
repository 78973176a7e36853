"""Scraped texts of other shapes than the bundled one: the rules must generalise."""

from __future__ import annotations

from dashboard.parse import parse_bytes


def parse(text: str):
    return parse_bytes(text.encode(), "shape.txt")


def headings(art):
    return [s.heading for s in art.sections]


def test_question_title_and_question_headings():
    art = parse(
        "Does Ketamine Work For Depression?\nMany people ask this question today.\n"
        "What Is Ketamine?\nKetamine is an anaesthetic. It is old.\nIs It Safe?\nIt depends on the dose.\n"
    )
    assert art.title == "Does Ketamine Work For Depression?"
    assert headings(art) == ["Introduction", "What Is Ketamine?", "Is It Safe?"]


def test_wrapped_line_starting_with_a_capital_is_not_a_heading():
    art = parse(
        "History Notes\nKetamine was first used as an anaesthetic in the 1960s and was made by\n"
        "Calvin Stevens at Parke-Davis. It spread quickly.\n"
    )
    assert headings(art) == ["Introduction"]
    assert art.sections[0].sentences[0].startswith("Ketamine was first used")
    assert art.sections[0].sentences[0].endswith("Parke-Davis.")


def test_reference_list_stops_at_an_author_box_and_comments():
    art = parse(
        "A Title\nSome text here.\nReferences\nhttps://pubmed.ncbi.nlm.nih.gov/1/\nhttps://doi.org/10.1/x\n"
        "About the author\nJane writes about health. She lives in Leeds.\nComments\n"
        "Bob said: Great post, thanks!\nReply\n"
    )
    assert [c.url for c in art.citations] == ["https://pubmed.ncbi.nlm.nih.gov/1/", "https://doi.org/10.1/x"]
    chrome = [b.text for b in art.boilerplate]
    assert "About the author" in chrome and "Comments" in chrome and "Bob said: Great post, thanks!" in chrome
    assert not any("without a URL" in w for w in art.warnings)


def test_wordpress_share_tail_and_mid_text_chrome():
    art = parse(
        "Sleep Guide\nSleep matters for everyone.\nShare this:\nTwitter\nFacebook\nHow It Works\n"
        "The brain clears waste at night.\nShare this:\nTwitter\nFacebook\nLike this:\nLike Loading...\nRelated\n"
    )
    assert headings(art) == ["Introduction", "How It Works"]
    assert art.sections[1].words == 6
    assert {b.text for b in art.boilerplate} >= {"Share this:", "Twitter", "Like Loading...", "Related"}


def test_trailing_notes_line_does_not_hide_the_reference_list():
    art = parse(
        "A Title\nSome text here.\nReferences\nhttps://pubmed.ncbi.nlm.nih.gov/1/\n"
        "https://pubmed.ncbi.nlm.nih.gov/2/\nNotes\nThis page was updated in May.\n"
    )
    assert [c.section for c in art.citations] == [None, None]
    assert not any("no reference list" in w for w in art.warnings)


def test_numbered_list_before_a_heading():
    art = parse(
        "Tips For Patients\nFollow these steps.\n1. Do not eat before the session\n2. Bring a friend\n"
        "3. Rest afterwards\nSide Effects\nSome people feel dizzy. It passes.\n"
    )
    assert headings(art) == ["Introduction", "Side Effects"]


def test_separator_lines_are_not_text():
    art = parse("A Title\nIntro text here.\n----------\nHow It Works\nIt works well. Really.\n")
    assert headings(art) == ["Introduction", "How It Works"]
    assert [b.kind for b in art.blocks][2] == "rule"


def test_site_chrome_above_the_title():
    art = parse("Skip to content\nMenu\nKetamine Guide\nKetamine is a drug. It is old.\n")
    assert art.title == "Ketamine Guide"
    assert [b.text for b in art.boilerplate] == ["Skip to content", "Menu"]


def test_no_inferred_conclusion_inside_a_conclusion_heading():
    art = parse("A Title\nIntro text here.\nConclusion\nIt works. In short, yes.\nIn summary, it is fine.\n")
    assert headings(art) == ["Introduction", "Conclusion"]


def test_sources_list_of_bare_names():
    art = parse(
        "A Title\nIntro text here.\nHow It Works\nIt works well.\n"
        "Sources\nMayo Clinic\nNational Institute of Mental Health\n"
    )
    assert headings(art) == ["Introduction", "How It Works"]
    assert [c.kind for c in art.citations] == ["no URL", "no URL"]
    assert art.sections[1].words == 3


def test_blank_lines_between_paragraphs():
    art = parse("A Title\n\nIntro text here.\n\nHow It Works\n\nIt works well.\n\nMore text here.\n")
    assert headings(art) == ["Introduction", "How It Works"]
    assert (art.sections[1].line_start, art.sections[1].line_end) == (5, 9)


def test_numbered_headings_of_a_listicle():
    art = parse(
        "Five Benefits Of Walking\nWalking is good for you.\n1. Better Sleep\nPeople who walk sleep longer.\n"
        "2. Lower Blood Pressure\nRegular walks lower it a little.\n"
    )
    assert headings(art) == ["Introduction", "1. Better Sleep", "2. Lower Blood Pressure"]
