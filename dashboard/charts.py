"""Plotly figures from the analysis tables. No Streamlit here."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from .citations import KINDS

SELECTED = "#1f6feb"
UNSELECTED = "#9db7e0"
KIND_COLOURS = {
    "scholarly": "#1b7f3b",
    "government": "#2f6fb5",
    "education": "#6a4fb3",
    "news": "#b5651d",
    "reference": "#3c9aa5",
    "social": "#d6457a",
    "blog platform": "#e08a00",
    "cloud storage / CDN": "#c0392b",
    "other": "#7f8c8d",
    "no URL": "#bdc3c7",
}
FONT = {"family": "Source Sans Pro, sans-serif", "size": 14}


def _layout(fig: go.Figure, title: str, x: str, y: str, height: int) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 17}},
        xaxis_title=x,
        yaxis_title=y,
        template="plotly_white",
        font=FONT,
        height=height,
        margin={"l": 10, "r": 10, "t": 56, "b": 10},
    )
    return fig


def _plain(text: str) -> str:
    """Text for plotly, which reads a few HTML tags in titles, labels and hover text."""
    return html.escape(text, quote=False)


def wrap_label(text: str, width: int = 24, max_lines: int = 3) -> str:
    """Break a long heading over a few lines (<br>) for an axis label, escaped for plotly's markup."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: width - 1] + "…"
    return "<br>".join(html.escape(line, quote=False) for line in lines)


def section_lengths(sections: pd.DataFrame, selected: Sequence[str]) -> go.Figure:
    """Words per section; chosen sections in the strong colour. Click a bar to choose it."""
    chosen = set(selected)
    colours = [SELECTED if (not chosen or s in chosen) else UNSELECTED for s in sections["section"]]
    ids = sections["section"].tolist()
    fig = go.Figure(
        go.Bar(
            x=ids,
            y=sections["words"],
            marker_color=colours,
            customdata=list(zip(sections["heading"].map(_plain), sections["sentences"], strict=True)),
            hovertemplate="<b>%{customdata[0]}</b><br>%{y} words<br>%{customdata[1]} sentences<extra></extra>",
            text=sections["words"],
            textposition="outside",
            cliponaxis=False,
        )
    )
    fig.update_layout(clickmode="event+select", showlegend=False)
    fig.update_xaxes(type="category", tickvals=ids, ticktext=[wrap_label(h) for h in sections["heading"]])
    return _layout(fig, "Words per section (click a bar to filter)", "Section", "Words", 380)


def top_bars(df: pd.DataFrame, label: str, title: str, colour: str = SELECTED) -> go.Figure:
    """Horizontal bars, most frequent at the top."""
    df = df.iloc[::-1]
    fig = go.Figure(
        go.Bar(
            x=df["count"], y=df[label], orientation="h", marker_color=colour, hovertemplate="%{y}: %{x}<extra></extra>"
        )
    )
    height = max(260, 24 * len(df) + 90)
    fig = _layout(fig, title, "Occurrences", label.capitalize(), height)
    fig.update_yaxes(automargin=True)
    return fig


def _heatmap(
    matrix: pd.DataFrame,
    x_labels: Sequence[str],
    hover: str,
    scale_title: str,
    customdata: list[list[str]] | None = None,
) -> go.Figure:
    """Rows of ``matrix`` against its columns (ids on the axis, ``x_labels`` shown), values written in."""
    ids = list(matrix.columns)
    fig = go.Figure(
        go.Heatmap(
            z=matrix.to_numpy(),
            x=ids,
            y=list(matrix.index),
            colorscale="Blues",
            text=matrix.to_numpy(),
            texttemplate="%{text}",
            customdata=customdata,
            hovertemplate=hover,
            colorbar={"title": {"text": scale_title}},
        )
    )
    fig.update_xaxes(type="category", tickvals=ids, ticktext=list(x_labels))
    fig.update_yaxes(autorange="reversed", automargin=True)
    return fig


def term_heatmap(matrix: pd.DataFrame, headings: Mapping[str, str]) -> go.Figure:
    """Counts of the top terms (rows) across sections (columns)."""
    ids = list(matrix.columns)
    fig = _heatmap(
        matrix,
        [wrap_label(headings.get(c, c), 18) for c in ids],
        "%{y} in %{customdata}: %{z}<extra></extra>",
        "Count",
        customdata=[[_plain(headings.get(c, c)) for c in ids] for _ in matrix.index],
    )
    height = max(300, 26 * len(matrix.index) + 130)
    return _layout(fig, "How the top terms spread across sections", "Section", "Term", height)


