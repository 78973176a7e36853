from __future__ import annotations

import json

import pandas as pd

from dashboard import exports


def test_csv_and_json():
    df = pd.DataFrame({"term": ["ketamine", "déjà"], "count": [26, 1]})
    assert exports.csv_text(df) == "term,count\nketamine,26\ndéjà,1\n"
    data = json.loads(exports.json_text({"table": df, "query": "x", "more": df.head(1)}, "terms", "seed"))
    assert data == {
        "view": "terms",
        "article": "seed",
        "query": "x",
        "table": [{"term": "ketamine", "count": 26}, {"term": "déjà", "count": 1}],
        "more": [{"term": "ketamine", "count": 26}],
    }
