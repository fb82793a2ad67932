"""The practitioner report: one summary a doctor or osteopath can read in a minute.

build_report gathers every figure and frame once (pure pandas, reusing the progress check
and the summaries); the table builders below turn it into the rows the Report page and the
PDF (backtrack.report_pdf) both print, so the two cannot disagree.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from backtrack.days import DaySummary
from backtrack.entries import SLOTS, parse_reactions
from backtrack.fmt import (
    fmt_adherence,
    fmt_change,
    fmt_date,
    fmt_pain,
    fmt_pct,
    fmt_short_date,
    plural,
)
from backtrack.outcomes import (
    PGIC_OPTIONS,
    Outcome,
    activities,
    common_means,
    pgic_answers,
    psfs_ratings,
)
from backtrack.programme import Programme, sessions_text
from backtrack.progress import (
    CheckResult,
    RedFlagDates,
    between,
    programme_day,
    two_week_check,
)
from backtrack.progress import programme_start as first_day
from backtrack.screening import DURATIONS, HISTORY, ScreenAnswers, answer_rows, checked_on
from backtrack.summaries import ChartFrames, chart_frames, date_range, range_days
from backtrack.symptoms import REACTIONS, flag_label, reaction_label, split_flags

NAME_MAX = 80  # characters of the name or initials printed on the report (page and CLI)
NO_ENTRIES = "No entries in this range"
NO_HOLD = "none"


@dataclass(frozen=True)
class PrescriptionRow:
    """One exercise of the current prescription, worded as the programme file gives it."""

    name: str
    reps: str
    hold: str  # '' when the exercise has no hold
    sessions: str


@dataclass(frozen=True)
class NoteRow:
    """A dated note from the journal, with the slot it was written in."""

    date: date
    slot: str
    note: str


@dataclass(frozen=True, eq=False)
class Report:
    """Everything the report shows for one date range (inclusive); the chart frames are
    the Progress page's (summaries.chart_frames)."""

    start: date
    end: date
    generated: date
    programme_title: str
    sessions_per_day: int
    programme_start: date | None  # day 1 (the start date set, else the first entry)
    day: int | None  # day N of the programme on the range's end date
    entries: int  # journal entries in the range
    sessions_done: int  # in the range, at most sessions_per_day a day
    sessions_prescribed: int  # sessions_per_day for every day of the range
    check: CheckResult  # two_week_check as of the range's end date
    prescription: tuple[PrescriptionRow, ...]
    frames: ChartFrames
    notes: tuple[NoteRow, ...]
    screen: ScreenAnswers | None = None  # "Before you start", if answered
    checks: Mapping[str, date] = field(default_factory=dict)  # flag id -> said checked on
    # per exercise (in programme order): reaction id -> sessions with that answer
    reactions: tuple[tuple[str, Mapping[str, int]], ...] = ()
    flag_ids: RedFlagDates = ()  # (date, flag ids) for each day in the range with a red flag
    outcomes: tuple[Outcome, ...] = ()  # PSFS and PGIC answers up to the range's end
    slot_pain: tuple[tuple[str, float | None, int], ...] = ()  # (slot, mean pain, entries)

    @property
    def empty(self) -> bool:
        """True when the range holds no journal entries."""
        return self.entries == 0

    @property
    def red_flags(self) -> RedFlagDates:
        """(date, labels) for each day in the range with a red flag."""
        return tuple((day, tuple(flag_label(f) for f in ids)) for day, ids in self.flag_ids)

    @property
    def days(self) -> int:
        return range_days(self.start, self.end)

    @property
    def adherence(self) -> float | None:
        """Sessions done as a fraction of those prescribed in the range."""
        return self.sessions_done / self.sessions_prescribed if self.sessions_prescribed else None

    def summary_rows(self) -> tuple[tuple[str, str], ...]:
        """The summary as (label, text) rows, worded and rounded as the Progress page."""
        c = self.check
        start = (
            f"{fmt_date(self.programme_start)} (day 1)" if self.programme_start else "not started"
        )
        day = f"Day {self.day} on {fmt_date(self.end)}" if self.day and self.day > 0 else "n/a"
        sessions = (
            f"{self.sessions_done} of {self.sessions_prescribed} prescribed "
            f"({fmt_adherence(self.adherence)}) in this range; prescribed "
            f"{sessions_text(self.sessions_per_day)}"
        )
        baseline = _pain_text(c.baseline_pain, c.baseline_days, "days 1-7")
        recent = _pain_text(c.recent_pain, c.recent_days, f"the 7 days to {fmt_date(c.as_of)}")
        change = "n/a"
        if c.change is not None:
            pct = "" if c.change_pct is None else f" ({fmt_pct(c.change_pct)})"
            change = f"{fmt_change(c.change)} points{pct}"
        flags = (
            f"Reported on {plural(len(self.red_flags), 'day')} in this range: see the list below"
            if self.red_flags
            else "None reported in this range"
        )
        return (
            ("Programme start", start),
            ("Day of the programme", day),
            ("Entries in this range", str(self.entries)),
            ("Sessions done", sessions),
            ("Pain, first week", baseline),
            ("Pain, last 7 days", recent),
            ("Change in pain", change),
            ("Red-flag symptoms", flags),
        )

    def exercise_rows(self) -> tuple[tuple[str, str, str, str, str], ...]:
        """Per exercise: (name, dose per session, reps done, reps prescribed, % of dose)."""
        doses = {row.name: row.reps for row in self.prescription}
        return tuple(
            (
                str(r.exercise),
                doses.get(r.exercise, ""),
                str(int(r.reps_done)),
                str(int(r.reps_prescribed)),
                fmt_adherence(r.percent / 100),
            )
            for r in self.frames.shares.itertuples(index=False)
        )


