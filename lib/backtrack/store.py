"""The journal store: SQLite from the standard library, one transaction per write.

WAL mode and a busy timeout let the app and the CLI share a journal. The schema carries a
version (PRAGMA user_version) with migrations from the first release on; a database of a
newer schema, or a file that is not a BackTrack journal, is refused and never rewritten.
"""

from __future__ import annotations

import dataclasses
import os
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import NamedTuple

from backtrack import journalfile
from backtrack.backup import BackupError, backups_dir, make_backup, restore
from backtrack.entries import EARLIEST_DATE, SLOT_RANK_SQL, Entry, journal_order
from backtrack.journalfile import OTHER_REVISION, mark_other_revision, stored_revision
from backtrack.outcomes import Outcome, label_clashes
from backtrack.programme import DATA_DIR
from backtrack.symptoms import join_flags, split_flags

DEFAULT_DB = DATA_DIR / "backtrack.db"

# Each migration takes the schema from version i to i + 1. Append, never edit.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE entries (
        id INTEGER PRIMARY KEY,
        date TEXT NOT NULL,
        slot TEXT NOT NULL CHECK (slot IN ('morning', 'evening')),
        pain INTEGER NOT NULL CHECK (pain BETWEEN 0 AND 10),
        flags TEXT NOT NULL DEFAULT '',
        notes TEXT NOT NULL DEFAULT '',
        updated_at TEXT NOT NULL,
        UNIQUE (date, slot)
    );
    CREATE TABLE entry_reps (
        entry_id INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
        exercise_id TEXT NOT NULL,
        reps INTEGER NOT NULL CHECK (reps BETWEEN 1 AND 100),
        PRIMARY KEY (entry_id, exercise_id)
    );
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    INSERT INTO settings (key, value) VALUES ('revision', '0');
    """,
    # v2: which (date, slot) each write touched, so a cached frame can be patched instead
    # of reloaded. Each write also leaves a marker row (date NULL) for its revision.
    """
    CREATE TABLE changes (revision INTEGER NOT NULL, date TEXT, slot TEXT);
    CREATE INDEX changes_by_revision ON changes (revision);
    """,
    # v3: mark the file as a BackTrack journal, so another program's database is refused.
    f"PRAGMA application_id = {journalfile.APPLICATION_ID}",
    # v4: "How did that feel?" per exercise of a guided session (symptoms.REACTIONS).
    """
    CREATE TABLE entry_reactions (
        entry_id INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
        exercise_id TEXT NOT NULL,
        reaction TEXT NOT NULL,
        PRIMARY KEY (entry_id, exercise_id)
    );
    """,
    # v5: leg pain beside back pain, and the outcome measures (backtrack.outcomes).
    """
    ALTER TABLE entries ADD COLUMN leg_pain INTEGER
        CHECK (leg_pain IS NULL OR leg_pain BETWEEN 0 AND 10);
    CREATE TABLE outcomes (
        date TEXT NOT NULL,
        measure TEXT NOT NULL CHECK (measure IN ('psfs', 'pgic')),
        item INTEGER NOT NULL CHECK (item BETWEEN 1 AND 5),
        score INTEGER NOT NULL CHECK (score BETWEEN 0 AND 10),
        label TEXT NOT NULL DEFAULT '',
        updated_at TEXT NOT NULL,
        PRIMARY KEY (date, measure, item)
    );
    """,
)
APP_ID_FROM = 3  # the first schema version that carries journalfile.APPLICATION_ID
CHANGES_KEPT = 1000  # revisions of change log kept; older caches reload in full
PATCH_MAX = 500  # more changed entries than this: reload in full
SCHEMA_VERSION = len(MIGRATIONS)
# Entries the journal's reads can hold: a real date from EARLIEST_DATE to LATEST_HELD (the
# frames' datetime64[ns] ends in 2262). A file written outside BackTrack, or by a release
# that accepted any date, may hold others: they are left out and reported (unheld).
LATEST_HELD = date(2261, 12, 31)
_HELD = (
    "date(julianday({c})) IS {c} AND {c} BETWEEN "
    f"'{EARLIEST_DATE.isoformat()}' AND '{LATEST_HELD.isoformat()}'"
)
HELD = _HELD.format(c="date")


class StoreError(RuntimeError):
    """The journal file cannot be used as it is; the message says which file and why."""


class EntryExists(Exception):
    """Saving would replace an existing entry for that date and slot: ask the user first."""

    def __init__(self, existing: Entry):
        self.existing = existing
        super().__init__(f"an entry for {existing.date} {existing.slot} already exists")


class EntryChanged(Exception):
    """The entry was changed or deleted elsewhere since the user loaded it: let them choose."""

    def __init__(self, loaded: Entry, current: Entry | None):
        self.loaded = loaded
        self.current = current
        what = "deleted" if current is None else "changed"
        super().__init__(f"the entry for {loaded.date} {loaded.slot} was {what} elsewhere")


@dataclass(frozen=True)
class ImportReport:
    added: int
    replaced: int
    unchanged: int

    def __str__(self) -> str:
        return (
            f"{self.added} added, {self.replaced} replaced, {self.unchanged} unchanged "
            f"({self.added + self.replaced + self.unchanged} rows)"
        )


def carry_reps(entry: Entry, old: Entry | None, exercise_ids: Iterable[str] | None) -> Entry:
    """`entry` plus the reps `old` has for exercises outside `exercise_ids`: an exercise
    taken out of the programme keeps its history when an entry is edited or re-imported."""
    if old is None or exercise_ids is None:
        return entry
    known = set(exercise_ids)
    kept = {k: v for k, v in old.reps.items() if k not in known}
    return dataclasses.replace(entry, reps={**entry.reps, **kept}) if kept else entry


# The write rules every store keeps (JournalStore here, the clinic's ClinicStore), each in
# one place; a store supplies the reads and writes inside its own transaction.
EntryAt = Callable[[tuple[date, str]], "Entry | None"]


class Changes(NamedTuple):
    """What a journal's change log says was written after a revision (Journal.changed_rows):
    the revision now, the keys touched, the rows now at those keys (in the frame's
    layout), and the other revision now (see JournalStore.revisions)."""

    revision: int
    keys: list
    rows: list[tuple]
    other_revision: int


def both_revisions(revision: int, other: object) -> tuple[int, int]:
    """(revision, other revision) from the stored values: an other revision that is missing,
    not a stored revision (journalfile.stored_revision) or ahead of the revision counts as
    the revision itself."""
    found = stored_revision(other)
    return revision, found if found is not None and found <= revision else revision


def logged_keys(log: Iterable[tuple], since: int, revision: int) -> list | None:
    """The keys the change log rows (revision, date, slot) after `since` touched, sorted;
    None when the log cannot tell: a revision without its marker row (date None), or more
    keys than a patch is worth (PATCH_MAX)."""
    log = list(log)
    markers = {r for r, d, _ in log if d is None}
    keys = sorted({(d, s) for _, d, s in log if d is not None})
    if markers != set(range(since + 1, revision + 1)) or len(keys) > PATCH_MAX:
        return None
    return keys


def unchanged_or_raise(at: EntryAt, key: tuple[date, str], expected: Entry) -> None:
    """EntryChanged unless the entry stored at `key` is still `expected` (a change made
    elsewhere since the user loaded it: another tab, device or the CLI)."""
    current = at(key)
    if current != expected:
        raise EntryChanged(expected, current)


def checked_save(
    entry: Entry,
    at: EntryAt,
    *,
    replace: bool | Entry,
    original: Entry | None,
    exercise_ids: Iterable[str] | None,
) -> tuple[Entry, bool]:
    """The entry to write and whether it replaces another (see JournalStore.save), or
    EntryChanged / EntryExists before anything is written."""
    if original is not None:
        unchanged_or_raise(at, original.key, original)
    existing = at(entry.key)
    clash = existing is not None and (original is None or entry.key != original.key)
    if clash and not (replace is True or replace == existing):
        raise EntryExists(existing)
    return carry_reps(entry, original or existing, exercise_ids), clash


def upsert_all(
    items: list,
    current: dict,
    write: Callable[[object], None],
    progress: Callable[[int, int], None] | None = None,
    prepare: Callable[[object, object], object] | None = None,
) -> ImportReport:
    """Write each item that differs from `current` (by its key), counting what was added,
    replaced and left alone; `prepare(item, old)` adjusts an item first (carry_reps)."""
    added = replaced = unchanged = 0
    total = len(items)
    for i, item in enumerate(items, start=1):
        old = current.get(item.key)
        if prepare is not None:
            item = prepare(item, old)
        if old == item:
            unchanged += 1
        else:
            write(item)
            if old is None:
                added += 1
            else:
                replaced += 1
        if progress and (i % 200 == 0 or i == total):
            progress(i, total)
    return ImportReport(added, replaced, unchanged)


def check_outcome_labels(current: dict, records: Iterable[Outcome]) -> None:
    """ValueError when `records` over what is stored would give a PSFS item two activities."""
    clashes = label_clashes({**current, **{o.key: o for o in records}}.values())
    if clashes:
        o, known = clashes[0]
        raise ValueError(
            f"PSFS item {o.item} is '{known}': {o.date.isoformat()} gives it as "
            f"'{o.label}' (each item keeps its activity)"
        )


def restore_journal(db_path: Path, backup: Path) -> Path | None:
    """Restore a backup into the journal (see backup.restore), refusing one written by a
    newer BackTrack, and bring an older one up to the current schema.

    The whole backup is checked first (a BackTrack journal of this or an older schema, not
    damaged, every row valid by the journal's own rules): otherwise nothing is replaced."""
    db_path, backup = Path(db_path), Path(backup)
    if journalfile.same_file(db_path, backup):
        raise BackupError(f"{backup}: that is the journal itself; nothing was restored")
    problem = journalfile.refusal(backup, MIGRATIONS, create=False, app_id_from=APP_ID_FROM)
    if problem:
        raise BackupError(f"{backup}: {problem}; nothing was restored")
    problem = journalfile.refusal(db_path, MIGRATIONS, create=True, app_id_from=APP_ID_FROM)
    if problem and problem != journalfile.UNREADABLE:  # a damaged journal may be replaced
        raise BackupError(f"{db_path}: {problem}; nothing was restored")

    def check(snapshot: Path) -> str | None:
        problems = journalfile.backup_problems(
            snapshot, MIGRATIONS, app_id_from=APP_ID_FROM, today=date.today()
        )
        return journalfile.listed(problems) if problems else None

    before = restore(db_path, backup, check)
    JournalStore(db_path)  # migrates a backup of an older schema
    return before


def _remove(conn: sqlite3.Connection, day: date, slot: str) -> bool:
    """Delete the entry at (day, slot), if any, and log the change; every write of an entry
    starts here (an upsert removes, then inserts)."""
    cur = conn.execute("DELETE FROM entries WHERE date = ? AND slot = ?", (day.isoformat(), slot))
    conn.execute(
        "INSERT INTO changes (revision, date, slot) SELECT value + 1, ?, ? FROM settings "
        "WHERE key = 'revision'",
        (day.isoformat(), slot),
    )
    return cur.rowcount > 0


def _problem(exc: sqlite3.DatabaseError) -> str | None:
    """What a person should hear about an SQLite error, or None for a programming error."""
    text = str(exc)
    if "not a database" in text or "malformed" in text:
        return "this file is not a readable BackTrack journal; it has not been changed"
    if "locked" in text or "busy" in text:
        return "the journal is locked by another program; close it (or wait) and try again"
    if "unable to open" in text or "readonly" in text or "disk I/O" in text:
        return "the journal cannot be read or written here (check the file's permissions)"
    return None


def _plain_revision(conn: sqlite3.Connection) -> bool:
    row = conn.execute("SELECT value FROM settings WHERE key = 'revision'").fetchone()
    return row is not None and stored_revision(row[0]) is not None


def _recovery(path: Path) -> str:
    folder = backups_dir(path)
    return (
        f"Backups are in {folder}: list them with 'python -m backtrack backups --db {path}' "
        "and restore one with 'python -m backtrack restore BACKUP --db PATH'."
    )


def default_db_path() -> Path:
    """The journal the app and CLI use: $BACKTRACK_DB, else data/backtrack.db."""
    return Path(os.environ.get("BACKTRACK_DB") or DEFAULT_DB)


class JournalStore:
    """All reads and writes of one journal file. Cheap to create; holds no open connection."""

    def __init__(self, path: str | Path | None = None, *, create: bool = True):
        """Open the journal at `path`. With create=False (read-only commands) a journal that
        does not exist yet, or an empty file, is refused instead of being created."""
        self.path = Path(path) if path is not None else default_db_path()
        self.writes = 0  # writes made through this object (a per-run cache checks it)
        self._migrate(create)

    # -- connection and schema -------------------------------------------------------
    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            conn = sqlite3.connect(self.path, timeout=10, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(
                f"{self.path}: cannot open the journal ({exc}). {_recovery(self.path)}"
            ) from None
        try:
            conn.execute("PRAGMA foreign_keys = ON")
            yield conn
        except sqlite3.DatabaseError as exc:
            problem = _problem(exc)
            if problem is None:
                raise
            raise StoreError(f"{self.path}: {problem} ({exc}). {_recovery(self.path)}") from None
        finally:
            conn.close()

    @contextmanager
    def _write(self, *, entries_only: bool = False) -> Iterator[sqlite3.Connection]:
        """One transaction: everything in it is saved, or nothing is. A write that changes
        entries and nothing else says so (`entries_only`); any other also moves the other
        revision on (see revisions)."""
        with self._connect() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute(
                    "INSERT INTO changes (revision) SELECT value + 1 FROM settings "
                    "WHERE key = 'revision'"
                )
                conn.execute("UPDATE settings SET value = value + 1 WHERE key = 'revision'")
                if not entries_only:
                    mark_other_revision(conn)
                conn.execute(
                    "DELETE FROM changes WHERE revision < "
                    "(SELECT value FROM settings WHERE key = 'revision') - ?",
                    (CHANGES_KEPT,),
                )
                conn.execute("COMMIT")
                self.writes += 1
            except BaseException:
                conn.execute("ROLLBACK")
                raise

    def _migrate(self, create: bool = True) -> None:
        problem = journalfile.refusal(self.path, MIGRATIONS, create=create, app_id_from=APP_ID_FROM)
        if problem:
            raise StoreError(f"{self.path}: {problem}. {_recovery(self.path)}")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as conn:
            version = self._check_version(conn)
            if version < SCHEMA_VERSION:
                if version > 0:
                    make_backup(self.path, f"before-migration-{version}-to-{SCHEMA_VERSION}")
                conn.execute("BEGIN IMMEDIATE")
                try:
                    # Read again under the write lock: another process (a second tab, the
                    # CLI) may have migrated the file meanwhile.
                    version = self._check_version(conn)
                    if version == 0 and conn.execute("SELECT COUNT(*) FROM sqlite_master"
                                                     ).fetchone()[0]:  # fmt: skip
                        raise StoreError(
                            f"{self.path}: this SQLite database is not a BackTrack journal; "
                            "it has not been changed"
                        )
                    for target in range(version, SCHEMA_VERSION):
                        for statement in MIGRATIONS[target].split(";"):
                            if statement.strip():
                                conn.execute(statement)
                    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                    conn.execute("COMMIT")
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
            self._use_wal(conn)
            self._repair_revision(conn)

    @staticmethod
    def _repair_revision(conn: sqlite3.Connection) -> None:
        """A revision counter edited outside BackTrack (gone, or not a plain whole number)
        would stop every page that reads it. It is only a cache key, so it is set past every
        logged change and counted as a change of everything; nothing else is touched."""
        if _plain_revision(conn):
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            if not _plain_revision(conn):  # read again under the write lock
                conn.execute(
                    "INSERT INTO settings (key, value) SELECT 'revision', "
                    "coalesce(max(revision), 0) + 1 FROM changes WHERE true "  # (an upsert
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value"  # needs a WHERE)
                )
                mark_other_revision(conn)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def _check_version(self, conn: sqlite3.Connection) -> int:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: the journal was written by a newer BackTrack (schema "
                f"{version}, this version knows {SCHEMA_VERSION}). It has not been "
                f"changed; update BackTrack to open it. {_recovery(self.path)}"
            )
        return version

    @staticmethod
    def _use_wal(conn: sqlite3.Connection) -> None:
        """Switch to WAL (it sticks to the file). The switch needs the file to itself, so
        while another connection opens it at the same moment, wait and look again."""
        for attempt in range(50):
            try:
                if conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
                    return
                conn.execute("PRAGMA journal_mode = WAL")
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or attempt == 49:
                    raise
                time.sleep(0.05)

    # -- reads ---------------------------------------------------------------------
    def revision(self) -> int:
        """A counter that every write bumps: the key for caches of what is read here."""
        with self._connect() as conn:
            return self._revision(conn)

    @classmethod
    def _revision(cls, conn: sqlite3.Connection) -> int:
        return cls._revisions(conn)[0]

    def revisions(self) -> tuple[int, int]:
        """(revision, other revision), read together: the counter every write bumps, and
        the revision of the latest write that changed anything but entries (a setting, an
        outcome answer). Views of settings and answers are keyed on the second, so saving an
        entry does not make them be read again. A journal that has not recorded it (written
        before it existed, or edited outside BackTrack) gives the revision itself: as if
        everything had just changed."""
        with self._connect() as conn:
            return self._revisions(conn)

    @staticmethod
    def _revisions(conn: sqlite3.Connection) -> tuple[int, int]:
        found = dict(conn.execute(
            "SELECT key, value FROM settings WHERE key IN ('revision', ?)", (OTHER_REVISION,)
        ).fetchall())  # fmt: skip
        revision = stored_revision(found.get("revision"))
        if revision is None:  # edited while BackTrack runs: opening the journal repairs it
            raise StoreError(
                "the journal's revision counter was changed outside BackTrack; restart "
                "BackTrack, which sets it right (no entry is affected)"
            )
        return both_revisions(revision, found.get(OTHER_REVISION))

    def _entries(self, conn: sqlite3.Connection, where: str = "", args: tuple = ()) -> list[Entry]:
        cond = where.removeprefix("WHERE ")
        rows = conn.execute(
            f"SELECT id, date, slot, pain, flags, notes, leg_pain FROM entries WHERE {HELD}"
            + (f" AND ({cond})" if cond else ""),
            args,
        ).fetchall()
        reps: dict[int, dict[str, int]] = {}
        reactions: dict[int, dict[str, str]] = {}
        ids = [r[0] for r in rows]
        if ids:
            only = f" WHERE entry_id IN ({','.join('?' * len(ids))})" if where else ""
            args = ids if where else ()
            query = "SELECT entry_id, exercise_id, reps FROM entry_reps"
            for entry_id, ex_id, n in conn.execute(query + only, args):
                reps.setdefault(entry_id, {})[ex_id] = n
            query = "SELECT entry_id, exercise_id, reaction FROM entry_reactions"
            for entry_id, ex_id, reaction in conn.execute(query + only + " ORDER BY rowid", args):
                reactions.setdefault(entry_id, {})[ex_id] = reaction
        entries = [
            Entry(
                date=date.fromisoformat(d),
                slot=slot,
                pain=pain,
                reps=reps.get(i, {}),
                flags=split_flags(flags),
                notes=notes,
                reactions=reactions.get(i, {}),
                leg_pain=leg,
            )
            for i, d, slot, pain, flags, notes, leg in rows
        ]
        return sorted(entries, key=journal_order)

    def entries(self, first: date | None = None, last: date | None = None) -> list[Entry]:
        """Every entry (or those from `first` to `last`, inclusive), oldest first."""
        where, args = [], []
        if first is not None:
            where.append("date >= ?")
            args.append(first.isoformat())
        if last is not None:
            where.append("date <= ?")
            args.append(last.isoformat())
        with self._connect() as conn:
            return self._entries(conn, "WHERE " + " AND ".join(where) if where else "", tuple(args))

    def latest(self, limit: int) -> list[Entry]:
        """The `limit` most recent entries, newest first."""
        with self._connect() as conn:
            found = self._entries(
                conn, f"WHERE id IN (SELECT id FROM entries WHERE {HELD} ORDER BY date DESC, "
                f"{SLOT_RANK_SQL.format(column='slot')} DESC LIMIT ?)", (limit,),
            )  # fmt: skip
        return found[::-1]

    def count(self) -> int:
        with self._connect() as conn:
            return conn.execute(f"SELECT COUNT(*) FROM entries WHERE {HELD}").fetchone()[0]

    def unheld(self) -> tuple[int, list[str]]:
        """How many entries have a date the journal cannot hold (see HELD), and the first
        few as 'date slot', so a page or command can say what it leaves out."""
        with self._connect() as conn:
            rows = conn.execute(
                f"SELECT date, slot FROM entries WHERE NOT ({HELD}) OR date IS NULL ORDER BY date"
            ).fetchall()
        return len(rows), [f"{d} {s}" for d, s in rows[:3]]

    def get(self, day: date, slot: str) -> Entry | None:
        with self._connect() as conn:
            return self._entry_at(conn, (day, slot))

    @staticmethod
    def _frame_rows(conn: sqlite3.Connection, exercise_ids: list[str], where: str = "",
                    args: tuple = ()) -> list[tuple]:  # fmt: skip
        # One query pivots the reps in SQL.
        pivot = "".join(
            ", COALESCE(SUM(CASE WHEN r.exercise_id = ? THEN r.reps END), 0)" for _ in exercise_ids
        )
        cond = where.removeprefix("WHERE ")
        held = _HELD.format(c="e.date")
        query = (
            f"SELECT e.date, e.slot, e.pain{pivot}, e.flags, e.notes, "
            "COALESCE((SELECT group_concat(a.exercise_id || '=' || a.reaction, ';') FROM "
            "entry_reactions a WHERE a.entry_id = e.id), ''), e.leg_pain FROM entries e "
            f"LEFT JOIN entry_reps r ON r.entry_id = e.id WHERE {held}"
            + (f" AND ({cond})" if cond else "")
            + " GROUP BY e.id "
            f"ORDER BY e.date, {SLOT_RANK_SQL.format(column='e.slot')}"
        )
        return conn.execute(query, (*exercise_ids, *args)).fetchall()

    def frame_rows(self, exercise_ids: Iterable[str]) -> tuple[int, list[tuple]]:
        """The revision and, read with it, every entry as a row of (date, slot, pain, reps
        per exercise..., flags, notes, reactions, leg_pain) in journal order (see
        frames.journal_frame)."""
        exercise_ids = list(exercise_ids)
        with self._connect() as conn:
            conn.execute("BEGIN")
            try:
                return self._revision(conn), self._frame_rows(conn, exercise_ids)
            finally:
                conn.execute("COMMIT")

    def changed_rows(self, since: int, exercise_ids: Iterable[str]) -> Changes | None:
        """What was written after revision `since` (Changes: the revisions now, the (ISO
        date, slot) keys touched, the rows now at those keys; a key without a row was
        deleted), read in one transaction. Nothing written since: the same revision, no
        keys. None when the change log cannot tell (too many changes, or a restore replaced
        the file): reload."""
        exercise_ids = list(exercise_ids)
        with self._connect() as conn:
            conn.execute("BEGIN")
            try:
                revision, other = self._revisions(conn)
                if revision == since:
                    return Changes(revision, [], [], other)
                log = conn.execute(
                    "SELECT revision, date, slot FROM changes WHERE revision > ?", (since,)
                ).fetchall()
                keys = logged_keys(log, since, revision)
                if keys is None:
                    return None
                rows = []
                for first in range(0, len(keys), 200):
                    chunk = keys[first : first + 200]
                    where = "WHERE (e.date, e.slot) IN (VALUES " + ",".join(
                        "(?, ?)" for _ in chunk) + ")"  # fmt: skip
                    rows += self._frame_rows(conn, exercise_ids, where,
                                             tuple(v for k in chunk for v in k))  # fmt: skip
            finally:
                conn.execute("COMMIT")
        return Changes(revision, keys, rows, other)

    def get_setting(self, key: str) -> str | None:
        with self._connect() as conn:
            row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def start_date(self) -> date | None:
        """The programme start date the user set, or None (then day 1 is the first entry)."""
        value = self.get_setting("start_date")
        try:
            day = date.fromisoformat(value) if value else None
        except ValueError:
            return None  # written outside BackTrack: day 1 is the first entry
        return day if day is None or EARLIEST_DATE <= day <= LATEST_HELD else None

    # -- writes --------------------------------------------------------------------
    def set_setting(self, key: str, value: str | None) -> None:
        """Store (or, with None, remove) one setting; the revision moves on as for any write."""
        if key in ("revision", OTHER_REVISION):
            raise ValueError("the revision counters are not settings to set")
        with self._write() as conn:
            if value is None:
                conn.execute("DELETE FROM settings WHERE key = ?", (key,))
            else:
                conn.execute(
                    "INSERT INTO settings (key, value) VALUES (?, ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (key, value),
                )

    def set_start_date(self, value: date | None) -> None:
        with self._write() as conn:
            if value is None:
                conn.execute("DELETE FROM settings WHERE key = 'start_date'")
            else:
                conn.execute(
                    "INSERT INTO settings (key, value) VALUES ('start_date', ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (value.isoformat(),),
                )

    @staticmethod
    def _upsert(conn: sqlite3.Connection, entry: Entry) -> None:
        now = datetime.now(UTC).isoformat(timespec="seconds")
        _remove(conn, entry.date, entry.slot)
        cur = conn.execute(
            "INSERT INTO entries (date, slot, pain, flags, notes, updated_at, leg_pain) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (entry.date.isoformat(), entry.slot, entry.pain, join_flags(entry.flags),
             entry.notes, now, entry.leg_pain),
        )  # fmt: skip
        conn.executemany(
            "INSERT INTO entry_reps (entry_id, exercise_id, reps) VALUES (?, ?, ?)",
            [(cur.lastrowid, ex, n) for ex, n in entry.reps.items() if n > 0],
        )
        conn.executemany(
            "INSERT INTO entry_reactions (entry_id, exercise_id, reaction) VALUES (?, ?, ?)",
            [(cur.lastrowid, ex, r) for ex, r in entry.reactions.items()],
        )

    def _entry_at(self, conn: sqlite3.Connection, key: tuple[date, str]) -> Entry | None:
        found = self._entries(conn, "WHERE date = ? AND slot = ?", (key[0].isoformat(), key[1]))
        return found[0] if found else None

    def save(
        self,
        entry: Entry,
        *,
        replace: bool | Entry = False,
        original: Entry | None = None,
        exercise_ids: Iterable[str] | None = None,
    ) -> bool:
        """Save an entry; return True when it replaced another.

        `original` is the entry as the user loaded it to edit: if it changed or went away
        meanwhile (another tab, the CLI), EntryChanged is raised and nothing is written;
        otherwise it is moved to the entry's (date, slot) in the same transaction. Another
        entry already at that (date, slot) raises EntryExists unless `replace` is True or is
        that very entry as the user saw it, so nothing is overwritten without asking.
        With `exercise_ids` (the programme's), reps stored for exercises no longer in the
        programme are kept rather than dropped by a form that cannot show them.
        """
        with self._write(entries_only=True) as conn:
            entry, clash = checked_save(
                entry, lambda key: self._entry_at(conn, key), replace=replace,
                original=original, exercise_ids=exercise_ids,
            )  # fmt: skip
            if original is not None and original.key != entry.key:
                _remove(conn, original.date, original.slot)
            self._upsert(conn, entry)
        return clash

    def delete(self, day: date, slot: str, *, expected: Entry | None = None) -> bool:
        """Delete the entry at (day, slot); with `expected`, only if it is still that entry."""
        with self._write(entries_only=True) as conn:
            if expected is not None:
                unchanged_or_raise(lambda key: self._entry_at(conn, key), (day, slot), expected)
            removed = _remove(conn, day, slot)
        return removed

    def import_entries(
        self,
        entries: list[Entry],
        progress: Callable[[int, int], None] | None = None,
        exercise_ids: Iterable[str] | None = None,
    ) -> ImportReport:
        """Upsert validated entries by (date, slot) in one transaction.

        An entry identical to the stored one is left alone, so importing the same file
        twice changes nothing.
        """
        if self.count():
            make_backup(self.path, "before-import")
        with self._write(entries_only=True) as conn:
            current = {e.key: e for e in self._entries(conn)}
            return upsert_all(
                entries, current, lambda e: self._upsert(conn, e), progress,
                lambda e, old: carry_reps(e, old, exercise_ids),
            )  # fmt: skip

    # -- outcome measures (PSFS, PGIC) ---------------------------------------------
    def outcomes(self) -> list[Outcome]:
        """Every outcome record, oldest first (then PSFS before PGIC, by item)."""
        with self._connect() as conn:
            rows = conn.execute(
                f"SELECT date, measure, item, score, label FROM outcomes WHERE {HELD} "
                "ORDER BY date, CASE measure WHEN 'psfs' THEN 0 ELSE 1 END, item"
            ).fetchall()  # outcome_order, in SQL
        return [Outcome(date.fromisoformat(d), m, i, s, label) for d, m, i, s, label in rows]

    def save_outcomes(self, records: Iterable[Outcome]) -> ImportReport:
        """Upsert outcome records by (date, measure, item) in one transaction; a PSFS
        activity must keep the label it has for its item number (ValueError otherwise, and
        nothing is written). Identical records are left alone."""
        records = list(records)
        with self._write() as conn:
            current = {
                (date.fromisoformat(d), m, i): Outcome(date.fromisoformat(d), m, i, s, label)
                for d, m, i, s, label in conn.execute(
                    f"SELECT date, measure, item, score, label FROM outcomes WHERE {HELD}"
                )
            }
            check_outcome_labels(current, records)
            now = datetime.now(UTC).isoformat(timespec="seconds")

            def write(o: Outcome) -> None:
                conn.execute(
                    "INSERT INTO outcomes (date, measure, item, score, label, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (date, measure, item) DO UPDATE "
                    "SET score = excluded.score, label = excluded.label, "
                    "updated_at = excluded.updated_at",
                    (o.date.isoformat(), o.measure, o.item, o.score, o.label, now),
                )

            return upsert_all(records, current, write)

    def import_outcomes(self, records: list[Outcome]) -> ImportReport:
        """Upsert an outcomes file's records (see save_outcomes), after a backup."""
        if self.count() or self.outcomes():
            make_backup(self.path, "before-import")
        return self.save_outcomes(records)
