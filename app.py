"""BackTrack: the frame. Page config, the shared sidebar, and the navigation.

Local mode (the default): one person's journal file, no login. Clinic mode
($BACKTRACK_DATABASE_URL): every page needs a login; a patient gets the same pages on
their own journal, a practitioner their Patients page, and someone new the Join page."""

from __future__ import annotations

import streamlit as st

import ui
from backtrack.backup import BackupError
from backtrack.programme import DATA_DIR, ProgrammeError
from backtrack.store import StoreError

ICON = DATA_DIR / "icon.png"  # a local file: a Material icon would be fetched from a CDN
DISCLAIMER = (
    "BackTrack helps you keep to your home exercise programme and track your pain. "
    "It supports self-management; it does not diagnose. If you are worried about "
    "your symptoms, contact a health professional."
)

st.set_page_config(page_title="BackTrack", page_icon=str(ICON))


def cannot_start(exc: Exception) -> None:
    st.title("BackTrack cannot start")
    st.error(ui.plain(str(exc)), icon=":material/error:")  # names the file or the database
    st.stop()


def journal_pages() -> list[st.Page]:
    """Today's pages on the journal store() gives (the local file, or a patient's own)."""
    ui.unheld_warning()
    # First use (an empty journal, the safety questions neither answered nor skipped): the
    # app opens on "Before you start"; after that, on Today.
    first_use = ui.first_use()
    return [
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


def practitioner_pages() -> tuple[list[st.Page], dict[st.Page, str]]:
    """The Patients page, and the chosen patient's Progress and Report (read-only)."""
    pages = [st.Page("pages/patients.py", title="Patients", icon=":material/groups:",
                     default=True)]  # fmt: skip
    views: dict[st.Page, str] = {}
    chosen = ui.open_patient()
    if chosen is not None:
        st.sidebar.info(f"Patient open: {ui.plain(chosen[1])} (read-only)",
                        icon=":material/person:")  # fmt: skip
        for file, title, view, icon in (
            ("pages/progress.py", "Their progress", "progress", ":material/monitoring:"),
            ("pages/report.py", "Their report", "report", ":material/summarize:"),
        ):
            page = st.Page(file, title=title, icon=icon, url_path=f"patient_{view}")
            pages.append(page)
            views[page] = view
    return pages, views


# The journal's revision is read once per run (see ui.one_read_per_run).
with ui.one_read_per_run():
    try:
        ui.base_programme()
        if ui.clinic():
            ui.engine()
        else:
            ui.store()
    except (ProgrammeError, StoreError) as exc:
        cannot_start(exc)
    views: dict[st.Page, str] = {}
    if not ui.clinic():
        try:
            ui.daily_backup_once()
        except BackupError as exc:
            st.sidebar.warning(f"Today's backup could not be made: {ui.plain(str(exc))}",
                               icon=":material/warning:")  # fmt: skip
        pages = journal_pages()
    elif ui.signed_in() is None:
        pages = [st.Page("pages/sign_in.py", title="Sign in", icon=":material/login:")]
    else:
        with st.sidebar:
            st.caption(f"Signed in as {ui.plain(ui.user_name() or ui.signed_in())}")
            if st.button("Sign out", key="frame_sign_out", icon=":material/logout:"):
                st.logout()
        role = ui.role()
        if role == "patient":
            ui.viewing(None)
            pages = journal_pages()
        elif role == "practitioner":
            pages, views = practitioner_pages()
        else:
            pages = [st.Page("pages/join.py", title="Join your practitioner",
                             icon=":material/group_add:")]  # fmt: skip
    st.sidebar.caption(DISCLAIMER)
    page = st.navigation(pages)
    if ui.clinic() and ui.role() == "practitioner":
        ui.viewing(views.get(page))
    page.run()
