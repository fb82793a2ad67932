"""Streamlit glue shared by the pages: cached access to the programme and the journal.

Everything here is thin; the domain is in lib/backtrack. Cached reads are keyed on the
journal's revision counter, which every write bumps, so a save shows up at once.
"""

from __future__ import annotations

import re
import time
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from backtrack.backup import daily_backup
from backtrack.chart_tables import ChartText, chart_texts, described
from backtrack.charts import progress_specs
from backtrack.entries import Entry
from backtrack.programme import Programme, default_programme_path, load_programme
from backtrack.progress import (
    CheckResult,
    Status,
    fmt_adherence,
    fmt_change,
    fmt_date,
    fmt_pain,
    fmt_pct,
    two_week_check,
)
from backtrack.report import Report, build_report
from backtrack.store import FrameCache, JournalStore, default_db_path
from backtrack.summaries import TodayStatus, chart_frames, today_status
from backtrack.symptoms import urgent_advice


def ensure_frame() -> None:
    """Make sure this page runs inside app.py's frame (navigation, sidebar).

    With a pages/ folder, Streamlit decides per server that the first visit uses the
    legacy auto-discovered navigation until app.py has called st.navigation once. A first
    visit straight to /log would run the page alone, with a wrong menu: switch the legacy
    mode off and rerun, so app.py runs and routes to the page.
    """
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def now() -> float:
    """The clock the guided session reads (monotonic seconds); tests replace it."""
    return time.monotonic()


def sleep(seconds: float) -> None:
    """Wait on the guided session's clock; tests replace it with one that moves their clock."""
    time.sleep(seconds)


@st.cache_resource
def _programme(path: str, mtime: float) -> Programme:
    return load_programme(path)


def programme() -> Programme:
    path = default_programme_path()
    return _programme(str(path), path.stat().st_mtime if path.exists() else 0.0)


@st.cache_resource
def _store(path: str) -> JournalStore:
    return JournalStore(path)


@st.cache_resource
def _daily_backup(path: str) -> None:
    daily_backup(Path(path))


def daily_backup_once() -> None:
    """Back the journal up once a day, on the first start that day (raises BackupError)."""
    _daily_backup(str(store().path))


def store() -> JournalStore:
    return _store(str(default_db_path()))


# Cached views of the journal. Every key starts with Key: the journal's path and revision
# (bumped by every write, so a save shows up at once) and the programme file's path and
# modification time. cache_resource hands out the cached object itself, without a copy:
# callers treat what they get as read-only.
Key = tuple[str, int, str, float]


@st.cache_resource(max_entries=4, show_spinner=False)
def _frame_cache(path: str, programme_path: str, mtime: float) -> FrameCache:
    return FrameCache(_store(path), _programme(programme_path, mtime).exercise_ids)


def key() -> Key:
    """This run's cache key. Bringing the journal frame up to date on the way costs one
    small query, or a patch with the entries written since the last run."""
    path = default_programme_path()
    mtime = path.stat().st_mtime if path.exists() else 0.0
    revision, _ = _frame_cache(str(store().path), str(path), mtime).get()
    return (str(store().path), revision, str(path), mtime)


def _programme_of(k: Key) -> Programme:
    return _programme(k[2], k[3])


def _frame(k: Key) -> pd.DataFrame:
    return _frame_cache(k[0], k[2], k[3]).get()[1]


def journal_frame() -> pd.DataFrame:
    """The journal as a frame (see backtrack.store.journal_frame), always current."""
    return _frame(key())


@st.cache_resource(max_entries=4, show_spinner=False)
def _start_date(k: Key) -> date | None:
    return _store(k[0]).start_date()


def start_date() -> date | None:
    """The programme start date the user set (None: day 1 is the first entry)."""
    return _start_date(key())


@st.cache_resource(max_entries=8, show_spinner=False)
def _latest(k: Key, limit: int) -> list[Entry]:
    return _store(k[0]).latest(limit)


def latest(limit: int) -> list[Entry]:
    """The most recent entries, newest first."""
    return _latest(key(), limit)


@st.cache_resource(max_entries=8, show_spinner=False)
def _entries_between(k: Key, first: date, last: date) -> list[Entry]:
    return _store(k[0]).entries(first, last)


def entries_between(first: date, last: date) -> list[Entry]:
    return _entries_between(key(), first, last)


@st.cache_resource(max_entries=8, show_spinner=False)
def _today(k: Key, today: date) -> TodayStatus:
    prog = _programme_of(k)
    return today_status(_frame(k), today, _start_date(k), prog.sessions_per_day)


def today_view(today: date) -> TodayStatus:
    return _today(key(), today)


