"""The whole app in clinic mode (AppTest, a fake login through AppTest.user) against a
throwaway PostgreSQL: who sees what through every page, whatever the session state says."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from backtrack.clinic.accounts import create_invite, redeem_invite
from backtrack.clinic.practice import PractitionerView
from backtrack.clinic.store import ClinicStore
from backtrack.entries import Entry
from backtrack.fmt import fmt_adherence
from backtrack.modes import DATABASE_URL_ENV
from backtrack.programme import load_programme
from tests.clinic_fixtures import NOW
from tests.factories import literal

pytestmark = pytest.mark.clinic

JOURNAL_PAGES = ("pages/today.py", "pages/log.py", "pages/progress.py", "pages/report.py",
                 "pages/data.py")  # fmt: skip


@pytest.fixture
def clinic(engine, people, monkeypatch):
    """Dr Ames has Ann and Bob; Dr Bell has Cy. Ann and Cy each wrote a private note."""
    monkeypatch.setenv(DATABASE_URL_ENV, engine.url.render_as_string(hide_password=False))
    people.practitioner("dr-ames", "Dr Ames")
    people.practitioner("dr-bell", "Dr Bell")
    for who, of in (("ann", "dr-ames"), ("bob", "dr-ames"), ("cy", "dr-bell")):
        people.patient(who, of=of)
    yesterday = date.today() - timedelta(days=1)
    for who in ("ann", "cy"):
        ClinicStore(engine, who).save(Entry(yesterday, "morning", 6, {}, (), f"{who}-secret"))
    return people


def signed_in(subject: str | None, page: str | None = None, **state) -> AppTest:
    at = AppTest.from_file("../../../app.py", default_timeout=30)
    at.user = (
        {"is_logged_in": True, "sub": subject, "name": subject.title()}
        if subject
        else {"is_logged_in": False}
    )
    for k, v in state.items():
        at.session_state[k] = v
    at.run()
    assert not at.exception, at.exception
    if page:
        at.switch_page(page).run()
        assert not at.exception, at.exception
    return at


def shown(at: AppTest) -> str:
    """Everything the page shows as text: headings, text, messages, tables, the menu."""
    kinds = ("title", "subheader", "markdown", "caption", "info", "warning", "error", "success",
             "code")  # fmt: skip
    parts = [e.value for kind in kinds for e in getattr(at, kind)]
    parts += [t.value.to_string() for t in at.table] + [d.value.to_string() for d in at.dataframe]
    return literal("\n".join(str(p) for p in parts))


def audit(engine, who: str) -> list[str]:
    return [e.action for e in ClinicStore(engine, who).audit_log()]


def test_signed_out_every_page_is_the_sign_in_page(clinic):
    at = signed_in(None)
    assert at.title[0].value == "BackTrack"
    assert "secrets.toml needs an [auth] section" in literal(at.error[0].value)
    assert "secret" not in shown(at).replace("secrets.toml", "")


def test_a_new_login_joins_with_an_invite_code_and_each_refusal_is_named(clinic, engine):
    now = datetime.now(UTC)
    used = create_invite(engine, "dr-ames", now)
    redeem_invite(engine, "someone", "Someone", used, now)
    expired = create_invite(engine, "dr-ames", NOW - timedelta(days=30), days=1)
    at = signed_in("dee")
    assert at.title[0].value == "Join your practitioner"
    assert at.text_input(key="join_name").value == "Dee"  # from the login
    for code, reason in (("AAAA-BBBB-CCCC", "not known here"), (expired, "expired on"),
                         (used, "already used")):  # fmt: skip
        at.text_input(key="join_code").set_value(code)
        at.button[0].click().run()
        assert reason in literal(at.error[0].value)
        assert "invite code" in literal(at.error[0].value)
    at.text_input(key="join_code").set_value(create_invite(engine, "dr-ames", now))
    at.button[0].click().run()
    assert not at.exception
    assert at.title[0].value == "Before you start"  # a new, empty journal: first use
    names = [p.name for p in PractitionerView(engine, "dr-ames").patients()]
    assert names == ["Ann", "Bob", "Dee", "Someone"]


@pytest.mark.parametrize("page", JOURNAL_PAGES)
def test_a_patient_never_sees_anothers_journal_even_with_tampered_state(clinic, engine, page):
    ann = clinic.patient_id("ann")
    tampered = {"patient_open": ann, "_backtrack_run_key": None, "patients_pick": ann}
    at = signed_in("bob", page, **tampered)
    text = shown(at)
    assert "ann-secret" not in text and "cy-secret" not in text
    assert "Patients" not in [p for p in text.splitlines()]
    assert audit(engine, "ann") == []  # nobody opened Ann's journal


def test_a_patient_has_export_audit_and_delete_instead_of_local_files(clinic, engine, downloads):
    signed_in("dr-ames", "pages/patients.py", patient_open=clinic.patient_id("ann"))
    at = signed_in("ann", "pages/data.py")
    text = shown(at)
    assert "Who viewed your journal" in text and "Dr Ames saw your status" in text
    assert "Backups" not in text and "Move to another computer" not in text
    buttons = {b.proto.id.rsplit("-", 1)[-1]: b for b in at.get("download_button")}
    assert not any(k.endswith("data_snapshot") for k in buttons)
    export = next(b for k, b in buttons.items() if k.endswith("data_export"))
    assert b"ann-secret" in downloads(export) and b"date,slot,pain" in downloads(export)
    at.button(key="data_delete").click().run()
    assert "cannot be undone" in at.warning[0].value
    at.button(key="data_delete_yes").click().run()
    assert not at.exception
    assert at.title[0].value == "Join your practitioner"
    assert "deleted" in at.success[0].value
    assert [p.name for p in PractitionerView(engine, "dr-ames").patients()] == ["Bob"]


def test_a_practitioner_sees_only_their_own_patients_and_each_opening_is_audited(clinic, engine):
    ann, cy = clinic.patient_id("ann"), clinic.patient_id("cy")
    bell = signed_in("dr-bell", patient_open=ann)  # tampered: Ann is not Dr Bell's
    assert list(bell.table[0].value.index) == ["Cy"]
    assert "ann-secret" not in shown(bell)
    with pytest.raises(Exception):  # noqa: B017  (no such page for Dr Bell)
        bell.switch_page("pages/progress.py").run()
    assert audit(engine, "ann") == [] and audit(engine, "cy") == ["summary"]

    at = signed_in("dr-ames")
    assert list(at.table[0].value.index) == ["Ann", "Bob"]
    at.selectbox(key="patients_pick").set_value(ann).run()
    at.switch_page("pages/report.py").run()
    assert not at.exception
    assert "ann-secret" in shown(at) and "cy-secret" not in shown(at)
    at.run()  # a rerun of the same page is not another opening
    at.switch_page("pages/progress.py").run()
    assert not at.exception
    assert audit(engine, "ann") == ["progress", "report", "summary"]
    assert audit(engine, "cy") == ["summary"] and cy not in (ann,)


def test_a_practitioner_reads_the_check_about_the_patient_not_advice_written_to_them(
    clinic, engine
):
    """The patient's Progress page says "You did ..." and asks "What got in the way?";
    their practitioner's read-only view of it says the verdict about the person, as the
    report does, and offers no answer to give."""
    ann = ClinicStore(engine, "ann")
    today = date.today()
    for k in range(20):  # mornings only: half the sessions, a low-adherence verdict
        ann.save(Entry(today - timedelta(days=k), "morning", 5, {"clam": 10}, (), ""),
                 replace=True)  # fmt: skip
    own = signed_in("ann", "pages/progress.py")
    assert "Your answer below" in shown(own) or "What got in the way?" in [
        r.label for r in own.radio]  # fmt: skip
    at = signed_in("dr-ames")
    at.selectbox(key="patients_pick").set_value(clinic.patient_id("ann")).run()
    at.switch_page("pages/progress.py").run()
    assert not at.exception
    text = shown(at)
    assert "under the 70% BackTrack takes as a fair trial" in text
    assert "You did" not in text and "Your answer below" not in text
    assert "What got in the way?" not in [r.label for r in at.radio]


def test_after_a_patient_saves_the_patients_page_reads_only_that_patient_again(clinic, engine):
    """The Patients page keeps each status at its patient's revision: a rerun reads no
    journal, and after Ann saves only Ann is read (and audited) again, and her row shows it."""
    at = signed_in("dr-ames")
    assert (audit(engine, "ann"), audit(engine, "bob")) == (["summary"], ["summary"])
    at.run()
    assert (audit(engine, "ann"), audit(engine, "bob")) == (["summary"], ["summary"])
    ClinicStore(engine, "ann").save(Entry(date.today(), "evening", 2, {"clam": 10}, (), ""))
    at.run()
    assert (audit(engine, "ann"), audit(engine, "bob")) == (["summary"] * 2, ["summary"])
    rows = at.table[0].value
    assert rows.loc["Ann", "Sessions, last 7 days"] == 1


def test_the_prescription_reaches_the_patients_log_form_and_report(clinic, engine):
    programme = load_programme()
    first = programme.exercises[0]
    at = signed_in("dr-ames")
    at.selectbox(key="patients_pick").set_value(clinic.patient_id("ann")).run()
    at.number_input(key=f"patients_lo_{first.id}").set_value(5)
    at.number_input(key=f"patients_hi_{first.id}").set_value(3)
    at.button[0].click().run()  # fewest above most: refused, named
    assert first.name in literal(at.error[0].value) and "more than the most" in at.error[0].value
    at.number_input(key=f"patients_lo_{first.id}").set_value(3)
    at.number_input(key=f"patients_hi_{first.id}").set_value(4)
    at.button[0].click().run()
    assert "Saved the prescription" in at.success[0].value

    log = signed_in("ann", "pages/log.py")
    assert log.number_input(key=f"log_reps_{first.id}").value == 4
    report = signed_in("ann", "pages/report.py")
    prescription = next(t.value for t in report.table if "Dose" in t.value.columns)
    dose = literal(prescription.loc[prescription.index == first.name, "Dose"].iloc[0])
    assert dose.startswith("3-4 ")
    bob = signed_in("bob", "pages/log.py")  # Bob's doses are still the programme's
    assert bob.number_input(key=f"log_reps_{first.id}").value == first.reps_max


def test_the_app_brings_a_new_database_to_the_latest_schema_when_it_starts(
    pg, empty_engine, monkeypatch
):
    from backtrack.clinic.db import schema_current

    url = empty_engine.url.render_as_string(hide_password=False)
    monkeypatch.setenv(DATABASE_URL_ENV, url)
    assert not schema_current(empty_engine)
    at = signed_in("anyone")
    assert at.title[0].value == "Join your practitioner"
    assert schema_current(empty_engine)


def test_an_unusable_database_url_is_explained(monkeypatch):
    monkeypatch.setenv(DATABASE_URL_ENV, "sqlite:///journal.db")
    at = AppTest.from_file("../../../app.py", default_timeout=30).run()
    assert at.title[0].value == "BackTrack cannot start"
    assert "must be a postgresql:// URL" in literal(at.error[0].value)


@pytest.fixture
def prescribed(clinic, engine):
    """Dr Ames prescribes Ann 3-4 reps of the first exercise (the file says otherwise)."""
    first = load_programme().exercises[0]
    assert (first.reps_min, first.reps_max) != (3, 4)
    PractitionerView(engine, "dr-ames").set_prescription(
        clinic.patient_id("ann"), {first.id: [3, 4]}, load_programme()
    )
    return first


def test_the_prescription_sets_the_guided_sessions_reps_for_that_patient_only(prescribed):
    for who, most in (("ann", 4), ("bob", prescribed.reps_max)):
        at = signed_in(who, "pages/session.py")
        at.button(key="session_start").click().run()
        assert not at.exception
        labels = at.session_state.session_player.labels  # what the session screen says
        assert labels[:2] == ("Exercise 1 of 5", f"Rep 1 of {most}"), (who, labels)


def test_the_prescription_sets_the_progress_dose_shares_for_that_patient_only(prescribed, engine):
    first, before = prescribed, date.today() - timedelta(days=2)
    for who in ("ann", "bob"):  # the same two sessions of 5 reps each, the day before yesterday
        for slot in ("morning", "evening"):
            ClinicStore(engine, who).save(Entry(before, slot, 3, {first.id: 5}, (), ""))
    rows = {}
    for who in ("ann", "bob"):
        at = signed_in(who, "pages/progress.py")
        shares = next(t.value for t in at.table if "Share of dose" in t.value.columns)
        rows[who] = shares.loc[first.name]  # indexed by exercise
    sessions = int(rows["bob"]["Reps prescribed"]) // first.reps_min  # the same range for both
    assert int(rows["ann"]["Reps prescribed"]) == 3 * sessions
    # Each session counts at most the dose's lower number: Ann's 5 count as 3, Bob's as 5.
    assert literal(rows["ann"]["Share of dose"]) == fmt_adherence(2 * 3 / (3 * sessions))
    assert literal(rows["bob"]["Share of dose"]) == fmt_adherence(
        2 * 5 / (first.reps_min * sessions)
    )
    assert rows["ann"]["Share of dose"] != rows["bob"]["Share of dose"]
