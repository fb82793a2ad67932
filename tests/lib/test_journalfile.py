"""Hostile journals, backups and output paths, through the command line (issue 11): a file
that is not this journal is refused and left byte-identical, by every command."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from backtrack import store as store_module
from backtrack.backup import BACKUPS_KEPT, backups_dir, list_backups, make_backup
from backtrack.cli import main
from backtrack.entries import Entry
from backtrack.journalfile import APPLICATION_ID
from backtrack.report import NAME_MAX
from backtrack.store import JournalStore

D1 = date(2026, 11, 1)
HEADER = "date,slot,pain,knee_hugs,knee_drops,clam,glute_bridge,psoas_stretch,flags,notes"
READ_ONLY = [["export"], ["check"], ["report", "-o", "{out}"], ["backups"]]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def journal_with(path: Path, *entries: Entry) -> Path:
    store = JournalStore(path)
    for e in entries:
        store.save(e)
    return path


def run(args: list[str], capsys) -> tuple[int, str, str]:
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def foreign_database(path: Path, *, app_id: int = 0, wal: bool = False) -> Path:
    """Another program's SQLite file, with a table named like one of ours."""
    conn = sqlite3.connect(path)
    if wal:
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE entries (id INTEGER PRIMARY KEY, title TEXT)")
    conn.execute("INSERT INTO entries (title) VALUES ('not yours')")
    conn.execute(f"PRAGMA application_id = {app_id}")
    conn.commit()
    conn.close()
    return path


# -- 1. dates the data layer cannot hold ---------------------------------------------------
def old_journal_with_1600(path: Path) -> Path:
    """A journal as an earlier release let an import make it: one entry dated 1600."""
    journal_with(path, Entry(D1, "morning", 4, {"clam": 10}))
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO entries (date, slot, pain, updated_at) VALUES ('1600-01-01', 'evening', 3, "
        "'x')"
    )
    conn.commit()
    conn.close()
    return path


def test_commands_work_on_a_journal_holding_an_entry_from_1600_and_say_what_they_leave_out(
    tmp_path, capsys
):
    db, out = old_journal_with_1600(tmp_path / "j.db"), tmp_path / "r.pdf"
    for args in (["export"], ["check", "--as-of", "2026-11-14"], ["report", "-o", str(out)]):
        code, stdout, err = run([*args, "--db", str(db)], capsys)
        assert code == 0, err
        assert "1 entry has a date BackTrack cannot use" in err and "1600-01-01 evening" in err
        assert "1600" not in stdout
    assert out.read_bytes().startswith(b"%PDF")


def test_check_as_of_a_date_before_1900_or_in_the_future_is_refused(tmp_path, capsys):
    db = journal_with(tmp_path / "j.db")
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    for day, rule in (("1600-01-01", "is before 1900-01-01"), (tomorrow, "is in the future")):
        with pytest.raises(SystemExit) as exit_info:
            main(["check", "--db", str(db), "--as-of", day])
        assert exit_info.value.code == 2 and rule in capsys.readouterr().err


def test_importing_a_date_before_1900_is_refused_and_the_journal_unchanged(tmp_path, capsys):
    db, src = journal_with(tmp_path / "j.db"), tmp_path / "old.csv"
    src.write_text(f"{HEADER}\n1600-01-01,morning,3,,,,,,,\n", encoding="utf-8")
    before = digest(db)
    code, _, err = run(["import", str(src), "--db", str(db)], capsys)
    assert code == 1 and "row 2, column date: 1600-01-01 is before 1900-01-01" in err
    assert digest(db) == before


# -- 2. an output path that is the journal ----------------------------------------------------
@pytest.mark.parametrize("command", ["export", "report"])
@pytest.mark.parametrize("target", ["j.db", "j.db-wal", "j.db-shm", "link.db", "backup"])
def test_output_onto_the_journal_its_companions_or_a_backup_is_refused(
    tmp_path, capsys, command, target
):
    db = journal_with(tmp_path / "j.db", Entry(D1, "morning", 4))
    backup = make_backup(db, "manual")
    (tmp_path / "j.db-wal").write_bytes(b"wal")
    (tmp_path / "j.db-shm").write_bytes(b"shm")
    (tmp_path / "link.db").symlink_to(db)
    out = backup if target == "backup" else tmp_path / target
    kept = {p: digest(p) for p in (db, backup, tmp_path / "j.db-wal", tmp_path / "j.db-shm")}
    code, _, err = run([command, "--db", str(db), "-o", str(out)], capsys)
    assert code == 1 and "refusing to overwrite" in err and "nothing was written" in err
    assert {p: digest(p) for p in kept} == kept


