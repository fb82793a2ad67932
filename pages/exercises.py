"""Exercises page: the programme, grouped by purpose, with each dose shown as facts."""

from __future__ import annotations

import streamlit as st

import ui
from backtrack.pictures import picture_alt, picture_path
from backtrack.symptoms import STAY_ACTIVE, STOP_ADVICE

ui.ensure_frame()
programme = ui.programme()

st.title("Your exercises")
st.write(f"{len(programme.exercises)} exercises, {ui.plain(programme.sessions_text)}.")
st.warning(STOP_ADVICE, icon=":material/front_hand:")
st.write(STAY_ACTIVE)
st.page_link("pages/session.py", label="Start a guided session (timers and rep counts)",
             icon=":material/timer:")  # fmt: skip
if programme.review_advice:
    st.info(ui.plain(programme.review_advice), icon=":material/event:")

for _, title, exercises in programme.by_group():
    st.header(ui.plain(title), divider="gray")
    group_id = exercises[0].group
    if programme.groups_why.get(group_id):
        st.caption(ui.plain(programme.groups_why[group_id]))
    for ex in exercises:
        with st.container(border=True):
            st.subheader(ui.plain(ex.name))
            st.image(str(picture_path(ex)), alt=picture_alt(ex), width=380)
            st.write(ui.plain(ex.why))
            facts = [f":material/repeat: **{ui.plain(ex.reps_text)}**"]
            if ex.hold_text:
                facts.append(f":material/timer: **{ui.plain(ex.hold_text)}**")
            facts.append(f":material/schedule: **{ui.plain(programme.sessions_text)}**")
            st.markdown(" · ".join(facts))
            st.markdown(
                "\n".join(f"{i}. {ui.plain(step)}" for i, step in enumerate(ex.steps, start=1))
            )
