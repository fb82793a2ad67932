"""The two-week progress check: has pain changed meaningfully since the first week?

One pure implementation shared by every page, the CLI and the PDF report, so they all
reach the same verdict and print the same numbers. A meaningful change in back pain is
2 points on the 0-10 scale or 30% (Farrar 2001; Ostelo 2008). The check never diagnoses:
it compares numbers and says what to do next.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

import numpy as np
import pandas as pd

from backtrack.fmt import (
    fmt_adherence,
    fmt_change,
    fmt_date,
    fmt_fraction,
    fmt_pain,
    fmt_pct,
    fmt_points,
)
from backtrack.programme import sessions_text
from backtrack.symptoms import FLAG_IDS, advice_level, merge_flags, split_flags, urgent_advice

CHECK_DAY = 14  # the first day on which the check can be made
WINDOW_DAYS = 7  # length of the baseline and the recent window
MIN_RATED_DAYS = 3  # days with a pain rating needed in each window
RED_FLAG_DAYS = 14  # red flags are reported for the 14 days ending on the as-of date
MEANINGFUL_POINTS = 2.0
MEANINGFUL_FRACTION = 0.30
MIN_ADHERENCE = 0.70
TOLERANCE = 1e-9  # so that exactly 2 points / 30% / 70% reach the threshold

_EVIDENCE = (
    f"A change of {fmt_points(MEANINGFUL_POINTS)} points or {fmt_fraction(MEANINGFUL_FRACTION)} "
    "is the smallest that people usually notice as a real difference (Farrar 2001; Ostelo 2008)."
)
_RATINGS_NEEDED = (
    f"pain ratings on at least {MIN_RATED_DAYS} of the first {WINDOW_DAYS} days and "
    f"{MIN_RATED_DAYS} of the last {WINDOW_DAYS}"
)
BASELINE_DAYS = f"days 1-{WINDOW_DAYS}"

RedFlagDates = tuple[tuple[date, tuple[str, ...]], ...]


class Status(StrEnum):
    """Outcome of the two-week check; the value is the name (stable for JSON and the CLI)."""

    TOO_EARLY = "TOO_EARLY"
    NOT_ENOUGH_DATA = "NOT_ENOUGH_DATA"
    WORSE = "WORSE"
    IMPROVING = "IMPROVING"
    LOW_ADHERENCE = "LOW_ADHERENCE"
    NO_CLEAR_PROGRESS = "NO_CLEAR_PROGRESS"


HEADLINES: dict[Status, str] = {
    Status.TOO_EARLY: "Too early to judge",
    Status.NOT_ENOUGH_DATA: "Not enough pain ratings yet",
    Status.WORSE: "Pain is worse",
    Status.IMPROVING: "Improving",
    Status.LOW_ADHERENCE: "Too few sessions to judge",
    Status.NO_CLEAR_PROGRESS: "No clear progress: time to see an osteopath",
}


@dataclass(frozen=True)
class CheckResult:
    """The verdict of the two-week check with every number behind it."""

    status: Status
    as_of: date
    start: date | None  # day 1
    day: int | None  # day N of the as-of date
    baseline_pain: float | None  # mean daily pain, days 1-7
    recent_pain: float | None  # mean daily pain, the 7 days ending on as_of
    change: float | None  # recent - baseline, in points
    change_pct: float | None  # change as a percentage of baseline
    adherence: float | None  # sessions_done / sessions_prescribed, 0-1
    sessions_done: int | None
    sessions_prescribed: int | None
    baseline_days: int  # days with a pain rating in days 1-7
    recent_days: int  # days with a pain rating in the recent 7 days
    red_flag_dates: RedFlagDates
    headline: str
    message: str
    check_from: date | None = None  # the date of day 14, when the check can first be made

    @property
    def red_flags(self) -> tuple[str, ...]:
        """The red-flag ids logged in the 14-day window, each once, in the symptoms' order."""
        logged = split_flags(merge_flags(";".join(ids) for _, ids in self.red_flag_dates))
        return tuple(sorted(logged, key=lambda f: FLAG_IDS.index(f) if f in FLAG_IDS else 99))

    def to_json(self) -> dict[str, Any]:
        """A JSON-serialisable dict (ISO dates, floats rounded for display only)."""
        level = advice_level(self.red_flags)
        return {
            "status": self.status.value,
            "headline": self.headline,
            "day": self.day,
            "as_of": self.as_of.isoformat(),
            "start": self.start.isoformat() if self.start else None,
            "baseline_pain": _round(self.baseline_pain, 2),
            "recent_pain": _round(self.recent_pain, 2),
            "change": _round(self.change, 2),
            "change_pct": _round(self.change_pct, 1),
            "adherence": _round(self.adherence, 4),
            "sessions_done": self.sessions_done,
            "sessions_prescribed": self.sessions_prescribed,
            "baseline_days": self.baseline_days,
            "recent_days": self.recent_days,
            "red_flags": [
                {"date": d.isoformat(), "flags": list(flags)} for d, flags in self.red_flag_dates
            ],
            "advice_level": None if level is None else level.value,
            "advice": urgent_advice(self.red_flags),
            "message": self.message,
        }


