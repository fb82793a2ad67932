"""What a file named as the journal, or as a backup to restore, is, found out before
BackTrack opens it with SQLite, so that a foreign, damaged or newer file is refused and left
byte-identical (no tables added, no WAL switched on, no -wal/-shm companions created).

A BackTrack journal carries APPLICATION_ID in its SQLite header (schema v3 on); an older
one is recognised by its schema version and its exact tables.
"""

from __future__ import annotations

import functools
import os
import re
import sqlite3
import stat
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

from backtrack.entries import (
    EARLIEST_DATE,
    EntryError,
    parse_reactions,
    parse_reps,
    validate_entry,
)
from backtrack.outcomes import label_clashes, validate_outcome

# The settings row that holds the revision of the latest write that changed anything but
# entries (JournalStore.revisions). Every write but an entries-only one moves it on, and so
# does a restore (the restored file's settings and answers replace the journal's).
OTHER_REVISION = "other_revision"


def stored_revision(value: object) -> int | None:
    """A revision counter as stored in settings (text), or None when it is not one: plain
    ASCII digits, at most 18 (str.isdigit takes '²', int() refuses thousands of digits,
    and SQLite's integers stop at 19)."""
    text = value if isinstance(value, str) else str(value) if isinstance(value, int) else ""
    return int(text) if re.fullmatch(r"[0-9]{1,18}", text) else None


def mark_other_revision(conn: sqlite3.Connection) -> None:
    """Inside a write, after the revision moved on: something besides entries changed."""
    conn.execute(
        "INSERT INTO settings (key, value) SELECT ?, value FROM settings WHERE key = 'revision' "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (OTHER_REVISION,),
    )


# "BTrk": marks a SQLite file as a BackTrack journal (PRAGMA application_id).
APPLICATION_ID = 0x4254726B
_MAGIC = b"SQLite format 3\x00"
_HEADER = 100  # bytes of the SQLite header; user_version at 60, application_id at 68
PROBLEMS_LISTED = 10
# A file that SQLite cannot read: a damaged journal, which a restore may replace (its bytes
# are kept in a backup first), unlike another program's database.
UNREADABLE = "this file is not a readable BackTrack journal; it has not been changed"


def sqlite_uri(path: str | Path, **params: str) -> str:
    """A SQLite URI for `path` with every special character (#, ?, %, spaces) escaped:
    `file:` + the raw path would read `#` or `?` as the start of a fragment or query."""
    uri = Path(os.path.abspath(path)).as_uri()
    return f"{uri}?{urlencode(params)}" if params else uri


def companions(path: Path) -> tuple[Path, Path, Path]:
    """SQLite's companion files of a database: its WAL, shared memory and rollback journal."""
    return tuple(path.with_name(path.name + s) for s in ("-wal", "-shm", "-journal"))  # type: ignore[return-value]


@functools.cache
def tables_by_version(migrations: tuple[str, ...]) -> tuple[frozenset[str], ...]:
    """The tables a journal has at each schema version (index = version), found by running
    the migrations in memory, so it cannot drift from them."""
    conn = sqlite3.connect(":memory:")
    try:
        found = [frozenset()]
        for migration in migrations:
            conn.executescript(migration)
            found.append(_tables(conn))
        return tuple(found)
    finally:
        conn.close()


def _tables(conn: sqlite3.Connection) -> frozenset[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    )
    return frozenset(r[0] for r in rows)


