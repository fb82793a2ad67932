"""Patients page (a practitioner's, clinic mode): the caseload, urgent first; open a
patient's Progress and Report (read-only, in their audit log); set their prescription;
create invite codes for new patients."""

from __future__ import annotations

from datetime import UTC, date, datetime

import streamlit as st

import ui
from backtrack.clinic.accounts import INVITE_DAYS
from backtrack.entries import EntryError
from backtrack.programme import MAX_REPS

ui.ensure_frame()
view = ui.practitioner()
programme = ui.base_programme()
state = st.session_state
today = date.today()

st.title("Your patients")
rows, table = ui.caseload(today)
if not rows:
    st.info("No patients yet: create an invite code below and give it to your patient.")
else:
    st.caption("Patients with red flags not yet checked come first, then those getting worse.")
    ui.show_arrow(table)

    ids = [r.patient for r in rows]
    names = {r.patient: r.name for r in rows}
    chosen = ui.open_patient()
    st.selectbox(
        "Open a patient", ids, index=ids.index(chosen[0]) if chosen else None,
        format_func=names.__getitem__, key="patients_pick", placeholder="Choose a patient",
        on_change=lambda: ui.choose_patient(state.patients_pick),
    )  # fmt: skip

    if chosen is not None:
        patient, name = chosen
        st.page_link("pages/progress.py", label="Their progress", icon=":material/monitoring:")
        st.page_link("pages/report.py", label="Their report", icon=":material/summarize:")
        st.subheader(f"Prescription for {ui.plain(name)}")
        st.write(
            "Reps per session for each exercise, starting from the programme's doses. "
            "Their log form, guided session, two-week check and report use these."
        )
        current = view.prescription(patient, programme)

        def save_prescription(patient: int = patient) -> None:
            doses = {ex.id: [state[f"patients_lo_{ex.id}"], state[f"patients_hi_{ex.id}"]]
                     for ex in programme.exercises}  # fmt: skip
            try:
                view.set_prescription(patient, doses, programme)
            except EntryError as exc:
                named = {ex.id: ex.name for ex in programme.exercises}
                state.patients_errors = [f"{named.get(e.field, e.field)}: {e.message}"
                                         for e in exc.errors]  # fmt: skip
            else:
                state.patients_saved = "Saved the prescription."

        with st.form("patients_prescription"):
            for ex in programme.exercises:
                lo, hi = current.get(ex.id, (ex.reps_min, ex.reps_max))
                left, right = st.columns(2)
                left.number_input(f"{ex.name}: fewest {ex.rep_word}", 1, MAX_REPS, lo,
                                  key=f"patients_lo_{ex.id}")  # fmt: skip
                right.number_input(f"{ex.name}: most {ex.rep_word}", 1, MAX_REPS, hi,
                                   key=f"patients_hi_{ex.id}")  # fmt: skip
            st.form_submit_button("Save prescription", type="primary", on_click=save_prescription)
        if "patients_errors" in state:
            st.error("Not saved. Please fix:\n\n"
                     + "\n".join(f"- {ui.plain(e)}" for e in state.pop("patients_errors")),
                     icon=":material/error:")  # fmt: skip
        if "patients_saved" in state:
            st.success(state.pop("patients_saved"), icon=":material/check_circle:")

st.subheader("Invite a patient")
st.write(
    f"An invite code lets one new patient join you. It works once, for {INVITE_DAYS} days; "
    "they enter it after signing in for the first time."
)
st.button(
    "Create an invite code", key="patients_invite_button", icon=":material/key:",
    on_click=lambda: state.update(patients_invite=view.invite(datetime.now(UTC))),
)  # fmt: skip
if "patients_invite" in state:
    st.success("A new invite code. It is shown only this once: give it to your patient now.",
               icon=":material/key:")  # fmt: skip
    st.code(state.pop("patients_invite"), language=None)
