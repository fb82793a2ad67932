"""One patient's journal in the clinic database: the Journal interface (backtrack.journal)
with JournalStore's contracts, on PostgreSQL.

Authorization is here, not in the pages: a store is opened for a signed-in subject, and
every query it runs selects the journal through that subject (a scalar subquery on the
patient's own login, or on the practitioner's login and their patient). Nothing a page
passes in afterwards can point it at another journal. A practitioner's store is read-only
and opening it writes an audit row the patient can read.

Writes are one transaction each, serialised per patient by locking the patient's row
first (as SQLite's BEGIN IMMEDIATE does for the local file), then checking for
conflicts against what is committed: two devices saving at once never lose an update.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import (
    Connection,
    Engine,
    case,
    delete,
    func,
    insert,
    literal,
    select,
    tuple_,
    update,
)
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.dialects.postgresql import insert as pg_insert

from backtrack.clinic import schema as t
from backtrack.clinic.accounts import AccessDenied
from backtrack.csvio import export_csv, export_outcomes_csv
from backtrack.entries import EARLIEST_DATE, SLOTS, Entry, journal_order
from backtrack.outcomes import Outcome, outcome_order
from backtrack.prescription import Doses, doses_from_json
from backtrack.programme import Programme
from backtrack.store import (
    CHANGES_KEPT,
    LATEST_HELD,
    Changes,
    ImportReport,
    StoreError,
    both_revisions,
    carry_reps,
    check_outcome_labels,
    checked_save,
    logged_keys,
    unchanged_or_raise,
    upsert_all,
)
from backtrack.symptoms import join_flags, split_flags

E, R, A = t.entries, t.entry_reps, t.entry_reactions
# What a practitioner may open a patient's journal for (the audit log's words for each).
VIEWS = ("summary", "progress", "report")


@dataclass(frozen=True)
class AuditEvent:
    at: datetime
    who: str
    action: str  # a key of schema.AUDIT_ACTIONS

    @property
    def text(self) -> str:
        return f"{self.who} {t.AUDIT_ACTIONS[self.action]}"


def _now() -> datetime:
    return datetime.now(UTC)


def slot_rank(column):
    """Morning before evening, in SQL (backtrack.entries.SLOTS)."""
    return case({s: i for i, s in enumerate(SLOTS)}, value=column, else_=len(SLOTS))


class ClinicStore:
    """The journal of one patient, for the signed-in `subject`.

    ClinicStore(engine, subject): the patient's own journal (read and write).
    ClinicStore(engine, subject, patient=id, view="progress"): a practitioner's read-only
    view of their patient's journal, written to the audit log as it opens.
    Anyone else gets AccessDenied, and nothing is written.
    """

    def __init__(
        self, engine: Engine, subject: str, patient: int | None = None, *, view: str | None = None
    ):
        self.engine = engine
        self.writes = 0  # writes made through this object (a per-run cache checks it)
        users, patients = t.users, t.patients
        if patient is None:
            self.readonly = False
            self._scope = (
                select(patients.c.user_id)
                .join(users, users.c.id == patients.c.user_id)
                .where(users.c.subject == subject)
                .scalar_subquery()
            )
        else:
            if view not in VIEWS:
                raise ValueError(f"view: {view!r} is not one of {', '.join(VIEWS)}")
            self.readonly = True
            self._scope = (
                select(patients.c.user_id)
                .join(users, users.c.id == patients.c.practitioner_id)
                .where(users.c.subject == subject, patients.c.user_id == patient)
                .scalar_subquery()
            )
        with engine.begin() as conn:
            self.patient_id = conn.execute(select(self._scope)).scalar()
            if self.patient_id is None:
                raise AccessDenied(
                    "this login has no journal here: ask your practitioner for an invite code"
                    if patient is None
                    else "that patient is not one of yours"
                )
            if view is not None:
                audit(conn, subject, self.patient_id, view)

    # -- transactions --------------------------------------------------------------
    @contextmanager
    def _read(self) -> Iterator[Connection]:
        """One snapshot: everything read in it is as of the same moment."""
        with self.engine.connect() as conn:
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                yield conn

    @contextmanager
    def _write(self, *, entries_only: bool = False) -> Iterator[_Write]:
        """One transaction that bumps the revision: everything in it is saved, or nothing.
        The patient's row is locked first, so writes to one journal queue up. A write that
        changes entries and nothing else says so; any other moves the other revision on."""
        if self.readonly:
            raise AccessDenied("a practitioner's view of a patient's journal is read-only")
        with self.engine.begin() as conn:
            found = conn.execute(
                select(t.patients.c.user_id, t.patients.c.revision)
                .where(t.patients.c.user_id == self._scope)
                .with_for_update()
            ).first()
            if found is None:
                raise StoreError("this journal no longer exists (it was deleted)")
            w = _Write(conn, found.user_id, found.revision + 1)
            yield w
            conn.execute(insert(t.changes).values(patient_id=w.patient, revision=w.revision))
            moved = {"revision": w.revision}
            if not entries_only:
                moved["other_revision"] = w.revision
            conn.execute(
                update(t.patients).where(t.patients.c.user_id == w.patient).values(**moved)
            )
            conn.execute(
                delete(t.changes).where(
                    t.changes.c.patient_id == w.patient,
                    t.changes.c.revision < w.revision - CHANGES_KEPT,
                )
            )
        self.writes += 1

    # -- reads ---------------------------------------------------------------------
    def revision(self) -> int:
        with self.engine.connect() as conn:
            return self._revision(conn)

    def revisions(self) -> tuple[int, int]:
        """(revision, other revision), read together, as JournalStore.revisions."""
        with self.engine.connect() as conn:
            return self._revisions(conn)

    def _revisions(self, conn: Connection) -> tuple[int, int]:
        p = t.patients
        found = conn.execute(
            select(p.c.revision, p.c.other_revision).where(p.c.user_id == self._scope)
        ).first()
        if found is None:
            raise StoreError("this journal no longer exists (it was deleted)")
        return both_revisions(int(found.revision), found.other_revision)

    def _revision(self, conn: Connection) -> int:
        return self._revisions(conn)[0]

    def _entries(self, conn: Connection, *where) -> list[Entry]:
        cond = (E.c.patient_id == self._scope, *where)
        rows = conn.execute(
            select(E.c.id, E.c.date, E.c.slot, E.c.pain, E.c.flags, E.c.notes, E.c.leg_pain).where(
                *cond
            )
        ).all()
        reps: dict[int, dict[str, int]] = {}
        reactions: dict[int, dict[str, str]] = {}
        if rows:
            query = select(R.c.entry_id, R.c.exercise_id, R.c.reps).join(E, E.c.id == R.c.entry_id)
            for entry_id, ex_id, n in conn.execute(query.where(*cond)):
                reps.setdefault(entry_id, {})[ex_id] = n
            query = (
                select(A.c.entry_id, A.c.exercise_id, A.c.reaction)
                .join(E, E.c.id == A.c.entry_id)
                .where(*cond)
                .order_by(A.c.entry_id, A.c.position)
            )
            for entry_id, ex_id, reaction in conn.execute(query):
                reactions.setdefault(entry_id, {})[ex_id] = reaction
        entries = [
            Entry(
                date=r.date,
                slot=r.slot,
                pain=r.pain,
                reps=reps.get(r.id, {}),
                flags=split_flags(r.flags),
                notes=r.notes,
                reactions=reactions.get(r.id, {}),
                leg_pain=r.leg_pain,
            )
            for r in rows
        ]
        return sorted(entries, key=journal_order)

    def entries(self, first: date | None = None, last: date | None = None) -> list[Entry]:
        where = []
        if first is not None:
            where.append(E.c.date >= first)
        if last is not None:
            where.append(E.c.date <= last)
        with self._read() as conn:
            return self._entries(conn, *where)

    def latest(self, limit: int) -> list[Entry]:
        newest = (
            select(E.c.id)
            .where(E.c.patient_id == self._scope)
            .order_by(E.c.date.desc(), slot_rank(E.c.slot).desc())
            .limit(limit)
        )
        with self._read() as conn:
            return self._entries(conn, E.c.id.in_(newest))[::-1]

    def count(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(
                select(func.count()).select_from(E).where(E.c.patient_id == self._scope)
            ).scalar_one()

    def unheld(self) -> tuple[int, list[str]]:
        """Always none: the schema's constraints keep every date within what the frames hold."""
        return 0, []

    def get(self, day: date, slot: str) -> Entry | None:
        with self._read() as conn:
            return self._entry_at(conn, (day, slot))

    def _entry_at(self, conn: Connection, key: tuple[date, str]) -> Entry | None:
        found = self._entries(conn, E.c.date == key[0], E.c.slot == key[1])
        return found[0] if found else None

    def _frame_rows(self, conn: Connection, exercise_ids: list[str], *where) -> list[tuple]:
        query = (
            select(*frame_columns(exercise_ids))
            .select_from(E.outerjoin(R, R.c.entry_id == E.c.id))
            .where(E.c.patient_id == self._scope, *where)
            .group_by(E.c.id)
            .order_by(E.c.date, slot_rank(E.c.slot))
        )
        return [tuple(row) for row in conn.execute(query)]

    def frame_rows(self, exercise_ids: Iterable[str]) -> tuple[int, list[tuple]]:
        exercise_ids = list(exercise_ids)
        with self._read() as conn:
            return self._revision(conn), self._frame_rows(conn, exercise_ids)

    def changed_rows(self, since: int, exercise_ids: Iterable[str]) -> Changes | None:
        """As JournalStore.changed_rows, in one snapshot."""
        exercise_ids = list(exercise_ids)
        c = t.changes
        with self._read() as conn:
            revision, other = self._revisions(conn)
            if revision == since:
                return Changes(revision, [], [], other)
            log = conn.execute(
                select(c.c.revision, c.c.date, c.c.slot).where(
                    c.c.patient_id == self._scope, c.c.revision > since
                )
            ).all()
            keys = logged_keys(log, since, revision)
            if keys is None:
                return None
            rows = []
            if keys:
                rows = self._frame_rows(conn, exercise_ids, tuple_(E.c.date, E.c.slot).in_(keys))
        return Changes(revision, [(d.isoformat(), s) for d, s in keys], rows, other)

    def get_setting(self, key: str) -> str | None:
        s = t.settings
        with self.engine.connect() as conn:
            return conn.execute(
                select(s.c.value).where(s.c.patient_id == self._scope, s.c.key == key)
            ).scalar()

    def start_date(self) -> date | None:
        return start_date_of(self.get_setting(START_DATE_KEY))

    def outcomes(self) -> list[Outcome]:
        o = t.outcomes
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(o.c.date, o.c.measure, o.c.item, o.c.score, o.c.label).where(
                    o.c.patient_id == self._scope
                )
            ).all()
        return sorted((Outcome(*r) for r in rows), key=outcome_order)

    def prescription(self, programme: Programme) -> Doses:
        """The doses this patient's practitioner set ({}: the programme file's)."""
        with self.engine.connect() as conn:
            text = conn.execute(
                select(t.patients.c.prescription).where(t.patients.c.user_id == self._scope)
            ).scalar()
        return doses_from_json(text, programme)

    def audit_log(self) -> list[AuditEvent]:
        """Who did what with this journal and when, newest first (the patient reads it)."""
        a = t.audit
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(a.c.at, a.c.actor_name, a.c.action)
                .where(a.c.patient_id == self._scope)
                .order_by(a.c.at.desc(), a.c.id.desc())
            ).all()
        return [AuditEvent(*r) for r in rows]

    # -- writes --------------------------------------------------------------------
    def set_setting(self, key: str, value: str | None) -> None:
        if key == "revision":
            raise ValueError("the revision counter is not a setting to set")
        s = t.settings
        with self._write() as w:
            w.conn.execute(delete(s).where(s.c.patient_id == w.patient, s.c.key == key))
            if value is not None:
                w.conn.execute(insert(s).values(patient_id=w.patient, key=key, value=value))

    def set_start_date(self, value: date | None) -> None:
        self.set_setting(START_DATE_KEY, None if value is None else value.isoformat())

    def save(
        self,
        entry: Entry,
        *,
        replace: bool | Entry = False,
        original: Entry | None = None,
        exercise_ids: Iterable[str] | None = None,
    ) -> bool:
        """As JournalStore.save: EntryChanged when `original` is no longer what is stored,
        EntryExists before overwriting an entry the user did not choose to replace."""
        with self._write(entries_only=True) as w:
            entry, clash = checked_save(
                entry, lambda key: self._entry_at(w.conn, key), replace=replace,
                original=original, exercise_ids=exercise_ids,
            )  # fmt: skip
            if original is not None and original.key != entry.key:
                w.remove(original.date, original.slot)
            w.upsert(entry)
        return clash

    def delete(self, day: date, slot: str, *, expected: Entry | None = None) -> bool:
        with self._write(entries_only=True) as w:
            if expected is not None:
                unchanged_or_raise(lambda key: self._entry_at(w.conn, key), (day, slot), expected)
            return w.remove(day, slot)

    def import_entries(
        self,
        entries: list[Entry],
        progress: Callable[[int, int], None] | None = None,
        exercise_ids: Iterable[str] | None = None,
    ) -> ImportReport:
        with self._write(entries_only=True) as w:
            current = {e.key: e for e in self._entries(w.conn)}
            return upsert_all(
                entries, current, w.upsert, progress,
                lambda e, old: carry_reps(e, old, exercise_ids),
            )  # fmt: skip

    def save_outcomes(self, records: Iterable[Outcome]) -> ImportReport:
        records = list(records)
        o = t.outcomes
        with self._write() as w:
            current = {
                (r.date, r.measure, r.item): Outcome(*r)
                for r in w.conn.execute(
                    select(o.c.date, o.c.measure, o.c.item, o.c.score, o.c.label).where(
                        o.c.patient_id == w.patient
                    )
                )
            }
            check_outcome_labels(current, records)
            now = _now()

            def write(r: Outcome) -> None:
                stmt = pg_insert(o).values(
                    patient_id=w.patient,
                    date=r.date,
                    measure=r.measure,
                    item=r.item,
                    score=r.score,
                    label=r.label,
                    updated_at=now,
                )
                w.conn.execute(
                    stmt.on_conflict_do_update(
                        index_elements=[o.c.patient_id, o.c.date, o.c.measure, o.c.item],
                        set_={"score": r.score, "label": r.label, "updated_at": now},
                    )
                )

            return upsert_all(records, current, write)

    def import_outcomes(self, records: list[Outcome]) -> ImportReport:
        """As save_outcomes (the clinic database is backed up by its administrator)."""
        return self.save_outcomes(records)

    # -- the patient's rights: a copy of their data, and its deletion ---------------
    def export(self, exercise_ids: Iterable[str]) -> dict[str, str]:
        """The journal and outcome answers as today's CSV files (file stem -> text), read
        in one snapshot."""
        with self._read() as conn:
            journal = export_csv(self._entries(conn), list(exercise_ids))
        return {"journal": journal, "outcomes": export_outcomes_csv(self.outcomes())}

    def delete_journal(self) -> None:
        """Delete this patient's journal and account for good (their own request). The
        audit log keeps one line saying so; everything else about them is gone."""
        if self.readonly:
            raise AccessDenied("only the patient can delete their journal")
        with self.engine.begin() as conn:
            found = conn.execute(
                select(t.patients.c.user_id)
                .where(t.patients.c.user_id == self._scope)
                .with_for_update()
            ).scalar()
            if found is None:
                raise StoreError("this journal no longer exists (it was deleted)")
            conn.execute(
                insert(t.audit).values(
                    at=_now(),
                    actor_id=found,
                    actor_name="The patient",
                    patient_id=found,
                    action="delete",
                )
            )
            # Cascades to the journal's entries, reps, reactions, settings, outcomes, changes.
            conn.execute(delete(t.users).where(t.users.c.id == found))


