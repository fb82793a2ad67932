"""Streamlit glue shared by the pages: cached access to the programme and the journal.

Everything here is thin; the domain is in lib/backtrack. Cached reads are keyed on the
journal's revision counter, which every write bumps, so a save shows up at once.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import NamedTuple

import pandas as pd
import pyarrow as pa
import streamlit as st
from streamlit.dataframe_util import convert_anything_to_arrow_bytes
from streamlit.runtime.pages_manager import PagesManager

from backtrack.backup import daily_backup
from backtrack.chart_tables import ChartText, chart_texts, described, psfs_text
from backtrack.charts import progress_specs, psfs_spec
from backtrack.entries import Entry, EntryError
from backtrack.fmt import fmt_adherence, fmt_change, fmt_date, fmt_day_month, fmt_pain, fmt_pct
from backtrack.frames import FrameCache, Journal
from backtrack.journal import Journal as JournalAPI
from backtrack.journalfile import unheld_text
from backtrack.logbook import recent_table
from backtrack.modes import database_url
from backtrack.outcomes import (
    LABEL_MAX,
    PGIC_OPTIONS,
    PGIC_QUESTION,
    PSFS_FOLLOW_UP,
    PSFS_INTRO,
    PSFS_ITEMS_MAX,
    PSFS_SCALE,
    Due,
    Outcome,
    activities,
    pgic_record,
    psfs_baseline_records,
    psfs_follow_up_records,
)
from backtrack.pictures import picture_alt, picture_data_uri
from backtrack.prescription import prescribed
from backtrack.programme import Exercise, Programme, default_programme_path, load_programme
from backtrack.progress import (
    BARRIER_SETTING,
    BARRIERS,
    BASELINE_DAYS,
    RED_FLAG_DAYS,
    WINDOW_DAYS,
    CheckResult,
    Status,
    barrier_setting,
    current_barrier,
    two_week_check,
)
from backtrack.report import (
    Report,
    build_report,
    exercise_table,
    headline_table,
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
from backtrack.store import JournalStore, StoreError, default_db_path
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


def base_programme() -> Programme:
    """The programme file's programme, before any practitioner's prescription."""
    path = default_programme_path()
    return _programme(str(path), path.stat().st_mtime if path.exists() else 0.0)


def programme() -> Programme:
    """The programme this journal follows: the file's, with the patient's prescription in
    place of its doses in clinic mode (so the log form, session, check and report agree)."""
    if clinic() and has_journal():
        return _programme_of(key())
    return base_programme()


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
    _daily_backup(str(_store(str(default_db_path())).path))


def store() -> JournalAPI:
    """The journal the pages read and write: the local file, or in clinic mode the
    signed-in patient's own journal (or, on a practitioner's patient pages, that patient's,
    read-only). Who is signed in comes from the login cookie (st.user), never from anything
    a page or the session state could change; the clinic store checks it on every query."""
    url = database_url()
    if url is None:
        return _store(str(default_db_path()))
    subject = signed_in()
    if subject is None:
        raise StoreError("sign in first")
    held = st.session_state.get(_VIEW_KEY)
    if held is not None and held[0] == subject:
        return held[3]
    return _own_journal(url, subject)


def _journal_id(journal: JournalAPI) -> str:
    """What cached views of a journal are keyed on: the file, or the signed-in person and
    the patient whose journal they read (no two people ever share a cached view)."""
    if isinstance(journal, JournalStore):
        return str(journal.path)
    return f"clinic:{signed_in()}:{journal.patient_id}"


def _reader(journal: str) -> JournalAPI:
    """The store behind a cache key's journal: cached views are built in the run of the
    session whose key it is, so in clinic mode that is this session's store()."""
    if not clinic():
        return _store(journal)
    found = store()
    if _journal_id(found) != journal:
        raise StoreError("this view belongs to another journal")
    return found


def read_only() -> bool:
    """A practitioner's view of a patient's journal: nothing on the page may write."""
    return bool(getattr(store(), "readonly", False))


