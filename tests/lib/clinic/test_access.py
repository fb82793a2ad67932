"""Authorization in the data layer: a patient reaches only their own journal, a
practitioner only their own patients (read-only, audited); invites are single-use and
expire; a patient can take their data away and have it deleted."""

from __future__ import annotations

import dataclasses
import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from backtrack.caseload import caseload_order, patient_status
from backtrack.clinic import schema as t
from backtrack.clinic.accounts import (
    AccessDenied,
    InviteError,
    add_practitioner,
    create_invite,
    redeem_invite,
    role_of,
)
from backtrack.clinic.db import migrate, schema_current
from backtrack.clinic.practice import PractitionerView
from backtrack.clinic.store import ClinicStore
from backtrack.csvio import export_csv, export_outcomes_csv
from backtrack.entries import Entry, EntryError
from backtrack.frames import load_frame
from backtrack.outcomes import Outcome
from backtrack.prescription import prescribed
from backtrack.progress import BARRIER_SETTING, BARRIERS, barrier_setting, current_barrier
from backtrack.screening import CHECKS_KEY, checks_json
from backtrack.store import EntryChanged, EntryExists, JournalStore, StoreError
from tests.clinic_fixtures import NOW

pytestmark = pytest.mark.clinic

D1 = date(2026, 11, 1)
IDS = ["knee_hugs", "clam"]


def entry(day=D1, slot="morning", pain=4, **reps) -> Entry:
    return Entry(day, slot, pain, reps, (), "")


@pytest.fixture
def clinic(people):
    """Two practitioners; Ann and Bob are Dr Ames's patients, Cy is Dr Bell's."""
    people.practitioner("dr-ames", "Dr Ames")
    people.practitioner("dr-bell", "Dr Bell")
    for name, of in (("ann", "dr-ames"), ("bob", "dr-ames"), ("cy", "dr-bell")):
        people.patient(name, of=of)
    return people


# -- migrations -------------------------------------------------------------------
def test_migrations_build_the_schema_the_code_expects_from_an_empty_database(empty_engine):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    assert not schema_current(empty_engine)
    migrate(empty_engine)
    migrate(empty_engine)  # again: nothing to do
    assert schema_current(empty_engine)
    with empty_engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), t.metadata)
    assert diff == []


# -- a patient's own journal ------------------------------------------------------
def test_a_patient_reads_and_writes_only_their_own_journal(engine, clinic):
    ann, bob = ClinicStore(engine, "ann"), ClinicStore(engine, "bob")
    ann.save(entry(pain=3))
    ann.set_setting("safety_screen", "{}")
    bob.save(entry(pain=8))
    assert [e.pain for e in ann.entries()] == [3]
    assert [e.pain for e in bob.entries()] == [8]
    assert bob.get_setting("safety_screen") is None
    assert ann.revision() == 2 and bob.revision() == 1
    bob.delete(D1, "morning")
    assert ann.get(D1, "morning").pain == 3


def test_an_unknown_login_has_no_journal(engine, clinic):
    with pytest.raises(AccessDenied, match="invite code"):
        ClinicStore(engine, "mallory")
    with pytest.raises(AccessDenied, match="invite code"):
        ClinicStore(engine, "dr-ames")  # a practitioner has no journal of their own


def test_a_patient_cannot_open_another_journal_by_its_id(engine, clinic):
    bob = clinic.patient_id("bob")
    for view in ("progress", "report"):
        with pytest.raises(AccessDenied):
            ClinicStore(engine, "ann", bob, view=view)  # Ann is no practitioner
    with pytest.raises(AccessDenied):
        PractitionerView(engine, "ann")
    assert ClinicStore(engine, "bob").audit_log() == []


def test_a_tampered_store_still_reads_its_own_journal(engine, clinic):
    # Page code (or session state) changing the id a store carries does not move it: every
    # query selects the journal through the login, not through that attribute.
    ann = ClinicStore(engine, "ann")
    ClinicStore(engine, "bob").save(entry(pain=9))
    ann.patient_id = clinic.patient_id("bob")
    ann.save(entry(pain=1))
    assert [e.pain for e in ann.entries()] == [1]
    assert [e.pain for e in ClinicStore(engine, "bob").entries()] == [9]