# ---------------------------------------------------------------- helpers


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(float(value), digits)


# ---------------------------------------------------------------- data helpers


def daily_pain(journal: pd.DataFrame) -> pd.DataFrame:
    """Mean pain per calendar day (columns date, pain), sorted by date.

    A day with a morning and an evening entry counts once, at their mean, so days
    with two entries do not weigh double in any average built on it.
    """
    frame = pd.DataFrame(
        {
            "date": _dates(journal),
            "pain": pd.to_numeric(journal["pain"], errors="coerce").astype("float64"),
        }
    ).dropna(subset=["pain"])
    out = frame.groupby("date", sort=True)["pain"].mean().reset_index()
    out["pain"] = out["pain"].astype("float64")
    return out


def programme_start(journal: pd.DataFrame, start: date | None = None) -> date | None:
    """Day 1 of the programme: the user's start date if set, else the first entry's date."""
    if start is not None:
        return _to_date(start)
    if journal.empty:
        return None
    first = _dates(journal).min()
    return None if pd.isna(first) else first.date()


def meaningful_improvement_level(baseline: float) -> float:
    """The pain at or below which the change from `baseline` counts as a meaningful
    improvement: baseline - min(MEANINGFUL_POINTS, MEANINGFUL_FRACTION x baseline)."""
    return baseline - min(MEANINGFUL_POINTS, MEANINGFUL_FRACTION * baseline)


def programme_day(day1: date, on: date) -> int:
    """Day N of the programme on `on`: day 1 is `day1` (0 or less before it starts)."""
    return (on - day1).days + 1


def between(journal: pd.DataFrame, first: date | None, last: date | None) -> pd.DataFrame:
    """The journal's rows dated first..last (inclusive; None: no bound). The journal frame
    is kept in date order, so this is a slice found by binary search, not a copy of every
    row through a mask (a frame in another order is masked)."""
    dates = journal["date"]
    lo = None if first is None else pd.Timestamp(first)
    hi = None if last is None else pd.Timestamp(last)
    if dates.is_monotonic_increasing and dates.dtype == "datetime64[ns]":
        values = dates.to_numpy()
        a = 0 if lo is None else int(np.searchsorted(values, lo.to_datetime64(), "left"))
        b = len(values) if hi is None else int(np.searchsorted(values, hi.to_datetime64(), "right"))
        return journal.iloc[a:b]
    mask = pd.Series(True, index=journal.index)
    if lo is not None:
        mask &= dates >= lo
    if hi is not None:
        mask &= dates <= hi
    return journal[mask]


def _dates(journal: pd.DataFrame) -> pd.Series:
    """The journal's date column as midnight datetime64[ns] (robust to string dates)."""
    column = journal["date"]
    if column.dtype == "datetime64[ns]":
        ns = column.to_numpy().view(np.int64)
        if not (ns % _DAY_NS).any():  # the store's frame: already midnight, nothing to do
            return column
    return pd.to_datetime(column).dt.normalize().astype("datetime64[ns]")


_DAY_NS = 86_400 * 10**9


def _normalised(journal: pd.DataFrame) -> bool:
    """True when the date column is already midnight datetime64[ns] (the store's frame)."""
    return _dates(journal) is journal["date"]


def _to_date(value: date | datetime | pd.Timestamp | str) -> date:
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return pd.Timestamp(value).date()


def _window_mean(
    offset: np.ndarray, pain: np.ndarray, first: int, last: int
) -> tuple[float | None, int]:
    """Mean of daily pain over days first..last (offsets from day 1, inclusive), and the
    number of rated days. A day with two ratings counts once, at their mean."""
    rated = (offset >= first) & (offset <= last) & ~np.isnan(pain)
    days, index = np.unique(offset[rated], return_inverse=True)
    if not len(days):
        return None, 0
    daily = np.bincount(index, weights=pain[rated]) / np.bincount(index)
    return float(daily.mean()), int(len(days))


