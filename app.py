"""BackTrack: the frame. Page config, the shared sidebar, and the navigation."""

from __future__ import annotations

import streamlit as st

import ui
from backtrack.backup import BackupError
from backtrack.programme import DATA_DIR, ProgrammeError
from backtrack.store import StoreError

ICON = DATA_DIR / "icon.png"  # a local file: a Material icon would be fetched from a CDN

st.set_page_config(page_title="BackTrack", page_icon=str(ICON))

# The journal's revision is read once per run (see ui.one_read_per_run).
with ui.one_read_per_run():
    try:
        ui.programme()
        ui.store()
    except (ProgrammeError, StoreError) as exc:
        st.title("BackTrack cannot start")
        st.error(ui.plain(str(exc)), icon=":material/error:")  # names the file
        st.stop()
    try:
        ui.daily_backup_once()
    except BackupError as exc:
        st.sidebar.warning(f"Today's backup could not be made: {ui.plain(str(exc))}",
                           icon=":material/warning:")  # fmt: skip

    ui.unheld_warning()

    with st.sidebar:
        st.caption(
            "BackTrack helps you keep to your home exercise programme and track your pain. "
            "It supports self-management; it does not diagnose. If you are worried about "
            "your symptoms, contact a health professional."
        )

    # First use (an empty journal, the safety questions neither answered nor skipped): the app
    # opens on "Before you start"; after that, on Today.
    first_use = ui.first_use()
    pages = [
        st.Page("pages/today.py", title="Today", icon=":material/today:", default=not first_use),
        st.Page("pages/log.py", title="Log", icon=":material/edit_note:"),
        st.Page("pages/session.py", title="Guided session", icon=":material/timer:"),
        st.Page("pages/exercises.py", title="Exercises", icon=":material/fitness_center:"),
        st.Page("pages/progress.py", title="Progress", icon=":material/monitoring:"),
        st.Page("pages/report.py", title="Report", icon=":material/summarize:"),
        st.Page("pages/data.py", title="Data", icon=":material/database:"),
        st.Page(
            "pages/safety.py",
            title="Before you start",
            icon=":material/health_and_safety:",
            default=first_use,
        ),
    ]
    st.navigation(pages).run()
