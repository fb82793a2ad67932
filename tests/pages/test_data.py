from __future__ import annotations

from datetime import date

from backtrack.entries import Entry
from backtrack.store import JournalStore
from tests.factories import literal


def test_data_page_offers_export_and_import(app):
    JournalStore().save(Entry(date.today(), "morning", 4, {"clam": 10}))
    at = app("pages/data.py")
    assert at.title[0].value == "Your data"
    assert "journal.db" in literal(at.markdown[0].value)
    download = [b for b in at.get("download_button") if b.proto.id.endswith("data_export")]
    assert len(download) == 1 and "(1 entry)" in download[0].proto.label
    assert len(at.get("file_uploader")) == 1


def test_export_is_disabled_on_an_empty_journal(app):
    at = app("pages/data.py")
    export = [b for b in at.get("download_button") if b.proto.id.endswith("data_export")]
    assert export[0].proto.disabled


def test_programme_start_date_can_be_set_and_cleared(app):
    JournalStore().save(Entry(date.today(), "morning", 4))
    at = app("pages/data.py")
    start = next(m for m in at.markdown if "Day 1 of your programme" in m.value)
    assert "the date of your first entry" in start.value
    at.date_input(key="data_start").set_value(date(2026, 1, 5)).run()
    at.button(key="data_start_set").click().run()
    assert JournalStore().start_date() == date(2026, 1, 5)
    start = next(m for m in at.markdown if "Day 1 of your programme" in m.value)
    assert "Mon 5 Jan 2026" in start.value
    at.button(key="data_start_clear").click().run()
    assert JournalStore().start_date() is None


def test_backups_are_listed_and_one_can_be_restored(app):
    from backtrack.backup import make_backup

    store = JournalStore()
    store.save(Entry(date.today(), "morning", 4))
    make_backup(store.path, "manual")
    store.save(Entry(date.today(), "morning", 9), replace=True)
    at = app("pages/data.py")
    options = at.selectbox(key="data_backup").options
    assert any("manual" in o and "1 entry" in o for o in options)
    at.selectbox(key="data_backup").select_index(
        next(i for i, o in enumerate(options) if "manual" in o)).run()  # fmt: skip
    at.button(key="data_restore").click().run()
    assert "backed up first" in at.warning[0].value
    assert store.get(date.today(), "morning").pain == 9  # nothing before confirming
    at.button(key="data_restore_yes").click().run()
    assert "Restored the backup" in at.success[0].value
    assert store.get(date.today(), "morning").pain == 4