@pytest.mark.parametrize("command", ["export", "report"])
def test_output_into_a_missing_folder_is_a_message_not_a_traceback(tmp_path, capsys, command):
    db = journal_with(tmp_path / "j.db", Entry(D1, "morning", 4))
    out = tmp_path / "no such folder" / "out.csv"
    code, _, err = run([command, "--db", str(db), "-o", str(out)], capsys)
    assert code == 1 and f"the folder {out.parent} does not exist" in err
    assert not out.parent.exists()


# -- 3. paths with #, ? and % -----------------------------------------------------------------
@pytest.mark.parametrize("folder", ["a #1", "what?", "100% sure", "x#?%y z"])
def test_backups_list_and_restore_in_a_folder_with_uri_characters(tmp_path, capsys, folder):
    home = tmp_path / folder
    home.mkdir()
    db = journal_with(home / "j #?%.db", Entry(D1, "morning", 4))
    backup = make_backup(db, "manual")
    JournalStore(db).save(Entry(D1, "evening", 6))
    code, listing, _ = run(["backups", "--db", str(db)], capsys)
    assert code == 0 and "1 entry" in listing and "unreadable" not in listing
    code, out, err = run(["restore", str(backup), "--db", str(db)], capsys)
    assert code == 0, err
    assert [e.slot for e in JournalStore(db).entries()] == ["morning"]
    before_restore = [b for b in list_backups(db) if b.reason == "before-restore"][0]
    assert before_restore.entries == 2
    assert files(tmp_path) - {folder} <= {f"{folder}/{n}" for n in ("j #?%.db", "backups")} | {
        f"{folder}/backups/{p.name}" for p in backups_dir(db).iterdir()
    }  # nothing stray beside the folder, e.g. a file named "a " cut at the '#'
    assert sorted(p.name for p in tmp_path.iterdir()) == [folder]


# -- 4. foreign SQLite files ------------------------------------------------------------------
@pytest.mark.parametrize("app_id", [0, 0x12345678])
@pytest.mark.parametrize("wal", [False, True])
@pytest.mark.parametrize(
    "args", [*READ_ONLY, ["import", "{csv}"], ["restore", "{backup}"]], ids=lambda a: a[0]
)
def test_a_foreign_sqlite_file_as_the_journal_is_refused_byte_identical(
    tmp_path, capsys, app_id, wal, args
):
    db = foreign_database(tmp_path / "other.db", app_id=app_id, wal=wal)
    csv = tmp_path / "in.csv"
    csv.write_text(f"{HEADER}\n2026-11-01,morning,3,,,,,,,\n", encoding="utf-8")
    backup = make_backup(journal_with(tmp_path / "mine" / "j.db", Entry(D1, "morning", 4)), "x")
    before, listed = digest(db), files(tmp_path)
    fill = {"{out}": str(tmp_path / "r.pdf"), "{csv}": str(csv), "{backup}": str(backup)}
    code, _, err = run([fill.get(a, a) for a in args] + ["--db", str(db)], capsys)
    if args[0] == "backups":
        assert code == 0  # lists the (no) backups; opens nothing
    else:
        assert code == 1 and "not a BackTrack journal" in err and "has not been changed" in err
    assert digest(db) == before
    assert files(tmp_path) == listed  # no -wal, -shm, backups folder or PDF appeared


def test_the_app_refuses_a_foreign_file_byte_identical(tmp_path):
    from backtrack.store import StoreError

    db = foreign_database(tmp_path / "other.db")
    before = digest(db)
    with pytest.raises(StoreError, match="not a BackTrack journal"):
        JournalStore(db)
    assert digest(db) == before and files(tmp_path) == {"other.db"}