def _red_flags(journal: pd.DataFrame, dates: pd.Series, as_of: date) -> RedFlagDates:
    """Dates in the 14 days ending on as_of with any flag logged, with the flag ids."""
    if "flags" not in journal.columns or journal.empty:
        return ()
    last = pd.Timestamp(as_of)
    first = last - pd.Timedelta(days=RED_FLAG_DAYS - 1)
    flags = journal["flags"].fillna("").astype(str).str.strip()
    mask = (dates >= first) & (dates <= last) & (flags != "")
    if not mask.any():
        return ()
    by_day: dict[date, list[str]] = {}
    # At most a few dozen rows remain, so a Python loop is fine here.
    for when, text in sorted(zip(dates[mask], flags[mask], strict=True), key=lambda p: p[0]):
        by_day.setdefault(when.date(), []).append(text)
    days = ((d, split_flags(merge_flags(texts))) for d, texts in by_day.items())
    return tuple((d, ids) for d, ids in days if ids)


# ---------------------------------------------------------------- the check


def two_week_check(
    journal: pd.DataFrame,
    as_of: date | None = None,
    start: date | None = None,
    *,
    sessions_per_day: int = 2,
) -> CheckResult:
    """Compare the first week's pain with the last 7 days and say what to do next.

    Entries after as_of (default today) and, when the user set a start date, before it
    are ignored. See Status for the verdicts; thresholds are compared with TOLERANCE
    (1e-9) so exactly 2 points, 30% and 70% adherence reach them.
    """
    if sessions_per_day < 1:
        raise ValueError("sessions_per_day must be at least 1")
    as_of_d = date.today() if as_of is None else _to_date(as_of)
    start_d = None if start is None else _to_date(start)

    journal = journal.assign(date=_dates(journal)) if not _normalised(journal) else journal
    flag_window = between(journal, as_of_d - timedelta(days=RED_FLAG_DAYS - 1), as_of_d)
    red_flags = _red_flags(flag_window, flag_window["date"], as_of_d)
    used = between(journal, start_d, as_of_d)
    used_dates = used["date"]

    if used.empty:
        return _no_entries(as_of_d, start_d, red_flags)

    day1 = start_d if start_d is not None else used_dates.min().date()
    n = programme_day(day1, as_of_d)
    check_from = day1 + timedelta(days=CHECK_DAY - 1)

    # Each entry's day as an offset from day 1; the windows and the sessions are counted
    # in numpy over these (pandas' per-call cost dominated over a long journal).
    offset = (used_dates.to_numpy() - np.datetime64(day1, "ns")) // np.timedelta64(1, "D")
    pain = pd.to_numeric(used["pain"], errors="coerce").to_numpy(dtype=float)
    baseline, baseline_days = _window_mean(offset, pain, 0, WINDOW_DAYS - 1)
    recent, recent_days = _window_mean(offset, pain, n - WINDOW_DAYS, n - 1)
    change = None if baseline is None or recent is None else recent - baseline
    change_pct = None if change is None or not baseline else change / baseline * 100

    done = used["done"].fillna(False).astype(bool).to_numpy()
    per_day = np.bincount(offset[done].astype(np.int64), minlength=1)
    sessions_done = int(np.minimum(per_day, sessions_per_day).sum())
    sessions_prescribed = sessions_per_day * n
    adherence = sessions_done / sessions_prescribed

    if n < CHECK_DAY:
        status = Status.TOO_EARLY
    elif baseline_days < MIN_RATED_DAYS or recent_days < MIN_RATED_DAYS:
        status = Status.NOT_ENOUGH_DATA
    elif change >= MEANINGFUL_POINTS - TOLERANCE:
        status = Status.WORSE
    elif -change >= MEANINGFUL_POINTS - TOLERANCE or (
        baseline > 0 and -change / baseline >= MEANINGFUL_FRACTION - TOLERANCE
    ):
        status = Status.IMPROVING
    elif adherence < MIN_ADHERENCE - TOLERANCE:
        status = Status.LOW_ADHERENCE
    else:
        status = Status.NO_CLEAR_PROGRESS

    result = CheckResult(
        status=status,
        as_of=as_of_d,
        start=day1,
        day=n,
        baseline_pain=baseline,
        recent_pain=recent,
        change=change,
        change_pct=change_pct,
        adherence=adherence,
        sessions_done=sessions_done,
        sessions_prescribed=sessions_prescribed,
        baseline_days=baseline_days,
        recent_days=recent_days,
        red_flag_dates=red_flags,
        headline=HEADLINES[status],
        message="",
        check_from=check_from,
    )
    return _with_message(result, sessions_per_day)