def _pain_text(value: float | None, rated: int, window: str) -> str:
    if value is None:
        return f"no pain ratings in {window}"
    return f"{fmt_pain(value)}/10 (mean of daily ratings, {window}; rated on {rated} of 7 days)"


def default_range(
    journal: pd.DataFrame, programme_start: date | None, today: date
) -> tuple[date, date]:
    """The whole programme so far: day 1 (the start date set, else the first entry) to today."""
    first = first_day(journal, programme_start)
    return date_range("All", today, first if first is not None and first <= today else None)


def build_report(
    journal: pd.DataFrame,
    programme: Programme,
    start: date,
    end: date,
    *,
    programme_start: date | None,
    today: date,
    screen: ScreenAnswers | None = None,
    checks: Mapping[str, date] | None = None,
    outcomes: Sequence[Outcome] = (),
    barrier: str | None = None,
    days: DaySummary | None = None,
) -> Report:
    """Every figure and frame of the report for start..end (inclusive).

    programme_start is the start date the person set (None: day 1 is the first entry);
    the two-week check is made as of `end`, exactly as on the Progress page. `days`: the
    journal's per-day summary, when at hand (see summaries.daily_summary).
    """
    if start > end:
        raise ValueError(f"report range: start {start} is after end {end}")
    spd = programme.sessions_per_day
    check = two_week_check(
        journal, as_of=end, start=programme_start, sessions_per_day=spd, outcomes=outcomes,
        barrier=barrier,
    )  # fmt: skip
    inside = between(journal, start, end)
    frames = chart_frames(journal, programme, start, end, days)
    day1 = _day_one(journal, programme_start, end)
    return Report(
        start=start,
        end=end,
        generated=today,
        programme_title=programme.title,
        sessions_per_day=spd,
        programme_start=day1,
        day=programme_day(day1, end) if day1 is not None and day1 <= end else None,
        entries=len(inside),
        sessions_done=int(frames.adherence["done"].sum()),
        sessions_prescribed=int(frames.adherence["prescribed"].sum()),
        check=check,
        prescription=tuple(
            PrescriptionRow(ex.name, ex.reps_text, ex.hold_text or "", programme.sessions_text)
            for ex in programme.exercises
        ),
        frames=frames,
        notes=_notes(inside),
        screen=screen,
        checks=dict(checks or {}),
        reactions=_reactions(inside, programme),
        flag_ids=_flag_ids(frames.daily),
        outcomes=tuple(o for o in outcomes if o.date <= end),
        slot_pain=_slot_pain(inside),
    )


