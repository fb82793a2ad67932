from __future__ import annotations

import os
from pathlib import Path

from streamlit.testing.v1 import AppTest

from backtrack.store import JournalStore
from tests.factories import literal


def test_navigation_lists_only_working_pages(app):
    at = app()
    assert not at.exception
    assert "does not diagnose" in at.sidebar.caption[0].value


def test_a_damaged_journal_is_explained_and_left_alone(tmp_path):
    db = Path(os.environ["BACKTRACK_DB"])
    db.write_bytes(b"this is not a journal" * 50)
    before = db.read_bytes()
    at = AppTest.from_file("../../app.py", default_timeout=30).run()
    assert at.title[0].value == "BackTrack cannot start"
    message = literal(at.error[0].value)
    assert str(db) in message and "not a readable BackTrack journal" in message
    assert "python -m backtrack backups" in message  # how to restore a backup
    assert db.read_bytes() == before


def test_a_journal_from_a_newer_backtrack_is_refused(tmp_path):
    import sqlite3

    db = Path(os.environ["BACKTRACK_DB"])
    JournalStore(db)
    sqlite3.connect(db).execute("PRAGMA user_version = 99")
    at = AppTest.from_file("../../app.py", default_timeout=30).run()
    assert "newer BackTrack" in literal(at.error[0].value)


def test_legacy_pages_mode_is_switched_off_once_and_the_page_reruns(monkeypatch):
    from streamlit.runtime.pages_manager import PagesManager

    import ui

    monkeypatch.setattr(PagesManager, "uses_pages_directory", True, raising=False)
    reran = []
    monkeypatch.setattr(ui.st, "rerun", lambda: reran.append(True))
    ui.ensure_frame()
    assert PagesManager.uses_pages_directory is False and reran == [True]
    ui.ensure_frame()  # already off: no second rerun
    assert reran == [True]


def test_pages_still_run_if_streamlit_renames_the_legacy_pages_switch(app, monkeypatch):
    import ui

    monkeypatch.setattr(ui, "_LEGACY_PAGES_FLAG", "a_name_streamlit_never_had")
    for page in ("pages/log.py", "pages/progress.py", "pages/data.py"):
        at = app(page)  # open_app asserts no exception
        assert at.title, page


def test_tables_show_their_index_as_st_table_would_decide_itself():
    """ui.show_arrow tells st.table whether to hide the index (so st.table does not turn the
    table back into pandas on every run to find out): the same answer as Streamlit's own."""
    import pandas as pd
    import pyarrow as pa
    from streamlit.elements.table import _compute_hide_index

    import ui

    frames = {
        "row numbers": pd.DataFrame({"a": [1, 2]}),
        "row numbers from 5": pd.DataFrame({"a": [1, 2]}, index=pd.RangeIndex(5, 7)),
        "named": pd.DataFrame({"a": [1, 2]}, index=pd.Index(["x", "y"], name="Date")),
        "unnamed labels": pd.DataFrame({"a": [1, 2]}, index=["x", "y"]),
        "numbers, not a range": pd.DataFrame({"a": [1, 2]}, index=[3, 9]),
        "empty, named": pd.DataFrame({"Date": [], "a": []}).set_index("Date"),
        "empty": pd.DataFrame({"a": []}),
        "two levels": pd.DataFrame({"k": ["x", "y"], "j": [1, 2], "a": [1, 2]}).set_index(
            ["k", "j"]
        ),
    }
    for name, frame in frames.items():
        data = pa.Table.from_pandas(frame)
        assert ui.range_index(data) == _compute_hide_index(data, None), name
    assert ui.range_index(pa.table({"a": [1, 2]}))  # no pandas metadata: row numbers
    # The tables the pages show: the Report's (named first column) and a chart's numbers.
    assert not ui.range_index(ui.arrow_table(frames["named"]))


def test_tables_built_straight_in_arrow_match_what_pandas_would_build(programme):
    """ui.arrow_rows skips the pandas frame: the Report's tables and every chart's numbers
    come out as pa.Table.from_pandas would make them (columns, types, index), mixed cells
    and missing values included."""
    from datetime import date, timedelta

    import pandas as pd
    import pyarrow as pa

    import ui
    from backtrack import report as rep
    from backtrack.chart_tables import chart_texts
    from backtrack.frames import load_frame
    from backtrack.store import JournalStore
    from tests.factories import journal

    today = date.today()
    store = JournalStore()
    store.import_entries(journal(programme, today, 60, pain=lambda i: i % 11,
                                 flags=lambda i, s: ("fever",) if i == 3 else (),
                                 notes=lambda i, s: "**x**, y" if i % 9 == 0 else ""))  # fmt: skip
    frame = load_frame(store, programme.exercise_ids)
    report = rep.build_report(frame, programme, today - timedelta(days=59), today,
                              programme_start=None, today=today)  # fmt: skip
    tables = {t.title: (t.columns[0], *zip(*t.rows, strict=True), t.columns)
              for t in (rep.summary_table(report), rep.notes_table(report, latest=30),
                        rep.exercise_table(report), rep.prescription_table(report))}  # fmt: skip
    shapes = [(index, list(first), dict(zip(names[1:], map(list, rest), strict=True)))
              for index, first, *rest, names in tables.values()]  # fmt: skip
    texts = chart_texts(report.frames, report.check.baseline_pain, programme.sessions_per_day)
    shapes += [(t.index, t.labels, t.columns) for t in texts.values()]
    shapes.append(("Date", ["a", "b"], {"mixed": [1.5, None], "text": [None, "x"]}))
    for index, labels, columns in shapes:
        built = ui.arrow_rows(index, labels, columns)
        frame = pd.DataFrame(columns, index=pd.Index(labels, name=index), columns=list(columns))
        expected = pa.Table.from_pandas(frame)
        assert built.schema.equals(expected.schema, check_metadata=True), index
        pd.testing.assert_frame_equal(built.to_pandas(), expected.to_pandas())


def test_the_servers_settings_keep_data_here_and_watch_no_source_files():
    """.streamlit/config.toml, next to app.py (README, Your data and privacy; Performance):
    no usage statistics, listening on this computer only, and no watching of the app's
    source files (setting that up for each new tab held its first page back ~0.6 s)."""
    import tomllib

    root = Path(__file__).resolve().parents[2]
    config = tomllib.loads((root / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["browser"]["gatherUsageStats"] is False
    assert config["server"]["address"] == "localhost"
    assert config["server"]["fileWatcherType"] == "none"
