"""Backups of the journal: SQLite's online backup API into a `backups` folder beside it.

A backup is taken before any import, restore or schema migration, and once a day when the
app starts; the newest BACKUPS_KEPT are kept. Restoring first backs up the current journal,
so a restore can itself be undone.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from backtrack.fmt import fmt_date_time

BACKUPS_KEPT = 14
_STAMP = "%Y%m%d-%H%M%S-%f"


@dataclass(frozen=True)
class Backup:
    path: Path
    taken: datetime
    reason: str
    entries: int | None  # None when the file cannot be read as a journal

    @property
    def label(self) -> str:
        n = self.entries
        count = "unreadable" if n is None else f"{n} {'entry' if n == 1 else 'entries'}"
        return f"{fmt_date_time(self.taken)} · {self.reason} · {count}"


class BackupError(RuntimeError):
    """A backup could not be taken or restored; the message says which file and why."""


def backups_dir(db_path: Path) -> Path:
    return Path(db_path).parent / "backups"


def _copy(source: Path, target: Path) -> None:
    """Copy one SQLite database into another with the online backup API (safe while the
    source is in use: it copies a consistent snapshot)."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=10)
    try:
        dst = sqlite3.connect(target, timeout=10)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


def make_backup(db_path: Path, reason: str, now: datetime | None = None) -> Path | None:
    """Back up the journal (None if it does not exist yet); keep the newest BACKUPS_KEPT."""
    db_path = Path(db_path)
    if not db_path.exists():
        return None
    folder = backups_dir(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = (now or datetime.now()).strftime(_STAMP)
    target = folder / f"{db_path.stem}-{stamp}-{reason}.db"
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
    for old in list_backups(db_path)[BACKUPS_KEPT:]:
        old.path.unlink(missing_ok=True)
    return target


def list_backups(db_path: Path) -> list[Backup]:
    """This journal's backups, newest first."""
    db_path = Path(db_path)
    found = []
    for path in backups_dir(db_path).glob(f"{db_path.stem}-*.db"):
        parts = path.stem[len(db_path.stem) + 1 :].split("-", 3)
        try:
            taken = datetime.strptime("-".join(parts[:3]), _STAMP)
        except ValueError:
            continue
        found.append(Backup(path, taken, parts[3] if len(parts) > 3 else "", _count(path)))
    return sorted(found, key=lambda b: b.taken, reverse=True)


def _count(path: Path) -> int | None:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
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


def restore(db_path: Path, backup: Path) -> Path | None:
    """Replace the journal's contents with a backup's, after backing up the current journal.

    Returns the backup taken of the journal as it was. The copy goes through SQLite, in one
    step, so the journal is never half-restored; the revision counter moves forward so
    every cache keyed on it sees the change.
    """
    db_path, backup = Path(db_path), Path(backup)
    if _count(backup) is None:
        raise BackupError(f"{backup}: not a readable BackTrack journal; nothing was restored")
    before = make_backup(db_path, "before-restore") if db_path.exists() else None
    old_revision = _revision(db_path)
    try:
        try:
            _copy(backup, db_path)
        except sqlite3.DatabaseError:
            if before is None:
                raise
            # The journal is damaged and SQLite cannot write into it; its bytes are safe in
            # `before`, so replace the file (and its WAL companions) with the backup.
            for companion in (db_path, *(db_path.with_name(db_path.name + s)
                                         for s in ("-wal", "-shm"))):  # fmt: skip
                companion.unlink(missing_ok=True)
            _copy(backup, db_path)
        conn = sqlite3.connect(db_path, timeout=10)
        try:
            with conn:
                conn.execute(
                    "UPDATE settings SET value = ? WHERE key = 'revision'",
                    (str(max(old_revision, _revision(db_path)) + 1),),
                )
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise BackupError(f"{db_path}: could not restore {backup.name} ({exc})") from None
    return before


def _revision(db_path: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT value FROM settings WHERE key = 'revision'").fetchone()
            return int(row[0]) if row else 0
        finally:
            conn.close()
    except sqlite3.Error:
        return 0