def _slot_pain(inside: pd.DataFrame) -> tuple[tuple[str, float | None, int], ...]:
    """Mean back pain per session slot (morning, evening) in the range."""
    slots = inside["slot"].to_numpy(dtype=object)
    pain = inside["pain"].to_numpy(dtype=float)
    out = []
    for slot in SLOTS:
        picked = pain[slots == slot]
        out.append((slot, float(picked.mean()) if len(picked) else None, len(picked)))
    return tuple(out)


def _reactions(inside: pd.DataFrame, programme: Programme) -> tuple[tuple[str, dict], ...]:
    """Per exercise: how many sessions in the range had each "How did that feel?" answer."""
    counts: dict[str, Counter] = {ex.id: Counter() for ex in programme.exercises}
    texts = inside["reactions"].to_numpy() if "reactions" in inside.columns else ()
    for text in texts:
        if text:
            for exercise, reaction in parse_reactions(text).items():
                counts.setdefault(exercise, Counter())[reaction] += 1
    return tuple((ex, dict(c)) for ex, c in counts.items())


def _flag_ids(daily: pd.DataFrame) -> RedFlagDates:
    return tuple((when, split_flags(flags)) for when, flags in _flagged_days(daily))


def _flagged_days(daily: pd.DataFrame) -> list[tuple[date, str]]:
    """(date, ';'-joined flag ids) for each day of `daily` with any flag. Picked out in
    numpy: masking the frame of a ten-year range cost milliseconds for a dozen days."""
    flags = daily["flags"].to_numpy(dtype=object)
    rows = np.flatnonzero(flags != "")
    dates = daily["date"].to_numpy()[rows].astype("datetime64[D]").tolist()
    return list(zip(dates, flags[rows].tolist(), strict=True))


def _day_one(journal: pd.DataFrame, start_setting: date | None, end: date) -> date | None:
    """Day 1 as the two-week check sees it on `end`: the start set, else the first entry."""
    return first_day(between(journal, None, end), start_setting)


def _notes(inside: pd.DataFrame) -> tuple[NoteRow, ...]:
    """The range's notes in journal order (the journal frame is sorted by date and slot)."""
    notes = inside["notes"].to_numpy(dtype=object)
    # Most entries have no note: only the others are stripped (a blank note is no note), and
    # dates turn into days in one numpy step (a Timestamp per note cost ms over ten years).
    keep = [i for i in np.flatnonzero(notes != "").tolist() if notes[i].strip()]
    dates = inside["date"].to_numpy()[keep].astype("datetime64[D]").tolist()
    slots = inside["slot"].to_numpy(dtype=object)[keep].tolist()
    return tuple(
        NoteRow(when, str(slot), notes[i]) for when, slot, i in zip(dates, slots, keep, strict=True)
    )


# ---------------------------------------------------------------- tables (page and PDF)


