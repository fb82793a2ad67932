"""Streamlit glue shared by the pages: cached access to the programme and the journal.

Everything here is thin; the domain is in lib/backtrack. Cached reads are keyed on the
journal's revision counter, which every write bumps, so a save shows up at once.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import NamedTuple

import pandas as pd
import pyarrow as pa
import streamlit as st
from streamlit.dataframe_util import convert_anything_to_arrow_bytes
from streamlit.runtime.pages_manager import PagesManager

from backtrack.backup import daily_backup
from backtrack.chart_tables import ChartText, chart_texts, described
from backtrack.charts import progress_specs
from backtrack.entries import Entry
from backtrack.fmt import fmt_adherence, fmt_change, fmt_date, fmt_day_month, fmt_pain, fmt_pct
from backtrack.frames import FrameCache
from backtrack.journalfile import unheld_text
from backtrack.logbook import recent_table
from backtrack.pictures import picture_alt, picture_data_uri
from backtrack.programme import Exercise, Programme, default_programme_path, load_programme
from backtrack.progress import (
    BASELINE_DAYS,
    RED_FLAG_DAYS,
    WINDOW_DAYS,
    CheckResult,
    Status,
    two_week_check,
)
from backtrack.report import (
    Report,
    build_report,
    exercise_table,
    notes_table,
    prescription_table,
    reactions_table,
    red_flag_table,
    screen_table,
    summary_table,
)
from backtrack.report import Table as ReportTable
from backtrack.screening import (
    CHECKS_KEY,
    SCREEN_KEY,
    ScreenAnswers,
    ScreenError,
    checks_json,
    open_flags,
    parse_checks,
    with_check,
)
from backtrack.store import JournalStore, default_db_path
from backtrack.summaries import TodayStatus, chart_frames, today_status
from backtrack.symptoms import LEVEL_TITLES, REACTIONS, Level, flags_at, urgent_advice


def ensure_frame() -> None:
    """Make sure this page runs inside app.py's frame (navigation, sidebar).

    Upstream behaviour: with a pages/ folder next to the main script, Streamlit's
    PagesManager starts each server in the legacy "pages directory" mode (pages found by
    file name, no st.navigation) until the main script has called st.navigation once. A
    first visit straight to /log would then run the page alone, with a wrong menu. Switch
    that mode off and rerun, so app.py runs and routes to the page. The switch is a
    private class attribute (`uses_pages_directory`): if a later Streamlit renames it,
    nothing is switched and the page still runs (only such a first deep link lacks the
    frame until the next click).
    """
    if getattr(PagesManager, _LEGACY_PAGES_FLAG, False) is True:
        setattr(PagesManager, _LEGACY_PAGES_FLAG, False)
        st.rerun()


_LEGACY_PAGES_FLAG = "uses_pages_directory"


@st.cache_resource
def _programme(path: str, mtime: float) -> Programme:
    return load_programme(path)


def programme() -> Programme:
    path = default_programme_path()
    return _programme(str(path), path.stat().st_mtime if path.exists() else 0.0)


@st.cache_resource
def _session_pictures(path: str, mtime: float) -> dict[str, tuple[str, str]]:
    return {ex.id: (picture_data_uri(ex), picture_alt(ex))
            for ex in _programme(path, mtime).exercises}  # fmt: skip


def feel_question(exercise: Exercise, on_answer: Callable[[str, str], None], key: str) -> None:
    """ "How did that feel?" about an exercise: one optional tap. The guided session asks it
    between exercises; the log form asks it about the last exercise of a finished session."""
    st.markdown(f"**How did {plain(exercise.name)} feel?** (optional)")
    cols = st.columns(len(REACTIONS))
    for col, reaction in zip(cols, REACTIONS, strict=True):
        col.button(reaction.label, key=f"{key}_{reaction.id}", on_click=on_answer,
                   args=(exercise.id, reaction.id), width="stretch")  # fmt: skip


def session_pictures() -> dict[str, tuple[str, str]]:
    """Each exercise's drawing as a data: URI with its alt text, for the session clock."""
    path = default_programme_path()
    return _session_pictures(str(path), path.stat().st_mtime if path.exists() else 0.0)


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


class Key(NamedTuple):
    """The key of every cached view of the journal: the journal's path and revision (bumped
    by every write, so a save shows up at once) and the programme file's path and
    modification time. cache_resource hands out the cached object itself, without a copy:
    callers treat what they get as read-only."""

    journal: str
    revision: int
    programme: str
    programme_mtime: float


@st.cache_resource(max_entries=4, show_spinner=False)
def _frame_cache(path: str, programme_path: str, mtime: float) -> FrameCache:
    return FrameCache(_store(path), _programme(programme_path, mtime).exercise_ids)


