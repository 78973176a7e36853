"""Cheap sessions: what every session shows the same is built once and shared, never changed by a
view; Streamlit's forced collection after each run is off; the protocol load run's inputs are sound."""

from __future__ import annotations

import tomllib

import pandas as pd
import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.testing.v1 import AppTest

from bench import protocol_load
from dashboard import search, settings, tables
from dashboard.errors import QueryError
from dashboard.parse import detect_format
from dashboard.ui import loaders
from dashboard.ui.views import shared

from .conftest import ROOT

APP = str(ROOT / "dashboard" / "app.py")


@pytest.fixture(autouse=True)
def own_library(tmp_path, monkeypatch):
    monkeypatch.setenv(settings.SQLITE_PATH, str(tmp_path / "library.sqlite3"))
    monkeypatch.delenv(settings.DATABASE_URL, raising=False)


def test_no_forced_full_collection_after_each_run():
    """Streamlit's gc.collect(2) after every run was most of the server's CPU per viewer (bench/LOAD.md)."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["runner"]["postScriptGC"] is False


def test_one_search_result_is_shared_by_every_session(seed):
    sha, ids = seed.source.sha256, tuple(s.id for s in seed.sections)
    first = shared.text_search(seed, sha, ids, "ketamine", False, False)
    assert shared.text_search(seed, sha, ids, "ketamine", False, False) is first
    other = shared.text_search(seed, sha, ids, "depression", False, False)
    assert other is not first and int(other.counts["matches"].sum()) > 0
    assert shared.text_search(seed, sha, ids[:1], "ketamine", False, False) is not first


def test_an_unusable_pattern_is_refused_every_time_not_kept(seed):
    sha, ids = seed.source.sha256, tuple(s.id for s in seed.sections)
    for _ in range(2):
        with pytest.raises(QueryError):
            shared.text_search(seed, sha, ids, "(unclosed", False, True)


def test_tables_are_shared_and_equal_a_fresh_computation(seed):
    sha, ids = seed.source.sha256, tuple(s.id for s in seed.sections)
    sections, citations = shared.article_tables(seed, sha)
    assert shared.article_tables(seed, sha)[0] is sections
    pd.testing.assert_frame_equal(sections, tables.sections_table(seed))
    pd.testing.assert_frame_equal(citations, tables.citations_table(seed))
    pd.testing.assert_frame_equal(
        shared.section_rows(seed, sha, ids[1:]), tables.section_rows(tables.sections_table(seed), ids[1:])
    )


@pytest.mark.parametrize(
    "params",
    [
        {"view": "sections", "sections": "introduction"},
        {"view": "terms"},
        {"view": "citations"},
        {"view": "text", "q": "ketamine"},
    ],
)
def test_views_leave_what_they_share_unchanged(seed, params):
    """Two sessions draw each view; the shared tables still equal a fresh computation after."""
    for _ in range(2):
        at = AppTest.from_file(APP, default_timeout=60)
        for key, value in params.items():
            at.query_params[key] = value
        assert not at.run().exception
    sha, ids = seed.source.sha256, tuple(s.id for s in seed.sections)
    sections, citations = shared.article_tables(seed, sha)
    pd.testing.assert_frame_equal(sections, tables.sections_table(seed))
    pd.testing.assert_frame_equal(citations, tables.citations_table(seed))
    found = shared.text_search(seed, sha, ids, "ketamine", False, False)
    fresh = loaders.text_results(seed, ids, search.compile_query("ketamine"))
    pd.testing.assert_frame_equal(found.counts, fresh.counts)
    pd.testing.assert_frame_equal(found.sentences, fresh.sentences)
    terms = shared.term_tables(seed, sha, (), (), ids, 15)
    assert terms is not None
    assert terms.top["term"].is_unique and len(terms.top) == 15


def test_the_hostile_paste_fits_the_paste_box_and_is_html():
    text = protocol_load.hostile_text()
    assert len(text.encode()) <= protocol_load.HOSTILE_BYTES <= settings.max_upload_bytes()
    assert detect_format("pasted text", text.encode()) == "html"


def test_a_rerun_message_carries_the_paste_and_the_press():
    msg = BackMsg()
    msg.ParseFromString(protocol_load.rerun_msg("view=sections", "h", [("$$ID-1-add_paste", "text")], ["$$ID-2-b"]))
    widgets = {w.id: w for w in msg.rerun_script.widget_states.widgets}
    assert msg.rerun_script.query_string == "view=sections" and msg.rerun_script.page_script_hash == "h"
    assert widgets["$$ID-1-add_paste"].string_value == "text"
    assert widgets["$$ID-2-b"].trigger_value is True
    assert protocol_load._user_key("$$ID-1-add_paste") == "add_paste"
