"""A practitioner's side of the clinic: their own patients only, each opened read-only
and written to the patient's audit log (backtrack.clinic.store)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Engine, func, insert, select, update

from backtrack.caseload import PatientStatus, caseload_order, patient_status
from backtrack.clinic import schema as t
from backtrack.clinic.accounts import INVITE_DAYS, AccessDenied, create_invite
from backtrack.clinic.store import (
    START_DATE_KEY,
    ClinicStore,
    audit,
    frame_columns,
    slot_rank,
    start_date_of,
)
from backtrack.frames import journal_frame
from backtrack.outcomes import Outcome, outcome_order
from backtrack.prescription import Doses, doses_from_json, doses_json, parse_doses, prescribed
from backtrack.programme import Programme
from backtrack.progress import BARRIER_SETTING, current_barrier
from backtrack.screening import CHECKS_KEY


@dataclass(frozen=True)
class PatientRow:
    id: int
    name: str
    joined: datetime
    entries: int


class PractitionerView:
    """What the practitioner signed in as `subject` may see and do."""

    def __init__(self, engine: Engine, subject: str):
        self.engine, self.subject = engine, subject
        with engine.connect() as conn:
            found = conn.execute(
                select(t.users.c.id).where(
                    t.users.c.subject == subject, t.users.c.role == "practitioner"
                )
            ).scalar()
        if found is None:
            raise AccessDenied("this login is not a practitioner's")

    def patients(self) -> list[PatientRow]:
        """Their patients, by name: who they are and how much they have logged (no
        journal content, so listing them is not a view of anyone's data)."""
        p, u, e = t.patients, t.users, t.entries
        me = select(u.c.id).where(u.c.subject == self.subject).scalar_subquery()
        counts = (
            select(func.count()).select_from(e).where(e.c.patient_id == p.c.user_id)
        ).scalar_subquery()
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(p.c.user_id, u.c.name, u.c.created_at, counts)
                .join(u, u.c.id == p.c.user_id)
                .where(p.c.practitioner_id == me)
                .order_by(u.c.name, p.c.user_id)
            ).all()
        return [PatientRow(*r) for r in rows]

    def revisions(self) -> dict[int, int]:
        """Each patient's journal revision (bumped by every write and prescription change):
        the key of a cached caseload. Reads no journal content, so it is not a view."""
        p, u = t.patients, t.users
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(p.c.user_id, p.c.revision)
                .join(u, u.c.id == p.c.practitioner_id)
                .where(u.c.subject == self.subject)
                .order_by(p.c.user_id)
            ).all()
        return {patient: int(revision) for patient, revision in rows}

    def caseload(self, today: date, programme: Programme) -> list[PatientStatus]:
        """The Patients page: each patient's status (backtrack.caseload), urgent first.
        Each patient's journal is opened as a "summary" view, so it is in their audit log."""
        return caseload_order(status for _, status in self.statuses(today, programme).values())

    def statuses(
        self,
        today: date,
        programme: Programme,
        known: Mapping[int, tuple[int, PatientStatus]] | None = None,
    ) -> dict[int, tuple[int, PatientStatus]]:
        """Each of their patients' (revision, status) as of `today`. A patient whose status
        is `known` at their current revision is not read again (nor audited: nothing of
        their journal is opened); the others are read, and audited as a "summary" view.

        All are read in one snapshot with a handful of queries (not a few per patient: a
        caseload of 200 took ~1,600), then worked out as their own pages would; after one
        patient saves, only that one is (200 took ~5 s)."""
        known = known or {}
        p, u, e = t.patients, t.users, t.entries
        ids = programme.exercise_ids  # a prescription changes doses, never the exercises
        with self.engine.connect() as conn:
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                actor = conn.execute(
                    select(u.c.id, u.c.name).where(
                        u.c.subject == self.subject, u.c.role == "practitioner"
                    )
                ).one()
                mine = conn.execute(
                    select(p.c.user_id, u.c.name, p.c.prescription, p.c.revision)
                    .join(u, u.c.id == p.c.user_id)
                    .where(p.c.practitioner_id == actor.id)
                ).all()
                stale = [r for r in mine if known.get(r.user_id, (None,))[0] != r.revision]
                patients = [r.user_id for r in stale]
                if patients:
                    now = datetime.now(UTC)
                    conn.execute(insert(t.audit), [
                        {"at": now, "actor_id": actor.id, "actor_name": actor.name or "Someone",
                         "patient_id": patient, "action": "summary"} for patient in patients
                    ])  # fmt: skip
                frames: dict[int, list[tuple]] = {patient: [] for patient in patients}
                settings: dict[int, dict[str, str]] = {patient: {} for patient in patients}
                outcomes: dict[int, list[Outcome]] = {patient: [] for patient in patients}
                if patients:
                    for row in conn.execute(
                        select(e.c.patient_id, *frame_columns(list(ids)))
                        .select_from(e.outerjoin(t.entry_reps, t.entry_reps.c.entry_id == e.c.id))
                        .where(e.c.patient_id.in_(patients))
                        .group_by(e.c.id)
                        .order_by(e.c.patient_id, e.c.date, slot_rank(e.c.slot))
                    ):
                        frames[row[0]].append(tuple(row[1:]))
                    s = t.settings
                    for patient, key, value in conn.execute(
                        select(s.c.patient_id, s.c.key, s.c.value).where(
                            s.c.patient_id.in_(patients),
                            s.c.key.in_((START_DATE_KEY, BARRIER_SETTING, CHECKS_KEY)),
                        )
                    ):
                        settings[patient][key] = value
                    o = t.outcomes
                    for patient, *record in conn.execute(
                        select(
                            o.c.patient_id, o.c.date, o.c.measure, o.c.item, o.c.score,
                            o.c.label,
                        ).where(o.c.patient_id.in_(patients))
                    ):  # fmt: skip
                        outcomes[patient].append(Outcome(*record))
        out: dict[int, tuple[int, PatientStatus]] = {}
        for patient, name, doses, revision in mine:
            if patient not in frames:  # known at this revision: only the name may be new
                status = known[patient][1]
                if status.name != name:
                    status = dataclasses.replace(status, name=name)
                out[patient] = (revision, status)
                continue
            theirs = prescribed(programme, doses_from_json(doses, programme))
            kept = settings[patient]
            out[patient] = (revision, patient_status(
                patient, name, journal_frame(frames[patient], list(ids)), today,
                start=start_date_of(kept.get(START_DATE_KEY)),
                sessions_per_day=theirs.sessions_per_day,
                outcomes=sorted(outcomes[patient], key=outcome_order),
                barrier=current_barrier(kept.get(BARRIER_SETTING), today),
                checks=kept.get(CHECKS_KEY),
            ))  # fmt: skip
        return out

    def journal(self, patient: int, view: str) -> ClinicStore:
        """The patient's journal, read-only, for `view` (store.VIEWS); the opening is
        written to the patient's audit log. Not their patient: AccessDenied."""
        return ClinicStore(self.engine, self.subject, patient, view=view)

    def prescription(self, patient: int, programme: Programme) -> Doses:
        """The doses this practitioner set for their patient ({}: the programme file's):
        their own instruction, not the patient's data, so reading it is not audited."""
        p, u = t.patients, t.users
        with self.engine.connect() as conn:
            found = conn.execute(
                select(p.c.user_id, p.c.prescription)
                .join(u, u.c.id == p.c.practitioner_id)
                .where(u.c.subject == self.subject, p.c.user_id == patient)
            ).first()
        if found is None:
            raise AccessDenied("that patient is not one of yours")
        return doses_from_json(found.prescription, programme)

    def set_prescription(self, patient: int, doses: Doses, programme: Programme) -> None:
        """Set a patient's doses (checked against the programme: EntryError naming the
        exercise); {} goes back to the programme file's. Written to the audit log."""
        doses = parse_doses(doses, programme)
        p, u = t.patients, t.users
        mine = (
            select(p.c.user_id)
            .join(u, u.c.id == p.c.practitioner_id)
            .where(u.c.subject == self.subject, p.c.user_id == patient)
            .scalar_subquery()
        )
        with self.engine.begin() as conn:
            # The revision moves on, so the patient's cached pages pick the new doses up
            # (with a marker in the change log: no entry was touched, nothing to reload).
            revision = conn.execute(
                update(p)
                .where(p.c.user_id == mine)
                .values(
                    prescription=doses_json(doses) if doses else None,
                    revision=p.c.revision + 1,
                    other_revision=p.c.revision + 1,  # not an entry: cached doses move on
                )
                .returning(p.c.revision)
            ).scalar()
            if revision is None:
                raise AccessDenied("that patient is not one of yours")
            conn.execute(insert(t.changes).values(patient_id=patient, revision=revision))
            audit(conn, self.subject, patient, "prescription")

    def invite(self, now: datetime, days: int = INVITE_DAYS) -> str:
        """A new single-use invite code for a patient to join with."""
        return create_invite(self.engine, self.subject, now, days)
