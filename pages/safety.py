"""Before you start: the safety questions clinicians ask first, each optional, with plain
advice for any "yes" before the programme. Shown on first use; any time from the Data page."""

from __future__ import annotations

from datetime import date

import streamlit as st

import ui
from backtrack.fmt import fmt_date
from backtrack.screening import (
    DURATION,
    DURATIONS,
    EXAMINED,
    HISTORY,
    ScreenAnswers,
    screen_advice,
)
from backtrack.symptoms import FLAG_IDS

ui.ensure_frame()
state = st.session_state
saved = ui.screen()

st.title("Before you start")
st.write(
    "A few questions a GP or physiotherapist would ask first. Every answer is optional, and "
    "your answers stay on this computer, in your journal (your practitioner sees them on "
    "the report)."
)
if saved is not None:
    st.caption(f"You last answered on {fmt_date(saved.answered_on)}; change any answer "
               "and save again.")  # fmt: skip

YES_NO = (True, False)


def flag_box(flag_id: str) -> str:
    return f"safety_flag_{flag_id}"


def yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def index_of(value: bool | None) -> int | None:
    return None if value is None else YES_NO.index(value)


def save() -> None:
    """Store the answers given (each optional) with today's date, and show their advice."""
    answers = ScreenAnswers(
        answered_on=date.today(),
        examined=state.get("safety_examined"),
        duration=state.get("safety_duration"),
        history={
            q.id: state[f"safety_{q.id}"]
            for q in HISTORY
            if state.get(f"safety_{q.id}") is not None
        },  # fmt: skip
        red_flags=tuple(f for f in FLAG_IDS if state.get(flag_box(f))),  # fmt: skip
    )
    ui.save_screen(answers)
    state.safety_shown = answers


with st.form("safety_form"):
    st.radio(EXAMINED.text, YES_NO, format_func=yes_no, horizontal=True, key="safety_examined",
             index=index_of(saved.examined if saved else None))  # fmt: skip
    durations = list(DURATIONS)
    st.radio(
        DURATION.text, durations, format_func=DURATIONS.get, horizontal=True,
        key="safety_duration",
        index=durations.index(saved.duration) if saved and saved.duration else None,
    )  # fmt: skip
    st.markdown("**Your health**")
    for question in HISTORY:
        st.radio(
            question.text, YES_NO, format_func=yes_no, horizontal=True,
            key=f"safety_{question.id}",
            index=index_of(saved.history.get(question.id) if saved else None),
        )  # fmt: skip
    st.markdown("**Do you have any of these now?**")
    ui.flag_checkboxes(flag_box, saved.red_flags if saved else ())
    st.form_submit_button("Save my answers", type="primary", key="safety_save", on_click=save)

shown = state.get("safety_shown")
if saved is None and shown is None:
    st.button("Skip for now", key="safety_skip", help="You can answer later on the Data page.",
              on_click=lambda: state.update(safety_skipped=True))  # fmt: skip
    if state.get("safety_skipped"):
        st.info("Skipped for now: you can answer these questions any time on the Data page.")
        st.page_link("pages/today.py", label="Go to Today", icon=":material/today:")
if shown is not None:
    advice = screen_advice(shown)
    if advice.red_flags:
        ui.red_flag_alert(shown.red_flags)
    if advice.history:
        st.warning(advice.history, icon=":material/medical_services:")
    if advice.not_examined:
        st.info(advice.not_examined, icon=":material/info:")
    if not advice.any:
        st.success("Thank you. Nothing in your answers needs checking before you start.",
                   icon=":material/check_circle:")  # fmt: skip
    else:
        st.caption("You can go on to the programme after reading this.")
    st.page_link("pages/exercises.py", label="Go on to the exercises",
                 icon=":material/fitness_center:")  # fmt: skip
