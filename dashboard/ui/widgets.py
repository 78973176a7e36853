"""Small widgets every view uses: notes, the download buttons, and the one way a chart is drawn."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from dashboard import exports, render
from dashboard.model import Article

PLOTLY_CONFIG = {"displaylogo": False}  # keeps plotly's own PNG export, drops its logo link


def note(text: str, kind: str = "warning") -> None:
    """A message box (``kind``: warning, info, error, success) whose text is shown literally."""
    getattr(st, kind)(render.md_escape(text))


def chart(fig: go.Figure, where: DeltaGenerator | None = None, **options: Any) -> Any:
    """Draw a plotly figure (in ``where``, a column, when given) with the app's chart config."""
    return (where or st).plotly_chart(fig, config=PLOTLY_CONFIG, **options)


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