def key() -> Key:
    """This run's cache key. Bringing the journal frame up to date on the way costs one
    small query, or a patch with the entries written since the last run."""
    path = default_programme_path()
    mtime = path.stat().st_mtime if path.exists() else 0.0
    journal = str(store().path)
    revision, _ = _frame_cache(journal, str(path), mtime).get()
    return Key(journal, revision, str(path), mtime)


def _programme_of(k: Key) -> Programme:
    return _programme(k.programme, k.programme_mtime)


def _frame(k: Key) -> pd.DataFrame:
    return _frame_cache(k.journal, k.programme, k.programme_mtime).get()[1]


def journal_frame() -> pd.DataFrame:
    """The journal as a frame (see backtrack.frames.journal_frame), always current."""
    return _frame(key())


@st.cache_resource(max_entries=4, show_spinner=False)
def _unheld(k: Key) -> tuple[int, list[str]]:
    return _store(k.journal).unheld()


def unheld_warning() -> None:
    """Say so when the journal holds entries whose dates it cannot use (a file from an
    earlier release, or edited outside BackTrack): they are left out, never a crash."""
    count, first = _unheld(key())
    if count:
        st.warning(plain(unheld_text(count, first)), icon=":material/warning:")


@st.cache_resource(max_entries=4, show_spinner=False)
def _start_date(k: Key) -> date | None:
    return _store(k.journal).start_date()


def start_date() -> date | None:
    """The programme start date the user set (None: day 1 is the first entry)."""
    return _start_date(key())


@st.cache_resource(max_entries=4, show_spinner=False)
def _screen(k: Key) -> ScreenAnswers | ScreenError | None:
    text = _store(k.journal).get_setting(SCREEN_KEY)
    try:
        return ScreenAnswers.from_json(text) if text else None
    except ScreenError as exc:
        return exc


def screen() -> ScreenAnswers | None:
    """The "Before you start" answers, or None when not answered (or unreadable: said)."""
    found = _screen(key())
    if isinstance(found, ScreenError):
        st.warning(f"The saved safety answers cannot be read ({plain(str(found))}): please "
                   "answer them again on the Data page.", icon=":material/warning:")  # fmt: skip
        return None
    return found


def first_use() -> bool:
    """An empty journal whose safety questions were neither answered nor skipped."""
    return (
        not st.session_state.get("safety_skipped")
        and journal_frame().empty  # the frame holds every entry count() counts
        and screen() is None
    )


def save_screen(answers: ScreenAnswers) -> None:
    store().set_setting(SCREEN_KEY, answers.to_json())


@st.cache_resource(max_entries=4, show_spinner=False)
def _checks(k: Key) -> dict[str, date] | ScreenError:
    try:
        return parse_checks(_store(k.journal).get_setting(CHECKS_KEY))
    except ScreenError as exc:
        return exc


def _valid_checks(k: Key) -> dict[str, date]:
    found = _checks(k)
    return {} if isinstance(found, ScreenError) else found


def _valid_screen(k: Key) -> ScreenAnswers | None:
    found = _screen(k)
    return found if isinstance(found, ScreenAnswers) else None


def checks() -> dict[str, date]:
    """When the person said each red flag was checked (flag id -> date)."""
    return _valid_checks(key())


def mark_checked(flags: tuple[str, ...], on: date) -> None:
    store().set_setting(CHECKS_KEY, checks_json(with_check(checks(), flags, on)))


@st.cache_resource(max_entries=8, show_spinner=False)
def _latest(k: Key, limit: int) -> list[Entry]:
    return _store(k.journal).latest(limit)


def latest(limit: int) -> list[Entry]:
    """The most recent entries, newest first."""
    return _latest(key(), limit)


@st.cache_resource(max_entries=8, show_spinner=False)
def _recent_table(k: Key, limit: int) -> pa.Table | None:
    entries = _latest(k, limit)
    if not entries:
        return None
    return arrow_table(recent_table(entries, _programme_of(k), limit=limit).set_index("Date"))


def recent_entries_table(limit: int) -> pa.Table | None:
    """The Log page's table of the latest entries, ready to show (None: nothing logged)."""
    return _recent_table(key(), limit)


@st.cache_resource(max_entries=8, show_spinner=False)
def _entries_between(k: Key, first: date, last: date) -> list[Entry]:
    return _store(k.journal).entries(first, last)


def entries_between(first: date, last: date) -> list[Entry]:
    return _entries_between(key(), first, last)


@st.cache_resource(max_entries=8, show_spinner=False)
def _today(k: Key, today: date) -> TodayStatus:
    prog = _programme_of(k)
    return today_status(_frame(k), today, _start_date(k), prog.sessions_per_day)


def today_view(today: date) -> TodayStatus:
    return _today(key(), today)


