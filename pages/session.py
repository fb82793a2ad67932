"""Guided session, hands-free: one Start, then the session runs itself to the log form.

The player (backtrack.player) says what comes next and what is logged; a browser component
(session_clock) keeps the time, plays the cues and keeps the screen on, and reports each
finished rep (one server contact per rep: a rerun of the session fragment, not the app).
The session is saved in the journal's settings as it goes, so a reload resumes it.
"""

from __future__ import annotations

import secrets
from datetime import date

import pandas as pd
import streamlit as st

import ui
from backtrack.clock import ReportError, apply_action, apply_report, clock_data
from backtrack.entries import SLOTS
from backtrack.logbook import next_free_slot
from backtrack.pacing import PACING_KEY, PACING_RULES, SOUND_KEY, Pacing, SettingsError, Sound
from backtrack.player import (
    IN_PROGRESS_KEY,
    Player,
    default_hold,
    load_saved_session,
    saved_session,
)
from backtrack.symptoms import STOP_ADVICE, reaction_stops
from session_clock import session_clock

ui.ensure_frame()
programme = ui.programme()
store = ui.store()
state = st.session_state


def saved_setting(key: str, kind: type[Pacing] | type[Sound]) -> Pacing | Sound:
    try:
        return kind.from_json(store.get_setting(key))
    except SettingsError as exc:
        st.warning(f"A saved session setting cannot be read ({ui.plain(str(exc))}): "
                   "the defaults are used.", icon=":material/warning:")  # fmt: skip
        return kind()


def keep(player: Player) -> None:
    """The new state, saved in the journal so a reload resumes it."""
    state.session_player = player
    store.set_setting(IN_PROGRESS_KEY, saved_session(player, state.session_for_slot))


def start() -> None:
    holds = {
        ex.id: state[f"session_hold_{ex.id}"]
        for ex in programme.exercises
        if ex.hold_min is not None and ex.hold_min != ex.hold_max
    }
    pacing = Pacing.from_mapping({name: state[f"session_{name}"] for name in PACING_RULES})
    store.set_setting(PACING_KEY, pacing.to_json())
    state.session_for_slot = state.session_slot  # the radio's state ends with the start screen
    state.session_run_id = secrets.token_hex(8)  # a new session's runs are new to the clock
    player = Player.create(programme, holds=holds, pacing=pacing)
    state.session_autostart = player.epoch
    keep(player)


def browser_said(event: str) -> object:
    return state.session_clock[event]


def on_report() -> None:
    """A rep finished in the browser: the player counts it."""
    change(lambda p: apply_report(p, browser_said("report")))


def on_action() -> None:
    """Pause/resume stay in the browser; skip, back, quit and restart come here."""
    change(lambda p: apply_action(p, browser_said("action")))


def change(move) -> None:
    before = state.get("session_player")
    if before is None:  # a report still on its way after the session was logged
        return
    try:
        player = move(before)
    except ReportError as exc:
        state.session_clock_error = str(exc)
        return
    if player.epoch != before.epoch:
        state.session_autostart = player.epoch  # a jump: the new run starts at once
    if player != before:
        keep(player)
    if player.finished and not player.quit_early:
        log_it()


def on_sound() -> None:
    try:
        sound = Sound.from_mapping(browser_said("sound"))
    except SettingsError as exc:
        state.session_clock_error = str(exc)
        return
    store.set_setting(SOUND_KEY, sound.to_json())


def react(exercise_id: str, reaction: str) -> None:
    keep(state.session_player.react(exercise_id, reaction))
    state.session_stop_advice = reaction_stops(reaction) or state.get("session_stop_advice")


def log_it() -> None:
    player = state.pop("session_player")
    state.pop("session_stop_advice", None)
    store.set_setting(IN_PROGRESS_KEY, None)
    state.log_prefill = {"slot": state.session_for_slot, "reps": player.summary(),
                         "reactions": dict(player.reactions),
                         "ask": player.asking.id if player.asking else None}  # fmt: skip
    state.session_goto_log = True


def discard() -> None:
    del state.session_player
    state.pop("session_stop_advice", None)
    store.set_setting(IN_PROGRESS_KEY, None)


def feel_question(player: Player) -> None:
    if player.asking is not None:
        ui.feel_question(player.asking, react, "session_feel")


def stop_advice() -> None:
    if state.get("session_stop_advice"):
        st.error(STOP_ADVICE, icon=":material/front_hand:")


if state.pop("session_goto_log", False):
    st.switch_page("pages/log.py")

if "session_player" not in state:
    text = store.get_setting(IN_PROGRESS_KEY)
    if text:  # a session under way in an earlier visit (a reload, a lost connection)
        try:
            state.session_player, state.session_for_slot = load_saved_session(text, programme)
        except (ValueError, SettingsError) as exc:
            store.set_setting(IN_PROGRESS_KEY, None)
            st.warning(f"The session under way cannot be resumed ({ui.plain(str(exc))}).",
                       icon=":material/warning:")  # fmt: skip

st.title("Guided session")
player: Player | None = state.get("session_player")

if player is None:
    st.write(
        f"{len(programme.exercises)} exercises, hands-free: press Start once and the session "
        "runs itself, with a sound at each hold, rest, side switch and next exercise. At the "
        "end you add your pain rating and the session is logged."
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
    pacing = saved_setting(PACING_KEY, Pacing)
    with st.expander("Pauses and rhythm (remembered)"):
        for name, (label, lo, hi, _) in PACING_RULES.items():
            options = list(range(lo, hi + 1))
            st.selectbox(f"{label} (seconds)", options, index=options.index(getattr(pacing, name)),
                         key=f"session_{name}", format_func=lambda s: f"{s} s")  # fmt: skip
    st.caption(STOP_ADVICE)
    st.button("Start session", key="session_start", type="primary", on_click=start,
              icon=":material/play_arrow:", width="stretch")  # fmt: skip
    st.stop()

if player.finished:  # quit early (a completed session goes straight to the log form)
    stop_advice()
    feel_question(player)
    done = player.summary()
    st.subheader("Session stopped")
    st.write("Log the part you did, with your pain rating, or discard it.")
    ui.table(
        pd.DataFrame(
            {
                "Exercise": [ex.name for ex in programme.exercises],
                "Done": [ex.count_text(done.get(ex.id, 0)) for ex in programme.exercises],
            }
        ).set_index("Exercise")
    )
    c1, c2 = st.columns(2)
    c1.button("Log the part I did", key="session_log", type="primary", on_click=log_it,
              icon=":material/edit_note:")  # fmt: skip
    c2.button("Discard", key="session_discard", on_click=discard, icon=":material/delete:")
    st.stop()


@st.fragment
def session_screen() -> None:
    """The running session. Only this fragment reruns when the clock reports (once per rep),
    not the app; the clock sits at a fixed place in it, so it is never remounted."""
    if state.get("session_goto_log") or state.session_player.finished:
        st.rerun()  # the log form, or the summary after a quit, are drawn by the whole page
    player = state.session_player
    above = st.container()
    session_clock(
        clock_data(player, ui.session_pictures(), saved_setting(SOUND_KEY, Sound),
                   autostart=state.get("session_autostart") == player.epoch,
                   session=state.setdefault("session_run_id", secrets.token_hex(8))),
        key="session_clock", on_report=on_report, on_action=on_action, on_sound=on_sound,
    )  # fmt: skip
    with above:
        if error := state.pop("session_clock_error", None):
            st.warning(f"The session clock sent something unexpected ({ui.plain(error)}).")
        stop_advice()
        feel_question(player)


session_screen()