def _header(path: Path) -> tuple[int, bytes] | str:
    """(size, first 100 bytes) of a regular file, or why it cannot be a journal. Opened
    without blocking, so a FIFO named as the journal cannot hang the caller."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        return "missing"
    except OSError as exc:
        return f"it cannot be read ({exc.strerror})"
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return "it is not a regular file (a folder, device or pipe)"
        return info.st_size, os.read(fd, _HEADER)
    finally:
        os.close(fd)


def refusal(
    path: Path, migrations: tuple[str, ...], *, create: bool, app_id_from: int
) -> str | None:
    """Why `path` must not be opened as the journal, or None when it may be.

    It may be: a BackTrack journal of this or an older schema, or (when `create`) a file
    that does not exist yet, is empty (0 bytes) or is a SQLite database without any table.
    `app_id_from` is the schema version that first set APPLICATION_ID: an older journal
    is recognised by its version and exact tables instead.
    """
    head = _header(path)
    if head == "missing":
        if create:
            return None
        return "there is no journal here (the file does not exist); check the path given"
    if isinstance(head, str):
        return f"{head}; it has not been changed"
    size, header = head
    if size == 0:
        if create:
            return None
        return "the file is empty (0 bytes), not a BackTrack journal; it has not been changed"
    if len(header) < _HEADER or not header.startswith(_MAGIC):
        return UNREADABLE
    version = int.from_bytes(header[60:64], "big")
    app_id = int.from_bytes(header[68:72], "big")
    schema = tables_by_version(migrations)
    if app_id == APPLICATION_ID:
        if version >= len(schema):
            return (
                f"the journal was written by a newer BackTrack (schema {version}, this version "
                f"knows {len(schema) - 1}). It has not been changed; update BackTrack to open it"
            )
        return None
    if app_id != 0:
        return (
            f"this SQLite database belongs to another program (application id {app_id:#010x}), "
            "it is not a BackTrack journal; it has not been changed"
        )
    try:
        tables = read_tables(path)
    except sqlite3.Error:
        return UNREADABLE
    if version == 0 and not tables:
        if create:
            return None
        return "the file is an empty database, not a BackTrack journal; it has not been changed"
    if 0 < version < app_id_from and tables == schema[version]:
        return None  # a journal from before the application id
    shown = ", ".join(sorted(tables)[:8]) or "none"
    return (
        f"this SQLite database is not a BackTrack journal (its tables: {shown}); "
        "it has not been changed"
    )


def read_tables(path: Path) -> frozenset[str]:
    """The tables of a database file, read without locking it or creating companions."""
    conn = sqlite3.connect(sqlite_uri(path, mode="ro", immutable="1"), uri=True)
    try:
        return _tables(conn)
    finally:
        conn.close()


def backup_problems(
    path: Path, migrations: tuple[str, ...], *, app_id_from: int, today: date
) -> list[str]:
    """Everything that stops `path` being restored as the journal: not a BackTrack journal
    (or a newer one), damaged, or any row the journal's own rules would refuse. Empty when
    it can be restored."""
    problem = refusal(path, migrations, create=False, app_id_from=app_id_from)
    if problem:
        return [problem]
    try:
        conn = sqlite3.connect(sqlite_uri(path, mode="ro", immutable="1"), uri=True)
    except sqlite3.Error as exc:
        return [f"it cannot be read ({exc})"]
    try:
        check = conn.execute("PRAGMA quick_check").fetchone()[0]
        if check != "ok":
            return [f"it is damaged (SQLite's check says: {check})"]
        return _row_problems(conn, today)
    except sqlite3.Error as exc:
        return [f"it cannot be read ({exc})"]
    finally:
        conn.close()


def _row_problems(conn: sqlite3.Connection, today: date) -> list[str]:
    problems: list[str] = []
    # Schema 5 on: leg pain beside back pain.
    leg = "leg_pain" if _has_column(conn, "entries", "leg_pain") else "NULL"
    rows = conn.execute(
        f"SELECT id, date, slot, pain, flags, notes, {leg} FROM entries ORDER BY id"
    )
    for entry_id, day, slot, pain, flags, notes, leg_pain in rows:
        values = {"date": day, "slot": slot, "pain": pain, "flags": flags, "notes": notes,
                  "leg_pain": leg_pain}  # fmt: skip
        try:
            validate_entry(values, (), today)
        except EntryError as exc:
            problems += [f"entry {entry_id} ({day} {slot}), {e}" for e in exc.errors]

    def reps_rule(exercise: object, n: object) -> None:
        if not isinstance(exercise, str) or not exercise:
            raise ValueError("the exercise id is not text")
        if parse_reps(n) < 1:
            raise ValueError(f"{n} is outside 1-100")

    problems += _child_problems(conn, "entry_reps", "reps", "reps", reps_rule)
    # Schema 4 on: the "How did that feel?" answers.
    problems += _child_problems(conn, "entry_reactions", "reaction", "answers",
                                lambda exercise, r: parse_reactions({exercise: r}))  # fmt: skip
    problems += _outcome_problems(conn, today)
    settings = dict(conn.execute("SELECT key, value FROM settings").fetchall())
    if stored_revision(settings.get("revision")) is None:
        problems.append("settings: the revision counter is missing or not a whole number")
    if settings.get("start_date") is not None:
        try:
            validate_entry({"date": settings["start_date"], "slot": "morning", "pain": 0}, (),
                           today)  # fmt: skip
        except EntryError as exc:
            problems.append(f"settings, programme start {exc.errors[0]}")
    return problems


def _has_column(conn: sqlite3.Connection, table: str, column: str) -> bool:
    return any(row[1] == column for row in conn.execute(f"PRAGMA table_info({table})"))


def _outcome_problems(conn: sqlite3.Connection, today: date) -> list[str]:
    """Schema 5 on: each PSFS/PGIC record by the outcomes' own rules."""
    if not _has_column(conn, "outcomes", "measure"):
        return []
    problems, records = [], []
    rows = conn.execute("SELECT date, measure, item, score, label FROM outcomes ORDER BY rowid")
    for day, measure, item, score, label in rows:
        values = {"date": day, "measure": measure, "item": item, "score": score, "label": label}
        try:
            records.append(validate_outcome(values, today))
        except EntryError as exc:
            problems += [f"outcome {day} {measure} item {item}, {e}" for e in exc.errors]
    for o, known in label_clashes(records):
        problems.append(
            f"outcome {o.date} psfs item {o.item}, label: {o.label!r} differs from {known!r}"
        )
    return problems


