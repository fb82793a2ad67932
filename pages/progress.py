"""Progress page: the two-week check, then pain and adherence charts for a chosen range."""

from __future__ import annotations

from datetime import date

import streamlit as st

import ui
from backtrack.entries import EARLIEST_DATE
from backtrack.fmt import fmt_range
from backtrack.progress import programme_start
from backtrack.summaries import RANGES, date_range

ui.ensure_frame()
programme = ui.programme()
journal = ui.journal_frame()
today = date.today()

st.title("Progress")
ui.stop_if_empty(journal, "No entries yet: log a session and your charts will appear here.")

check_slot = st.container()
first = programme_start(journal, ui.start_date())
choice = st.radio("Range", RANGES, index=1, horizontal=True, key="progress_range")
custom = None
if choice == "Custom":
    picked = st.date_input(
        "From – to",
        value=(first or today, today),
        min_value=EARLIEST_DATE,
        max_value=today,
        key="progress_custom",
    )
    if len(picked) != 2:
        st.info("Choose the end date of the range.")
        st.stop()
    custom = tuple(picked)
start, end = date_range(choice, today, first, custom)
check, specs = ui.progress_view(today, start, end)

# The check card stays above the range control's output: it is as of today, whatever range.
with check_slot:
    practitioner = ui.read_only()  # a practitioner's view of their patient's journal
    ui.check_card(check, follow_up=None if practitioner else "progress",
                  about_the_person=practitioner)  # fmt: skip
st.caption(fmt_range(start, end))
ui.show_specs(specs)
st.caption(
    "Share of the dose: reps done against the prescribed reps (the lower number of a range) "
    f"for {programme.sessions_per_day} sessions a day; extra reps in one session do not make "
    "up for a skipped one. Over long ranges, pain shows weekly or monthly means and the "
    "calendar the last 26 weeks."
)