class Key(NamedTuple):
    """The key of every cached view of the journal: the journal (its file, or in clinic
    mode whose it is and who reads it) and revision (bumped by every write, so a save
    shows up at once) and the programme file's path and modification time. cache_resource
    hands out the cached object itself, without a copy: callers treat what they get as
    read-only."""

    journal: str
    revision: int
    programme: str
    programme_mtime: float
    other_revision: int  # of the latest write that changed anything but entries

    @property
    def others(self) -> OthersKey:
        """The key of what only other writes change: settings and outcome answers."""
        return OthersKey(self.journal, self.other_revision)


class OthersKey(NamedTuple):
    """The key of cached settings and outcome answers: the journal and the revision of the
    latest write that changed anything but entries, so saving an entry keeps them."""

    journal: str
    other_revision: int


@st.cache_resource(max_entries=64, show_spinner=False)
def _frame_cache(journal: str, programme_path: str, mtime: float) -> FrameCache:
    return FrameCache(_reader(journal), _programme(programme_path, mtime).exercise_ids)


def key() -> Key:
    """This run's cache key, read once per run (see one_read_per_run) unless the app wrote
    meanwhile. Bringing the journal up to date on the way costs one small query, or a patch
    with the entries written since the last run."""
    memo = st.session_state.get(_RUN_KEY)
    found = store()
    writes, journal = found.writes, _journal_id(found)
    if memo is not None and memo[0] == writes and memo[1].journal == journal:
        return memo[1]
    path = default_programme_path()
    mtime = path.stat().st_mtime if path.exists() else 0.0
    read = _frame_cache(journal, str(path), mtime).journal()
    k = Key(journal, read.revision, str(path), mtime, read.other_revision)
    if memo is not None or _RUN_KEY in st.session_state:
        st.session_state[_RUN_KEY] = (writes, k)
    return k


_RUN_KEY = "_backtrack_run_key"  # (the store's writes, the key) while a run's body runs


@contextmanager
def one_read_per_run() -> Iterator[None]:
    """Around a run's body (app.py): key() asks the journal for its revision once, not at
    each of the ~7 cached views a page reads (each a SQLite connection). A write made by
    this app meanwhile is seen at once; one made elsewhere during the run, at the next run,
    as any rerun would. Callbacks run outside the body, so they always read afresh."""
    st.session_state[_RUN_KEY] = None
    try:
        yield
    finally:
        st.session_state.pop(_RUN_KEY, None)


def _programme_of(k: Key) -> Programme:
    if clinic():
        return _prescribed(k.others, k.programme, k.programme_mtime)
    return _programme(k.programme, k.programme_mtime)


@st.cache_resource(max_entries=64, show_spinner=False)
def _prescribed(k: OthersKey, programme: str, mtime: float) -> Programme:
    # A new prescription moves the journal's other revision on, so the key moves with it.
    base = _programme(programme, mtime)
    return prescribed(base, _reader(k.journal).prescription(base))


def _journal(k: Key) -> Journal:
    """The journal at the key's revision: the one key() read, unless another session has
    moved the cache on since (then as it is now)."""
    cache = _frame_cache(k.journal, k.programme, k.programme_mtime)
    found = cache.latest()
    return found if found is not None and found.revision == k.revision else cache.journal()


# -- clinic mode: who is signed in, and what they may open -----------------------------
def clinic() -> bool:
    """Clinic mode ($BACKTRACK_DATABASE_URL set): PostgreSQL, behind a login."""
    return database_url() is not None


def signed_in() -> str | None:
    """The signed-in person's OIDC subject ("sub" claim), or None before login."""
    if not st.user.get("is_logged_in"):
        return None
    subject = st.user.get("sub")
    return subject if isinstance(subject, str) and subject else None


def user_name() -> str:
    """The name the login provider gives (a default for the Join page's name field)."""
    name = st.user.get("name")
    return name if isinstance(name, str) else ""


def login_configured() -> bool:
    """Whether .streamlit/secrets.toml has the [auth] section st.login needs."""
    from streamlit.auth_util import get_secrets_auth_section

    return bool(get_secrets_auth_section())


