"""Log page: one form for a session (or a pain-only rating), and the recent entries."""

from __future__ import annotations

from datetime import date, timedelta

import streamlit as st

import ui
from backtrack.entries import (
    EARLIEST_DATE,
    PAIN_MAX,
    PAIN_MIN,
    SLOTS,
    Entry,
    EntryError,
    validate_entry,
)
from backtrack.fmt import fmt_short_date
from backtrack.logbook import entry_label, next_free_slot
from backtrack.logform import (
    LEG_KEY,
    LEG_NOT_RATED,
    REACTIONS_KEY,
    do_key,
    entry_values,
    field_keys,
    flag_key,
    form_fields,
    reps_key,
)
from backtrack.programme import MAX_REPS
from backtrack.store import EntryChanged, EntryExists, StoreError
from backtrack.symptoms import RED_FLAGS, STOP_ADVICE, reaction_stops

ui.ensure_frame()
programme = ui.programme()
store = ui.store()
state = st.session_state
today = date.today()
RECENT = 14  # entries listed; older ones are found by date
FORM_KEYS = field_keys(programme)


def load_form(
    entry: Entry | None,
    *,
    slot: str | None = None,
    reps: dict[str, int] | None = None,
    reactions: dict[str, str] | None = None,
) -> None:
    """Fill the form from an entry (to edit it), with reps done in a guided session, or with
    a full prescribed session."""
    if entry is None and slot is None:
        slot = next_free_slot(ui.entries_between(today, today), today)
    state.update(
        form_fields(programme, entry, day=today, slot=slot, reps=reps, reactions=reactions)
    )
    state.log_editing = entry  # the entry as loaded, so a change elsewhere is detected
    state.log_errors = []
    state.log_pending = None
    state.log_conflict = None
    state.log_ask = None  # the last exercise of a guided session, not yet asked about
    state.log_stop_advice = False


def finish(entry: Entry, replaced: bool) -> None:
    verb = "Replaced" if replaced else ("Updated" if state.log_editing else "Saved")
    state.log_flash = f"{verb}: {entry_label(entry)}."
    load_form(None)


def save(entry: Entry, replace: bool | Entry = False) -> None:
    """Save, turning a clash or a change made elsewhere into a question for the user."""
    state.log_errors, state.log_pending, state.log_conflict = [], None, None
    try:
        replaced = store.save(
            entry, replace=replace, original=state.log_editing,
            exercise_ids=programme.exercise_ids,
        )  # fmt: skip
    except EntryExists as exc:
        state.log_pending = (entry, exc.existing)
    except EntryChanged as exc:
        state.log_conflict = (entry, exc.current)
    except StoreError as exc:
        state.log_errors = [f"Not saved: {exc}"]
    else:
        finish(entry, replaced=replaced)


def on_save() -> None:
    state.log_flash = None
    try:
        values = entry_values(programme, {k: state.get(k) for k in (*FORM_KEYS, REACTIONS_KEY)})
        entry = validate_entry(values, programme.exercise_ids, date.today())
    except EntryError as exc:
        state.log_errors = [str(e) for e in exc.errors]
        return
    save(entry)


def on_replace() -> None:
    entry, existing = state.log_pending
    save(entry, replace=existing)


def on_keep_mine() -> None:
    """Save the user's version over what another tab (or the CLI) saved meanwhile."""
    entry, current = state.log_conflict
    state.log_editing = current
    save(entry)


def on_load_latest() -> None:
    _, current = state.log_conflict
    load_form(current)


def on_cancel_replace() -> None:
    state.log_pending = None


def on_edit() -> None:
    load_form(state.log_pick)
    state.log_confirm_delete = None


def on_delete(entry: Entry) -> None:
    state.log_confirm_delete = None
    try:
        store.delete(entry.date, entry.slot, expected=entry)
    except EntryChanged:
        state.log_flash = None
        state.log_errors = [
            f"Not deleted: the entry for {fmt_short_date(entry.date)}, {entry.slot} was changed "
            "elsewhere meanwhile. Check it in the list and try again."
        ]
        return
    state.log_flash = f"Deleted: {entry_label(entry)}."
    if state.log_editing is not None and state.log_editing.key == entry.key:
        load_form(None)


if "log_editing" not in state or any(k not in state for k in FORM_KEYS):
    # First visit, or back from another page: Streamlit dropped the widgets' state when
    # the page was left. Fill the form again (the entry being edited, if any).
    flash = state.get("log_flash")
    load_form(state.get("log_editing"))
    state.log_flash = flash
    state.setdefault("log_confirm_delete", None)
if "log_prefill" in state:
    prefill = state.pop("log_prefill")
    load_form(None, slot=prefill["slot"], reps=prefill["reps"],
              reactions=prefill.get("reactions"))  # fmt: skip
    state.log_flash = None
    st.info("Filled in from your guided session: add your pain rating and save.",
            icon=":material/timer:")  # fmt: skip
    state.log_ask = prefill.get("ask")


def answer(exercise_id: str, reaction: str) -> None:
    state[REACTIONS_KEY] = {**state[REACTIONS_KEY], exercise_id: reaction}
    state.log_ask = None
    state.log_stop_advice = reaction_stops(reaction)


if state.get("log_ask"):  # the session ended on this exercise: its question comes here
    ui.feel_question(programme.exercise(state.log_ask), answer, "log_feel")
if state.get("log_stop_advice"):
    st.error(STOP_ADVICE, icon=":material/front_hand:")

