"""The 'plain app' floor: the bundled article's sentences, three plotly charts, a dataframe and a
search box, written the straightforward way (no caching, everything rerun on every change)."""

from pathlib import Path

import pandas as pd
import plotly.express as px
import streamlit as st

ROOT = Path(__file__).resolve().parent.parent
text = (ROOT / "data" / "raw" / "ketamine-for-depression.txt").read_text()
rows = [{"line": i + 1, "text": t, "words": len(t.split())} for i, t in enumerate(text.split("\n")) if t.strip()]
df = pd.DataFrame(rows)
q = st.text_input("Search", key="q")
shown = df[df["text"].str.contains(q, case=False, regex=False)] if q else df
st.plotly_chart(px.bar(shown, x="line", y="words", title="Words per line"))
st.plotly_chart(px.histogram(shown, x="words", title="Line lengths"))
st.plotly_chart(px.scatter(shown, x="line", y="words", title="Words by line"))
st.dataframe(shown)