START_DATE_KEY = "start_date"


def start_date_of(value: str | None) -> date | None:
    """A stored start date, or None when unset or unreadable (never outside what is held)."""
    try:
        day = date.fromisoformat(value) if value else None
    except ValueError:
        return None
    return day if day is None or EARLIEST_DATE <= day <= LATEST_HELD else None


def frame_columns(exercise_ids: list[str]) -> list:
    """An entry as a row of the journal frame (backtrack.frames.journal_frame): date, slot,
    pain, reps per exercise, flags, notes, reactions ('clam=fine;...'), leg_pain. Select
    from entries outer-joined with their reps, grouped by entry."""
    return list(_frame_columns(tuple(exercise_ids)))


@functools.lru_cache(maxsize=16)
def _frame_columns(exercise_ids: tuple[str, ...]) -> tuple:
    # Built once per programme: SQLAlchemy expressions are immutable, and building these
    # cost about a millisecond on each first visit after a save.
    reactions = (
        select(
            func.string_agg(
                A.c.exercise_id + literal("=") + A.c.reaction,
                aggregate_order_by(literal(";"), A.c.position),
            )
        )
        .where(A.c.entry_id == E.c.id)
        .scalar_subquery()
    )
    reps = [
        func.coalesce(func.sum(R.c.reps).filter(R.c.exercise_id == ex), 0) for ex in exercise_ids
    ]
    return (
        func.to_char(E.c.date, "YYYY-MM-DD"),
        E.c.slot,
        E.c.pain,
        *reps,
        E.c.flags,
        E.c.notes,
        func.coalesce(reactions, ""),
        E.c.leg_pain,
    )


