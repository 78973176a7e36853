"""Article Lens: the Streamlit page. Run with ``streamlit run dashboard/app.py``.

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

from dashboard import charts, render, search, store, tables, terms, viewstate
from dashboard.citations import is_safe_link
from dashboard.model import Article, ParseError
from dashboard.viewstate import VIEW_LABELS, VIEWS, ViewState

# No page_icon: a Material icon or emoji favicon is fetched from a CDN, and the app makes no outside requests.
st.set_page_config(page_title="Article Lens", layout="wide")


# ---------------------------------------------------------------- cached data
@st.cache_data(ttl=60, show_spinner=False)
def list_articles(raw_dir: str) -> dict[str, str]:
    return {slug: str(path) for slug, path in store.raw_articles(Path(raw_dir)).items()}


def available_articles() -> dict[str, str]:
    return list_articles(str(store.raw_dir()))


@st.cache_data(max_entries=32, show_spinner="Reading the article…")
def load_article(slug: str, path: str, mtime_ns: int, parsed_dir: str) -> Article:
    """Parsed article; mtime_ns in the key makes an edited source load again."""
    return store.load(Path(path), Path(parsed_dir), slug)[0]


@st.cache_data(max_entries=64, show_spinner=False)
def section_tokens(_article: Article, sha: str, stop_add: tuple[str, ...], stop_keep: tuple[str, ...]):
    return terms.section_tokens(_article, terms.stopword_set(stop_add, stop_keep))


@st.cache_data(max_entries=32, show_spinner=False)
def article_tables(_article: Article, sha: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    return tables.sections_table(_article), tables.citations_table(_article)


def open_article(slug: str) -> Article:
    path = Path(available_articles()[slug])
    return load_article(slug, str(path), path.stat().st_mtime_ns, str(store.parsed_dir()))


# ---------------------------------------------------------------- view state <-> URL and widgets
W = {f: f"w_{f}" for f in ("article", "view", "sections", "q", "word", "n", "stop_add", "stop_keep")}


def section_ids(slug: str) -> list[str]:
    try:
        return [s.id for s in open_article(slug).sections]
    except (ParseError, OSError):
        return []


def seed_widgets_from_url(articles: dict[str, str]) -> None:
    """On a session's first run, put the link's view into the widgets (once)."""
    params = {k: st.query_params.get_all(k) for k in st.query_params}
    default = store.DEFAULT_ARTICLE if store.DEFAULT_ARTICLE in articles else next(iter(articles), "")
    state, notes = viewstate.from_query(
        params, articles=list(articles), default_article=default, sections_of=section_ids
    )
    st.session_state.update(
        {
            W["article"]: state.article,
            W["view"]: VIEW_LABELS[state.view],
            W["sections"]: list(state.sections),
            W["q"]: state.q,
            W["word"]: state.word,
            W["n"]: state.n,
            W["stop_add"]: ", ".join(state.stop_add),
            W["stop_keep"]: ", ".join(state.stop_keep),
            "url_notes": notes,
            "default_article": default,
        }
    )


def state_from_widgets() -> ViewState:
    ss = st.session_state
    view = next(v for v in VIEWS if VIEW_LABELS[v] == ss[W["view"]])
    return ViewState(
        article=ss[W["article"]],
        view=view,
        sections=tuple(ss[W["sections"]]),
        q=ss[W["q"]].strip()[: search.MAX_QUERY_CHARS],
        word=bool(ss[W["word"]]),
        n=int(ss[W["n"]]),
        stop_add=terms.parse_word_list(ss[W["stop_add"]])[: viewstate.MAX_WORDS_IN_LIST],
        stop_keep=terms.parse_word_list(ss[W["stop_keep"]])[: viewstate.MAX_WORDS_IN_LIST],
    )


def write_url(state: ViewState) -> dict[str, str]:
    query = viewstate.to_query(state, st.session_state["default_article"])
    if {k: st.query_params.get_all(k) for k in st.query_params} != {k: [v] for k, v in query.items()}:
        st.query_params.from_dict(query)
    return query


def on_article_change() -> None:
    st.session_state[W["sections"]] = []


def on_search_change() -> None:
    if st.session_state[W["q"]].strip():
        st.session_state[W["view"]] = VIEW_LABELS["text"]


def on_bar_click(ids: list[str]) -> None:
    st.session_state[W["sections"]] = charts.selected_sections(st.session_state.get("len_chart"), ids)


# ---------------------------------------------------------------- page
def note(text: str, kind: str = "warning") -> None:
    getattr(st, kind)(render.md_escape(text))


def sidebar(articles: dict[str, str], article: Article) -> None:
    with st.sidebar:
        st.header("Article Lens")
        st.selectbox(
            "Article",
            list(articles),
            key=W["article"],
            on_change=on_article_change,
            format_func=lambda s: Path(articles[s]).name,
        )
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
            help="Case-insensitive, literal text (not a pattern).",
        )
        st.checkbox("Whole words only", key=W["word"])
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
        return
    dist = terms.distinctive_terms(tokens, ids)
    dist = dist.assign(section=dist["section"].map(headings))
    st.caption(
        "Terms used more in a section than in the rest of the article, ranked by log-likelihood (G²). "
        "G² ≥ 3.84 is significant at p < 0.05."
    )
    st.dataframe(dist, hide_index=True, column_config={"elsewhere": "count elsewhere", "g2": "G²"})


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
    ).fillna({"url": "", "host": "", "domain": "", "provider": ""})
    st.dataframe(
        table[["n", "link", "url", "host", "domain", "provider", "kind", "where", "line"]],
        hide_index=True,
        column_config={
            "n": "#",
            "link": st.column_config.LinkColumn("open", display_text="open ↗", help="Only http(s) links open"),
            "url": st.column_config.TextColumn("URL as written", width="large"),
        },
    )


def text_view(article: Article, state: ViewState, ids: list[str]) -> None:
    pattern = search.compile_query(state.q, state.word)
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


VIEW_FUNCS = {"sections": sections_view, "terms": terms_view, "citations": citations_view, "text": text_view}


def main() -> None:
    articles = available_articles()
    if not articles:
        note(f"No articles found in {store.raw_dir()}. Add a .txt article there and reload.", "error")
        return
    if "default_article" not in st.session_state:
        seed_widgets_from_url(articles)
    if st.session_state[W["article"]] not in articles:
        st.session_state[W["article"]] = st.session_state["default_article"]
    try:
        article = open_article(st.session_state[W["article"]])
    except (ParseError, OSError) as e:
        st.error(render.md_escape(f"This article could not be read: {e}"))
        return

    sidebar(articles, article)
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
    if not article.sections:
        note("The parser found no article text in this file, so there is nothing to show.", "info")
        return

    tabs = st.tabs([VIEW_LABELS[v] for v in VIEWS], key=W["view"], on_change="rerun")
    for view, tab in zip(VIEWS, tabs, strict=True):
        if tab.open:
            with tab:
                VIEW_FUNCS[view](article, state, ids)


main()