def test_a_journal_is_marked_and_a_schema_2_journal_gets_the_mark_on_upgrade(tmp_path):
    db = journal_with(tmp_path / "j.db")
    assert sqlite3.connect(db).execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    old = tmp_path / "v2.db"
    conn = sqlite3.connect(old)
    for migration in store_module.MIGRATIONS[:2]:
        conn.executescript(migration)
    conn.execute("PRAGMA user_version = 2")
    conn.close()
    JournalStore(old)
    conn = sqlite3.connect(old)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert conn.execute("PRAGMA user_version").fetchone()[0] == store_module.SCHEMA_VERSION
    assert [b.reason for b in list_backups(old)] == [
        f"before-migration-2-to-{store_module.SCHEMA_VERSION}"
    ]


# -- 5. restore validates the whole candidate first --------------------------------------------
def test_restoring_another_programs_database_with_an_entries_table_changes_nothing(
    tmp_path, capsys
):
    db = journal_with(tmp_path / "j.db", Entry(D1, "morning", 4))
    other = foreign_database(tmp_path / "other.db")
    before = digest(db)
    code, _, err = run(["restore", str(other), "--db", str(db)], capsys)
    assert code == 1 and "not a BackTrack journal" in err and "nothing was restored" in err
    assert digest(db) == before and list_backups(db) == []


@pytest.mark.parametrize(
    ("column", "value", "rule"),
    [
        ("date", "1600-01-01", "is before 1900-01-01"),
        ("date", "2026-02-31", "is not a real date"),
        ("date", "soon", "not a date in the form YYYY-MM-DD"),
        ("flags", "gout", "unknown symptom 'gout'"),
        ("notes", "a\x00b", "control character"),
    ],
)
def test_a_backup_with_a_row_the_journal_refuses_is_not_restored(
    tmp_path, capsys, column, value, rule
):
    db = journal_with(tmp_path / "j.db", Entry(D1, "morning", 4))
    bad = journal_with(tmp_path / "bad" / "b.db", Entry(D1, "evening", 2))
    conn = sqlite3.connect(bad)
    conn.execute(f"UPDATE entries SET {column} = ?", (value,))
    conn.commit()
    conn.close()
    before = digest(db)
    code, _, err = run(["restore", str(bad), "--db", str(db)], capsys)
    assert code == 1 and "cannot be restored; the journal is unchanged" in err
    assert f"entry 1 ({value if column == 'date' else '2026-11-01'} evening), {column}:" in err
    assert rule in err
    assert digest(db) == before and list_backups(db) == []


def test_restoring_the_journal_onto_itself_is_refused(tmp_path, capsys):
    db = journal_with(tmp_path / "j.db", Entry(D1, "morning", 4))
    code, _, err = run(["restore", str(db), "--db", str(db)], capsys)
    assert code == 1 and "that is the journal itself" in err


# -- 6. pruning never deletes the backup just made ---------------------------------------------
def test_the_before_restore_backup_survives_backups_stamped_in_the_future(tmp_path, capsys):
    db = journal_with(tmp_path / "j.db", Entry(D1, "morning", 4))
    ahead = datetime.now() + timedelta(days=400)  # the clock was a year ahead
    for i in range(BACKUPS_KEPT):
        make_backup(db, "daily", ahead + timedelta(hours=i))
    chosen = list_backups(db)[-1].path
    code, out, err = run(["restore", str(chosen), "--db", str(db)], capsys)
    assert code == 0, err
    saved = Path(out.split("backed up in ")[1].strip().rstrip("."))
    assert saved.exists() and saved in [b.path for b in list_backups(db)]
    assert len(list_backups(db)) == BACKUPS_KEPT
    assert list_backups(db)[0].path == saved  # the newest, whatever its time stamp


# -- 7. the size cap is checked before reading --------------------------------------------------
def test_importing_a_fifo_or_a_device_is_refused_at_once(tmp_path, capsys):
    db = journal_with(tmp_path / "j.db")
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.csv"
    zero.symlink_to("/dev/zero")
    for source in (fifo, zero, tmp_path):
        start = time.perf_counter()
        code, _, err = run(["import", str(source), "--db", str(db)], capsys)
        assert code == 1 and "not a regular file" in err
        assert time.perf_counter() - start < 5


