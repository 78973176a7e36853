"""Does the cited page support the claim? Claims and pages written here, with what each should give."""

from __future__ import annotations

import pytest

from dashboard.check.support import (
    LABELS,
    MAX_SENTENCE_CHARS,
    SEEDS,
    STRONG_AT,
    WINDOW_SENTENCES,
    PageIndex,
    Support,
    claim_features,
    judge,
    page_sentences,
)

CLAIM = "A single ketamine infusion reduced depressive symptoms within 24 hours, and the effect lasted up to two weeks."

SUPPORTING = """Ketamine research update

Researchers at Yale University gave patients with major depression an intravenous drip of an anaesthetic.
Within a day of one ketamine infusion, symptoms of depression were reduced, and the effect lasted 14 days.
Side effects included dizziness and raised blood pressure.
"""
PARTIAL = """Ketamine clinics are opening in many cities.
Doctors use ketamine infusions to ease the symptoms of depression, but insurers rarely pay for them.
"""
OTHER_TOPIC = """How to grow tomatoes
Tomatoes need six hours of sun. Water them twice a week and feed them in spring.
"""


def keys(text: str) -> set[object]:
    return {key for f in claim_features(text) for key in f.keys}


def test_a_paraphrasing_page_with_the_same_numbers_is_strong() -> None:
    got = judge(CLAIM, SUPPORTING)
    assert got.label == "strong"
    assert got.score >= STRONG_AT
    assert got.passage == (
        "Within a day of one ketamine infusion, symptoms of depression were reduced, and the effect lasted 14 days."
    )
    assert {"24 hours", "two weeks", "ketamine", "infusion", "depressive"} <= set(got.matched)


def test_a_page_on_the_topic_without_the_findings_is_some() -> None:
    got = judge(CLAIM, PARTIAL)
    assert got.label == "some"
    assert got.passage.startswith("Doctors use ketamine infusions")
    assert "24 hours" in got.missing and "two weeks" in got.missing


def test_a_page_on_another_topic_is_none() -> None:
    got = judge(CLAIM, OTHER_TOPIC)
    assert got.label == "none"
    assert got.matched == ()
    assert got.passage == ""


@pytest.mark.parametrize("page", [None, "", "   \n\n  "])
def test_no_page_text_is_unknown(page: str | None) -> None:
    assert judge(CLAIM, page) == Support("unknown", 0.0, "", (), ())


def test_a_claim_with_nothing_to_look_for_is_unknown() -> None:
    assert claim_features("It is what it is.") == ()
    assert judge("It is what it is.", SUPPORTING).label == "unknown"


def test_different_numbers_are_never_strong() -> None:
    claim = "About 70% of patients responded to ketamine within a week."
    got = judge(claim, "In the trial, about 40% of patients responded to ketamine within a week.")
    assert got.label != "strong"
    assert got.missing == ("70%",)
    same = judge(claim, "In the trial, about 70 percent of patients responded to ketamine within seven days.")
    assert same.label == "strong"


def test_a_number_found_elsewhere_on_the_page_is_not_in_the_passage() -> None:
    claim = "Ketamine relieved depression in 1,200 adults within two weeks."
    page = (
        "Ketamine relieved depression in adults within two weeks in a large trial.\n"
        "Unrelated: the hospital has 1200 beds and a garden."
    )
    got = judge(claim, page)
    assert got.label != "strong"
    assert "1,200" in got.missing
    assert got.passage == "Ketamine relieved depression in adults within two weeks in a large trial."


def test_numbers_are_normalised() -> None:
    assert keys("1,000 patients") & keys("1000 patients")
    assert ("p", 50.0) in keys("50% of them") & keys("50 percent of them") & keys("50 per cent of them")
    assert ("n", 0.5) in keys("a dose of 0.5 mg") & keys("a dose of .5 mg") & keys("a dose of 0.50 mg")
    assert keys("40% improved") & keys("70% improved") == {("t", "improve")}
    assert ("n", 1.0) not in keys("One study found this.")  # number words count only with a unit


def test_durations_are_normalised() -> None:
    two_weeks = ("d", 14.0)
    for text in ("two weeks", "2 weeks", "14 days", "2 wks"):
        assert two_weeks in keys(f"It lasted {text}."), text
    assert ("d", 1.0) in keys("within 24 hours") & keys("within a day") & keys("a 24-hour window")
    assert ("m", 12.0) in keys("for a year") & keys("for twelve months")
    assert {("d", 2.0), ("d", 3.0)} <= keys("it works in 2-3 days")
    assert ("d", 21.0) in keys("after twenty-one days")


def test_durations_are_matched_on_the_page() -> None:
    got = judge(
        "Relief began within 24 hours of the ketamine dose.", "Relief from ketamine began within a day of the dose."
    )
    assert got.label == "strong"
    assert "24 hours" in got.matched