@dataclass(frozen=True)
class Table:
    """A table of the report as text: the Report page and the PDF print these rows."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def headline_table(report: Report) -> Table:
    """The clinician's headline block that opens the report: the verdict about the person,
    each measure first week → recent, adherence, morning vs evening pain, red flags, the
    safety questions and the guided sessions' reactions, one line each."""
    c = report.check
    rows = [("Two-week check", f"{c.headline}. {c.summary}")]
    rows.append(("Back pain (0-10)", _from_to(c.baseline_pain, c.recent_pain, c.change)))
    rows.append(("Leg pain (0-10)", _from_to(c.leg_baseline, c.leg_recent, c.leg_change)))
    rows.append(("Function (PSFS, 0-10)", _psfs_text(report)))
    rows.append(("Own rating of change (PGIC)", _pgic_text(report)))
    rows.append(
        (
            "Sessions done",
            f"{report.sessions_done} of {report.sessions_prescribed} "
            f"({fmt_adherence(report.adherence)}) in this range",
        )
    )
    rows.append(("Morning vs evening pain", _slots_text(report)))
    rows.append(("Red flags", _flags_text(report)))
    rows.append(("Safety questions", _screen_text(report.screen)))
    rows.append(("Guided sessions", _reactions_text(report)))
    return Table("At a glance", ("Measure", "What the journal shows"), tuple(rows))


def _from_to(first: float | None, last: float | None, change: float | None) -> str:
    if first is None and last is None:
        return "not rated"
    a = "not rated" if first is None else fmt_pain(first)
    b = "not rated" if last is None else fmt_pain(last)
    text = f"{a} (days 1-7) → {b} (last 7 days)"
    return text + (f", change {fmt_change(change)}" if change is not None else "")


def _psfs_text(report: Report) -> str:
    ratings = psfs_ratings(report.outcomes)
    if not ratings:
        return "not rated"
    names = activities(report.outcomes)
    first, last = ratings[0], ratings[-1]
    c = report.check
    if len(ratings) == 1:
        items = "; ".join(f"{names[i]} {s}" for i, s in first.scores.items())
        return f"{fmt_pain(first.mean)} on {fmt_short_date(first.date)} ({items}); no re-rating yet"
    means = common_means(first, last)
    items = "; ".join(
        f"{names[i]} {first.scores.get(i, '-')} → {last.scores[i]}" for i in last.scores
    )
    change = "" if c.psfs_change is None else f", change {fmt_change(c.psfs_change)} in the check"
    if means is None:
        dates = f"{fmt_short_date(first.date)} → {fmt_short_date(last.date)}"
        return f"{dates}: no activity rated in both ({items})"
    return (
        f"{fmt_pain(means[0])} ({fmt_short_date(first.date)}) → {fmt_pain(means[1])} "
        f"({fmt_short_date(last.date)}){change}: {items}"
    )


def _pgic_text(report: Report) -> str:
    answers = pgic_answers(report.outcomes)
    if not answers:
        return "not asked yet"
    when, score = answers[-1]
    return f"{score}, {PGIC_OPTIONS[score].lower()} ({fmt_short_date(when)})"


def _slots_text(report: Report) -> str:
    parts = [
        f"{slot} {fmt_pain(mean)} ({plural(n, 'entry', 'entries')})"
        for slot, mean, n in report.slot_pain
        if mean is not None
    ]
    return "; ".join(parts) if parts else "no ratings in this range"


def _flags_text(report: Report) -> str:
    if not report.flag_ids:
        return "none reported in this range"
    latest: dict[str, date] = {}
    for day, ids in report.flag_ids:
        for f in ids:
            latest[f] = day
    parts = []
    for f, day in latest.items():
        checked = checked_on(f, day, report.checks)
        said = f"checked {fmt_short_date(checked)}" if checked else "not yet checked"
        parts.append(f"{flag_label(f)} (last {fmt_short_date(day)}; {said})")
    return "; ".join(parts)