@st.cache_resource(show_spinner=False)
def _engine(url: str):
    """One pooled engine per process, on a database brought up to the latest schema."""
    from sqlalchemy.exc import SQLAlchemyError

    from backtrack.clinic.db import ClinicConfigError, make_engine, migrate

    try:
        engine = make_engine(url)
        migrate(engine)
    except ClinicConfigError as exc:
        raise StoreError(str(exc)) from None
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise StoreError(f"the clinic database cannot be reached ({reason})") from None
    return engine


def engine():
    """The clinic database's engine (raises StoreError, saying why, if it cannot be used)."""
    url = database_url()
    if url is None:
        raise StoreError("local mode has no clinic database")
    return _engine(url)


@st.cache_resource(ttl=60, show_spinner=False)
def _role(url: str, subject: str) -> str | None:
    from backtrack.clinic.accounts import role_of

    return role_of(_engine(url), subject)


def role() -> str | None:
    """'patient', 'practitioner' or None (signed in, not known here yet) for this login."""
    subject = signed_in()
    return None if subject is None else _role(database_url(), subject)


@st.cache_resource(max_entries=1000, show_spinner=False)
def _own_journal(url: str, subject: str):
    from backtrack.clinic.store import ClinicStore

    return ClinicStore(_engine(url), subject)


def has_journal() -> bool:
    """Whether store() has a journal to give: always in local mode; in clinic mode, for a
    patient, or on a practitioner's patient pages."""
    if not clinic():
        return True
    held = st.session_state.get(_VIEW_KEY)
    return (held is not None and held[0] == signed_in()) or role() == "patient"


def join(code: str, name: str) -> None:
    """Join the practitioner whose invite `code` this is (InviteError, ValueError: why not)."""
    from datetime import UTC, datetime

    from backtrack.clinic.accounts import redeem_invite

    redeem_invite(engine(), signed_in(), name, code, datetime.now(UTC))
    _role.clear()


def delete_journal() -> None:
    """Delete the signed-in patient's journal and account (their own request)."""
    store().delete_journal()
    _role.clear()
    _own_journal.clear()


def audit_log() -> list:
    """Who viewed or changed the signed-in patient's journal, newest first."""
    return store().audit_log()


@st.cache_resource(max_entries=1000, show_spinner=False)
def _practitioner(url: str, subject: str):
    from backtrack.clinic.practice import PractitionerView

    return PractitionerView(_engine(url), subject)


def practitioner():
    """What the signed-in practitioner may see and do (AccessDenied for anyone else)."""
    return _practitioner(database_url(), signed_in())


_OPEN_KEY = "patient_open"  # the patient a practitioner chose on the Patients page
_VIEW_KEY = "_backtrack_view"  # (subject, patient, view, their read-only store)


def open_patient() -> tuple[int, str] | None:
    """The practitioner's chosen patient (id, name), if it is one of theirs."""
    chosen = st.session_state.get(_OPEN_KEY)
    if chosen is None:  # no query: each run of a practitioner's page asks (twice)
        return None
    return next(((p.id, p.name) for p in practitioner().patients() if p.id == chosen), None)


def choose_patient(patient: int | None) -> None:
    st.session_state[_OPEN_KEY] = patient


def viewing(view: str | None) -> None:
    """A practitioner's page of their chosen patient ("progress", "report") is about to
    run, or (None) another page: store() is then that patient's journal, read-only. Each
    opening of such a page is written to the patient's audit log; its reruns are not."""
    if view is None:
        st.session_state.pop(_VIEW_KEY, None)
        return
    chosen, subject = open_patient(), signed_in()
    held = st.session_state.get(_VIEW_KEY)
    if chosen is None:
        st.session_state.pop(_VIEW_KEY, None)
    elif held is None or held[:3] != (subject, chosen[0], view):
        st.session_state[_VIEW_KEY] = (subject, chosen[0], view,
                                       practitioner().journal(chosen[0], view))  # fmt: skip


