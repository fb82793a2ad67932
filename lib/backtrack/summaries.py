"""Frames the Progress and Today pages (and the report) are drawn from.

Pure pandas: journal frame in (see backtrack.store.journal_frame), small frames out, so
every number a chart shows is computed and tested here, not in a chart or a page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from backtrack.days import DaySummary, day_summary
from backtrack.entries import SLOTS
from backtrack.fmt import plural
from backtrack.outcomes import Due, Outcome
from backtrack.outcomes import due as outcome_due
from backtrack.programme import Programme
from backtrack.progress import (
    CheckResult,
    between,
    programme_day,
    programme_start,
    two_week_check,
)
from backtrack.symptoms import merge_flags

TREND_DAYS = 7
RANGES = ("Last 14 days", "Last 4 weeks", "Last 3 months", "All", "Custom")
_RANGE_DAYS = {"Last 14 days": 14, "Last 4 weeks": 28, "Last 3 months": 91}


def range_days(start: date, end: date) -> int:
    """How many calendar days start..end covers, both included."""
    return (end - start).days + 1


def date_range(
    choice: str,
    today: date,
    first: date | None,
    custom: tuple[date, date] | None = None,
) -> tuple[date, date]:
    """The (start, end) dates, inclusive, that a range choice covers.

    Preset ranges never start before day 1 (`first`), so days before the programme do
    not count as missed sessions.
    """
    if choice in _RANGE_DAYS:
        start = today - timedelta(days=_RANGE_DAYS[choice] - 1)
        return (max(start, first) if first and first <= today else start), today
    if choice == "All":
        return (first or today), today
    if choice == "Custom":
        if custom is None or len(custom) != 2:
            raise ValueError("custom range: choose a start and an end date")
        start, end = custom
        if start > end:
            raise ValueError(f"custom range: start {start} is after end {end}")
        return start, end
    raise ValueError(f"range: {choice!r} is not one of {', '.join(RANGES)}")


def daily_summary(
    journal: pd.DataFrame, start: date, end: date, days: DaySummary | None = None
) -> pd.DataFrame:
    """One row per calendar day from start to end (days without entries included).

    Columns: date, pain (mean of the day's ratings, NaN when none), trend (mean of daily
    pain over the 7 days ending that day, counting only rated days), leg (mean of the day's
    leg-pain ratings, NaN when none), sessions (entries
    with an exercise done), flags (ids logged that day, ';'-joined), notes (the day's
    notes, one line per slot). `days`: the journal's per-day summary, when at hand (the
    app keeps one); else it is made from the range's entries.
    """
    dates = pd.date_range(start, end, freq="D").astype("datetime64[ns]")
    # The trend needs the 6 days before the range too. Each day is placed by its position
    # from `lead`, from the per-day summary's slice of the range (a binary search).
    lead = pd.Timestamp(start) - pd.Timedelta(days=TREND_DAYS - 1)
    if days is None:
        days = day_summary(between(journal, lead.date(), end))
    rows = days.span(lead.to_datetime64(), pd.Timestamp(end).to_datetime64())
    n = len(dates) + TREND_DAYS - 1
    pos = ((days.dates[rows] - lead.to_datetime64()) // np.timedelta64(1, "D")).astype(np.int64)
    rated, total, sessions = np.zeros(n, np.int64), np.zeros(n), np.zeros(n, np.int64)
    rated[pos] = days.rating_count["pain"][rows]
    total[pos] = days.rating_sum["pain"][rows]
    sessions[pos] = days.sessions[rows]
    with np.errstate(invalid="ignore", divide="ignore"):
        pain = total / rated
    # Leg pain (optional): the mean of the day's leg ratings, NaN on days without one.
    leg_rated, leg_total = np.zeros(n, np.int64), np.zeros(n)
    leg_rated[pos] = days.rating_count["leg_pain"][rows]
    leg_total[pos] = days.rating_sum["leg_pain"][rows]
    with np.errstate(invalid="ignore", divide="ignore"):
        leg = leg_total / leg_rated
    # Trailing 7-day mean of the daily means, over the days with a rating.
    has = ~np.isnan(pain)
    total = np.concatenate([[0.0], np.cumsum(np.where(has, pain, 0.0))])
    count = np.concatenate([[0], np.cumsum(has)])
    window_total = total[TREND_DAYS:] - total[:-TREND_DAYS]
    window_count = count[TREND_DAYS:] - count[:-TREND_DAYS]
    with np.errstate(invalid="ignore", divide="ignore"):
        trend = np.where(window_count > 0, window_total / window_count, np.nan)
    shift = TREND_DAYS - 1
    flags, notes = np.full(len(dates), "", dtype=object), np.full(len(dates), "", dtype=object)
    inside = pos >= shift
    flags[pos[inside] - shift] = days.flags[rows][inside]
    notes[pos[inside] - shift] = days.notes[rows][inside]
    return pd.DataFrame(
        {
            "date": dates,
            "pain": pain[shift:],
            "trend": trend,
            "leg": leg[shift:],
            "sessions": sessions[shift:],
            "flags": pd.Series(flags, dtype=str),
            "notes": pd.Series(notes, dtype=str),
        }
    )


def period_start(dates: pd.Series, period: str) -> pd.Series:
    """The first day of each date's week (Monday) or month; a day is its own period."""
    if period == "week":
        return dates - pd.to_timedelta(dates.dt.day_of_week, unit="D")
    if period == "month":
        months = dates.to_numpy().astype("datetime64[M]").astype("datetime64[ns]")
        return pd.Series(months, index=dates.index, name=dates.name)
    return dates