# -- practitioners ----------------------------------------------------------------
def test_a_practitioner_sees_only_their_own_patients(engine, clinic):
    ames, bell = PractitionerView(engine, "dr-ames"), PractitionerView(engine, "dr-bell")
    ClinicStore(engine, "ann").save(entry())
    assert [(p.name, p.entries) for p in ames.patients()] == [("Ann", 1), ("Bob", 0)]
    assert [p.name for p in bell.patients()] == ["Cy"]
    ann, bob, cy = (clinic.patient_id(who) for who in ("ann", "bob", "cy"))
    assert ames.revisions() == {ann: 1, bob: 0} and bell.revisions() == {cy: 0}
    with pytest.raises(AccessDenied, match="not one of yours"):
        bell.journal(clinic.patient_id("ann"), "progress")
    with pytest.raises(AccessDenied):
        ames.journal(clinic.patient_id("cy"), "report")
    assert ClinicStore(engine, "ann").audit_log() == []  # refused: nothing opened, nothing logged


def test_a_practitioner_reads_a_patient_read_only_and_each_view_is_audited(engine, clinic):
    ann = ClinicStore(engine, "ann")
    ann.save(entry(pain=5, clam=10))
    ames = PractitionerView(engine, "dr-ames")
    seen = ames.journal(clinic.patient_id("ann"), "progress")
    assert seen.entries() == ann.entries()
    assert seen.frame_rows(IDS) == ann.frame_rows(IDS)
    with pytest.raises(AccessDenied, match="read-only"):
        seen.save(entry(pain=0), replace=True)
    with pytest.raises(AccessDenied):
        seen.set_setting("start_date", "2026-11-01")
    with pytest.raises(AccessDenied):
        seen.delete_journal()
    assert ann.get(D1, "morning").pain == 5 and ann.revision() == 1
    ames.journal(clinic.patient_id("ann"), "report")
    log = ann.audit_log()
    assert [e.text for e in log] == [
        "Dr Ames viewed your Report",
        "Dr Ames viewed your Progress page",
    ]
    assert all(NOW < e.at for e in log)  # stamped when it happened
    assert ClinicStore(engine, "bob").audit_log() == []
    with pytest.raises(ValueError, match="view"):
        ames.journal(clinic.patient_id("ann"), "anything")


# -- invites ----------------------------------------------------------------------
def test_an_invite_joins_one_patient_to_its_practitioner_once(engine, clinic):
    code = create_invite(engine, "dr-bell", NOW)
    redeem_invite(engine, "dee", "Dee", code.lower().replace("-", " "), NOW)  # typed loosely
    assert role_of(engine, "dee") == "patient"
    assert [p.name for p in PractitionerView(engine, "dr-bell").patients()] == ["Cy", "Dee"]
    with pytest.raises(InviteError, match="already used"):
        redeem_invite(engine, "eve", "Eve", code, NOW)
    assert role_of(engine, "eve") is None


def test_an_invite_expires(engine, clinic):
    code = create_invite(engine, "dr-ames", NOW, days=2)
    with pytest.raises(InviteError, match="expired on 2026-11-05"):
        redeem_invite(engine, "dee", "Dee", code, NOW + timedelta(days=2))
    redeem_invite(engine, "dee", "Dee", code, NOW + timedelta(days=2) - timedelta(seconds=1))