def _no_entries(as_of: date, start: date | None, red_flags: RedFlagDates) -> CheckResult:
    since = f"since your programme start on {fmt_date(start)}" if start else "yet"
    if start is not None and start > as_of:
        since = f"yet: your programme starts on {fmt_date(start)}"
    message = (
        f"There are no journal entries {since}. Log each exercise session with a pain "
        f"rating from 0 to 10; the two-week check can be made from day {CHECK_DAY} and "
        f"needs {_RATINGS_NEEDED}."
    )
    return CheckResult(
        status=Status.NOT_ENOUGH_DATA,
        as_of=as_of,
        start=start,
        day=None,
        baseline_pain=None,
        recent_pain=None,
        change=None,
        change_pct=None,
        adherence=None,
        sessions_done=None,
        sessions_prescribed=None,
        baseline_days=0,
        recent_days=0,
        red_flag_dates=red_flags,
        headline=HEADLINES[Status.NOT_ENOUGH_DATA],
        message=message,
    )


def _with_message(r: CheckResult, sessions_per_day: int) -> CheckResult:
    """Fill in the plain-language message: the numbers, what they mean, what to do next."""
    how_often = sessions_text(sessions_per_day)
    sessions = (
        f"{r.sessions_done} of {r.sessions_prescribed} sessions "
        f"({fmt_adherence(r.adherence)}) over days 1-{r.day}"
    )
    first = "no pain ratings" if r.baseline_pain is None else f"{fmt_pain(r.baseline_pain)}/10"
    last = "no pain ratings" if r.recent_pain is None else f"{fmt_pain(r.recent_pain)}/10"
    pain = (
        f"Average pain in your first week ({BASELINE_DAYS}): {first}; in the last "
        f"{WINDOW_DAYS} days: {last}"
    )
    if r.change is not None:
        pct = "" if r.change_pct is None else f", {fmt_pct(r.change_pct)}"
        pain += f" (change {fmt_change(r.change)} points{pct})"
    pain += "."

    if r.status is Status.TOO_EARLY:
        text = (
            f"Day {r.day} of your programme. The two-week check can first be made on "
            f"{fmt_date(r.check_from)} (day {CHECK_DAY}). Until then, do the exercises "
            f"{how_often} and rate your pain each time: the check needs {_RATINGS_NEEDED}. "
            f"So far: {pain} "
            f"You have done {sessions}."
        )
    elif r.status is Status.NOT_ENOUGH_DATA:
        missing = []
        if r.baseline_days < MIN_RATED_DAYS:
            missing.append(f"{r.baseline_days} of the first {WINDOW_DAYS} days ({BASELINE_DAYS})")
        if r.recent_days < MIN_RATED_DAYS:
            missing.append(f"{r.recent_days} of the last {WINDOW_DAYS} days")
        text = (
            f"Day {r.day}: too few pain ratings to compare. You rated your pain on "
            f"{' and on '.join(missing)}; the check can be made with {_RATINGS_NEEDED}. "
            f"{pain} Keep rating your pain at every session."
        )
        if r.baseline_days < MIN_RATED_DAYS:
            text += (
                " The first week cannot be filled in afterwards: to start a fresh two-week "
                "check, set a new programme start date, or ask your osteopath or "
                "physiotherapist how to judge your progress."
            )
    elif r.status is Status.WORSE:
        text = (
            f"Day {r.day}: your pain is worse than in your first week. {pain} {_EVIDENCE} "
            f"You did {sessions}. Please book an appointment with your osteopath or "
            "physiotherapist to review your back and your programme."
        )
    elif r.status is Status.IMPROVING:
        text = (
            f"Day {r.day}: your pain has improved meaningfully since your first week. {pain} "
            f"{_EVIDENCE} You did {sessions}. Keep going with the exercises "
            f"{how_often} as prescribed."
        )
    elif r.status is Status.LOW_ADHERENCE:
        text = (
            f"Day {r.day}: your pain has not changed meaningfully yet. {pain} You did "
            f"{sessions}; at least {fmt_fraction(MIN_ADHERENCE)} is needed to judge whether "
            "the exercises help. "
            f"Try two more weeks of consistent sessions, {how_often}, then check again."
        )
    else:
        text = (
            f"Day {r.day}: no clear progress. {pain} {_EVIDENCE} You did {sessions}, so "
            "the exercises have had a fair trial. Time to see an osteopath or "
            "physiotherapist: book an appointment to review your back and your programme."
        )
    return replace(r, message=text)