def test_importing_a_huge_file_is_refused_by_its_size_without_reading_it(tmp_path, capsys):
    db, huge = journal_with(tmp_path / "j.db"), tmp_path / "huge.csv"
    with huge.open("wb") as f:
        f.truncate(1024**4)  # a sparse terabyte: reading it would never finish
    start = time.perf_counter()
    code, _, err = run(["import", str(huge), "--db", str(db)], capsys)
    assert code == 1 and "The file is 1048576.0 MB: the limit is 5 MB" in err
    assert time.perf_counter() - start < 5


# -- 8. read-only commands never create a journal ------------------------------------------------
@pytest.mark.parametrize("args", READ_ONLY, ids=lambda a: a[0])
def test_a_read_only_command_with_a_mistyped_db_creates_nothing(tmp_path, capsys, args):
    db = tmp_path / "typo" / "jounral.db"
    out = tmp_path / "r.pdf"
    code, stdout, err = run([a.replace("{out}", str(out)) for a in args] + ["--db", str(db)],
                            capsys)  # fmt: skip
    if args[0] == "backups":
        assert code == 0 and "No backups" in stdout
    else:
        assert code == 1 and "there is no journal here (the file does not exist)" in err
    assert files(tmp_path) == set()


@pytest.mark.parametrize("args", READ_ONLY[:3], ids=lambda a: a[0])
def test_a_read_only_command_refuses_an_empty_file_and_leaves_it_empty(tmp_path, capsys, args):
    db, out = tmp_path / "j.db", tmp_path / "r.pdf"
    db.touch()
    code, _, err = run([a.replace("{out}", str(out)) for a in args] + ["--db", str(db)], capsys)
    assert code == 1 and "the file is empty (0 bytes)" in err
    assert db.stat().st_size == 0 and files(tmp_path) == {"j.db"}


def test_import_and_the_app_start_a_journal_in_an_empty_file(tmp_path):
    db = tmp_path / "j.db"
    db.touch()
    JournalStore(db).save(Entry(D1, "morning", 4))
    assert [e.pain for e in JournalStore(db, create=False).entries()] == [4]


# -- 9. the report's name is capped as on the page -----------------------------------------------
def test_a_report_name_longer_than_the_pages_cap_is_refused_at_once(tmp_path, capsys):
    db = journal_with(tmp_path / "j.db", Entry(D1, "morning", 4))
    out = tmp_path / "r.pdf"
    start = time.perf_counter()
    with pytest.raises(SystemExit) as exit_info:
        main(["report", "--db", str(db), "--name", "W" * 10_000, "-o", str(out)])
    err = capsys.readouterr().err
    assert exit_info.value.code == 2 and f"at most {NAME_MAX}" in err and "10,000" in err
    assert time.perf_counter() - start < 5 and not out.exists()
    assert main(["report", "--db", str(db), "--name", "W" * NAME_MAX, "-o", str(out)]) == 0


# -- 11. no orphan -wal/-shm files in backups/ ----------------------------------------------------
def test_listing_and_making_backups_leaves_no_wal_or_shm_files(tmp_path, capsys):
    db = journal_with(tmp_path / "j.db", Entry(D1, "morning", 4))
    legacy = make_backup(db, "manual")
    conn = sqlite3.connect(legacy)  # a backup as earlier releases made it: marked WAL
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()
    (legacy.parent / "j-20200101-000000-000000-gone.db-wal").write_bytes(b"orphan")
    (legacy.parent / "j-20200101-000000-000000-gone.db-shm").write_bytes(b"orphan")
    for _ in range(3):
        assert main(["backups", "--db", str(db)]) == 0
        make_backup(db, "manual")
    capsys.readouterr()
    assert [p.name for p in backups_dir(db).iterdir() if p.name.endswith(("-wal", "-shm"))] == []
    assert all(b.entries == 1 for b in list_backups(db))
