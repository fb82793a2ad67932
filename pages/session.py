"""Guided session: one exercise at a time, with its drawing, rep counts and hold timers.

The player is a pure state machine (backtrack.player); this page renders it and passes in
the time. The exercise screen is a fragment that re-runs on its own a few times a second
(not the whole app), so holds count down and end on time; at the end the log form opens
pre-filled with what was done.
"""

from __future__ import annotations

import math
from datetime import date

import pandas as pd
import streamlit as st

import ui
from backtrack.entries import SLOTS
from backtrack.logbook import next_free_slot
from backtrack.pictures import picture_alt, picture_path
from backtrack.player import Phase, Player, default_hold
from backtrack.symptoms import REACTIONS, STOP_ADVICE, reaction_stops

TICK_SECONDS = 0.2  # how often the exercise screen re-runs while a session is open

ui.ensure_frame()
programme = ui.programme()
state = st.session_state


def start() -> None:
    holds = {
        ex.id: state[f"session_hold_{ex.id}"]
        for ex in programme.exercises
        if ex.hold_min is not None and ex.hold_min != ex.hold_max
    }
    state.session_player = Player.create(programme, holds=holds)
    state.session_for_slot = state.session_slot  # the radio's state ends with the start screen


def act(action: str) -> None:
    """Apply a player action; the ones that depend on time get the time of the click."""
    player = state.session_player
    method = getattr(player, action)
    timed = action in ("start_hold", "pause", "resume")
    state.session_player = method(ui.now()) if timed else method()


def react(exercise_id: str, reaction: str) -> None:
    state.session_player = state.session_player.react(exercise_id, reaction)
    state.session_stop_advice = reaction_stops(reaction) or state.get("session_stop_advice")


def log_it() -> None:
    player = state.pop("session_player")
    state.pop("session_stop_advice", None)
    state.log_prefill = {"slot": state.session_for_slot, "reps": player.summary(),
                         "reactions": dict(player.reactions)}  # fmt: skip
    state.session_goto_log = True


def feel_question(player: Player) -> None:
    """ "How did that feel?" about the exercise just finished: one optional tap."""
    ex = player.asking
    if ex is None:
        return
    st.markdown(f"**How did {ui.plain(ex.name)} feel?** (optional)")
    cols = st.columns(len(REACTIONS))
    for col, reaction in zip(cols, REACTIONS, strict=True):
        col.button(reaction.label, key=f"session_feel_{reaction.id}", on_click=react,
                   args=(ex.id, reaction.id), width="stretch")  # fmt: skip


def stop_advice() -> None:
    if state.get("session_stop_advice"):
        st.error(STOP_ADVICE, icon=":material/front_hand:")


def discard() -> None:
    del state.session_player
    state.pop("session_stop_advice", None)


if state.pop("session_goto_log", False):
    st.switch_page("pages/log.py")

st.title("Guided session")
player: Player | None = state.get("session_player")

if player is None:
    st.write(
        f"{len(programme.exercises)} exercises, one at a time, with a timer for each hold. "
        "At the end you add your pain rating and the session is logged."
    )
    if "session_slot" not in state:
        state.session_slot = next_free_slot(
            ui.entries_between(date.today(), date.today()), date.today()
        )
    st.radio("Session", SLOTS, key="session_slot", horizontal=True, format_func=str.capitalize)
    for ex in programme.exercises:
        if ex.hold_min is not None and ex.hold_min != ex.hold_max:
            # A select box, not a slider: the slider's value label is drawn in the theme's
            # primary colour, below AA contrast on the dark theme (README, Accessibility).
            holds = list(range(int(ex.hold_min), int(ex.hold_max) + 1))
            st.selectbox(
                f"{ui.plain(ex.name)}: hold (seconds)", holds,
                index=holds.index(int(default_hold(ex))),
                key=f"session_hold_{ex.id}", format_func=lambda s: f"{s} s",
                help=f"Prescribed: hold {int(ex.hold_min)}-{int(ex.hold_max)} s.",
            )  # fmt: skip
    st.caption(STOP_ADVICE)
    st.button("Start session", key="session_start", type="primary", on_click=start,
              icon=":material/play_arrow:", width="stretch")  # fmt: skip
    st.stop()