@st.cache_resource(max_entries=16, show_spinner=False)
def _caseload(url: str, subject: str, today: date, revisions: tuple, k_prog: tuple):
    from backtrack.caseload import caseload_order, caseload_table

    known = _known_statuses(url, subject, today, k_prog)
    with _STATUSES_LOCK:
        fresh = _practitioner(url, subject).statuses(today, _programme(*k_prog), known)
        known.clear()
        known.update(fresh)
    rows = caseload_order(status for _, status in fresh.values())
    return rows, arrow_table(caseload_table(rows).set_index("Patient"))


@st.cache_resource(max_entries=16, show_spinner=False)
def _known_statuses(url: str, subject: str, today: date, k_prog: tuple) -> dict:
    """Each patient's (revision, status) as last worked out for this practitioner, day and
    programme: the next caseload reads only the patients whose revision moved on."""
    return {}


_STATUSES_LOCK = threading.Lock()


def caseload(today: date) -> tuple[list, pa.Table]:
    """The Patients page's rows and table, made again only when a patient's journal or
    prescription changed, and then reading (and auditing) only those patients."""
    path = default_programme_path()
    k_prog = (str(path), path.stat().st_mtime if path.exists() else 0.0)
    revisions = tuple(practitioner().revisions().items())
    return _caseload(database_url(), signed_in(), today, revisions, k_prog)


def _frame(k: Key) -> pd.DataFrame:
    return _journal(k).frame


def journal_frame() -> pd.DataFrame:
    """The journal as a frame (see backtrack.frames.journal_frame), always current."""
    return _frame(key())


def unheld_warning() -> None:
    """Say so when the journal holds entries whose dates it cannot use (a file from an
    earlier release, or edited outside BackTrack): they are left out, never a crash."""
    count, first = _journal(key()).unheld
    if count:
        st.warning(plain(unheld_text(count, first)), icon=":material/warning:")


@st.cache_resource(max_entries=4, show_spinner=False)
def _start_date(k: OthersKey) -> date | None:
    return _reader(k.journal).start_date()


def start_date() -> date | None:
    """The programme start date the user set (None: day 1 is the first entry)."""
    return _start_date(key().others)


@st.cache_resource(max_entries=4, show_spinner=False)
def _screen(k: OthersKey) -> ScreenAnswers | ScreenError | None:
    text = _reader(k.journal).get_setting(SCREEN_KEY)
    try:
        return ScreenAnswers.from_json(text) if text else None
    except ScreenError as exc:
        return exc


def screen() -> ScreenAnswers | None:
    """The "Before you start" answers, or None when not answered (or unreadable: said)."""
    found = _screen(key().others)
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
def _checks(k: OthersKey) -> dict[str, date] | ScreenError:
    try:
        return parse_checks(_reader(k.journal).get_setting(CHECKS_KEY))
    except ScreenError as exc:
        return exc


def _valid_checks(k: OthersKey) -> dict[str, date]:
    found = _checks(k)
    return {} if isinstance(found, ScreenError) else found


def _valid_screen(k: OthersKey) -> ScreenAnswers | None:
    found = _screen(k)
    return found if isinstance(found, ScreenAnswers) else None


@st.cache_resource(max_entries=4, show_spinner=False)
def _outcomes(k: OthersKey) -> tuple[Outcome, ...]:
    return tuple(_reader(k.journal).outcomes())


def outcomes() -> tuple[Outcome, ...]:
    """The PSFS and PGIC answers, oldest first."""
    return _outcomes(key().others)


@st.cache_resource(max_entries=4, show_spinner=False)
def _barrier(k: OthersKey) -> str | None:
    return _reader(k.journal).get_setting(BARRIER_SETTING)


def _check_inputs(k: Key, as_of: date) -> dict:
    """What the two-week check needs beside the journal frame: the outcome answers and the
    person's answer to "What got in the way?" when it is current."""
    return {"outcomes": _outcomes(k.others),
            "barrier": current_barrier(_barrier(k.others), as_of)}  # fmt: skip


