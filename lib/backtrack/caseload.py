"""A practitioner's caseload at a glance: per patient, programme day, last entry, sessions
done in the last 7 days, the two-week check's status and red flags not yet checked;
patients with such flags first (emergency before urgent), then those getting worse."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from backtrack.fmt import MISSING, fmt_short_date
from backtrack.outcomes import Outcome
from backtrack.progress import (
    HEADLINES,
    WINDOW_DAYS,
    Status,
    programme_day,
    programme_start,
    two_week_check,
)
from backtrack.screening import ScreenError, open_flags, parse_checks
from backtrack.symptoms import LEVEL_TITLES, Level, advice_level, flag_label


@dataclass(frozen=True)
class PatientStatus:
    patient: int
    name: str
    day: int | None  # programme day today (None: not started: nothing logged, no start date)
    last_entry: date | None
    sessions_week: int  # sessions done in the WINDOW_DAYS days ending today
    status: Status
    open_flags: tuple[str, ...]  # red flags logged in the check's window, not yet checked
    level: Level | None  # the most serious level among open_flags


def patient_status(
    patient: int,
    name: str,
    journal: pd.DataFrame,
    today: date,
    *,
    start: date | None,
    sessions_per_day: int,
    outcomes: Sequence[Outcome],
    barrier: str | None,
    checks: str | None,
) -> PatientStatus:
    """One row of the caseload from what the patient's own pages read (`checks` as stored:
    unreadable counts as nothing checked, so a flag is never hidden by a bad setting)."""
    check = two_week_check(journal, today, start, sessions_per_day=sessions_per_day,
                           outcomes=outcomes, barrier=barrier)  # fmt: skip
    try:
        known = parse_checks(checks)
    except ScreenError:
        known = {}
    flags = tuple(dict.fromkeys(f for _, fs in open_flags(check.red_flag_dates, known) for f in fs))
    day1 = programme_start(journal[journal["date"] <= pd.Timestamp(today)], start)
    day = programme_day(day1, today) if day1 is not None and day1 <= today else None
    dates = journal["date"]
    week = (dates >= pd.Timestamp(today - timedelta(days=WINDOW_DAYS - 1))) & (
        dates <= pd.Timestamp(today)
    )
    return PatientStatus(
        patient=patient,
        name=name,
        day=day,
        last_entry=dates.max().date() if len(dates) else None,
        sessions_week=int(journal["done"][week].sum()),
        status=check.status,
        open_flags=flags,
        level=advice_level(flags),
    )


_LEVEL_RANK = {Level.EMERGENCY: 0, Level.URGENT: 1, None: 2}


def caseload_order(rows: Iterable[PatientStatus]) -> list[PatientStatus]:
    """Open red flags first (emergency before urgent), then WORSE, then by name."""
    return sorted(
        rows, key=lambda r: (_LEVEL_RANK[r.level], r.status is not Status.WORSE, r.name, r.patient)
    )


CASELOAD_COLUMNS = (
    "Patient",
    "Programme day",
    "Last entry",
    f"Sessions, last {WINDOW_DAYS} days",
    "Two-week check",
    "Red flags not yet checked",
)


def caseload_table(rows: Sequence[PatientStatus]) -> pd.DataFrame:
    """The Patients page's table, in the caseload's order: one row per patient, in words."""
    cells = [
        (
            r.name,
            MISSING if r.day is None else str(r.day),
            MISSING if r.last_entry is None else fmt_short_date(r.last_entry),
            r.sessions_week,
            HEADLINES[r.status],
            f"{LEVEL_TITLES[r.level]}: {'; '.join(flag_label(f) for f in r.open_flags)}"
            if r.level is not None
            else "",
        )
        for r in rows
    ]
    return pd.DataFrame(cells, columns=list(CASELOAD_COLUMNS))
