from __future__ import annotations

import sqlite3
from datetime import date

import pandas as pd
import pytest

from backtrack.entries import Entry
from backtrack.store import SCHEMA_VERSION, EntryChanged, EntryExists, JournalStore, StoreError

IDS = ["knee_hugs", "clam"]
D1, D2 = date(2026, 11, 1), date(2026, 11, 2)


def entry(day=D1, slot="morning", pain=4, **reps) -> Entry:
    return Entry(day, slot, pain, reps, (), "")


def test_new_journal_uses_wal_and_the_current_schema(store):
    conn = sqlite3.connect(store.path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_save_and_read_back(store):
    e = Entry(D1, "evening", 3, {"clam": 10}, ("fever",), "note, with comma")
    assert store.save(e) is False
    assert store.get(D1, "evening") == e
    assert store.entries() == [e]


def test_saving_over_an_existing_date_and_slot_asks_first(store):
    store.save(entry(pain=4))
    with pytest.raises(EntryExists) as err:
        store.save(entry(pain=6))
    assert err.value.existing.pain == 4
    assert store.get(D1, "morning").pain == 4  # nothing replaced without asking
    assert store.save(entry(pain=6), replace=True) is True
    assert [e.pain for e in store.entries()] == [6]


def test_editing_an_entry_can_move_it_to_a_free_slot(store):
    store.save(entry(pain=4))
    store.save(entry(slot="evening", pain=4), original=entry(pain=4))
    assert [(e.date, e.slot) for e in store.entries()] == [(D1, "evening")]


def test_moving_onto_an_occupied_slot_asks_and_then_keeps_one_entry(store):
    store.save(entry(slot="morning", pain=2))
    store.save(entry(slot="evening", pain=7))
    loaded = entry(slot="morning", pain=2)
    with pytest.raises(EntryExists):
        store.save(entry(slot="evening", pain=2), original=loaded)
    assert len(store.entries()) == 2
    store.save(entry(slot="evening", pain=2), original=loaded, replace=True)
    assert [(e.slot, e.pain) for e in store.entries()] == [("evening", 2)]


def test_an_edit_of_an_entry_changed_elsewhere_is_detected_not_overwritten(store):
    loaded = entry(pain=4)
    store.save(loaded)
    store.save(entry(pain=7), replace=True)  # another tab saves meanwhile
    with pytest.raises(EntryChanged) as err:
        store.save(entry(pain=2), original=loaded)
    assert err.value.current.pain == 7
    assert store.get(D1, "morning").pain == 7
    # The user chooses to keep theirs: they edit on top of what is there now.
    store.save(entry(pain=2), original=err.value.current)
    assert store.get(D1, "morning").pain == 2


def test_an_edit_of_an_entry_deleted_elsewhere_is_detected(store):
    loaded = entry(pain=4)
    store.save(loaded)
    store.delete(D1, "morning")
    with pytest.raises(EntryChanged) as err:
        store.save(entry(pain=2), original=loaded)
    assert err.value.current is None
    assert store.entries() == []


def test_replacing_asks_again_if_the_entry_shown_has_changed(store):
    store.save(entry(pain=4))
    with pytest.raises(EntryExists) as first:
        store.save(entry(pain=6))
    store.save(entry(pain=8), replace=True)  # changed elsewhere after the question
    with pytest.raises(EntryExists) as second:
        store.save(entry(pain=6), replace=first.value.existing)
    assert second.value.existing.pain == 8
    store.save(entry(pain=6), replace=second.value.existing)
    assert store.get(D1, "morning").pain == 6


def test_delete_of_an_entry_changed_elsewhere_is_refused(store):
    shown = entry(pain=4)
    store.save(shown)
    store.save(entry(pain=5), replace=True)
    with pytest.raises(EntryChanged):
        store.delete(D1, "morning", expected=shown)
    assert store.get(D1, "morning").pain == 5


def test_delete(store):
    store.save(entry())
    assert store.delete(D1, "morning") is True
    assert store.delete(D1, "morning") is False
    assert store.entries() == []


def test_every_write_bumps_the_revision(store):
    r0 = store.revision()
    store.save(entry())
    store.delete(D1, "morning")
    store.set_start_date(D1)
    assert store.revision() == r0 + 3


def _entry_writes(store):
    return {
        "save": lambda: store.save(entry(pain=5), replace=True),
        "save, moved": lambda: store.save(entry(D2, "evening"), original=store.get(D1, "morning")),
        "delete": lambda: store.delete(D2, "evening"),
        "delete of nothing": lambda: store.delete(D2, "evening"),
        "import": lambda: store.import_entries([entry(D2, "morning", 3), entry(pain=7)]),
    }


def _other_writes(store):
    from backtrack.outcomes import Outcome

    answer = Outcome(D1, "psfs", 1, 4, "Putting on socks")
    return {
        "setting": lambda: store.set_setting("barrier", "2026-11-01 time"),
        "setting removed": lambda: store.set_setting("barrier", None),
        "start date": lambda: store.set_start_date(D1),
        "start date removed": lambda: store.set_start_date(None),
        "outcome answers": lambda: store.save_outcomes([answer]),
        "outcome answers again (unchanged)": lambda: store.save_outcomes([answer]),
        "outcomes file": lambda: store.import_outcomes([Outcome(D1, "psfs", 1, 6, answer.label)]),
    }


def test_the_other_revision_moves_on_with_every_write_but_an_entries_only_one(store):
    """Every kind of write, one after another in a mixed order: an entry write keeps the
    other revision (so cached settings and answers stay), any other write moves it to its
    own revision. revisions() reads both at once."""
    store.save(entry())
    writes = {**_entry_writes(store), **_other_writes(store)}
    order = ["setting", "save", "save, moved", "outcome answers", "delete", "start date",
             "delete of nothing", "import", "setting removed", "start date removed",
             "outcome answers again (unchanged)", "save", "outcomes file", "import"]  # fmt: skip
    assert set(order) == set(writes)  # every kind, mixed
    for name in order:
        revision, other = store.revisions()
        writes[name]()
        now, now_other = store.revisions()
        assert now == revision + 1 == store.revision(), name
        if name in _entry_writes(store):
            assert now_other == other, name
        else:
            assert now_other == now, name


def test_the_other_revision_after_a_restore_and_in_a_journal_without_it(store):
    from backtrack.backup import make_backup, restore
    from backtrack.journalfile import OTHER_REVISION

    store.save(entry())
    assert store.revisions() == (1, 1)  # not recorded yet: as if everything changed
    store.set_start_date(D1)
    backup = make_backup(store.path, "manual")
    store.save(entry(D2))
    assert store.revisions() == (3, 2)
    restore(store.path, backup)  # the backup's settings and answers replace these
    revision, other = store.revisions()
    assert revision > 3 and other == revision
    hostile = ("", "x", "-1", "2.5", " 3", "3\n", "²", "٣", "３", "9" * 5000, str(revision + 1))
    for stored in hostile:  # edited outside BackTrack: never a crash, never a stale view
        with sqlite3.connect(store.path) as conn:
            conn.execute("UPDATE settings SET value = ? WHERE key = ?", (stored, OTHER_REVISION))
        assert store.revisions() == (revision, revision), stored
    for key in ("revision", OTHER_REVISION):
        with pytest.raises(ValueError, match="revision counters"):
            store.set_setting(key, "0")


@pytest.mark.parametrize("damage", ["x", "", "-3", "2.5", "²", "9" * 5000, None])
def test_a_revision_counter_edited_outside_backtrack_is_set_right_and_nothing_else(store, damage):
    """The counter is only a cache key: a damaged one (or none) is set past every logged
    change when the journal is opened, and every entry, setting and answer stays."""
    store.save(entry(pain=4))
    store.save(entry(D2, "evening", 6))
    store.set_start_date(D1)
    before = (store.entries(), store.start_date(), store.outcomes())
    logged = store.revision()
    with sqlite3.connect(store.path) as conn:
        if damage is None:
            conn.execute("DELETE FROM settings WHERE key = 'revision'")
        else:
            conn.execute("UPDATE settings SET value = ? WHERE key = 'revision'", (damage,))
    opened = JournalStore(store.path)
    revision, other = opened.revisions()
    assert revision == other == logged + 1  # past every logged change: caches miss
    assert (opened.entries(), opened.start_date(), opened.outcomes()) == before
    opened.save(entry(D2, "morning", 3))  # and writing goes on from there
    assert opened.revision() == revision + 1


def test_one_rule_says_what_a_stored_revision_is_for_opening_reading_and_restoring(store):
    """journalfile.stored_revision: ASCII digits, at most 18. A backup whose counter breaks
    it is refused before a restore (nothing replaced); a counter edited while BackTrack
    runs is a StoreError that says what to do, never a crash on a ValueError."""
    from backtrack.backup import make_backup
    from backtrack.journalfile import backup_problems, stored_revision
    from backtrack.store import APP_ID_FROM, MIGRATIONS

    assert [stored_revision(v) for v in ("0", "42", 7, "0" * 18)] == [0, 42, 7, 0]
    for bad in ("", "x", "-1", "2.5", " 3", "²", "٣", "３", "9" * 19, None, 2.0, b"3"):
        assert stored_revision(bad) is None, bad
    store.save(entry())
    backup = make_backup(store.path, "manual")
    with sqlite3.connect(backup) as conn:
        conn.execute("UPDATE settings SET value = '²' WHERE key = 'revision'")
    problems = backup_problems(backup, MIGRATIONS, app_id_from=APP_ID_FROM, today=D2)
    assert "settings: the revision counter is missing or not a whole number" in problems
    with sqlite3.connect(store.path) as conn:  # the open store's file, edited meanwhile
        conn.execute("UPDATE settings SET value = '²' WHERE key = 'revision'")
    with pytest.raises(StoreError, match="restart BackTrack, which sets it right"):
        store.revisions()
    assert JournalStore(store.path).entries() == [entry()]  # reopened: set right, kept


def test_a_failed_write_changes_nothing(store):
    store.save(entry(pain=4))
    bad = Entry(D2, "morning", 99, {}, (), "")  # bypasses validation: the schema still refuses
    with pytest.raises(sqlite3.IntegrityError):
        store.import_entries([entry(D1, "evening", 5), bad])
    assert [e.pain for e in store.entries()] == [4]


def test_import_upserts_and_is_idempotent(store):
    store.save(entry(D1, "morning", 4))
    rows = [entry(D1, "morning", 5), entry(D2, "morning", 3), entry(D2, "evening", 2)]
    first = store.import_entries(rows)
    assert (first.added, first.replaced, first.unchanged) == (2, 1, 0)
    again = store.import_entries(rows)
    assert (again.added, again.replaced, again.unchanged) == (0, 0, 3)
    assert [e.pain for e in store.entries()] == [5, 3, 2]


def test_import_reports_progress(store):
    seen = []
    rows = [entry(date(2026, 1, 1) + pd.Timedelta(days=i).to_pytimedelta()) for i in range(450)]
    store.import_entries(rows, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(200, 450), (400, 450), (450, 450)]


def test_start_date_setting(store):
    assert store.start_date() is None
    store.set_start_date(D2)
    assert store.start_date() == D2
    store.set_start_date(None)
    assert store.start_date() is None


def test_newer_schema_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "future.db"
    JournalStore(path)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.execute("PRAGMA journal_mode = DELETE")  # a newer release may not use WAL
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="newer BackTrack"):
        JournalStore(path)
    assert path.read_bytes() == before


