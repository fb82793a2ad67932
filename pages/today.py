"""Today page (the default): today's sessions, day N, the last week, and the check."""

from __future__ import annotations

from datetime import date

import streamlit as st

import ui
from backtrack.fmt import fmt_date

ui.ensure_frame()
programme = ui.programme()
store = ui.store()
journal = ui.journal_frame()
today = date.today()

st.title("Today")
st.caption(fmt_date(today))

if journal.empty:
    st.subheader("Welcome to BackTrack")
    st.write(
        f"BackTrack helps you keep to your {len(programme.exercises)}-exercise home "
        f"programme ({ui.plain(programme.sessions_text)}) and see whether it is helping your back."
    )
    st.markdown(
        "1. Read the exercises and how to do each one.\n"
        "2. After each session, log it with your pain from 0 to 10. On rest days, log "
        "your pain alone.\n"
        "3. After two weeks BackTrack compares your pain with your first week and tells "
        "you whether it is time to see an osteopath."
    )
    st.page_link("pages/exercises.py", label="Read the exercises", icon=":material/fitness_center:")
    st.page_link("pages/session.py", label="Do your first session, guided step by step",
                 icon=":material/timer:")  # fmt: skip
    st.page_link("pages/log.py", label="Log your first session", icon=":material/edit_note:")
    st.stop()

status = ui.today_view(today)
total = programme.sessions_per_day
cols = st.columns(3)
cols[0].metric("Sessions today", f"{len(status.done_slots)} of {total}")
cols[1].metric("Programme day", "–" if status.day is None else str(status.day))
cols[2].metric("Days with both sessions", f"{status.full_days_last_7} of last 7")
if status.slots_left:
    left = " and ".join(status.slots_left)
    st.write(f"Still to log today: **{left}**.")
else:
    st.write("Both of today's sessions are logged. Well done.")
c1, c2 = st.columns(2)
c1.page_link("pages/session.py", label="Start a guided session", icon=":material/timer:")
c2.page_link("pages/log.py", label="Log a session", icon=":material/edit_note:")

ui.check_card(status.check, show_day=False, follow_up="today")

if flash := st.session_state.pop("outcome_flash", None):
    st.success(flash, icon=":material/check_circle:")
ui.outcome_prompt(status.due, today)