def save_outcomes(records: list[Outcome]) -> None:
    store().save_outcomes(records)


def save_barrier(reason: str, on: date) -> None:
    store().set_setting(BARRIER_SETTING, barrier_setting(reason, on))


def checks() -> dict[str, date]:
    """When the person said each red flag was checked (flag id -> date)."""
    return _valid_checks(key().others)


def mark_checked(flags: tuple[str, ...], on: date) -> None:
    store().set_setting(CHECKS_KEY, checks_json(with_check(checks(), flags, on)))


@st.cache_resource(max_entries=8, show_spinner=False)
def _latest(k: Key, limit: int) -> list[Entry]:
    return _reader(k.journal).latest(limit)


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
    return _reader(k.journal).entries(first, last)


def entries_between(first: date, last: date) -> list[Entry]:
    return _entries_between(key(), first, last)


@st.cache_resource(max_entries=8, show_spinner=False)
def _today(k: Key, today: date) -> TodayStatus:
    prog = _programme_of(k)
    journal = _journal(k)
    return today_status(
        journal.frame, today, _start_date(k.others), prog.sessions_per_day, days=journal.days,
        **_check_inputs(k, today),
    )  # fmt: skip


def today_view(today: date) -> TodayStatus:
    return _today(key(), today)


@st.cache_resource(max_entries=16, show_spinner=False)
def _progress(k: Key, today: date, start: date, end: date) -> tuple[CheckResult, list[ShownChart]]:
    prog, journal, start_setting = _programme_of(k), _journal(k), _start_date(k.others)
    check = two_week_check(
        journal.frame, today, start_setting, sessions_per_day=prog.sessions_per_day,
        **_check_inputs(k, today),
    )  # fmt: skip
    frames = chart_frames(journal.frame, prog, start, end, journal.days)
    specs = progress_specs(frames, check.baseline_pain, prog.sessions_per_day)
    texts = chart_texts(frames, check.baseline_pain, prog.sessions_per_day)
    return check, _shown_specs(specs, texts) + _psfs_chart(k.others, start, end)


