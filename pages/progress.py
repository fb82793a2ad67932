"""Progress page: the two-week check, then pain and adherence charts for a chosen range."""

from __future__ import annotations

from datetime import date

import streamlit as st

import ui
from backtrack import charts
from backtrack.progress import programme_start, two_week_check
from backtrack.summaries import (
    RANGES,
    daily_summary,
    date_range,
    exercise_shares,
    weekly_adherence,
)

ui.ensure_frame()
programme = ui.programme()
store = ui.store()
journal = ui.journal_frame()
today = date.today()

st.title("Progress")
if journal.empty:
    st.info("No entries yet: log a session and your charts will appear here.")
    st.page_link("pages/log.py", label="Log a session", icon=":material/edit_note:")
    st.stop()

start_setting = store.start_date()
result = two_week_check(journal, today, start_setting, sessions_per_day=programme.sessions_per_day)
ui.check_card(result)

first = programme_start(journal, start_setting)
choice = st.radio("Range", RANGES, index=1, horizontal=True, key="progress_range")
custom = None
if choice == "Custom":
    picked = st.date_input(
        "From – to", value=(first or today, today), max_value=today, key="progress_custom"
    )
    if len(picked) != 2:
        st.info("Choose the end date of the range.")
        st.stop()
    custom = tuple(picked)
start, end = date_range(choice, today, first, custom)
st.caption(f"{start:%a %d %b %Y} to {end:%a %d %b %Y}")

daily = daily_summary(journal, start, end)
ui.show_chart(
    charts.pain_trend(daily, result.baseline_pain),
    "Daily pain (0-10) with its 7-day mean, the first-week baseline and the zone of a "
    "meaningful improvement.",
)
ui.show_chart(
    charts.adherence_calendar(daily, programme.sessions_per_day),
    "Calendar of sessions done per day.",
)
ui.show_chart(
    charts.weekly_adherence_bars(weekly_adherence(daily, programme.sessions_per_day)),
    "Weekly adherence: sessions done as a percentage of those prescribed.",
)
ui.show_chart(
    charts.exercise_share_bars(exercise_shares(journal, programme, start, end)),
    "Each exercise: reps done as a percentage of the prescribed dose.",
)
st.caption(
    "Share of the dose: reps done against the prescribed reps (the lower number of a range) "
    f"for {programme.sessions_per_day} sessions a day; extra reps in one session do not make "
    "up for a skipped one."
)