def test_named_entities() -> None:
    features = {f.label: f for f in claim_features("The US Food and Drug Administration approved esketamine in 2019.")}
    assert features["US Food and Drug Administration"].kind == "entity"
    assert "food" not in features and "administration" not in features  # a name's words are not terms too
    assert "The" not in " ".join(features)  # a sentence's opening stopword is no part of a name
    assert [
        f.label for f in claim_features("NMDA receptors in Johns Hopkins University tests.") if f.kind == "entity"
    ] == [
        "NMDA",
        "Johns Hopkins University",
    ]
    assert not [f for f in claim_features("In March the trial ended.") if f.kind == "entity"]
    # a name also matches the acronym of its capitalised words, written in capitals
    got = judge(
        "The US Food and Drug Administration approved esketamine nasal spray in 2019.",
        "Spravato was cleared. In March 2019 the FDA approved esketamine nasal spray for adults.",
    )
    assert got.label == "strong"
    assert "US Food and Drug Administration" in got.matched
    # "who" in lower case is not the WHO
    who = judge("The World Health Organization lists ketamine as an essential medicine.", "who knows ketamine well")
    assert "World Health Organization" in who.missing


def test_the_passage_is_the_sentence_that_says_it() -> None:
    page = "\n".join(
        [
            "Ketamine is an anaesthetic used in surgery.",
            "Patients with depression often wait weeks for antidepressants to work.",
            "In the 2006 trial, 71% of patients improved within one day of a ketamine infusion.",
            "The trial was small and short.",
            "Ketamine can raise blood pressure during an infusion.",
        ]
    )
    got = judge("71% of patients improved within a day of a ketamine infusion, a 2006 trial found.", page)
    assert got.passage == "In the 2006 trial, 71% of patients improved within one day of a ketamine infusion."
    assert got.label == "strong"


def test_a_passage_can_span_sentences() -> None:
    page = "Zarate led the trial at the National Institute of Mental Health. It found relief within 24 hours."
    got = judge("A National Institute of Mental Health trial found relief within 24 hours.", page)
    assert got.passage == page
    assert got.label == "strong"


def test_word_variants_match() -> None:
    got = judge("Treatment reduced depressive symptoms.", "The treatments brought a reduction in depression symptoms.")
    assert set(got.matched) == {"treatment", "reduce", "depressive", "symptom"}


def test_note_calls_and_urls_in_the_claim_are_not_content() -> None:
    assert keys("Ketamine works.[12]") == keys("Ketamine works.")
    assert keys("Ketamine works (https://example.org/2019/5).") == keys("Ketamine works.")


def test_an_index_is_the_same_as_the_text() -> None:
    index = PageIndex(SUPPORTING)
    for claim in (CLAIM, "Side effects included dizziness.", "Tomatoes need sun."):
        assert judge(claim, index) == judge(claim, SUPPORTING)
        assert judge(claim, index).label in LABELS


def test_page_sentences() -> None:
    text = "Title\n\nFirst sentence. Second one! Third?\nA line wrapped\nin a PDF goes on. Last one"
    assert list(page_sentences(text)) == [
        "Title",
        "First sentence.",
        "Second one!",
        "Third?",
        "A line wrapped in a PDF goes on.",
        "Last one",
    ]


def test_a_long_run_without_sentence_ends_is_cut() -> None:
    text = " ".join(f"word{i}" for i in range(40_000))  # about 270,000 characters, one line
    pieces = list(page_sentences(text))
    assert all(len(p) <= MAX_SENTENCE_CHARS for p in pieces)
    assert " ".join(pieces) == text


BLOCK = (
    "Ketamine infusion trials in depression report symptom relief within 24 hours for many patients. "
    "Some patients relapse after two weeks without further doses. "
    "Side effects include dissociation, dizziness and raised blood pressure. "
    "Researchers continue to study dosing schedules and long-term safety.\n"
)
CLAIMS = [
    CLAIM,
    "Ketamine causes dissociation and dizziness.",
    "Patients relapse after two weeks.",
    "Long-term safety of ketamine dosing is still studied.",
]


def test_work_is_linear_in_the_page_and_the_window_search_is_bounded() -> None:
    small = PageIndex(BLOCK * (100_000 // len(BLOCK)))
    big = PageIndex(BLOCK * (2 * (100_000 // len(BLOCK))))
    assert len(big.sentences) == 2 * len(small.sentences) >= 1_400  # a 200,000-character page
    found = [[judge(claim, index) for claim in CLAIMS * 25] for index in (small, big)]  # a hundred claims each
    assert found[0] == found[1]  # the same passages: the first best window wins
    assert [s.label for s in found[0][:4]] == ["some", "strong", "strong", "strong"]
    # every sentence holds the claims' words: the postings read double with the page, no more
    assert big.postings_visited == 2 * small.postings_visited
    # passages are sought around the best SEEDS sentences only: the same work on either page
    assert big.windows_examined == small.windows_examined
    assert big.windows_examined <= len(CLAIMS) * 25 * SEEDS * WINDOW_SENTENCES * (WINDOW_SENTENCES + 1) // 2
