from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta

import pytest

from backtrack import store as store_module
from backtrack.backup import (
    BACKUPS_KEPT,
    BackupError,
    backups_dir,
    daily_backup,
    list_backups,
    make_backup,
    restore,
)
from backtrack.cli import main
from backtrack.entries import Entry
from backtrack.store import JournalStore

D1 = date(2026, 11, 1)


def test_a_backup_is_a_whole_copy_listed_newest_first(store):
    store.save(Entry(D1, "morning", 4))
    first = make_backup(store.path, "manual", datetime(2026, 11, 1, 9, 0))
    store.save(Entry(D1, "evening", 5))
    second = make_backup(store.path, "manual", datetime(2026, 11, 2, 9, 0))
    assert first.parent == backups_dir(store.path) == store.path.parent / "backups"
    found = list_backups(store.path)
    assert [b.path for b in found] == [second, first]
    assert [b.entries for b in found] == [2, 1]
    assert found[0].label == "Mon 2 Nov 2026 09:00 · manual · 2 entries"
    conn = sqlite3.connect(first)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_only_the_newest_are_kept(store):
    start = datetime(2026, 1, 1)
    for i in range(BACKUPS_KEPT + 3):
        make_backup(store.path, "daily", start + timedelta(days=i))
    found = list_backups(store.path)
    assert len(found) == BACKUPS_KEPT
    assert found[-1].taken == start + timedelta(days=3)


def test_daily_backup_once_a_day(store):
    morning, evening = datetime(2026, 11, 3, 8), datetime(2026, 11, 3, 20)
    assert daily_backup(store.path, morning) is not None
    assert daily_backup(store.path, evening) is None
    assert daily_backup(store.path, morning + timedelta(days=1)) is not None


def test_an_import_is_preceded_by_a_backup(store):
    store.save(Entry(D1, "morning", 4))
    store.import_entries([Entry(D1, "morning", 9)])
    (backup,) = list_backups(store.path)
    assert backup.reason == "before-import" and backup.entries == 1
    assert JournalStore(backup.path).get(D1, "morning").pain == 4


def test_restore_backs_up_the_current_journal_first_and_moves_the_revision(store):
    store.save(Entry(D1, "morning", 4))
    saved = make_backup(store.path, "manual")
    store.save(Entry(D1, "morning", 8), replace=True)
    store.save(Entry(D1, "evening", 8))
    revision = store.revision()
    before = restore(store.path, saved)
    assert [e.pain for e in store.entries()] == [4]
    assert store.revision() > revision  # caches keyed on the revision see the change
    assert JournalStore(before).count() == 2  # the restore can be undone


def test_restoring_a_file_that_is_not_a_journal_changes_nothing(store, tmp_path):
    store.save(Entry(D1, "morning", 4))
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"nope" * 100)
    with pytest.raises(BackupError, match="not a readable BackTrack journal"):
        restore(store.path, junk)
    assert [e.pain for e in store.entries()] == [4]


def test_a_schema_migration_is_preceded_by_a_backup(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    JournalStore(path).save(Entry(D1, "morning", 4))
    current = store_module.SCHEMA_VERSION
    extra = "CREATE TABLE later_feature (x INTEGER)"
    monkeypatch.setattr(store_module, "MIGRATIONS", (*store_module.MIGRATIONS, extra))
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", len(store_module.MIGRATIONS))
    migrated = JournalStore(path)
    assert migrated.get(D1, "morning").pain == 4
    (backup,) = list_backups(path)
    assert backup.reason == f"before-migration-{current}-to-{current + 1}"
    version = sqlite3.connect(backup.path).execute("PRAGMA user_version").fetchone()[0]
    assert version == current


def test_cli_lists_and_restores_backups_even_when_the_journal_is_broken(tmp_path, capsys):
    db = tmp_path / "j.db"
    JournalStore(db).save(Entry(D1, "morning", 4))
    backup = make_backup(db, "manual")
    db.write_bytes(b"garbage" * 1000)  # the journal is damaged
    assert main(["export", "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert "not a readable BackTrack journal" in err and "python -m backtrack backups" in err
    assert main(["backups", "--db", str(db)]) == 0
    assert str(backup) in capsys.readouterr().out
    assert main(["restore", str(backup), "--db", str(db)]) == 0
    assert "Restored" in capsys.readouterr().out
    assert [e.pain for e in JournalStore(db).entries()] == [4]
    damaged = [b for b in list_backups(db) if b.reason == "before-restore"]
    assert damaged[0].entries is None  # the damaged file was kept, byte for byte
    assert damaged[0].path.read_bytes() == b"garbage" * 1000


def first_release_journal(path, note: str = ""):
    """A journal as the first release (schema 1) wrote it: one entry, 1 Nov, pain 5."""
    conn = sqlite3.connect(path)
    conn.executescript(store_module.MIGRATIONS[0])
    conn.execute(
        "INSERT INTO entries (date, slot, pain, flags, notes, updated_at) "
        "VALUES ('2026-11-01', 'morning', 5, '', ?, 'x')",
        (note,),
    )
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    return path


def test_a_first_release_journal_is_migrated_with_its_entries_and_backed_up(tmp_path):
    path = first_release_journal(tmp_path / "v1.db", "first release")
    migrated = JournalStore(path)
    assert migrated.get(D1, "morning").notes == "first release"
    version = sqlite3.connect(path).execute("PRAGMA user_version").fetchone()[0]
    assert version == store_module.SCHEMA_VERSION
    assert [b.reason for b in list_backups(path)] == [
        f"before-migration-1-to-{store_module.SCHEMA_VERSION}"]  # fmt: skip


def test_restoring_an_older_backup_brings_it_to_the_current_schema(tmp_path):
    from backtrack.store import restore_journal

    db, old = tmp_path / "j.db", tmp_path / "v1.db"
    JournalStore(db).save(Entry(D1, "evening", 2))
    first_release_journal(old)
    restore_journal(db, old)
    journal = JournalStore(db)
    assert [(e.slot, e.pain) for e in journal.entries()] == [("morning", 5)]
    journal.save(Entry(D1, "evening", 3))  # writes work: the change log exists again
    version = sqlite3.connect(db).execute("PRAGMA user_version").fetchone()[0]
    assert version == store_module.SCHEMA_VERSION


def test_a_backup_from_a_newer_backtrack_is_not_restored(store, tmp_path):
    from backtrack.store import restore_journal

    store.save(Entry(D1, "morning", 4))
    newer = make_backup(store.path, "manual")
    sqlite3.connect(newer).execute(f"PRAGMA user_version = {store_module.SCHEMA_VERSION + 1}")
    with pytest.raises(BackupError, match="newer BackTrack"):
        restore_journal(store.path, newer)
    assert [e.pain for e in store.entries()] == [4]
