"""Article Lens: the Streamlit page. Served by ``python -m dashboard serve`` (or ``streamlit run dashboard/app.py``).

A thin layer: the view state comes from the URL and goes back to it, the widgets
edit it, and every figure comes from cached calls into the package.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import streamlit as st

if __package__ in (None, ""):  # `streamlit run dashboard/app.py` runs this file as a script
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dashboard import (
    audit,
    charts,
    compare,
    exports,
    fetch,
    library,
    render,
    search,
    settings,
    store,
    tables,
    terms,
    viewstate,
)
from dashboard.citations import is_safe_link
from dashboard.model import Article, ParseError
from dashboard.viewstate import VIEW_LABELS, VIEWS, ViewState

# No page_icon: a Material icon or emoji favicon is fetched from a CDN, and the app makes no outside requests.
st.set_page_config(page_title="Article Lens", layout="wide")


# ---------------------------------------------------------------- cached data
@st.cache_resource(show_spinner=False)
def get_library(raw_dir: str, parsed_dir: str, database: str) -> library.Library:
    """One library per process; its backends open a short connection per call."""
    return library.Library(library.open_backend(), Path(raw_dir), Path(parsed_dir))


def library_key() -> tuple[str, str, str]:
    """What names this process's library: bundled folders and the database (settings may change in tests)."""
    return str(store.raw_dir()), str(store.parsed_dir()), settings.database_url() or str(settings.sqlite_path())


def lib() -> library.Library:
    return get_library(*library_key())


@st.cache_data(ttl=10, max_entries=4, show_spinner=False)
def list_entries(raw_dir: str, parsed_dir: str, database: str) -> list[library.Entry]:
    return lib().entries()


def entries() -> dict[str, library.Entry]:
    return {e.id: e for e in list_entries(*library_key())}


@st.cache_data(max_entries=32, show_spinner="Reading the article…")
def load_article(article_id: str, version: str) -> Article:
    """Parsed article. Added articles never change (the id is their hash); a bundled one is
    keyed by its file's modification time, so an edited source loads again."""
    return lib().get(article_id)


def open_article(article_id: str) -> Article:
    bundled = lib().bundled()
    version = str(bundled[article_id].stat().st_mtime_ns) if article_id in bundled else "stored"
    return load_article(article_id, version)


@st.cache_data(max_entries=64, show_spinner=False)
def section_tokens(_article: Article, sha: str, stop_add: tuple[str, ...], stop_keep: tuple[str, ...]):
    return terms.section_tokens(_article, terms.stopword_set(stop_add, stop_keep))