def _groups(keys: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values of sorted `keys` and each row's group number."""
    values = keys.to_numpy()
    starts = np.flatnonzero(np.r_[True, values[1:] != values[:-1]]) if len(values) else []
    number = np.cumsum(np.r_[0, values[1:] != values[:-1]]) if len(values) else np.array([])
    return values[starts], number.astype(np.int64)


def adherence_by_period(
    daily: pd.DataFrame, sessions_per_day: int = 2, period: str = "week"
) -> pd.DataFrame:
    """Per week (Monday start) or month: sessions done (at most sessions_per_day a day),
    sessions prescribed for the days of that period inside the range, and the percentage."""
    if daily.empty:
        return pd.DataFrame(
            {"period": pd.Series(dtype="datetime64[ns]"), "done": pd.Series(dtype="int64"),
             "prescribed": pd.Series(dtype="int64"), "percent": pd.Series(dtype="float64")}
        )  # fmt: skip
    starts, group = _groups(period_start(daily["date"], period))
    capped = daily["sessions"].clip(upper=sessions_per_day).to_numpy(dtype=np.int64)
    done = np.bincount(group, weights=capped).astype(np.int64)
    prescribed = np.bincount(group).astype(np.int64) * sessions_per_day
    return pd.DataFrame(
        {
            "period": pd.Series(starts).astype("datetime64[ns]"),
            "done": done,
            "prescribed": prescribed,
            "percent": done / prescribed * 100,
        }
    )


# Beyond these many days a chart would ship thousands of marks: the pain chart shows weekly
# (then monthly) means, adherence monthly bars, and the calendar the range's last 26 weeks.
DAILY_POINTS_MAX = 183
WEEKLY_POINTS_MAX = 3 * 365
WEEKLY_BARS_MAX = 371
CALENDAR_DAYS = 182


def pain_points(daily: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """The pain chart's points: the daily frame itself over up to six months, else weekly
    (up to three years) or monthly means. A period's pain is the mean of its rated days and
    its trend the mean of its days' 7-day means, so long ranges keep the same shape."""
    days = len(daily)
    if days <= DAILY_POINTS_MAX:
        return daily, "day"
    period = "week" if days <= WEEKLY_POINTS_MAX else "month"
    starts, group = _groups(period_start(daily["date"], period))
    n = len(starts)

    def mean(values: np.ndarray) -> np.ndarray:
        has = ~np.isnan(values)
        total = np.bincount(group, weights=np.where(has, values, 0.0), minlength=n)
        count = np.bincount(group, weights=has, minlength=n)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(count > 0, total / count, np.nan)

    noted = np.bincount(group, weights=daily["notes"].to_numpy(dtype=object) != "", minlength=n)
    flags = [""] * n
    all_flags = daily["flags"].to_numpy(dtype=object)
    flagged = all_flags != ""
    for g, text in zip(group[flagged], all_flags[flagged], strict=True):
        flags[g] = merge_flags([flags[g], text])
    return pd.DataFrame(
        {
            "date": pd.Series(starts).astype("datetime64[ns]"),
            "pain": mean(daily["pain"].to_numpy(dtype=float)),
            "trend": mean(daily["trend"].to_numpy(dtype=float)),
            "leg": mean(daily["leg"].to_numpy(dtype=float))
            if "leg" in daily.columns
            else np.full(n, np.nan),
            "sessions": np.bincount(
                group, weights=daily["sessions"].to_numpy(), minlength=n
            ).astype(np.int64),
            "flags": pd.Series(flags, dtype=str),
            "notes": pd.Series(
                [f"{plural(int(k), 'note')}" if k else "" for k in noted], dtype=str
            ),
        }
    ), period


@dataclass(frozen=True, eq=False)
class ChartFrames:
    """Everything the pain and adherence charts draw for one range, sized for the screen."""

    start: date
    end: date
    daily: pd.DataFrame  # every day of the range (see daily_summary)
    pain: pd.DataFrame  # daily, or weekly/monthly means over long ranges (see pain_points)
    pain_period: str  # "day", "week" or "month"
    calendar: pd.DataFrame  # the last CALENDAR_DAYS days of the range
    adherence: pd.DataFrame  # per period: done, prescribed, percent
    adherence_period: str  # "week" or "month"
    shares: pd.DataFrame  # per exercise (see exercise_shares)

    @property
    def calendar_cut(self) -> bool:
        return len(self.calendar) < len(self.daily)


def chart_frames(
    journal: pd.DataFrame,
    programme: Programme,
    start: date,
    end: date,
    days: DaySummary | None = None,
) -> ChartFrames:
    """The frames behind the Progress page, the Report page and the PDF, for start..end
    (`days`: the journal's per-day summary, when at hand)."""
    daily = daily_summary(journal, start, end, days)
    pain, pain_period = pain_points(daily)
    period = "week" if len(daily) <= WEEKLY_BARS_MAX else "month"
    return ChartFrames(
        start=start,
        end=end,
        daily=daily,
        pain=pain,
        pain_period=pain_period,
        calendar=daily.tail(CALENDAR_DAYS).reset_index(drop=True),
        adherence=adherence_by_period(daily, programme.sessions_per_day, period),
        adherence_period=period,
        shares=exercise_shares(journal, programme, start, end),
    )


def exercise_shares(
    journal: pd.DataFrame, programme: Programme, start: date, end: date
) -> pd.DataFrame:
    """Per exercise: reps done as a share of the prescribed dose over start..end.

    The dose per session is the prescription's minimum (3 of '3-5'); each session counts
    at most its dose, so doing extra one day does not hide a skipped day. The sessions
    prescribed are sessions_per_day for every day in the range.
    """
    inside = between(journal, start, end)
    sessions = range_days(start, end) * programme.sessions_per_day
    rows = []
    for ex in programme.exercises:
        done = inside[ex.id].to_numpy() if ex.id in inside.columns else np.zeros(0, np.int64)
        counted = int(np.minimum(done, ex.reps_min).sum())
        prescribed = ex.reps_min * sessions
        rows.append(
            {
                "exercise": ex.name,
                "id": ex.id,
                "sessions_done": int((done > 0).sum()),
                "reps_done": int(done.sum()),
                "reps_prescribed": prescribed,
                "percent": counted / prescribed * 100 if prescribed else 0.0,
            }
        )
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class TodayStatus:
    today: date
    day: int | None  # day N of the programme, None before the first entry
    done_slots: tuple[str, ...]  # slots with a session done today
    logged_slots: tuple[str, ...]  # slots with any entry today (pain-only included)
    slots_left: tuple[str, ...]  # slots with no entry today
    full_days_last_7: int  # days with every session done, in the 7 days ending today
    check: CheckResult
    due: Due = Due(None, False)  # the outcome questions due today


def today_status(
    journal: pd.DataFrame,
    today: date,
    start: date | None,
    sessions_per_day: int = 2,
    *,
    outcomes: Sequence[Outcome] = (),
    barrier: str | None = None,
    days: DaySummary | None = None,
) -> TodayStatus:
    """What the Today page shows: today's sessions, day N, the last 7 days, the check, and
    which outcome questions (PSFS, PGIC) are due."""
    todays = between(journal, today, today)
    done = tuple(s for s in SLOTS if s in set(todays.loc[todays["done"], "slot"]))
    logged = tuple(s for s in SLOTS if s in set(todays["slot"]))
    daily = daily_summary(journal, today - timedelta(days=6), today, days)
    full_days = int((daily["sessions"] >= sessions_per_day).sum())
    first = programme_start(between(journal, None, today), start)
    day = programme_day(first, today) if first is not None and first <= today else None
    return TodayStatus(
        today=today,
        day=day,
        done_slots=done,
        logged_slots=logged,
        slots_left=tuple(s for s in SLOTS if s not in logged),
        full_days_last_7=full_days,
        check=two_week_check(
            journal,
            as_of=today,
            start=start,
            sessions_per_day=sessions_per_day,
            outcomes=outcomes,
            barrier=barrier,
        ),  # fmt: skip
        due=outcome_due(first, today, outcomes),
    )
