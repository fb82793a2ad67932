"""Data page: export and import the journal CSV, and where the journal lives."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import streamlit as st

import ui
from backtrack.audit import audit_table
from backtrack.backup import (
    BACKUPS_KEPT,
    Backup,
    BackupError,
    backups_dir,
    list_backups,
    snapshot_bytes,
)
from backtrack.csvio import (
    OUTCOME_COLUMNS,
    CsvError,
    columns,
    export_csv,
    export_outcomes_csv,
    is_outcomes_csv,
    parse_csv,
    parse_outcomes_csv,
)
from backtrack.entries import EARLIEST_DATE
from backtrack.fmt import fmt_short_date
from backtrack.progress import WINDOW_DAYS
from backtrack.reminders import (
    DEFAULT_EVENING,
    DEFAULT_MORNING,
    ReminderError,
    check_times,
    journal_reminders,
    local_zone_name,
    zone_names,
)
from backtrack.store import StoreError, restore_journal

ui.ensure_frame()
programme = ui.programme()
store = ui.store()
state = st.session_state


def do_restore(backup: Backup) -> None:
    state.data_confirm_restore = None
    try:
        before = restore_journal(store.path, backup.path)
    except BackupError as exc:
        state.data_restore_result = (False, str(exc))
        return
    saved = f" Your journal as it was is in {before.name}." if before else ""
    state.data_restore_result = (True, f"Restored the backup of {backup.label}.{saved}")


def do_delete() -> None:
    state.data_confirm_delete = False
    ui.delete_journal()
    state.join_deleted = "Your journal and account were deleted."


def label(backup: Backup) -> str:
    return ui.plain(backup.label)  # its reason comes from a file name


st.title("Your data")
local = not ui.clinic()  # clinic mode: no file here to back up or move; the clinic keeps it
if local:
    st.write(
        f"Your journal stays on this computer, in one file: {ui.plain(str(store.path))}. "
        "Nothing is sent anywhere."
    )
else:
    st.write(
        "Your journal is kept in your clinic's database, and only you and your practitioner "
        "can see it. Each time your practitioner looks at it is listed below, under "
        '"Who viewed your journal".'
    )

st.subheader("Safety questions")
answered = ui.screen()
st.write(
    f"You answered the safety questions on {fmt_short_date(answered.answered_on)}."
    if answered
    else "You have not answered the safety questions yet."
)
st.page_link("pages/safety.py", label="Review your safety answers" if answered
             else "Answer the safety questions", icon=":material/health_and_safety:")  # fmt: skip

st.subheader("Programme start")
current = ui.start_date()
st.write(
    "Day 1 of your programme is "
    + (
        f"**{fmt_short_date(current)}** (set by you)."
        if current
        else "the date of your first entry."
    )
    + f" The two-week check compares your first {WINDOW_DAYS} days with your last "
    f"{WINDOW_DAYS}. If you restart the "
    "programme (for example after a new prescription), set the new start date here."
)
cols = st.columns([2, 1, 1], vertical_alignment="bottom")
cols[0].date_input(
    "Programme start date", value=current or date.today(), min_value=EARLIEST_DATE,
    max_value=date.today(),
    key="data_start", format="YYYY-MM-DD",
)  # fmt: skip
cols[1].button("Set start date", key="data_start_set", on_click=lambda: store.set_start_date(
    state.data_start))  # fmt: skip
if current:
    cols[2].button("Use first entry", key="data_start_clear",
                   on_click=lambda: store.set_start_date(None))  # fmt: skip

st.subheader("Reminders in your calendar")
st.write(
    "A calendar file with your two daily sessions, each with an alarm, and the two-week check. "
    "Open it on your phone or computer to add them to your calendar; downloading it again with "
    "other times updates the same reminders. The README says how for iPhone, Android and Outlook."
)
cols = st.columns(3)
morning = cols[0].time_input("Morning session", DEFAULT_MORNING, key="data_morning", step=300)
evening = cols[1].time_input("Evening session", DEFAULT_EVENING, key="data_evening", step=300)
zones = zone_names()
zone = cols[2].selectbox("Time zone", zones, index=zones.index(local_zone_name()), key="data_tz")
try:
    check_times(morning, evening)
    times_error = None
except ReminderError as exc:
    times_error = str(exc)
    st.error(f"Not downloadable: {times_error}.", icon=":material/error:")
st.download_button(
    "Download reminders (backtrack.ics)",
    data=lambda: journal_reminders(
        programme, ui.journal_frame(), ui.start_date(), morning, evening, ZoneInfo(zone),
        today=date.today(), now=datetime.now().astimezone(),
    )[0],  # made on click
    file_name="backtrack.ics", mime="text/calendar", icon=":material/event:",
    key="data_ics", disabled=times_error is not None,
)  # fmt: skip

st.subheader("Export")
count = store.count()
st.download_button(
    f"Download the journal as CSV ({count} {'entry' if count == 1 else 'entries'})",
    data=lambda: export_csv(store.entries(), programme.exercise_ids),  # made on click
    file_name=f"backtrack-journal-{date.today().isoformat()}.csv",
    mime="text/csv",
    icon=":material/download:",
    key="data_export",
    disabled=not count,
)
st.caption(
    "Columns: "
    + ", ".join(columns(programme.exercise_ids))
    + ". Reps are per side for exercises done on each side; leg_pain is empty when not rated."
)
answers = ui.outcomes()
st.download_button(
    f"Download your activity (PSFS) and change (PGIC) answers as CSV ({len(answers)} rows)",
    data=lambda: export_outcomes_csv(answers),
    file_name=f"backtrack-outcomes-{date.today().isoformat()}.csv",
    mime="text/csv",
    icon=":material/download:",
    key="data_export_outcomes",
    disabled=not answers,
)
st.caption("Columns: " + ", ".join(OUTCOME_COLUMNS) + ".")

st.subheader("Import")
st.write(
    "Import a BackTrack CSV (for example an export from another device): a journal CSV or an "
    "activity and change answers CSV, told apart by their header. Entries are matched by date "
    "and session (answers by date, measure and item): new ones are added, changed ones "
    "replaced. If any cell is wrong nothing is imported and every problem is listed."
)
upload = st.file_uploader("CSV file", type=["csv"], key="data_upload")
if upload is not None and st.button("Import", key="data_import", type="primary"):
    data = upload.getvalue()
    # parse_csv refuses files over csvio.MAX_FILE_BYTES with a clear message.
    outcome_file = is_outcomes_csv(data)
    try:
        if outcome_file:
            parsed = parse_outcomes_csv(data, date.today(), ui.outcomes())
        else:
            parsed = parse_csv(data, programme.exercise_ids, date.today())
    except CsvError as exc:
        st.error(
            f"{ui.plain(upload.name)} was not imported; your journal is unchanged. "
            f"{len(exc.errors)} problem(s):",
            icon=":material/error:",
        )
        # As literal text: the messages quote cells from the file.
        st.code("\n".join(exc.errors), language=None, wrap_lines=True)
    else:
        bar = st.progress(0.0, text="Importing…")
        try:
            report = (
                store.import_outcomes(parsed)
                if outcome_file
                else store.import_entries(
                    parsed,
                    exercise_ids=programme.exercise_ids,
                    progress=lambda done, total: bar.progress(
                        done / total, text=f"Importing… {done} of {total}"
                    ),  # fmt: skip
                )
            )
        except (StoreError, BackupError, ValueError) as exc:
            st.error(f"Not imported; your journal is unchanged. {ui.plain(str(exc))}",
                     icon=":material/error:")  # fmt: skip
        else:
            st.success(
                f"Imported {ui.plain(upload.name)}: {report}.", icon=":material/check_circle:"
            )
        bar.empty()

if local:
    st.subheader("Move to another computer")
    st.write(
        "The journal file holds everything you entered: your sessions and pain ratings, your "
        "activity and change answers, the safety questions, your programme start date and "
        "reminder times. Download it, then on the other computer either save it as "
        "`data/backtrack.db` in BackTrack's folder before starting the app, or restore it there "
        "from the command line (`python -m backtrack restore FILE`)."
    )
    st.download_button(
        "Download the whole journal file",
        data=lambda: snapshot_bytes(store.path),  # made on click
        file_name=f"backtrack-{date.today().isoformat()}.db",
        mime="application/vnd.sqlite3",
        icon=":material/save:",
        key="data_snapshot",
    )

    st.subheader("Backups")
    st.write(
        "BackTrack copies your journal to a backups folder beside it once a day and before every "
        f"import or restore, and keeps the last {BACKUPS_KEPT}: "
        + ui.plain(f"{backups_dir(store.path)}.")
    )
    if "data_restore_result" in state:
        ok, message = state.pop("data_restore_result")
        (st.success if ok else st.error)(ui.plain(message))  # names files, quotes cells
    found = list_backups(store.path)
    if not found:
        st.caption("No backups yet.")
    else:
        st.selectbox("Backup", found, format_func=lambda b: b.label, key="data_backup")
        st.button(
            "Restore this backup…", key="data_restore",
            on_click=lambda: state.update(data_confirm_restore=state.data_backup),
        )  # fmt: skip
        chosen = state.get("data_confirm_restore")
        if chosen is not None:
            st.warning(
                f"Replace your journal with the backup of {label(chosen)}? Your journal as it is "
                "now is backed up first, so you can undo this.",
                icon=":material/restore:",
            )
            c1, c2 = st.columns(2)
            c1.button("Yes, restore it", key="data_restore_yes", type="primary",
                      on_click=do_restore, args=(chosen,))  # fmt: skip
            c2.button("No", key="data_restore_no",
                      on_click=lambda: state.update(data_confirm_restore=None))  # fmt: skip
else:
    st.subheader("Who viewed your journal")
    events = ui.audit_log()
    if not events:
        st.caption("Nobody but you has opened your journal.")
    else:
        ui.table(audit_table(events))

    st.subheader("Delete your data")
    st.write(
        "Delete your journal, your answers and your account here for good. Download your CSV "
        "files above first if you want a copy. The clinic's audit log keeps one line "
        "saying you deleted it."
    )
    st.button("Delete my data…", key="data_delete", icon=":material/delete_forever:",
              on_click=lambda: state.update(data_confirm_delete=True))  # fmt: skip
    if state.get("data_confirm_delete"):
        st.warning("Delete everything you have logged here? This cannot be undone.",
                   icon=":material/warning:")  # fmt: skip
        c1, c2 = st.columns(2)
        c1.button("Yes, delete my data", key="data_delete_yes", type="primary",
                  on_click=do_delete)  # fmt: skip
        c2.button("No, keep it", key="data_delete_no",
                  on_click=lambda: state.update(data_confirm_delete=False))  # fmt: skip