@st.cache_resource(max_entries=16, show_spinner=False)
def _progress(k: Key, today: date, start: date, end: date) -> tuple[CheckResult, list]:
    prog, journal, start_setting = _programme_of(k), _frame(k), _start_date(k)
    check = two_week_check(journal, today, start_setting, sessions_per_day=prog.sessions_per_day)
    frames = chart_frames(journal, prog, start, end)
    specs = progress_specs(frames, check.baseline_pain, prog.sessions_per_day)
    return check, _described(specs, chart_texts(frames, check.baseline_pain, prog.sessions_per_day))


def progress_view(today: date, start: date, end: date) -> tuple[CheckResult, list]:
    """The Progress page's check and chart specs for a range, built once per revision."""
    return _progress(key(), today, start, end)


@st.cache_resource(max_entries=16, show_spinner=False)
def _report(k: Key, today: date, start: date, end: date) -> tuple[Report, list]:
    prog = _programme_of(k)
    rep = build_report(_frame(k), prog, start, end, programme_start=_start_date(k),
                       today=today)  # fmt: skip
    specs = progress_specs(rep.frames, rep.check.baseline_pain, prog.sessions_per_day)
    specs.pop("exercises")  # the report shows the shares as a table
    return rep, _described(specs, chart_texts(rep.frames, rep.check.baseline_pain,
                                              prog.sessions_per_day))  # fmt: skip


def report_view(today: date, start: date, end: date) -> tuple[Report, list]:
    return _report(key(), today, start, end)


def _described(specs: dict[str, dict], texts: dict[str, ChartText]) -> list[tuple[dict, ChartText]]:
    return [(described(spec, texts[name]), texts[name]) for name, spec in specs.items()]


def show_specs(specs: list[tuple[dict, ChartText]]) -> None:
    """Draw cached chart specs at the height each declares (the Streamlit theme otherwise
    squeezes fixed-height charts), each described for screen readers and followed by
    "Show the numbers": the chart's numbers as a table, for people who cannot see it."""
    for spec, text in specs:
        height = spec.get("height")
        st.vega_lite_chart(
            spec=dict(spec),  # Streamlit moves the datasets out of the dict it is given
            # The spec's description is the chart's accessible name (no alt=: it would
            # replace it, with a warning).
            width="stretch", height=height if isinstance(height, int) else "content",
        )  # fmt: skip
        with st.expander("Show the numbers"):
            table(text.table)


_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~=$:&])")


def plain(text: str) -> str:
    """Text shown literally where Streamlit renders Markdown (e.g. st.table cells): every
    Markdown character is backslash-escaped, so a note like '**x**' or '- y' stays as typed."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text)


def table(frame: pd.DataFrame) -> None:
    """st.table with every text cell (and the index) shown literally."""

    def esc(value: object) -> object:
        return plain(value) if isinstance(value, str) else value

    shown = frame.map(esc)
    shown.index = shown.index.map(esc)
    st.table(shown)


def stop_if_empty(journal: pd.DataFrame, message: str) -> None:
    """On an empty journal, say what the page will show and point to the log form."""
    if journal.empty:
        st.info(message)
        st.page_link("pages/log.py", label="Log a session", icon=":material/edit_note:")
        st.stop()


def red_flag_alert(flags: list[str] | tuple[str, ...]) -> None:
    """Show the urgent-care advice for ticked red-flag symptoms, prominently."""
    advice = urgent_advice(flags)
    if advice:
        st.error(f"**Urgent:** {advice}", icon=":material/emergency:")


def check_card(result: CheckResult, *, show_day: bool = True) -> None:
    """The two-week check as a card: urgent advice first, then the verdict and its numbers.
    `show_day=False` where the page already shows the programme day."""
    flags = result.red_flags
    if flags:
        days = ", ".join(f"{d:%a %d %b}" for d, _ in result.red_flag_dates)
        red_flag_alert(flags)
        st.caption(f"Worrying symptoms were logged on {days} (last 14 days).")
    with st.container(border=True):
        st.caption(f"Two-week progress check · as of {fmt_date(result.as_of)}")
        st.subheader(f"{STATUS_ICONS[result.status]} {result.headline}")
        top, bottom = st.columns(3), st.columns(3 if show_day else 2)
        top[0].metric("Baseline pain (days 1-7)", fmt_pain(result.baseline_pain))
        top[1].metric("Pain, last 7 days", fmt_pain(result.recent_pain))
        top[2].metric("Change (points)", fmt_change(result.change))
        bottom[0].metric("Change (%)", fmt_pct(result.change_pct))
        bottom[1].metric("Sessions done", fmt_adherence(result.adherence))
        if show_day:
            bottom[2].metric("Programme day", "n/a" if result.day is None else str(result.day))
        st.write(result.message)


STATUS_ICONS = {
    Status.TOO_EARLY: ":material/hourglass_top:",
    Status.NOT_ENOUGH_DATA: ":material/edit_calendar:",
    Status.WORSE: ":material/trending_up:",
    Status.IMPROVING: ":material/trending_down:",
    Status.LOW_ADHERENCE: ":material/event_busy:",
    Status.NO_CLEAR_PROGRESS: ":material/stethoscope:",
}