if player.finished:
    stop_advice()
    feel_question(player)
    done = player.summary()
    if player.quit_early:
        st.subheader("Session stopped")
        st.write("Log the part you did, with your pain rating, or discard it.")
    else:
        st.subheader("Session complete. Well done.")
        st.write("Add your pain rating to log it.")
    ui.table(
        pd.DataFrame(
            {
                "Exercise": [ex.name for ex in programme.exercises],
                "Done": [ex.count_text(done.get(ex.id, 0)) for ex in programme.exercises],
            }
        ).set_index("Exercise")
    )
    c1, c2 = st.columns(2)
    c1.button(
        "Log the part I did" if player.quit_early else "Log this session",
        key="session_log", type="primary", on_click=log_it, icon=":material/edit_note:",
    )  # fmt: skip
    c2.button("Discard", key="session_discard", on_click=discard, icon=":material/delete:")
    st.stop()


@st.fragment(run_every=TICK_SECONDS)
def player_screen() -> None:
    """One exercise screen. It re-runs alone every TICK_SECONDS (not the whole app), so a
    hold counts down and ends on time, and the next rep shows without a page reload."""
    left = state.session_player.remaining(ui.now())
    if state.session_player.phase is Phase.HOLDING and left is not None and left <= TICK_SECONDS:
        ui.sleep(max(left, 0.0))  # end the hold on time, not up to a tick late
    player = state.session_player.tick(ui.now())  # a hold that has run out counts its rep
    state.session_player = player
    if player.finished:
        st.rerun()  # the summary is drawn outside this fragment
    stop_advice()
    feel_question(player)
    ex = player.exercise
    st.progress(player.progress, text=ui.plain(" · ".join(player.labels)))
    st.subheader(ui.plain(ex.name))
    st.image(str(picture_path(ex)), alt=picture_alt(ex), width="stretch")
    st.markdown(f"**{ui.plain(player.cue)}**")
    if player.step_number:
        st.caption(f"Step {player.step_number}: {ui.plain(ex.steps[player.step_number - 1])}")
    left = player.remaining(ui.now())
    if left is not None:
        whole = max(0, math.ceil(left - 1e-9))
        st.metric("Hold", f"{whole} s", label_visibility="collapsed")
        st.progress(1 - left / player.hold_seconds)

    if player.hold_seconds is None:
        st.button("Done: next rep", key="session_done", type="primary", on_click=act,
                  args=("complete_rep",), width="stretch")  # fmt: skip
    elif player.phase is Phase.READY:
        st.button(
            f"Start {int(player.hold_seconds)} s hold", key="session_hold", type="primary",
            on_click=act, args=("start_hold",), width="stretch", icon=":material/timer:",
        )  # fmt: skip
    elif player.phase is Phase.HOLDING:
        st.button("Pause", key="session_pause", on_click=act, args=("pause",),
                  width="stretch", icon=":material/pause:")  # fmt: skip
    else:
        st.button("Resume", key="session_resume", type="primary", on_click=act,
                  args=("resume",), width="stretch", icon=":material/play_arrow:")  # fmt: skip
    cols = st.columns(4)
    cols[0].button("Back", key="session_back", on_click=act, args=("back",),
                   icon=":material/undo:")  # fmt: skip
    cols[1].button("Skip rep", key="session_skip_rep", on_click=act, args=("skip_rep",))
    cols[2].button("Skip exercise", key="session_skip_ex", on_click=act,
                   args=("skip_exercise",))  # fmt: skip
    cols[3].button("Quit", key="session_quit", on_click=act, args=("quit",),
                   icon=":material/stop:")  # fmt: skip


player_screen()