def audit(conn: Connection, subject: str, patient: int, action: str) -> None:
    """Write that `subject` did `action` (schema.AUDIT_ACTIONS) with `patient`'s journal."""
    actor = conn.execute(
        select(t.users.c.id, t.users.c.name).where(t.users.c.subject == subject)
    ).one()
    conn.execute(
        insert(t.audit).values(
            at=_now(),
            actor_id=actor.id,
            actor_name=actor.name or "Someone",
            patient_id=patient,
            action=action,
        )
    )


@dataclass
class _Write:
    """One write transaction on one patient's journal, at its new revision."""

    conn: Connection
    patient: int
    revision: int

    def remove(self, day: date, slot: str) -> bool:
        """Delete the entry at (day, slot), if any, and log the key; every write of an
        entry starts here (an upsert removes, then inserts)."""
        gone = self.conn.execute(
            delete(E).where(E.c.patient_id == self.patient, E.c.date == day, E.c.slot == slot)
        ).rowcount
        self.conn.execute(
            insert(t.changes).values(
                patient_id=self.patient, revision=self.revision, date=day, slot=slot
            )
        )
        return gone > 0

    def upsert(self, entry: Entry) -> None:
        self.remove(entry.date, entry.slot)
        entry_id = self.conn.execute(
            insert(E)
            .values(
                patient_id=self.patient,
                date=entry.date,
                slot=entry.slot,
                pain=entry.pain,
                leg_pain=entry.leg_pain,
                flags=join_flags(entry.flags),
                notes=entry.notes,
                updated_at=_now(),
            )
            .returning(E.c.id)
        ).scalar_one()
        reps = [
            {"entry_id": entry_id, "exercise_id": ex, "reps": n}
            for ex, n in entry.reps.items()
            if n > 0
        ]
        if reps:
            self.conn.execute(insert(R), reps)
        reactions = [
            {"entry_id": entry_id, "exercise_id": ex, "reaction": r, "position": i}
            for i, (ex, r) in enumerate(entry.reactions.items())
        ]
        if reactions:
            self.conn.execute(insert(A), reactions)