def test_invites_refuse_unknown_codes_existing_users_and_non_practitioners(engine, clinic):
    with pytest.raises(InviteError, match="not known"):
        redeem_invite(engine, "dee", "Dee", "AAAA-BBBB-CCCC", NOW)
    with pytest.raises(InviteError, match="already signed up here as a patient"):
        redeem_invite(engine, "ann", "Ann", create_invite(engine, "dr-bell", NOW), NOW)
    with pytest.raises(AccessDenied, match="practitioner"):
        create_invite(engine, "ann", NOW)
    with pytest.raises(ValueError, match="days: 0 is outside 1-90"):
        create_invite(engine, "dr-ames", NOW, days=0)
    with pytest.raises(ValueError, match="already a user"):
        add_practitioner(engine, "ann", "Ann", NOW)


def test_two_people_racing_for_one_code_one_joins(engine, clinic):
    code = create_invite(engine, "dr-ames", NOW)
    outcomes: list[str] = []

    def join(subject: str) -> None:
        try:
            redeem_invite(engine, subject, subject, code, NOW)
            outcomes.append("joined")
        except InviteError:
            outcomes.append("refused")

    threads = [threading.Thread(target=join, args=(f"p{i}",)) for i in range(6)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sorted(outcomes) == ["joined"] + ["refused"] * 5


# -- export and deletion ----------------------------------------------------------
def test_export_is_todays_csv_contract(engine, clinic, tmp_path):
    rows = [Entry(D1, "morning", 4, {"clam": 10}, ("fever",), "a, note", {"clam": "fine"}, 2),
            entry(D1 + timedelta(days=1), "evening", 6)]  # fmt: skip
    answers = [Outcome(D1, "psfs", 1, 3, "Socks"), Outcome(D1, "pgic", 1, 4, "")]
    ann, local = ClinicStore(engine, "ann"), JournalStore(tmp_path / "j.db")
    for store in (ann, local):
        store.import_entries(rows)
        store.save_outcomes(answers)
    files = ann.export(IDS)
    assert files == {
        "journal": export_csv(local.entries(), IDS),
        "outcomes": export_outcomes_csv(local.outcomes()),
    }
    assert "a, note" in files["journal"] and "Socks" in files["outcomes"]


def test_deleting_removes_the_journal_and_the_log_says_so(engine, clinic):
    ann = ClinicStore(engine, "ann")
    ann.save(entry(clam=5))
    ann.save_outcomes([Outcome(D1, "pgic", 1, 4, "")])
    ann.set_start_date(D1)
    ann_id = clinic.patient_id("ann")
    PractitionerView(engine, "dr-ames").journal(ann_id, "progress")
    ClinicStore(engine, "bob").save(entry(pain=7))
    ann.delete_journal()
    with engine.connect() as conn:
        for table in (t.entries, t.outcomes, t.settings, t.changes):
            left = conn.execute(
                select(func.count()).select_from(table).where(table.c.patient_id == ann_id)
            ).scalar()
            assert left == 0, table.name
        assert conn.execute(select(func.count()).select_from(t.entry_reps)).scalar() == 0
        log = conn.execute(
            select(t.audit.c.action).where(t.audit.c.patient_id == ann_id).order_by(t.audit.c.id)
        ).scalars()
        assert list(log) == ["progress", "delete"]
    assert role_of(engine, "ann") is None
    with pytest.raises(StoreError, match="deleted"):
        ann.revision()
    with pytest.raises(StoreError, match="deleted"):
        ann.save(entry())
    assert [p.name for p in PractitionerView(engine, "dr-ames").patients()] == ["Bob"]
    assert [e.pain for e in ClinicStore(engine, "bob").entries()] == [7]


# -- two devices, one journal -----------------------------------------------------
def test_two_devices_editing_the_same_entry_never_lose_an_update(engine, clinic):
    phone, laptop = ClinicStore(engine, "ann"), ClinicStore(engine, "ann")
    phone.save(entry(pain=4))
    loaded_phone, loaded_laptop = phone.get(D1, "morning"), laptop.get(D1, "morning")
    phone.save(entry(pain=6), original=loaded_phone)
    with pytest.raises(EntryChanged) as err:
        laptop.save(entry(pain=2), original=loaded_laptop)
    assert err.value.current.pain == 6
    assert laptop.get(D1, "morning").pain == 6


def test_concurrent_saves_from_many_sessions_keep_every_entry_once(engine, clinic):
    # Eight sessions of one patient save at once: each its own days, and all of them the
    # same new (date, slot), which exactly one may create; the rest are asked (EntryExists).
    stores = [ClinicStore(engine, "ann") for _ in range(8)]
    clash = D1 + timedelta(days=100)
    results: list[str] = []
    start = threading.Barrier(len(stores))

    def work(i: int, store: ClinicStore) -> None:
        start.wait()
        for n in range(5):
            store.save(entry(D1 + timedelta(days=i * 5 + n), "morning", i))
        try:
            store.save(entry(clash, "evening", i))
            results.append("saved")
        except EntryExists:
            results.append("asked")

    threads = [threading.Thread(target=work, args=(i, s)) for i, s in enumerate(stores)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    ann = ClinicStore(engine, "ann")
    assert sorted(results) == ["asked"] * 7 + ["saved"]
    assert ann.count() == 8 * 5 + 1
    assert sorted((e.date, e.pain) for e in ann.entries() if e.date != clash) == sorted(
        (D1 + timedelta(days=i * 5 + n), i) for i in range(8) for n in range(5)
    )
    assert ann.revision() == 8 * 5 + 1  # one revision per write that happened


# -- the practitioner's prescription ----------------------------------------------
def test_the_prescription_a_practitioner_sets_reaches_their_patient_only(engine, clinic, programme):
    ann = ClinicStore(engine, "ann")
    ames = PractitionerView(engine, "dr-ames")
    assert ann.prescription(programme) == {}
    before = ann.revision()
    ames.set_prescription(clinic.patient_id("ann"), {"clam": [4, 6]}, programme)
    assert ann.prescription(programme) == {"clam": (4, 6)}
    assert ames.prescription(clinic.patient_id("ann"), programme) == {"clam": (4, 6)}
    with pytest.raises(AccessDenied):
        PractitionerView(engine, "dr-bell").prescription(clinic.patient_id("ann"), programme)
    assert ann.revision() == before + 1  # the patient's cached pages pick it up
    assert ann.revisions() == (before + 1, before + 1)  # cached doses too
    changed = ann.changed_rows(before, IDS)  # no entry to reload, the doses moved on
    assert changed == (before + 1, [], [], before + 1)
    assert ClinicStore(engine, "bob").prescription(programme) == {}
    assert ann.audit_log()[0].text == "Dr Ames changed your prescription"
    with pytest.raises(AccessDenied):
        PractitionerView(engine, "dr-bell").set_prescription(
            clinic.patient_id("ann"), {"clam": 1}, programme
        )
    with pytest.raises(EntryError, match="clam"):
        ames.set_prescription(clinic.patient_id("ann"), {"clam": 0}, programme)
    assert ann.prescription(programme) == {"clam": (4, 6)}
    ames.set_prescription(clinic.patient_id("ann"), {}, programme)
    assert ann.prescription(programme) == {}


def test_the_caseload_lists_a_practitioners_own_patients_urgent_first_and_is_audited(
    engine, clinic, programme
):
    today = date.today()
    ClinicStore(engine, "bob").save(Entry(today, "morning", 5, {}, ("saddle_numbness",), ""))
    ClinicStore(engine, "ann").save(entry(today, "morning", 2, clam=10))
    rows = PractitionerView(engine, "dr-ames").caseload(today, programme)
    assert [(r.name, r.open_flags, r.sessions_week) for r in rows] == [
        ("Bob", ("saddle_numbness",), 0),
        ("Ann", (), 1),
    ]
    for who in ("ann", "bob"):
        assert [e.action for e in ClinicStore(engine, who).audit_log()] == ["summary"]
    assert ClinicStore(engine, "cy").audit_log() == []


def test_after_one_patient_saves_the_caseload_reads_only_that_patient_again(
    engine, clinic, programme
):
    """statuses(known=...) works out again, and audits, only the patients whose revision
    moved on (a save, a prescription); the rest are kept, under their current name, and
    the result is what a full read gives."""
    today = date.today()
    ann, bob = ClinicStore(engine, "ann"), ClinicStore(engine, "bob")
    ann.save(entry(today, "morning", 2, clam=10))
    bob.save(entry(today, "morning", 5))
    ames = PractitionerView(engine, "dr-ames")
    a, b = clinic.patient_id("ann"), clinic.patient_id("bob")

    def summaries(store):
        return sum(e.action == "summary" for e in store.audit_log())

    first = ames.statuses(today, programme)
    assert set(first) == {a, b} and (summaries(ann), summaries(bob)) == (1, 1)
    assert ames.statuses(today, programme, first) == first  # nothing moved on: nothing read
    assert (summaries(ann), summaries(bob)) == (1, 1)

    bob.save(Entry(today, "evening", 7, {}, ("saddle_numbness",), ""))
    with engine.begin() as conn:  # a new name alone moves no revision on
        conn.execute(t.users.update().where(t.users.c.subject == "ann").values(name="Anne"))
    third = ames.statuses(today, programme, first)
    assert (summaries(ann), summaries(bob)) == (1, 2)  # only Bob was read again
    assert third[a] == (first[a][0], dataclasses.replace(first[a][1], name="Anne"))
    assert third[b][0] > first[b][0] and third[b][1].open_flags == ("saddle_numbness",)
    assert caseload_order(s for _, s in third.values()) == ames.caseload(today, programme)

    ames.set_prescription(a, {"clam": [2, 3]}, programme)  # a prescription: Ann read again
    fourth = ames.statuses(today, programme, third)
    assert fourth[a][0] > third[a][0] and summaries(ann) == 3  # (the caseload above read her)


def test_the_caseload_read_in_one_go_is_what_each_patients_own_pages_read(
    engine, clinic, programme
):
    """The caseload reads all patients at once; each row must be what that patient's own
    journal gives: entries, start date, prescription, outcomes, barrier, checked flags."""
    today = date.today()
    first = programme.exercises[0]
    ann, bob = ClinicStore(engine, "ann"), ClinicStore(engine, "bob")
    clinic.patient("dee", of="dr-ames")  # nothing logged at all
    dee = ClinicStore(engine, "dee")
    for k in range(20):
        day = today - timedelta(days=k)
        ann.save(Entry(day, "morning", 6 - k % 4, {first.id: 10}, (), f"a{k}"))
        bob.save(Entry(day, "evening", 2 + k % 5, {}, ("leg_weakness",) if k == 1 else (), ""))
    ann.save(Entry(today, "evening", 5, {first.id: 3}, ("saddle_numbness",), ""))
    ann.set_start_date(today - timedelta(days=25))
    bob.set_setting(BARRIER_SETTING, barrier_setting(next(iter(BARRIERS)), today))
    bob.set_setting(CHECKS_KEY, checks_json({"leg_weakness": today}))
    ann.save_outcomes([Outcome(today - timedelta(days=3), "pgic", 1, 5, "")])
    ames = PractitionerView(engine, "dr-ames")
    ames.set_prescription(clinic.patient_id("ann"), {first.id: [2, 3]}, programme)

    def own(store, name):
        mine = prescribed(programme, store.prescription(programme))
        return patient_status(
            store.patient_id, name, load_frame(store, mine.exercise_ids), today,
            start=store.start_date(), sessions_per_day=mine.sessions_per_day,
            outcomes=store.outcomes(),
            barrier=current_barrier(store.get_setting(BARRIER_SETTING), today),
            checks=store.get_setting(CHECKS_KEY),
        )  # fmt: skip

    expected = caseload_order([own(ann, "Ann"), own(bob, "Bob"), own(dee, "Dee")])
    assert ames.caseload(today, programme) == expected
    assert expected[0].name == "Ann" and expected[0].open_flags == ("saddle_numbness",)
    assert len({r.status for r in expected}) > 1  # the rows differ, so the test can tell