def _screen_text(screen: ScreenAnswers | None) -> str:
    if screen is None:
        return "not answered"
    yes = [q.text for q in HISTORY if screen.history.get(q.id) is True]
    parts = [f"answered {fmt_short_date(screen.answered_on)}"]
    if screen.examined is not None:
        parts.append("examined for this episode" if screen.examined else "not yet examined")
    if screen.duration:
        parts.append(f"episode {DURATIONS[screen.duration].lower()}")
    answered = [q for q in HISTORY if screen.history.get(q.id) is not None]
    if yes:
        parts.append("yes to: " + "; ".join(yes))
    elif answered:
        parts.append(f"no to the {plural(len(answered), 'history question')} answered")
    else:
        parts.append("history questions not answered")
    if screen.red_flags:
        parts.append(
            "red flags at the start: " + "; ".join(flag_label(f) for f in screen.red_flags)
        )
    return "; ".join(parts)


def _reactions_text(report: Report) -> str:
    rows = reactions_table(report).rows
    return "; ".join(f"{name}: {said}" for name, said in rows) if rows else "no answers"


def summary_table(report: Report) -> Table:
    return Table("Summary", ("", "Summary"), report.summary_rows())


def red_flag_table(report: Report) -> Table:
    """Each day with red flags: the symptoms, and when the person said each was checked."""
    rows = []
    for day, ids in report.flag_ids:
        checked = [checked_on(f, day, report.checks) for f in ids]
        said = "; ".join(
            f"{flag_label(f)}: checked {fmt_short_date(c)}" if c else f"{flag_label(f)}: not yet"
            for f, c in zip(ids, checked, strict=True)
        )
        rows.append((fmt_date(day), "; ".join(flag_label(f) for f in ids), said))
    return Table(
        "Red-flag symptoms reported in this range",
        ("Date", "Symptoms reported", "Said to be checked by a professional"),
        tuple(rows),
    )


def screen_table(report: Report) -> Table:
    """The "Before you start" answers (no rows when the screen was not answered)."""
    rows = answer_rows(report.screen) if report.screen else ()
    return Table("Before you start (safety questions)", ("Question", "Answer"), rows)


# The answers that call for the stop advice lead, so a practitioner reads them first.
STOP_FIRST = tuple(r.id for r in sorted(REACTIONS, key=lambda r: not r.stop))


def reactions_table(report: Report) -> Table:
    """Per exercise, the guided session's "How did that feel?" answers against the sessions
    with that exercise done: 'made my pain worse in 3 of 12 sessions'."""
    shares = report.frames.shares
    names = dict(zip(shares["id"], shares["exercise"], strict=True))
    done = dict(zip(shares["id"], shares["sessions_done"], strict=True))
    rows = []
    for exercise, counts in report.reactions:
        if not counts:
            continue
        of = int(done.get(exercise, 0))
        said = "; ".join(
            f"{reaction_label(r).lower()} in {counts[r]} of {plural(of, 'session')}"
            for r in STOP_FIRST
            if r in counts
        )
        rows.append((names.get(exercise, exercise), said))
    return Table("How each exercise felt (guided sessions)", ("Exercise", "Answers"), tuple(rows))


def prescription_table(report: Report) -> Table:
    return Table(
        "Current prescription",
        ("Exercise", "Dose", "Hold", "How often"),
        tuple((r.name, r.reps, r.hold or NO_HOLD, r.sessions) for r in report.prescription),
    )


def exercise_table(report: Report) -> Table:
    return Table(
        "Each exercise in this range",
        ("Exercise", "Dose per session", "Reps done", "Reps prescribed", "% of dose"),
        report.exercise_rows(),
    )


def notes_table(report: Report, latest: int | None = None) -> Table:
    """The range's notes, oldest first; with `latest`, only the last that many."""
    notes = report.notes if latest is None else report.notes[-latest:]
    return Table(
        "Notes",
        ("Date", "Session", "Note"),
        tuple((fmt_short_date(n.date), n.slot, n.note) for n in notes),
    )


EXERCISE_TABLE_NOTE = (
    "Reps prescribed: the lower number of the dose, {sessions} for every day of the range. "
    "% of dose counts at most the dose per session, so extra reps one day do not make up for "
    "a skipped one (rounded down)."
)
