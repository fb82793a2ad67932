"""What pages, the frame cache and the CLI may ask of one person's journal.

Two stores keep a journal: JournalStore (one SQLite file, the default, no login) and the
clinic's PostgreSQL store (backtrack.clinic.store, one journal per signed-in patient).
Pages are written against this interface only, so they cannot tell which one runs. Writes
are all-or-nothing; a write that would overwrite something the user did not see raises
EntryExists or EntryChanged (backtrack.store), for the page to ask.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Protocol, runtime_checkable

from backtrack.entries import Entry
from backtrack.outcomes import Outcome
from backtrack.store import Changes, ImportReport


@runtime_checkable
class Journal(Protocol):
    """One person's entries, outcome answers and settings (see JournalStore for each
    method's contract, which every implementation keeps)."""

    writes: int  # writes made through this object (ui's once-per-run key checks it)

    # -- reads ---------------------------------------------------------------------
    def revision(self) -> int:
        """A counter every write bumps: the key for caches of what is read here."""
        ...

    def revisions(self) -> tuple[int, int]:
        """(revision, the revision of the latest write that changed anything but entries),
        read together: the key for caches of settings and outcome answers."""
        ...

    def frame_rows(self, exercise_ids: Iterable[str]) -> tuple[int, list[tuple]]:
        """The revision and, read with it, every entry as a frame row (frames.journal_frame)."""
        ...

    def changed_rows(self, since: int, exercise_ids: Iterable[str]) -> Changes | None:
        """What was written after `since` (revisions now, keys touched, rows now), or
        None: reload."""
        ...

    def entries(self, first: date | None = None, last: date | None = None) -> list[Entry]: ...

    def latest(self, limit: int) -> list[Entry]: ...

    def count(self) -> int: ...

    def unheld(self) -> tuple[int, list[str]]: ...

    def get(self, day: date, slot: str) -> Entry | None: ...

    def get_setting(self, key: str) -> str | None: ...

    def start_date(self) -> date | None: ...

    def outcomes(self) -> list[Outcome]: ...

    # -- writes --------------------------------------------------------------------
    def set_setting(self, key: str, value: str | None) -> None: ...

    def set_start_date(self, value: date | None) -> None: ...

    def save(
        self,
        entry: Entry,
        *,
        replace: bool | Entry = False,
        original: Entry | None = None,
        exercise_ids: Iterable[str] | None = None,
    ) -> bool: ...

    def delete(self, day: date, slot: str, *, expected: Entry | None = None) -> bool: ...

    def import_entries(
        self,
        entries: list[Entry],
        progress: Callable[[int, int], None] | None = None,
        exercise_ids: Iterable[str] | None = None,
    ) -> ImportReport: ...

    def save_outcomes(self, records: Iterable[Outcome]) -> ImportReport: ...

    def import_outcomes(self, records: list[Outcome]) -> ImportReport: ...


JOURNAL_METHODS: tuple[str, ...] = tuple(
    name for name, value in vars(Journal).items() if not name.startswith("_") and callable(value)
)