def citation_domains(citations: pd.DataFrame) -> go.Figure:
    """Citations per registered domain, stacked by kind."""
    df = citations.assign(domain=citations["domain"].fillna(citations["host"]).fillna("(no domain)"))
    counts = df.groupby(["domain", "kind"], sort=False).size().reset_index(name="count")
    order = counts.groupby("domain")["count"].sum().sort_values(kind="stable").index.tolist()
    fig = go.Figure()
    for kind in KINDS:
        part = counts[counts["kind"] == kind]
        if part.empty:
            continue
        fig.add_bar(
            x=part["count"],
            y=part["domain"],
            name=kind,
            orientation="h",
            marker_color=KIND_COLOURS[kind],
            hovertemplate="%{y}: %{x} (" + kind + ")<extra></extra>",
        )
    fig.update_layout(barmode="stack", legend={"title": {"text": "Kind"}})
    fig.update_yaxes(categoryorder="array", categoryarray=order, automargin=True)
    fig.update_xaxes(dtick=1)
    height = max(280, 28 * len(order) + 120)
    return _layout(fig, "Citations by domain, coloured by kind", "Citations", "Domain", height)


def match_counts(counts: pd.DataFrame, headings: Mapping[str, str], query: str) -> go.Figure:
    """Matches per section as horizontal bars, in article order from the top."""
    counts = counts.iloc[::-1]
    ids = counts["section"].tolist()
    fig = go.Figure(
        go.Bar(
            x=counts["matches"],
            y=ids,
            orientation="h",
            marker_color=SELECTED,
            customdata=counts[["sentences"]].to_numpy(),
            hovertemplate="%{x} matches in %{customdata[0]} sentences<extra></extra>",
        )
    )
    shown = query if len(query) <= 40 else query[:39] + "…"
    height = max(260, 46 * len(counts) + 120)
    fig = _layout(fig, f"Matches for “{_plain(shown)}” per section", "Matches", "Section", height)
    fig.update_xaxes(rangemode="tozero")
    fig.update_yaxes(
        type="category", tickvals=ids, ticktext=[wrap_label(headings.get(s, s), 28) for s in ids], automargin=True
    )
    return fig


def selected_sections(event: Mapping[str, Any] | None, section_ids: Sequence[str]) -> list[str]:
    """Section ids of the bars a user clicked, from a Streamlit plotly selection event."""
    if not event:
        return []
    try:
        points = event["selection"]["points"]
    except (KeyError, TypeError):
        return []
    picked = []
    for p in points or []:
        idx = p.get("point_index", p.get("point_number")) if isinstance(p, Mapping) else None
        if isinstance(idx, int) and 0 <= idx < len(section_ids) and section_ids[idx] not in picked:
            picked.append(section_ids[idx])
    return picked


def compare_section_lengths(df: pd.DataFrame, labels: Mapping[str, str]) -> go.Figure:
    """Words per section, one box (with every section as a point) per article."""
    fig = go.Figure()
    for slug, part in df.groupby("article", sort=False):
        fig.add_box(
            y=part["words"],
            name=wrap_label(labels.get(str(slug), str(slug)), 18),
            boxpoints="all",
            jitter=0.3,
            pointpos=0,
            customdata=[_plain(h) for h in part["section"]],
            hovertemplate="%{customdata}: %{y} words<extra></extra>",
            marker_color=SELECTED,
            showlegend=False,
        )
    fig.update_xaxes(tickangle=0)
    return _layout(fig, "Words per section, by article", "Article", "Words per section", 400)


def compare_kinds(df: pd.DataFrame, labels: Mapping[str, str], order: Sequence[str]) -> go.Figure:
    """Citations of each kind per article, stacked."""
    fig = go.Figure()
    names = [wrap_label(labels.get(a, a), 18) for a in order]
    for kind in KINDS:
        part = df[df["kind"] == kind].set_index("article")["count"]
        if part.empty:
            continue
        fig.add_bar(
            x=names,
            y=[int(part.get(a, 0)) for a in order],
            name=kind,
            marker_color=KIND_COLOURS[kind],
            hovertemplate="%{y} " + kind + "<extra></extra>",
        )
    fig.update_layout(barmode="stack", legend={"title": {"text": "Kind"}})
    fig.update_xaxes(tickangle=0)
    return _layout(fig, "Citations by kind, by article", "Article", "Citations", 400)


def compare_terms(rates: pd.DataFrame, labels: Mapping[str, str]) -> go.Figure:
    """Top terms' rates per 1,000 words across articles."""
    fig = _heatmap(
        rates,
        [wrap_label(labels.get(i, i), 22) for i in rates.columns],
        "%{y}: %{z} per 1,000 words<extra></extra>",
        "per 1,000 words",
    )
    height = max(300, 24 * len(rates.index) + 140)
    return _layout(fig, "Top terms per 1,000 words, by article", "Article", "Term", height)