st.title("Log a session")
if state.log_flash:
    st.success(state.log_flash, icon=":material/check_circle:")

if state.log_editing:
    day, slot = state.log_editing.key
    cols = st.columns([3, 1], vertical_alignment="center")
    cols[0].info(f"Editing the entry for {fmt_short_date(day)}, {slot}.", icon=":material/edit:")
    cols[1].button("Cancel edit", key="log_cancel_edit", on_click=load_form, args=(None,))

cols = st.columns(2)
cols[0].date_input("Date", key="log_date", min_value=EARLIEST_DATE, max_value=today,
                   format="YYYY-MM-DD")  # fmt: skip
cols[1].radio("Session", SLOTS, key="log_slot", horizontal=True, format_func=str.capitalize)

st.subheader("Exercises")
st.caption(
    f"Pre-filled with your prescribed dose ({ui.plain(programme.sessions_text)}). "
    "Untick what you did not do; untick all to log pain only on a rest day."
)
for ex in programme.exercises:
    left, right = st.columns([3, 2], vertical_alignment="center")
    left.checkbox(f"**{ui.plain(ex.name)}** · {ui.plain(ex.reps_text)}", key=do_key(ex.id))
    right.number_input(
        ui.plain(
            f"{ex.rep_word.capitalize()} each {ex.side_word}"
            if ex.sided
            else ex.rep_word.capitalize()
        ),  # fmt: skip
        min_value=1,
        max_value=MAX_REPS,
        step=1,
        key=reps_key(ex.id),
        disabled=not state[do_key(ex.id)],
    )

st.subheader("Back pain now")
st.radio(
    f"Back pain now, {PAIN_MIN}-{PAIN_MAX}",
    list(range(PAIN_MIN, PAIN_MAX + 1)),
    key="log_pain",
    horizontal=True,
    label_visibility="collapsed",
)
st.caption("0 = no pain · 10 = worst pain imaginable")
st.radio(
    f"Pain down your leg(s) now, {PAIN_MIN}-{PAIN_MAX} (optional)",
    [LEG_NOT_RATED, *range(PAIN_MIN, PAIN_MAX + 1)],
    key=LEG_KEY,
    horizontal=True,
    help="Only if pain spreads down one or both legs; leave it at 'not rated' otherwise.",
)

ticked = [f.id for f in RED_FLAGS if state[flag_key(f.id)]]
with st.expander("New or worrying symptoms (optional)", expanded=bool(ticked)):
    ui.flag_checkboxes(flag_key)
ui.red_flag_alert(ticked)

st.text_area("Notes (optional)", key="log_notes", max_chars=2000, height=90)

if state.log_errors:
    st.error("Not saved. Please fix:\n\n" + "\n".join(f"- {ui.plain(e)}" for e in state.log_errors))

if state.log_conflict:
    entry, current = state.log_conflict
    now = "was deleted" if current is None else f"now reads: {entry_label(current)}"
    st.warning(
        "This entry was changed elsewhere (another tab or the command line) since you opened "
        f"it; it {now}. Save yours over it, or load the latest and edit that?",
        icon=":material/sync_problem:",
    )
    c1, c2 = st.columns(2)
    c1.button("Save mine", key="log_keep_mine", type="primary", on_click=on_keep_mine)
    c2.button("Load the latest", key="log_load_latest", on_click=on_load_latest,
              disabled=current is None)  # fmt: skip
elif state.log_pending:
    entry, existing = state.log_pending
    st.warning(
        f"There is already an entry for {fmt_short_date(existing.date)}, {existing.slot} "
        f"(pain {existing.pain}). Replace it with this one?",
        icon=":material/warning:",
    )
    c1, c2 = st.columns(2)
    c1.button("Replace it", key="log_replace", type="primary", on_click=on_replace)
    c2.button("Keep the existing entry", key="log_keep", on_click=on_cancel_replace)
else:
    st.button(
        "Save changes" if state.log_editing else "Save",
        key="log_save",
        type="primary",
        on_click=on_save,
        width="stretch",
    )

st.divider()
st.subheader("Recent entries")
recent = ui.recent_entries_table(RECENT)
if recent is None:
    st.caption("Nothing logged yet. Your entries will appear here.")
else:
    ui.show_arrow(recent)
    st.markdown("**Change an entry**")
    around = st.date_input(
        "Entries in the two weeks up to", value=today, min_value=EARLIEST_DATE, max_value=today,
        key="log_find",
        format="YYYY-MM-DD", help="Pick an earlier date to change an older entry.",
    )  # fmt: skip
    found = ui.entries_between(around - timedelta(days=13), around)[::-1]
    if not found:
        st.caption("No entries in those two weeks.")
        st.stop()
    st.selectbox("Entry", found, format_func=entry_label, key="log_pick")
    c1, c2 = st.columns(2)
    c1.button("Edit", key="log_edit", on_click=on_edit, icon=":material/edit:")
    c2.button(
        "Delete…", key="log_delete", icon=":material/delete:",
        on_click=lambda: state.update(log_confirm_delete=state.log_pick),
    )  # fmt: skip
    pick = state.log_confirm_delete
    if pick is not None:
        st.warning(f"Delete the entry for {entry_label(pick)}? This cannot be undone.")
        d1, d2 = st.columns(2)
        d1.button("Yes, delete it", key="log_delete_yes", type="primary", on_click=on_delete,
                  args=(pick,))  # fmt: skip
        d2.button("No, keep it", key="log_delete_no",
                  on_click=lambda: state.update(log_confirm_delete=None))  # fmt: skip
