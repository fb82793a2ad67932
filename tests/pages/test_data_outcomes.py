"""Data page: the outcomes CSV and the whole journal file (to move to another computer)."""

from __future__ import annotations

from datetime import date, timedelta

from backtrack.csvio import export_outcomes_csv
from backtrack.entries import Entry
from backtrack.outcomes import Outcome
from backtrack.store import JournalStore


def _button(at, key):
    return next(
        b for b in at.get("download_button") if b.proto.id.endswith(key) or key in b.proto.id
    )


def test_the_outcomes_csv_downloads_every_answer(app, downloads):
    store = JournalStore()
    day = date.today() - timedelta(days=3)
    store.save(Entry(day, "morning", 4, {"clam": 10}))
    store.save_outcomes([Outcome(day, "psfs", 1, 3, "=Walking"), Outcome(day, "pgic", 1, 4)])
    at = app("pages/data.py")
    button = _button(at, "data_export_outcomes")
    assert button.proto.label.endswith("as CSV (2 rows)") and not button.proto.disabled
    text = downloads(button).decode("utf-8")
    assert text == export_outcomes_csv(store.outcomes())
    assert text.splitlines()[0] == "date,measure,item,score,label"
    assert "'=Walking" in text  # protected from spreadsheets


def test_no_answers_no_outcomes_download(app):
    at = app("pages/data.py")
    assert _button(at, "data_export_outcomes").proto.disabled


def test_the_whole_journal_file_carries_everything_to_another_computer(app, downloads, tmp_path):
    store = JournalStore()
    day = date.today() - timedelta(days=3)
    store.save(Entry(day, "morning", 4, {"clam": 10}, leg_pain=2, notes="stiff"))
    store.save_outcomes([Outcome(day, "psfs", 1, 3, "Walking")])
    store.set_setting("safety_screen", f'{{"answered_on": "{day.isoformat()}"}}')
    store.set_start_date(day)
    at = app("pages/data.py")
    moved = tmp_path / "other computer" / "backtrack.db"
    moved.parent.mkdir()
    moved.write_bytes(downloads(_button(at, "data_snapshot")))
    copy = JournalStore(moved)
    assert copy.entries() == store.entries()
    assert copy.outcomes() == store.outcomes()
    assert copy.get_setting("safety_screen") == store.get_setting("safety_screen")
    assert copy.start_date() == day
