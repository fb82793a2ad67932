from __future__ import annotations

from datetime import date

from backtrack.entries import Entry
from backtrack.store import JournalStore


def test_data_page_offers_export_and_import(app):
    JournalStore().save(Entry(date.today(), "morning", 4, {"clam": 10}))
    at = app("pages/data.py")
    assert at.title[0].value == "Your data"
    assert "journal.db" in at.markdown[0].value
    download = at.get("download_button")
    assert len(download) == 1 and "(1 entry)" in download[0].proto.label
    assert len(at.get("file_uploader")) == 1


def test_export_is_disabled_on_an_empty_journal(app):
    at = app("pages/data.py")
    assert at.get("download_button")[0].proto.disabled


def test_programme_start_date_can_be_set_and_cleared(app):
    JournalStore().save(Entry(date.today(), "morning", 4))
    at = app("pages/data.py")
    assert "the date of your first entry" in at.markdown[1].value
    at.date_input(key="data_start").set_value(date(2026, 1, 5)).run()
    at.button(key="data_start_set").click().run()
    assert JournalStore().start_date() == date(2026, 1, 5)
    assert "Mon 05 Jan 2026" in at.markdown[1].value
    at.button(key="data_start_clear").click().run()
    assert JournalStore().start_date() is None