@st.cache_resource(max_entries=16, show_spinner=False)
def _progress(k: Key, today: date, start: date, end: date) -> tuple[CheckResult, list[ShownChart]]:
    prog, journal, start_setting = _programme_of(k), _frame(k), _start_date(k)
    check = two_week_check(journal, today, start_setting, sessions_per_day=prog.sessions_per_day)
    frames = chart_frames(journal, prog, start, end)
    specs = progress_specs(frames, check.baseline_pain, prog.sessions_per_day)
    texts = chart_texts(frames, check.baseline_pain, prog.sessions_per_day)
    return check, _shown_specs(specs, texts)


def progress_view(today: date, start: date, end: date) -> tuple[CheckResult, list[ShownChart]]:
    """The Progress page's check and chart specs for a range, built once per revision."""
    return _progress(key(), today, start, end)


class ShownTable(NamedTuple):
    """A table ready for st.table: its title and its cells, escaped, as Arrow."""

    title: str
    data: pa.Table


class ReportView(NamedTuple):
    report: Report
    specs: list[ShownChart]
    tables: dict[str, ShownTable]  # summary, red_flags, prescription, exercises, notes


@st.cache_resource(max_entries=16, show_spinner=False)
def _report(k: Key, today: date, start: date, end: date, notes_shown: int) -> ReportView:
    prog = _programme_of(k)
    rep = build_report(
        _frame(k), prog, start, end, programme_start=_start_date(k), today=today,
        screen=_valid_screen(k), checks=_valid_checks(k),
    )  # fmt: skip
    specs = progress_specs(rep.frames, rep.check.baseline_pain, prog.sessions_per_day)
    specs.pop("exercises")  # the report shows the shares as a table
    tables = {
        "summary": summary_table(rep),
        "red_flags": red_flag_table(rep),
        "prescription": prescription_table(rep),
        "exercises": exercise_table(rep),
        "notes": notes_table(rep, latest=notes_shown),
        "screen": screen_table(rep),
        "reactions": reactions_table(rep),
    }
    shown = {name: _shown_table(t) for name, t in tables.items() if t.rows}
    texts = chart_texts(rep.frames, rep.check.baseline_pain, prog.sessions_per_day)
    return ReportView(rep, _shown_specs(specs, texts), shown)


def report_view(today: date, start: date, end: date, notes_shown: int) -> ReportView:
    """The Report page's report, charts and tables for a range, built once per revision."""
    return _report(key(), today, start, end, notes_shown)


def _shown_table(t: ReportTable) -> ShownTable:
    # The frame arrow_table would build, escaped, made in one step from the rows (three
    # frames in a row cost more than the table on a first visit after a save).
    columns = list(zip(*t.rows, strict=True))
    esc = [[plain(v) if isinstance(v, str) else v for v in column] for column in columns]
    index = pd.Index(esc[0], name=t.columns[0])
    frame = pd.DataFrame(dict(zip(t.columns[1:], esc[1:], strict=True)), index=index,
                         columns=list(t.columns[1:]))  # fmt: skip
    return ShownTable(t.title, pa.Table.from_pandas(frame))


class ShownChart(NamedTuple):
    """A chart ready for st.vega_lite_chart: its spec, described, with its datasets as
    Arrow, and its numbers as a table ("Show the numbers")."""

    spec: dict
    numbers: pa.Table


def _shown_specs(specs: dict[str, dict], texts: dict[str, ChartText]) -> list[ShownChart]:
    """Chart specs with their descriptions, and their datasets and number tables turned
    into Arrow once (Streamlit would convert them on every run)."""
    out = []
    for name, spec in specs.items():
        spec = described(spec, texts[name])
        # From the rows straight to Arrow (pandas in between costs more than the chart).
        datasets = {n: convert_anything_to_arrow_bytes(pa.Table.from_pylist(rows)) for n, rows
                    in spec.get("datasets", {}).items()}  # fmt: skip
        # The numbers are the app's own text (figures, dates, symptom labels): no escaping.
        numbers = pa.Table.from_pandas(texts[name].table)
        out.append(ShownChart({**spec, "datasets": datasets}, numbers))
    return out


def show_specs(specs: list[ShownChart]) -> None:
    """Draw cached chart specs at the height each declares (the Streamlit theme otherwise
    squeezes fixed-height charts), each described for screen readers and followed by
    "Show the numbers": the chart's numbers as a table, for people who cannot see it."""
    for spec, numbers in specs:
        height = spec.get("height")
        st.vega_lite_chart(
            # Streamlit moves the datasets out of the dict it is given: give it copies.
            spec={**spec, "datasets": dict(spec["datasets"])},
            # The spec's description is the chart's accessible name (no alt=: it would
            # replace it, with a warning).
            width="stretch", height=height if isinstance(height, int) else "content",
        )  # fmt: skip
        with st.expander("Show the numbers"):
            st.table(numbers)