def _child_problems(conn: sqlite3.Connection, table: str, column: str, what: str,
                    rule) -> list[str]:  # fmt: skip
    """Rows of a per-entry table (reps, answers) that belong to no entry or break `rule`."""
    known = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
    ).fetchone()
    if not known:  # an older schema, without this table
        return []
    problems = []
    rows = conn.execute(
        f"SELECT c.entry_id, c.exercise_id, c.{column}, e.id FROM {table} c "
        "LEFT JOIN entries e ON e.id = c.entry_id"
    )
    for entry_id, exercise, value, found in rows:
        if found is None:
            problems.append(f"{what} of entry {entry_id}: there is no such entry")
            continue
        try:
            rule(exercise, value)
        except ValueError as exc:
            where = f"{what} of entry {entry_id}" + (
                f", {exercise}" if isinstance(exercise, str) and exercise else "")  # fmt: skip
            problems.append(f"{where}: {exc}")
    return problems


def listed(problems: Sequence[str]) -> str:
    """The first PROBLEMS_LISTED problems, one per line, and a count of the rest."""
    shown = [f"  {p}" for p in problems[:PROBLEMS_LISTED]]
    if len(problems) > PROBLEMS_LISTED:
        shown.append(f"  ... and {len(problems) - PROBLEMS_LISTED} more problems.")
    return "\n".join(shown)


def same_file(a: Path, b: Path) -> bool:
    """True when `b` is the database `a` or one of its companions (-wal, -shm, -journal),
    by any name (a symlink, a hard link, a relative path)."""
    for one in (a, *companions(Path(a))):
        try:
            if os.path.samefile(one, b):
                return True
        except OSError:
            if os.path.abspath(one) == os.path.abspath(b):
                return True
    return False


def output_problem(output: Path, db_path: Path) -> str | None:
    """Why a command must not write its output (a CSV, a PDF) to `output`, or None: it is
    the journal or one of its companions, or any SQLite database (a backup, another
    journal), or a folder, or its folder does not exist."""
    output = Path(output)
    if same_file(Path(db_path), output):
        return "that is the journal itself (or its -wal/-shm file); refusing to overwrite it"
    if output.is_dir():
        return "is a folder; give a file name"
    if not output.parent.is_dir():
        return f"the folder {output.parent} does not exist"
    head = _header(output)
    if isinstance(head, tuple) and head[1].startswith(_MAGIC):
        return "is a SQLite database (a journal or a backup?); refusing to overwrite it"
    return None


def unheld_text(count: int, first: Sequence[str]) -> str:
    """What the app and the command line say about entries whose dates the journal cannot
    use (see store.HELD): how many, the first few, and how to get rid of them."""
    return (
        f"{count} {'entry has' if count == 1 else 'entries have'} a date BackTrack cannot use "
        f"(not a real date from {EARLIEST_DATE.isoformat()} on), e.g. {', '.join(first)}: "
        "they are left out of every page, the check, the report and the export. To remove "
        "them, restore a backup from before they came in (Data page, or python -m backtrack "
        "backups)."
    )
