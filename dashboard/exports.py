"""A view's data as CSV and JSON, for the download buttons."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pandas as pd


def csv_text(df: pd.DataFrame) -> str:
    return df.to_csv(index=False, lineterminator="\n")


def json_text(data: Mapping[str, Any], view: str, article: str) -> str:
    """{"view", "article", and each table as a list of records (other values as they are)}."""
    out: dict[str, Any] = {"view": view, "article": article}
    for name, value in data.items():
        out[name] = json.loads(value.to_json(orient="records")) if isinstance(value, pd.DataFrame) else value
    return json.dumps(out, ensure_ascii=False, indent=1) + "\n"