def show_table(t: ShownTable, *, title: bool = True) -> None:
    if title:
        st.markdown(f"**{plain(t.title)}**")
    st.table(t.data)


_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~=$:&])")


def plain(text: str) -> str:
    """Text shown literally where Streamlit renders Markdown (e.g. st.table cells): every
    Markdown character is backslash-escaped, so a note like '**x**' or '- y' stays as typed."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text)


def escaped(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with every text cell (and the index) escaped with `plain`."""

    def esc(values) -> list:
        return [plain(v) if isinstance(v, str) else v for v in values]

    out = pd.DataFrame({c: esc(frame[c]) for c in frame.columns}, columns=frame.columns)
    out.index = pd.Index(esc(frame.index), name=frame.index.name)
    return out


def arrow_table(frame: pd.DataFrame) -> pa.Table:
    """A frame as st.table shows it, escaped and turned into Arrow once (to cache)."""
    return pa.Table.from_pandas(escaped(frame))


def table(frame: pd.DataFrame) -> None:
    """st.table with every text cell (and the index) shown literally."""
    st.table(arrow_table(frame))


def stop_if_empty(journal: pd.DataFrame, message: str) -> None:
    """On an empty journal, say what the page will show and point to the log form."""
    if journal.empty:
        st.info(message)
        st.page_link("pages/log.py", label="Log a session", icon=":material/edit_note:")
        st.stop()


def flag_checkboxes(key_of, ticked: tuple[str, ...] = ()) -> None:
    """The red-flag checklist in the NHS's two groups; `key_of(flag_id)` names each box's
    widget key, `ticked` the ones to start ticked."""
    for level in Level:
        st.markdown(f"**{LEVEL_TITLES[level]} if you have back pain and:**")
        for flag in flags_at(level):
            st.checkbox(flag.label, key=key_of(flag.id), value=flag.id in ticked)


def red_flag_alert(flags: list[str] | tuple[str, ...]) -> None:
    """Show the urgent-care advice for ticked red-flag symptoms, prominently."""
    advice = urgent_advice(flags)
    if advice:
        st.error(f"**Urgent:** {advice}", icon=":material/emergency:")


def red_flag_follow_up(result: CheckResult, *, key_prefix: str) -> None:
    """The urgent advice for red flags logged in the last RED_FLAG_DAYS days that the person
    has not said were checked, with "I have had this checked" (and when); once checked, the
    banner stops repeating and a caption says so."""
    known = checks()
    still = open_flags(result.red_flag_dates, known)
    if still:
        flags = tuple(dict.fromkeys(f for _, fs in still for f in fs))
        red_flag_alert(flags)
        days = ", ".join(fmt_day_month(d) for d, _ in still)
        st.caption(f"Worrying symptoms were logged on {days} (last {RED_FLAG_DAYS} days).")
        first = min(d for d, _ in still)
        cols = st.columns([2, 2], vertical_alignment="bottom")
        cols[0].date_input(
            "Checked by a health professional on", value=date.today(), min_value=first,
            max_value=date.today(), key=f"{key_prefix}_checked_on", format="YYYY-MM-DD",
        )  # fmt: skip
        cols[1].button(
            "I have had this checked", key=f"{key_prefix}_checked", icon=":material/task_alt:",
            on_click=lambda: mark_checked(flags, st.session_state[f"{key_prefix}_checked_on"]),
        )  # fmt: skip
    elif result.red_flag_dates:
        st.caption(
            "Worrying symptoms logged in the last "
            f"{RED_FLAG_DAYS} days: you said they have been checked."
        )


def check_card(result: CheckResult, *, show_day: bool = True, follow_up: str | None = None) -> None:
    """The two-week check as a card: urgent advice first, then the verdict and its numbers.
    `show_day=False` where the page already shows the programme day. `follow_up` (a widget
    key prefix) offers "I have had this checked" under the red-flag advice."""
    if follow_up:
        red_flag_follow_up(result, key_prefix=follow_up)
    elif result.red_flags:
        days = ", ".join(fmt_day_month(d) for d, _ in result.red_flag_dates)
        red_flag_alert(result.red_flags)
        st.caption(f"Worrying symptoms were logged on {days} (last {RED_FLAG_DAYS} days).")
    with st.container(border=True):
        st.caption(f"Two-week progress check · as of {fmt_date(result.as_of)}")
        st.subheader(f"{STATUS_ICONS[result.status]} {result.headline}")
        top, bottom = st.columns(3), st.columns(3 if show_day else 2)
        top[0].metric(f"Baseline pain ({BASELINE_DAYS})", fmt_pain(result.baseline_pain))
        top[1].metric(f"Pain, last {WINDOW_DAYS} days", fmt_pain(result.recent_pain))
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