@st.cache_resource(max_entries=16, show_spinner=False)
def _psfs_chart(k: OthersKey, start: date, end: date) -> list[ShownChart]:
    """The PSFS chart of a range (none before the first rating): it draws outcome answers
    only, so saving an entry keeps it."""
    answers = [o for o in _outcomes(k) if start <= o.date <= end]
    function = psfs_spec(answers)
    if function is None:
        return []
    return _shown_specs({"psfs": function}, {"psfs": psfs_text(answers)})


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
    journal = _journal(k)
    rep = build_report(
        journal.frame, prog, start, end, programme_start=_start_date(k.others), today=today,
        screen=_valid_screen(k.others), checks=_valid_checks(k.others), days=journal.days,
        **_check_inputs(k, end),
    )  # fmt: skip
    specs = progress_specs(rep.frames, rep.check.baseline_pain, prog.sessions_per_day)
    specs.pop("exercises")  # the report shows the shares as a table
    tables = {
        "headline": headline_table(rep),
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
    # The table arrow_table would build, escaped, made straight from the rows.
    columns = list(zip(*t.rows, strict=True))
    esc = [[plain(v) if isinstance(v, str) else v for v in column] for column in columns]
    return ShownTable(
        t.title, arrow_rows(t.columns[0], esc[0], dict(zip(t.columns[1:], esc[1:], strict=True)))
    )


def arrow_rows(index: str, labels: list, columns: dict[str, list]) -> pa.Table:
    """The Arrow table pa.Table.from_pandas gives for a frame of `columns` indexed by
    `labels` (named `index`), built from the lists directly: the same columns, types and
    pandas metadata (st.table reads the index from it), without a pandas frame in between
    (building one cost ~0.5 ms a table, a tenth of a report's first visit after a save)."""
    arrays = {name: pa.array(values) for name, values in columns.items()}
    arrays[index] = pa.array(labels)  # from_pandas puts a named index after the columns
    names = tuple(arrays)
    schema = _pandas_schema(index, names, tuple(a.type for a in arrays.values()))
    return pa.Table.from_arrays(
        [a if a.type == t else a.cast(t) for a, t in zip(arrays.values(), schema.types,
                                                          strict=True)], schema=schema,
    )  # fmt: skip


@functools.lru_cache(maxsize=64)
def _pandas_schema(index: str, names: tuple[str, ...], types: tuple[pa.DataType, ...]
                   ) -> pa.Schema:  # fmt: skip
    """What from_pandas makes of a frame with columns of these Arrow types (the last one
    its index): worked out once per shape, on an empty frame."""
    empty = pa.table([pa.array([], type=t) for t in types], names=list(names))
    return pa.Table.from_pandas(empty.to_pandas().set_index(index)).schema


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
        text = texts[name]
        numbers = arrow_rows(text.index, text.labels, text.columns)
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
            show_arrow(numbers)


def show_table(t: ShownTable, *, title: bool = True) -> None:
    if title:
        st.markdown(f"**{plain(t.title)}**")
    show_arrow(t.data)


def show_arrow(data: pa.Table) -> None:
    """st.table of an Arrow table made by this module, showing its index unless it is a
    plain row number. Said explicitly: asked to decide itself, st.table turns the whole
    table back into pandas on every run just to look at the index (streamlit/elements/
    table.py, _compute_hide_index)."""
    st.table(data, hide_index=range_index(data))


def range_index(data: pa.Table) -> bool:
    """Whether `data` turns back into a pandas frame with a RangeIndex (row numbers, which
    st.table hides): no index stored, or only a range (pyarrow keeps a RangeIndex as
    metadata, and any other index as columns)."""
    stored = (data.schema.pandas_metadata or {}).get("index_columns", [])
    return all(isinstance(column, dict) and column.get("kind") == "range" for column in stored)


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
    show_arrow(arrow_table(frame))


def stop_if_empty(journal: pd.DataFrame, message: str) -> None:
    """On an empty journal, say what the page will show and point to the log form."""
    if journal.empty:
        if read_only():  # a practitioner's view: there is no log form to point to
            st.info("No entries yet in this journal.")
            st.stop()
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


def check_card(
    result: CheckResult,
    *,
    show_day: bool = True,
    follow_up: str | None = None,
    about_the_person: bool = False,
) -> None:
    """The two-week check as a card: urgent advice first, then the verdict and its numbers.
    `show_day=False` where the page already shows the programme day. `follow_up` (a widget
    key prefix) offers "I have had this checked" under the red-flag advice.
    `about_the_person`: a practitioner's read-only view, which says the verdict about the
    person (as the report does), not the advice written to them."""
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
        more = [
            (f"Leg pain, last {WINDOW_DAYS} days", result.leg_recent, result.leg_change),
            ("Activities score (PSFS)",
             result.psfs_baseline if result.psfs_recent is None else result.psfs_recent,
             result.psfs_change),
        ]  # fmt: skip
        shown = [m for m in more if m[1] is not None]
        if shown or result.pgic is not None:
            row = st.columns(3)
            for col, (label, value, change) in zip(row, shown, strict=False):
                delta = None if change is None else f"{fmt_change(change)} points"
                col.metric(label, fmt_pain(value), delta, delta_color="off")
            if result.pgic is not None:
                row[len(shown)].metric("Your rating of change", PGIC_OPTIONS[result.pgic])
        st.write(result.summary if about_the_person and result.summary else result.message)
        if follow_up and result.status is Status.LOW_ADHERENCE:
            choices = list(BARRIERS)
            st.radio(
                "What got in the way?",
                choices,
                index=choices.index(result.barrier) if result.barrier else None,
                format_func=BARRIERS.__getitem__,
                key=f"{follow_up}_barrier",
                on_change=_barrier_changed,
                args=(f"{follow_up}_barrier", result.as_of),
            )


def _barrier_changed(widget: str, as_of: date) -> None:
    reason = st.session_state.get(widget)
    if reason is not None:
        save_barrier(reason, as_of)


def outcome_prompt(due: Due, today: date) -> None:
    """Today's outcome questions, whichever are due (PSFS, PGIC), in one short form that
    never blocks logging: "Not now" hides it until tomorrow."""
    state = st.session_state
    if not due or state.get("outcomes_later") == today:
        return
    with st.container(border=True):
        st.subheader("A few questions about your back")
        if state.get("outcome_errors"):
            st.error("Not saved. Please fix:\n\n"
                     + "\n".join(f"- {plain(e)}" for e in state.outcome_errors))  # fmt: skip
        with st.form("outcome_form", border=False):
            if due.psfs == "baseline":
                st.markdown("**Activities you find hard** (Patient-Specific Functional Scale)")
                st.caption(f"{PSFS_INTRO} {PSFS_SCALE}.")
                for i in range(1, PSFS_ITEMS_MAX + 1):
                    left, right = st.columns([2, 3], vertical_alignment="bottom")
                    hint = "e.g. Putting on socks" if i == 1 else ""
                    left.text_input(f"Activity {i}", key=f"psfs_label_{i}", max_chars=LABEL_MAX,
                                    placeholder=hint)  # fmt: skip
                    right.radio(f"Activity {i}: how able today, 0-10", range(11), index=None,
                                horizontal=True, key=f"psfs_score_{i}")  # fmt: skip
            elif due.psfs == "follow_up":
                st.markdown("**Your activities** (Patient-Specific Functional Scale)")
                st.caption(f"{PSFS_FOLLOW_UP} {PSFS_SCALE}.")
                for item, label in activities(outcomes()).items():
                    st.radio(f"{plain(label)}: how able today, 0-10", range(11), index=None,
                             horizontal=True, key=f"psfs_score_{item}")  # fmt: skip
            if due.pgic:
                st.markdown("**Your overall change**")
                st.radio(
                    PGIC_QUESTION, list(PGIC_OPTIONS), index=None, key="pgic_score",
                    format_func=lambda k: f"{k}. {PGIC_OPTIONS[k]}",
                )  # fmt: skip
            st.form_submit_button("Save answers", type="primary", on_click=_save_outcome_answers,
                                  args=(due, today))  # fmt: skip
        st.button("Not now", key="outcomes_later_button", on_click=state.update,
                  kwargs={"outcomes_later": today})  # fmt: skip


def _save_outcome_answers(due: Due, today: date) -> None:
    state = st.session_state
    state.outcome_errors = []
    records: list[Outcome] = []
    errors: list[str] = []
    try:
        if due.psfs == "baseline":
            rows = [(state.get(f"psfs_label_{i}"), state.get(f"psfs_score_{i}"))
                    for i in range(1, PSFS_ITEMS_MAX + 1)]  # fmt: skip
            records += psfs_baseline_records(today, rows, today)
        elif due.psfs == "follow_up":
            known = activities(outcomes())
            scores = {i: state.get(f"psfs_score_{i}") for i in known}
            records += psfs_follow_up_records(today, known, scores, today)
    except EntryError as exc:
        errors += [str(e) for e in exc.errors]
    if due.pgic:
        try:
            records.append(pgic_record(today, state.get("pgic_score"), today))
        except EntryError as exc:
            errors += [str(e) for e in exc.errors]
    if errors:
        state.outcome_errors = errors
        return
    try:
        save_outcomes(records)
    except ValueError as exc:
        state.outcome_errors = [str(exc)]
        return
    state.outcome_flash = "Saved your answers. Thank you."


STATUS_ICONS = {
    Status.TOO_EARLY: ":material/hourglass_top:",
    Status.NOT_ENOUGH_DATA: ":material/edit_calendar:",
    Status.WORSE: ":material/trending_up:",
    Status.IMPROVING: ":material/trending_down:",
    Status.LOW_ADHERENCE: ":material/event_busy:",
    Status.NO_CLEAR_PROGRESS: ":material/stethoscope:",
}
