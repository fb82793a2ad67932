"""Backups of the journal: SQLite's online backup API into a `backups` folder beside it.

A backup is taken before any import, restore or schema migration, and once a day when the
app starts; the newest BACKUPS_KEPT are kept. Restoring first backs up the current journal,
so a restore can itself be undone.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from backtrack.fmt import fmt_date_time
from backtrack.journalfile import companions, mark_other_revision, sqlite_uri, stored_revision

BACKUPS_KEPT = 14
_STAMP = "%Y%m%d-%H%M%S-%f"
# A backup's sequence number (`n` and digits, after the time stamp) orders backups by when
# they were made even when the clock ran backwards between them (a clock that was ahead, a
# trip west). Backups from before it count as number 0, in the order of their stamps.
_SEQ_RE = re.compile(r"^n(\d+)-(.*)$")


@dataclass(frozen=True)
class Backup:
    path: Path
    taken: datetime
    reason: str
    entries: int | None  # None when the file cannot be read as a journal
    seq: int = 0

    @property
    def label(self) -> str:
        n = self.entries
        count = "unreadable" if n is None else f"{n} {'entry' if n == 1 else 'entries'}"
        return f"{fmt_date_time(self.taken)} · {self.reason} · {count}"


class BackupError(RuntimeError):
    """A backup could not be taken or restored; the message says which file and why."""


def backups_dir(db_path: Path) -> Path:
    return Path(db_path).parent / "backups"


def _copy(source: Path, target: Path, *, standalone: bool = True) -> None:
    """Copy one SQLite database into another with the online backup API (safe while the
    source is in use: it copies a consistent snapshot). A `standalone` copy (a backup) is
    switched out of WAL mode, so reading it later leaves no -wal/-shm files beside it."""
    src = sqlite3.connect(sqlite_uri(source, mode="ro"), uri=True, timeout=10)
    try:
        dst = sqlite3.connect(target, timeout=10)
        try:
            src.backup(dst)
            if standalone:
                dst.execute("PRAGMA journal_mode = DELETE")
        finally:
            dst.close()
    finally:
        src.close()


def snapshot_bytes(db_path: Path) -> bytes:
    """The whole journal as one self-contained SQLite file (a consistent snapshot, safe while
    the app writes): entries, outcome answers, safety answers and settings, to move to
    another computer (put it where that computer's journal goes, or restore it there)."""
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "journal.db"
        _copy(Path(db_path), target)
        return target.read_bytes()


def make_backup(db_path: Path, reason: str, now: datetime | None = None) -> Path | None:
    """Back up the journal (None if it does not exist yet); keep the newest BACKUPS_KEPT."""
    db_path = Path(db_path)
    if not db_path.exists():
        return None
    folder = backups_dir(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = (now or datetime.now()).strftime(_STAMP)
    seq = max((b.seq for b in list_backups(db_path)), default=0) + 1
    target = folder / f"{db_path.stem}-{stamp}-n{seq:06d}-{reason}.db"
    partial = target.with_suffix(".partial")
    try:
        try:
            _copy(db_path, partial)
        except sqlite3.DatabaseError:
            # SQLite cannot read it (damaged): keep its bytes exactly, so nothing is lost.
            partial.unlink(missing_ok=True)
            shutil.copyfile(db_path, partial)
        os.replace(partial, target)  # a backup file is whole or absent
    except (sqlite3.Error, OSError) as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(f"{db_path}: could not back up to {folder} ({exc})") from None
    prune(db_path, keep=target)
    return target


def prune(db_path: Path, keep: Path) -> None:
    """Delete all but the newest BACKUPS_KEPT backups (by sequence, never by a clock), and
    never `keep`, the one just made; with them any -wal/-shm left beside a backup."""
    for old in list_backups(db_path)[BACKUPS_KEPT:]:
        if old.path != keep:
            old.path.unlink(missing_ok=True)
    for orphan in backups_dir(db_path).glob(f"{glob_escape(db_path.stem)}-*.db-*"):
        main = orphan.with_name(orphan.name.rsplit("-", 1)[0])
        if orphan.name.endswith(("-wal", "-shm")) and not main.exists():
            orphan.unlink(missing_ok=True)


def glob_escape(text: str) -> str:
    """`text` matched literally by Path.glob (a journal named 'a[1].db')."""
    return re.sub(r"([*?\[])", r"[\1]", text)


def list_backups(db_path: Path) -> list[Backup]:
    """This journal's backups, newest first."""
    db_path = Path(db_path)
    found = []
    for path in backups_dir(db_path).glob(f"{glob_escape(db_path.stem)}-*.db"):
        parts = path.stem[len(db_path.stem) + 1 :].split("-", 3)
        try:
            taken = datetime.strptime("-".join(parts[:3]), _STAMP)
        except ValueError:
            continue
        reason, seq = parts[3] if len(parts) > 3 else "", 0
        numbered = _SEQ_RE.match(reason)
        if numbered:
            seq, reason = int(numbered.group(1)), numbered.group(2)
        found.append(Backup(path, taken, reason, _count(path), seq))
    return sorted(found, key=lambda b: (b.seq, b.taken), reverse=True)


def _count(path: Path) -> int | None:
    try:
        # immutable: a backup does not change, and so no lock or -wal/-shm file is made.
        conn = sqlite3.connect(sqlite_uri(path, mode="ro", immutable="1"), uri=True)
        try:
            return conn.execute("SELECT COUNT(*) FROM entries").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return None


def daily_backup(db_path: Path, now: datetime | None = None) -> Path | None:
    """Back up once a day: only if no backup was taken today."""
    today = (now or datetime.now()).date()
    if any(b.taken.date() == today for b in list_backups(db_path)):
        return None
    return make_backup(db_path, "daily", now)


def restore(
    db_path: Path, backup: Path, check: Callable[[Path], str | None] | None = None
) -> Path | None:
    """Replace the journal's contents with a backup's, after backing up the current journal.

    The backup is first copied to a snapshot, and `check` (which says what is wrong with a
    file, or None) looks at that snapshot: what is restored is exactly what was checked,
    and nothing is replaced when it fails. Returns the backup taken of the journal as it
    was. The copy goes through SQLite, in one step, so the journal is never half-restored;
    the revision counters move forward so every cache keyed on them sees the change.
    """
    db_path, backup = Path(db_path), Path(backup)
    if _count(backup) is None:
        raise BackupError(f"{backup}: not a readable BackTrack journal; nothing was restored")
    folder = backups_dir(db_path)
    snapshot = folder / f".{db_path.stem}-restoring-{os.getpid()}.partial"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        snapshot.unlink(missing_ok=True)
        _copy(backup, snapshot)
    except (sqlite3.Error, OSError) as exc:
        snapshot.unlink(missing_ok=True)
        raise BackupError(f"{backup}: could not be read to restore ({exc})") from None
    try:
        problem = check(snapshot) if check else None
        if problem:
            raise BackupError(f"{backup}: cannot be restored; the journal is unchanged.\n{problem}")
        return _restore(db_path, backup, snapshot)
    finally:
        snapshot.unlink(missing_ok=True)


def _restore(db_path: Path, backup: Path, snapshot: Path) -> Path | None:
    before = make_backup(db_path, "before-restore") if db_path.exists() else None
    old_revision = _revision(db_path)
    try:
        try:
            _copy(snapshot, db_path, standalone=False)
        except sqlite3.DatabaseError:
            if before is None:
                raise
            # The journal is damaged and SQLite cannot write into it; its bytes are safe in
            # `before`, so replace the file (and its WAL companions) with the backup.
            for companion in (db_path, *companions(db_path)[:2]):
                companion.unlink(missing_ok=True)
            _copy(snapshot, db_path, standalone=False)
        conn = sqlite3.connect(db_path, timeout=10)
        try:
            with conn:
                conn.execute(
                    "UPDATE settings SET value = ? WHERE key = 'revision'",
                    (str(max(old_revision, _revision(db_path)) + 1),),
                )
                mark_other_revision(conn)
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise BackupError(f"{db_path}: could not restore {backup.name} ({exc})") from None
    return before


def _revision(db_path: Path) -> int:
    try:
        conn = sqlite3.connect(sqlite_uri(db_path, mode="ro"), uri=True)
        try:
            row = conn.execute("SELECT value FROM settings WHERE key = 'revision'").fetchone()
            return (stored_revision(row[0]) if row else None) or 0
        finally:
            conn.close()
    except sqlite3.Error:
        return 0