def test_a_file_that_is_not_a_database_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="not a readable BackTrack journal"):
        JournalStore(path)
    assert path.read_bytes() == b"this is not sqlite" * 100


def test_backtrack_db_variable_names_the_journal(tmp_path, monkeypatch):
    monkeypatch.setenv("BACKTRACK_DB", str(tmp_path / "elsewhere.db"))
    assert JournalStore().path == tmp_path / "elsewhere.db"


def test_entries_in_a_range_latest_and_count(store):
    days = [date(2026, 11, d) for d in (1, 2, 3)]
    for day in days:
        store.save(entry(day, "morning", 1))
        store.save(entry(day, "evening", 2))
    assert [(e.date.day, e.slot) for e in store.entries(days[1], days[1])] == [
        (2, "morning"), (2, "evening")]  # fmt: skip
    assert len(store.entries(first=days[1])) == 4
    assert [(e.date.day, e.slot) for e in store.latest(3)] == [
        (3, "evening"), (3, "morning"), (2, "evening")]  # fmt: skip
    assert store.count() == 6


def test_reps_of_an_exercise_taken_out_of_the_programme_are_kept(store):
    store.save(Entry(D1, "morning", 4, {"clam": 10, "wall_sit": 8}))
    # The programme no longer has wall_sit: its export lacks the column...
    exported = Entry(D1, "morning", 4, {"clam": 10})
    report = store.import_entries([exported], exercise_ids=IDS)
    assert (report.added, report.replaced, report.unchanged) == (0, 0, 1)
    # ... and an edit from the form (which cannot show it) keeps it too.
    loaded = store.get(D1, "morning")
    store.save(Entry(D1, "morning", 2, {"clam": 5}), original=loaded, exercise_ids=IDS)
    assert store.get(D1, "morning").reps == {"clam": 5, "wall_sit": 8}
