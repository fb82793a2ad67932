"""Streamlit glue shared by the pages: cached access to the programme and the journal.

Everything here is thin; the domain is in lib/backtrack. Cached reads are keyed on the
journal's revision counter, which every write bumps, so a save shows up at once.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import streamlit as st

from backtrack.entries import Entry
from backtrack.programme import DEFAULT_PROGRAMME, Programme, load_programme
from backtrack.store import JournalStore, default_db_path
from backtrack.symptoms import urgent_advice


def programme_path() -> Path:
    return Path(os.environ.get("BACKTRACK_PROGRAMME") or DEFAULT_PROGRAMME)


@st.cache_resource
def _programme(path: str, mtime: float) -> Programme:
    return load_programme(path)


def programme() -> Programme:
    path = programme_path()
    return _programme(str(path), path.stat().st_mtime if path.exists() else 0.0)


@st.cache_resource
def _store(path: str) -> JournalStore:
    return JournalStore(path)


def store() -> JournalStore:
    return _store(str(default_db_path()))


@st.cache_data(max_entries=4)
def _frame(path: str, revision: int, exercise_ids: tuple[str, ...]) -> pd.DataFrame:
    return _store(path).frame(exercise_ids)


def journal_frame() -> pd.DataFrame:
    """The journal as a frame (see backtrack.store.journal_frame), cached per revision."""
    s = store()
    return _frame(str(s.path), s.revision(), programme().exercise_ids)


@st.cache_data(max_entries=4)
def _entries(path: str, revision: int) -> list[Entry]:
    return _store(path).entries()


def entries() -> list[Entry]:
    s = store()
    return _entries(str(s.path), s.revision())


def red_flag_alert(flags: list[str] | tuple[str, ...]) -> None:
    """Show the urgent-care advice for ticked red-flag symptoms, prominently."""
    advice = urgent_advice(flags)
    if advice:
        st.error(f"**Urgent:** {advice}", icon=":material/emergency:")