@st.cache_data(max_entries=32, show_spinner=False)
def article_tables(_article: Article, sha: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    return tables.sections_table(_article), tables.citations_table(_article)


@st.cache_data(max_entries=32, show_spinner="Auditing…")
def article_audit(_article: Article, sha: str) -> audit.Audit:
    return audit.audit(_article)


@st.cache_data(max_entries=16, show_spinner="Comparing…")
def compare_tables(ids: tuple[str, ...]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    arts = [open_article(i) for i in ids]
    return (
        compare.overview(arts),
        compare.section_lengths(arts),
        compare.citation_kinds(arts),
        compare.term_rates(arts),
    )


# ---------------------------------------------------------------- view state <-> URL and widgets
FIELDS = ("article", "view", "sections", "q", "word", "regex", "n", "stop_add", "stop_keep", "compare")
W = {f: f"w_{f}" for f in FIELDS}


def section_ids(article_id: str) -> list[str]:
    try:
        return [s.id for s in open_article(article_id).sections]
    except (ParseError, OSError, KeyError):
        return []


def seed_widgets_from_url(known: list[str]) -> None:
    """On a session's first run, put the link's view into the widgets (once)."""
    params = {k: st.query_params.get_all(k) for k in st.query_params}
    default = store.DEFAULT_ARTICLE if store.DEFAULT_ARTICLE in known else next(iter(known), "")
    # an id from another replica or from before a restart may not be listed yet: ask the store
    asked = [a for k in ("article", "compare") for v in params.get(k, []) for a in v.split(",")]
    known = known + [a for a in dict.fromkeys(asked) if a and a not in known and _exists(a)]
    state, notes = viewstate.from_query(params, articles=known, default_article=default, sections_of=section_ids)
    st.session_state.update(
        {
            W["article"]: state.article,
            W["view"]: VIEW_LABELS[state.view],
            W["sections"]: list(state.sections),
            W["q"]: state.q,
            W["word"]: state.word,
            W["regex"]: state.regex,
            W["n"]: state.n,
            W["stop_add"]: ", ".join(state.stop_add),
            W["stop_keep"]: ", ".join(state.stop_keep),
            W["compare"]: list(state.compare),
            "url_notes": notes,
            "default_article": default,
        }
    )


def _exists(article_id: str) -> bool:
    try:
        return len(article_id) <= 100 and lib().exists(article_id)
    except library.StoreError:
        return False


def state_from_widgets() -> ViewState:
    ss = st.session_state
    view = next(v for v in VIEWS if VIEW_LABELS[v] == ss[W["view"]])
    return ViewState(
        article=ss[W["article"]],
        view=view,
        sections=tuple(ss[W["sections"]]),
        q=ss[W["q"]].strip()[: search.MAX_QUERY_CHARS],
        word=bool(ss[W["word"]]),
        regex=bool(ss[W["regex"]]),
        n=int(ss[W["n"]]),
        stop_add=terms.parse_word_list(ss[W["stop_add"]])[: viewstate.MAX_WORDS_IN_LIST],
        stop_keep=terms.parse_word_list(ss[W["stop_keep"]])[: viewstate.MAX_WORDS_IN_LIST],
        compare=tuple(ss[W["compare"]]),
    )


def write_url(state: ViewState) -> dict[str, str]:
    query = viewstate.to_query(state, st.session_state["default_article"])
    if {k: st.query_params.get_all(k) for k in st.query_params} != {k: [v] for k, v in query.items()}:
        st.query_params.from_dict(query)
    return query


def select_article(article_id: str) -> None:
    """Switch to an article (from a callback, before the widgets exist in this run)."""
    st.session_state[W["article"]] = article_id
    st.session_state[W["sections"]] = []
    if st.session_state[W["view"]] in (VIEW_LABELS["library"], VIEW_LABELS["compare"]):
        st.session_state[W["view"]] = VIEW_LABELS["sections"]


def on_article_change() -> None:
    st.session_state[W["sections"]] = []


def on_search_change() -> None:
    if st.session_state[W["q"]].strip():
        st.session_state[W["view"]] = VIEW_LABELS["text"]


def on_bar_click(ids: list[str]) -> None:
    st.session_state[W["sections"]] = charts.selected_sections(st.session_state.get("len_chart"), ids)


def published_at(text: str) -> str | None:
    """The optional address a pasted or uploaded article was published at; nothing is fetched."""
    url = text.strip()
    if not url:
        return None
    if not is_safe_link(url):
        raise ParseError(f"“{render.visible(url[:200])}” is not an http(s) address; leave the box empty or give one")
    return url


def add_article(source: str) -> None:
    """Callback of the three Add buttons: parse, store, open; a plain message either way."""
    ss = st.session_state
    try:
        if source == "paste":
            text = ss.get("add_paste", "")
            # A browser can hand over lone UTF-16 surrogates, which no UTF-8 text may hold.
            data, name, fmt = text.encode("utf-8", "replace"), "pasted text", None
            if not text.strip():
                raise ParseError("paste some text first")
            origin = published_at(ss.get("add_paste_origin", ""))
        elif source == "upload":
            upload = ss.get("add_upload")
            if upload is None:
                raise ParseError("choose a file first")
            data, name, fmt = upload.getvalue(), upload.name, None
            origin = published_at(ss.get("add_upload_origin", ""))
        else:
            url = ss.get("add_url", "").strip()
            if not url:
                raise ParseError("type a URL first")
            got = fetch.fetch(
                url,
                timeout=settings.fetch_timeout(),
                max_bytes=settings.max_upload_bytes(),
                allow_loopback=settings.allow_loopback_urls(),
            )
            data, name, fmt, origin = got.data, fetch.name_for(got), None, got.url
        entry = lib().add(data, name, fmt, origin)
    except (ParseError, fetch.FetchError, library.StoreError) as e:
        ss["add_message"] = ("error", f"Could not add the article: {e}")
        return
    list_entries.clear()
    select_article(entry.id)
    ss["add_message"] = ("success", f"Added “{entry.title}” ({entry.format}, {entry.words:,} words).")
    if source == "paste":
        ss["add_paste"] = ""
        ss["add_paste_origin"] = ""
    elif source == "upload":
        ss["add_upload_origin"] = ""
    elif source == "url":
        ss["add_url"] = ""


def remove_article(article_id: str) -> None:
    try:
        lib().remove(article_id)
    except (ValueError, library.StoreError) as e:
        st.session_state["add_message"] = ("error", str(e))
        return
    list_entries.clear()
    st.session_state[W["compare"]] = [a for a in st.session_state[W["compare"]] if a != article_id]
    select_article(st.session_state["default_article"])
    st.session_state["add_message"] = ("success", "The article was removed from the library.")


# ---------------------------------------------------------------- page
def note(text: str, kind: str = "warning") -> None:
    getattr(st, kind)(render.md_escape(text))


def export_buttons(view: str, article: Article, main: pd.DataFrame, **more: object) -> None:
    """Download this view's data: the main table as CSV, everything as JSON (charts have their own PNG)."""
    name = f"{article.slug}-{view}"
    left, right, _ = st.columns([1, 1, 4])
    left.download_button(
        "Download CSV",
        data=lambda: exports.csv_text(main),
        file_name=f"{name}.csv",
        mime="text/csv",
        on_click="ignore",
        key=f"csv_{view}",
        icon=":material/download:",
    )
    right.download_button(
        "Download JSON",
        data=lambda: exports.json_text({"table": main, **more}, view, article.slug),
        file_name=f"{name}.json",
        mime="application/json",
        on_click="ignore",
        key=f"json_{view}",
        icon=":material/download:",
    )


def entry_label(entry: library.Entry | None, article_id: str) -> str:
    if entry is None:
        return article_id
    title = entry.title if len(entry.title) <= 60 else entry.title[:59] + "…"
    return f"{title} ({library_format(entry.format)})"


def library_format(fmt: str) -> str:
    return {"txt": "text", "md": "Markdown", "html": "HTML"}.get(fmt, fmt)


def sidebar(known: dict[str, library.Entry], article: Article) -> None:
    with st.sidebar:
        st.header("Article Lens")
        options = list(known)
        if st.session_state[W["article"]] not in options:
            options.append(st.session_state[W["article"]])
        st.selectbox(
            "Article",
            options,
            key=W["article"],
            on_change=on_article_change,
            format_func=lambda a: entry_label(known.get(a), a),
        )
        add_box()
        headings = {s.id: s.heading for s in article.sections}
        st.multiselect(
            "Sections",
            list(headings),
            key=W["sections"],
            format_func=lambda s: headings.get(s, s),
            placeholder="All sections",
            help="Every view shows only these sections. Empty means all.",
        )
        st.text_input(
            "Search the text",
            key=W["q"],
            on_change=on_search_change,
            max_chars=search.MAX_QUERY_CHARS,
            placeholder="a word or phrase",
            help="Case-insensitive. Literal text, unless 'Pattern' is ticked.",
        )
        st.checkbox("Whole words only", key=W["word"])
        st.checkbox(
            "Pattern (regular expression)",
            key=W["regex"],
            help="RE2 syntax, case-insensitive; searched in time proportional to the text, whatever the pattern.",
        )
        st.divider()
        st.slider("Terms to show", *viewstate.TOP_N_RANGE, key=W["n"])
        st.text_input(
            "Extra stopwords",
            key=W["stop_add"],
            placeholder="comma-separated",
            help="Words to leave out of the key terms, besides the packaged English list.",
        )
        st.text_input(
            "Keep these words",
            key=W["stop_keep"],
            placeholder="comma-separated",
            help="Words from the packaged stopword list to count as terms after all.",
        )


def add_box() -> None:
    """Paste, upload or load an article by URL; each stores it in the library and opens it."""
    limit_mb = settings.max_upload_bytes() / (1024 * 1024)
    message = st.session_state.pop("add_message", None)
    with st.expander("Add an article", expanded=message is not None):
        paste, upload, url = st.tabs(["Paste", "Upload", "URL"])
        with paste:
            st.text_area(
                "Article text",
                key="add_paste",
                height=120,
                max_chars=int(limit_mb * 1024 * 1024),
                placeholder="Plain text, Markdown or HTML",
            )
            st.text_input(
                "Where it was published (optional)",
                key="add_paste_origin",
                placeholder="https://…",
                help="The page's address: links to its own site are then not counted as citations.",
            )
            st.button("Add pasted text", key="add_paste_btn", on_click=add_article, args=("paste",))
        with upload:
            st.file_uploader(
                "A .txt, .md or .html file",
                type=["txt", "md", "markdown", "html", "htm"],
                key="add_upload",
                max_upload_size=max(1, round(limit_mb)),
            )
            st.text_input(
                "Where it was published (optional)",
                key="add_upload_origin",
                placeholder="https://…",
                help="The page's address: links to its own site are then not counted as citations.",
            )
            st.button("Add file", key="add_upload_btn", on_click=add_article, args=("upload",))
        with url:
            st.text_input("Page URL (http or https)", key="add_url", placeholder="https://…")
            st.button("Load page", key="add_url_btn", on_click=add_article, args=("url",))
            st.caption("The page is fetched once, when you press the button, and kept in the library.")
        st.caption(f"Up to {limit_mb:g} MB. Added articles are kept, so their links keep working.")
    if message:
        note(message[1], message[0])


def share_box(query: dict[str, str]) -> None:
    link = viewstate.share_link(st.context.url, query)
    with st.sidebar:
        st.divider()
        st.markdown("**Share this view**")
        st.code(link, language=None, wrap_lines=True)
        st.caption("The link holds the article, sections, search and options; it opens this same view.")


def header(article: Article, figures: dict[str, int], n_sections_total: int) -> None:
    page = f'<div class="al-page">{render.escape(article.page_title)}</div>' if article.page_title else ""
    st.html(f'{page}<h1 class="al-title">{render.escape(article.title)}</h1>' + HEADER_STYLE)
    cols = st.columns(5)
    cols[0].metric("Words", f"{figures['words']:,}")
    cols[1].metric("Sentences", figures["sentences"])
    cols[2].metric("Sections", f"{figures['sections']} of {n_sections_total}")
    cols[3].metric("Citations", figures["citations"])
    cols[4].metric("Reading time", f"{figures['reading_minutes']} min")


HEADER_STYLE = """<style>
.al-page { color: #6b7280; font-size: 0.95rem; margin-bottom: -0.4rem; }
.al-title { font-size: 1.9rem; line-height: 1.25; margin: 0.2rem 0 0.4rem 0; padding: 0; }
</style>"""


def sections_view(article: Article, state: ViewState, ids: list[str]) -> None:
    sec_df, _ = article_tables(article, article.source.sha256)
    all_ids = sec_df["section"].tolist()
    fig = charts.section_lengths(sec_df, list(state.sections))
    st.plotly_chart(
        fig,
        key="len_chart",
        on_select=lambda: on_bar_click(all_ids),
        selection_mode="points",
        config={"displaylogo": False},
    )
    shown = sec_df[sec_df["section"].isin(ids)].assign(
        lines=lambda d: d["line_start"].astype(str) + "–" + d["line_end"].astype(str)
    )
    st.dataframe(
        shown[["heading", "inferred", "lines", "words", "sentences"]],
        hide_index=True,
        column_config={"inferred": st.column_config.CheckboxColumn("heading inferred")},
    )
    export_buttons("sections", article, shown.drop(columns=["lines"]))


def terms_view(article: Article, state: ViewState, ids: list[str]) -> None:
    tokens = section_tokens(article, article.source.sha256, state.stop_add, state.stop_keep)
    top = terms.term_counts(tokens, ids).head(state.n)
    if top.empty:
        note(
            "No key terms: the selected sections have no words left once stopwords, numbers and URLs are removed.",
            "info",
        )
        return
    left, right = st.columns(2)
    left.plotly_chart(charts.top_bars(top, "term", f"Top {len(top)} terms"), config={"displaylogo": False})
    bigrams = terms.bigram_counts(tokens, ids).head(state.n)
    if bigrams.empty:
        right.info("No bigrams: no two content words stand next to each other in the selected sections.")
    else:
        right.plotly_chart(
            charts.top_bars(bigrams, "bigram", f"Top {len(bigrams)} bigrams", "#3c9aa5"), config={"displaylogo": False}
        )
    headings = {s.id: s.heading for s in article.sections}
    matrix = terms.term_section_matrix(tokens, ids, top["term"].tolist())
    st.plotly_chart(charts.term_heatmap(matrix, headings), config={"displaylogo": False})
    st.subheader("Distinctive terms per section")
    if len(article.sections) < 2:
        st.info("Distinctive terms compare a section with the rest of the article; this article has one section.")
        export_buttons("terms", article, top, bigrams=bigrams, by_section=matrix.reset_index(names="term"))
        return
    dist = terms.distinctive_terms(tokens, ids)
    dist = dist.assign(section=dist["section"].map(headings))
    st.caption(
        "Terms used more in a section than in the rest of the article, ranked by log-likelihood (G²). "
        "G² ≥ 3.84 is significant at p < 0.05."
    )
    st.dataframe(dist, hide_index=True, column_config={"elsewhere": "count elsewhere", "g2": "G²"})
    export_buttons(
        "terms", article, top, bigrams=bigrams, distinctive=dist, by_section=matrix.reset_index(names="term")
    )


def citations_view(article: Article, state: ViewState, ids: list[str]) -> None:
    _, cit_df = article_tables(article, article.source.sha256)
    if cit_df.empty:
        note("This article has no citations: no reference list was found and the text links nowhere.", "info")
        return
    headings = {s.id: s.heading for s in article.sections}
    shown = cit_df[cit_df["section"].isna() | cit_df["section"].isin(ids)]
    in_list = int(cit_df["section"].isna().sum())
    if in_list and state.sections:
        st.caption(
            f"The {in_list} entries of the reference list belong to the whole article, not to one section, "
            "so they show whatever sections are selected."
        )
    if shown.empty:
        note("No citations in the selected sections.", "info")
        return
    st.markdown(render.md_escape(tables.kind_summary(shown)))
    st.plotly_chart(charts.citation_domains(shown), config={"displaylogo": False})
    table = shown.assign(
        link=shown["url"].where(shown["url"].map(is_safe_link), ""),
        where=shown["section"].map(headings).fillna("reference list"),
        found=shown["derived"].map({True: "identifier in the text", False: "written"}),
    ).fillna({"url": "", "host": "", "domain": "", "provider": ""})
    table = table.assign(url=table["url"].map(render.visible), host=table["host"].map(render.visible))
    st.dataframe(
        table[["n", "link", "url", "kind", "kind_reason", "where", "found", "host", "domain", "provider", "line"]],
        hide_index=True,
        column_config={
            "n": "#",
            "link": st.column_config.LinkColumn("open", display_text="open ↗", help="Only http(s) links open"),
            "url": st.column_config.TextColumn("URL", width="large"),
            "found": st.column_config.TextColumn(
                "URL is", help="'identifier in the text': built from a DOI, PMID, PMCID or arXiv id the text gives"
            ),
            "kind_reason": st.column_config.TextColumn("why this kind", width="medium"),
        },
    )
    export_buttons("citations", article, shown)


def audit_view(article: Article, state: ViewState, ids: list[str]) -> None:
    report = article_audit(article, article.source.sha256)
    chosen = set(ids)
    headings = {s.id: s.heading for s in article.sections}
    st.markdown("**Summary** (whole article)\n\n" + "\n".join("- " + render.md_escape(s) for s in report.summary))
    cites = pd.DataFrame(
        [
            {
                "#": c.n,
                "URL": render.visible(c.url) if c.url else "(no URL)",
                "kind": c.kind,
                "why this kind": c.kind_reason,
                "where": headings.get(c.section, "reference list") if c.section else "reference list",
                "warning signs": len(c.signals),
                "why": " ".join(s.reason for s in c.signals) or "no warning signs",
            }
            for c in report.citations
            if c.section is None or c.section in chosen
        ]
    )
    st.subheader("Citations")
    if cites.empty:
        st.info("No citations to audit: the article has no reference list and no links in the selected sections.")
    else:
        st.html(render.TABLE_STYLE + render.table_html(cites))
    st.subheader("Claims with no source")
    claims = pd.DataFrame(
        [
            {
                "section": headings[c.section],
                "#": c.sentence,
                "claim": c.text,
                "asserts": ", ".join(c.labels),
                "sourced": c.supported,
            }
            for c in report.claims
            if c.section in chosen
        ],
        columns=["section", "#", "claim", "asserts", "sourced"],
    )
    if claims.empty:
        st.info("No sentence in the selected sections asserts evidence (studies, trials, figures, durations).")
    else:
        if not report.has_inline_citations:
            st.caption(
                "This article has no links or footnotes in its text, so none of its claims can be tied to a "
                "source; the reference list alone does not say which claim it supports."
            )
        st.html(
            render.TABLE_STYLE
            + render.table_html(claims.assign(sourced=claims["sourced"].map({True: "yes", False: "no"})))
        )
    st.subheader("Repeated sentences")
    repeats = pd.DataFrame(
        [
            {
                "similarity": r.similarity,
                "first": f"{headings[r.section_a]} #{r.sentence_a}",
                "sentence": r.text_a,
                "repeated in": f"{headings[r.section_b]} #{r.sentence_b}",
                "repeat": r.text_b,
            }
            for r in report.repeats
            if r.section_a in chosen or r.section_b in chosen
        ],
        columns=["similarity", "first", "sentence", "repeated in", "repeat"],
    )
    if repeats.empty:
        st.info(f"No near-duplicate sentences (similarity {audit.REPEAT_THRESHOLD}% or more) in the selected sections.")
    else:
        st.caption(
            f"{report.repeated_share:.0%} of the article's sentences repeat an earlier one "
            f"(rapidfuzz token-set similarity ≥ {audit.REPEAT_THRESHOLD}%)."
        )
        shown = repeats.assign(similarity=repeats["similarity"].map("{:.0f}%".format))
        st.html(render.TABLE_STYLE + render.table_html(shown))
    st.subheader("Sections")
    table = report.sections[report.sections["section"].isin(chosen)].drop(columns=["section"])
    st.caption(
        f"Reading ease: Flesch (higher is easier; 60-70 is plain English). Length flags: over "
        f"{audit.SEO_SECTION_WORDS} words under one heading (the SEO checkers' rule), or outside 1.5 IQR of the "
        "article's section lengths (with 4 or more sections)."
    )
    st.dataframe(table, hide_index=True)
    export_buttons(
        "audit", article, cites, summary=list(report.summary), claims=claims, repeats=repeats, sections=table
    )


def text_view(article: Article, state: ViewState, ids: list[str]) -> None:
    try:
        pattern = search.compile_query(state.q, state.word, state.regex)
    except search.QueryError as e:
        note(f"{e}. Showing the text without highlights.", "info")
        pattern = None
    headings = {s.id: s.heading for s in article.sections}
    if pattern is not None:
        counts = search.match_counts(article, ids, pattern)
        total = int(counts["matches"].sum())
        if total == 0:
            note(
                f"No match for “{state.q}” in the selected sections" + (" (whole words only)." if state.word else "."),
                "info",
            )
        else:
            st.markdown(
                f"**{total}** match{'es' if total != 1 else ''} in **{int(counts['sentences'].sum())}** sentences."
            )
            left, right = st.columns([2, 3])
            left.plotly_chart(charts.match_counts(counts, headings, state.q), config={"displaylogo": False})
            right.dataframe(
                search.kwic(article, ids, pattern),
                hide_index=True,
                height=300,
                column_config={
                    "left": st.column_config.TextColumn(width="medium", alignment="right"),
                    "right": st.column_config.TextColumn(width="medium"),
                },
            )
    budget = [render.MAX_MARKS]
    parts = [
        render.section_html(s.heading, s.inferred, s.sentences, pattern, budget)
        for s in article.sections
        if s.id in set(ids)
    ]
    if budget[0] <= 0:
        note(f"Only the first {render.MAX_MARKS} matches are highlighted.", "info")
    st.html(render.TEXT_STYLE + "".join(parts))
    sentences = tables.sentences_table(article)
    sentences = sentences[sentences["section"].isin(ids)]
    if pattern is not None:
        sentences = sentences.assign(matches=sentences["sentence"].map(lambda t: len(search.spans(t, pattern))))
        export_buttons(
            "text",
            article,
            sentences,
            query=state.q,
            whole_word=state.word,
            keyword_in_context=search.kwic(article, ids, pattern),
        )
    else:
        export_buttons("text", article, sentences)


def compare_view(article: Article, state: ViewState, ids: list[str]) -> None:
    known = entries()
    st.multiselect(
        "Articles to compare",
        list(known),
        key=W["compare"],
        max_selections=viewstate.MAX_COMPARE,
        format_func=lambda a: entry_label(known.get(a), a),
        placeholder="Choose two or more articles",
    )
    chosen = tuple(st.session_state[W["compare"]])
    if len(chosen) < 2:
        st.info(
            "Choose two or more articles to see them side by side."
            if len(known) > 1
            else "There is only one article in the library: add another (sidebar, Add an article) to compare."
        )
        return
    overview, lengths, kinds, rates = compare_tables(chosen)
    labels = dict(zip(overview["article"], overview["title"], strict=True))
    st.dataframe(
        overview.drop(columns=["article"]),
        hide_index=True,
        column_config={
            "scholarly share": st.column_config.ProgressColumn("scholarly", format="percent", min_value=0, max_value=1),
            "source share": st.column_config.ProgressColumn(
                "scholarly + gov + edu", format="percent", min_value=0, max_value=1
            ),
            "median section words": st.column_config.NumberColumn(format="%.0f"),
        },
    )
    left, right = st.columns(2)
    left.plotly_chart(charts.compare_section_lengths(lengths, labels), config={"displaylogo": False})
    if kinds.empty:
        right.info("None of these articles cites anything.")
    else:
        right.plotly_chart(charts.compare_kinds(kinds, labels, list(chosen)), config={"displaylogo": False})
    if not rates.empty:
        st.plotly_chart(charts.compare_terms(rates, labels), config={"displaylogo": False})
    export_buttons(
        "compare",
        article,
        overview,
        section_lengths=lengths,
        citation_kinds=kinds,
        term_rates=rates.reset_index(names="term"),
    )


def library_view(article: Article, state: ViewState, ids: list[str]) -> None:
    known = entries()
    table = pd.DataFrame(
        [
            {
                "open": viewstate.share_link(None, {"article": e.id}),
                "title": e.title,
                "format": library_format(e.format),
                "added": "bundled" if e.bundled else e.added.replace("T", " ").replace("+00:00", " UTC"),
                "words": e.words,
                "citations": e.citations,
                "file": render.visible(e.name),
                "from": render.visible(e.origin or ""),
            }
            for e in known.values()
        ]
    )
    st.caption(
        f"{len(known)} article{'s' if len(known) != 1 else ''}. Each link opens the article; "
        "added articles are kept by their content's fingerprint, so links to them do not expire."
    )
    st.dataframe(
        table,
        hide_index=True,
        column_config={
            "open": st.column_config.LinkColumn("open", display_text="open ↗"),
            "from": st.column_config.TextColumn("loaded from"),
        },
    )
    export_buttons("library", article, table)
    current = known.get(state.article)
    if current is not None and not current.bundled:
        st.button(
            f"Remove “{current.title[:60]}” from the library",
            key="remove_btn",
            on_click=remove_article,
            args=(current.id,),
            type="secondary",
        )


VIEW_FUNCS = {
    "sections": sections_view,
    "terms": terms_view,
    "citations": citations_view,
    "audit": audit_view,
    "text": text_view,
    "compare": compare_view,
    "library": library_view,
}


def main() -> None:
    try:
        known = entries()
    except library.StoreError as e:
        note(f"The article library cannot be opened: {e}", "error")
        return
    if "default_article" not in st.session_state:
        seed_widgets_from_url(list(known))
    if st.session_state[W["article"]] not in known and not _exists(st.session_state[W["article"]]):
        st.session_state[W["article"]] = st.session_state["default_article"]
    try:
        article = open_article(st.session_state[W["article"]])
    except (ParseError, OSError, KeyError) as e:
        note(f"This article could not be read: {e}", "error")
        return

    sidebar(known, article)
    state = state_from_widgets()
    share_box(write_url(state))

    ids = tables.select_sections(article, state.sections)
    header(article, tables.summary(article, ids), len(article.sections))
    for text in st.session_state.get("url_notes", []):
        note(f"From the link: {text}.")
    if article.warnings:
        n_notes = len(article.warnings)
        with st.expander(f"How this article was parsed ({n_notes} note{'s' if n_notes != 1 else ''})"):
            for w in article.warnings:
                st.markdown("- " + render.md_escape(w))

    tabs = st.tabs([VIEW_LABELS[v] for v in VIEWS], key=W["view"], on_change="rerun")
    for view, tab in zip(VIEWS, tabs, strict=True):
        if tab.open:
            with tab:
                if not article.sections and view not in ("compare", "library"):
                    note("The parser found no article text in this file, so there is nothing to show.", "info")
                else:
                    VIEW_FUNCS[view](article, state, ids)


main()
