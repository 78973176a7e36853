"""Audit: the summary, each citation's warning signs, claims with no source, repeats, sections."""

from __future__ import annotations

import streamlit as st

from dashboard import audit as audit_rules
from dashboard import render as markup
from dashboard.ui import checks, loaders
from dashboard.ui.page import Page
from dashboard.ui.widgets import export_buttons

SECTIONS_CAPTION = (
    f"Reading ease: Flesch (higher is easier; 60-70 is plain English). Length flags: over "
    f"{audit_rules.SEO_SECTION_WORDS} words under one heading (the SEO checkers' rule), or outside 1.5 IQR of the "
    "article's section lengths (with 4 or more sections)."
)


def _table(rows) -> None:
    """A table whose long text wraps (st.dataframe would cut it); every cell escaped."""
    st.html(markup.TABLE_STYLE + markup.table_html(rows))


def render(page: Page) -> None:
    report = loaders.article_audit(page.article, page.article.source.sha256)
    chosen = page.section_ids
    summary = [*report.summary, *checks.summary_lines(page)]
    st.markdown("**Summary** (whole article)\n\n" + "\n".join("- " + markup.md_escape(s) for s in summary))
    citations = audit_rules.citation_rows(report, page.headings, chosen)
    st.subheader("Citations")
    if citations.empty:
        st.info("No citations to audit: the article has no reference list and no links in the selected sections.")
    else:
        _table(citations)
    checks.render(page, "audit", summary=False)
    st.subheader("Claims with no source")
    claims = audit_rules.claim_rows(report, page.headings, chosen)
    if claims.empty:
        st.info("No sentence in the selected sections asserts evidence (studies, trials, figures, durations).")
    else:
        if not report.has_inline_citations:
            st.caption(
                "This article has no links or footnotes in its text, so none of its claims can be tied to a "
                "source; the reference list alone does not say which claim it supports."
            )
        _table(claims.assign(sourced=claims["sourced"].map({True: "yes", False: "no"})))
    st.subheader("Repeated sentences")
    repeats = audit_rules.repeat_rows(report, page.headings, chosen)
    if repeats.empty:
        threshold = audit_rules.REPEAT_THRESHOLD
        st.info(f"No near-duplicate sentences (similarity {threshold}% or more) in the selected sections.")
    else:
        st.caption(
            f"{report.repeated_share:.0%} of the article's sentences repeat an earlier one "
            f"(rapidfuzz token-set similarity ≥ {audit_rules.REPEAT_THRESHOLD}%)."
        )
        _table(repeats.assign(similarity=repeats["similarity"].map("{:.0f}%".format)))
    st.subheader("Sections")
    sections = audit_rules.section_rows(report, chosen)
    st.caption(SECTIONS_CAPTION)
    st.dataframe(sections, hide_index=True)
    export_buttons(
        "audit",
        page.article,
        citations,
        summary=list(report.summary),
        claims=claims,
        repeats=repeats,
        sections=sections,
    )
