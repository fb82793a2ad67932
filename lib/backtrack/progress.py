"""The two-week progress check (v2): has the back changed meaningfully since the first week?

One pure implementation shared by every page, the CLI and the PDF report, so they all
reach the same verdict and print the same numbers. It weighs four measures:
- back pain and leg pain (0-10): a meaningful change is 2 points, or 30% and at least
  1 point (Farrar JT et al., Pain 2001;94:149-158; Ostelo RW et al., Spine 2008;33:90-94);
- function, the PSFS mean (0-10): 2 points (Stratford et al., Physiotherapy Canada 1995);
- the person's own verdict, the PGIC: "much" or "very much" improved (Farrar 2001).
70% of the prescribed sessions for a fair trial is BackTrack's own rule, not a clinical
standard. The check never diagnoses: it compares numbers and says what to do next.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
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
from backtrack.outcomes import (
    PGIC_IMPROVED,
    PGIC_OPTIONS,
    PGIC_WORSE,
    PSFS_MEANINGFUL,
    Outcome,
    common_means,
    pgic_answers,
    psfs_ratings,
)
from backtrack.programme import sessions_text
from backtrack.symptoms import FLAG_IDS, advice_level, merge_flags, split_flags, urgent_advice

CHECK_DAY = 14  # the first day on which the check can be made
WINDOW_DAYS = 7  # length of the baseline and the recent window
MIN_RATED_DAYS = 3  # days with a pain rating needed in each window
RED_FLAG_DAYS = 14  # red flags are reported for the 14 days ending on the as-of date
MEANINGFUL_POINTS = 2.0
MEANINGFUL_FRACTION = 0.30
MIN_RELATIVE_POINTS = 1.0  # a 30% change counts only when it is also at least 1 point
MIN_ADHERENCE = 0.70
TOLERANCE = 1e-9  # so that exactly 2 points / 30% / 70% reach the threshold

_EVIDENCE = (
    f"BackTrack's rule: a change in pain of {fmt_points(MEANINGFUL_POINTS)} points, or of "
    f"{fmt_fraction(MEANINGFUL_FRACTION)} and at least {fmt_points(MIN_RELATIVE_POINTS)} point, "
    "is the smallest that people usually notice as a real difference (Farrar 2001; Ostelo 2008)."
)
_PSFS_EVIDENCE = (
    f"A rise of {fmt_points(PSFS_MEANINGFUL)} points in the mean score of your activities "
    "(PSFS) is the smallest meaningful one (Stratford 1995)."
)
_PGIC_EVIDENCE = (
    "Saying your back is much or very much improved marks a change people find important "
    "(Farrar 2001)."
)
_ADHERENCE_RULE = (
    f"BackTrack's rule is that {fmt_fraction(MIN_ADHERENCE)} of the prescribed sessions make a "
    "fair trial (its own rule of thumb, not a clinical standard)"
)
# The measures that can support a verdict (CheckResult.signals), in this order.
SIGNALS = ("pain", "leg_pain", "function", "pgic")
# "What got in the way?" when too few sessions were done (LOW_ADHERENCE).
BARRIERS: dict[str, str] = {
    "pain_worse": "The exercises made my pain worse",
    "no_time": "No time",
    "forgot": "I forgot",
    "felt_better": "I felt better",
    "other": "Something else",
}
BARRIER_SETTING = "adherence_barrier"  # the settings key: {"reason": id, "on": ISO date}
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
    leg_baseline: float | None = None  # mean daily leg pain, days 1-7
    leg_recent: float | None = None  # mean daily leg pain, the recent 7 days
    leg_change: float | None = None  # only with MIN_RATED_DAYS rated days in both windows
    leg_baseline_days: int = 0
    leg_recent_days: int = 0
    psfs_baseline: float | None = None  # PSFS mean in days 1-7 (over the items compared)
    psfs_recent: float | None = None  # the latest PSFS mean in the recent 7 days
    psfs_change: float | None = None
    psfs_dates: tuple[date, date] | None = None  # (baseline, follow-up) compared
    pgic: int | None = None  # the latest PGIC answer in the recent 7 days (1-7)
    pgic_date: date | None = None
    signals: tuple[str, ...] = ()  # the measures behind WORSE/IMPROVING, from SIGNALS
    barrier: str | None = None  # what got in the way (BARRIERS), for LOW_ADHERENCE
    summary: str = ""  # the verdict about the person, for the practitioner's report

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
            "leg_baseline": _round(self.leg_baseline, 2),
            "leg_recent": _round(self.leg_recent, 2),
            "leg_change": _round(self.leg_change, 2),
            "psfs_baseline": _round(self.psfs_baseline, 2),
            "psfs_recent": _round(self.psfs_recent, 2),
            "psfs_change": _round(self.psfs_change, 2),
            "pgic": self.pgic,
            "signals": list(self.signals),
            "barrier": self.barrier,
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
    improvement: a drop of MEANINGFUL_POINTS, or of MEANINGFUL_FRACTION x baseline when that
    is at least MIN_RELATIVE_POINTS (below 0 when no rating can reach it)."""
    return baseline - min(
        MEANINGFUL_POINTS, max(MIN_RELATIVE_POINTS, MEANINGFUL_FRACTION * baseline)
    )


def meaningful_improvement(baseline: float, recent: float) -> bool:
    """True when pain fell meaningfully from `baseline` to `recent` (thresholds included)."""
    drop = baseline - recent
    return drop >= MEANINGFUL_POINTS - TOLERANCE or (
        baseline > 0
        and drop / baseline >= MEANINGFUL_FRACTION - TOLERANCE
        and drop >= MIN_RELATIVE_POINTS - TOLERANCE
    )


def meaningful_worsening(baseline: float, recent: float) -> bool:
    """True when pain rose by MEANINGFUL_POINTS or more (the threshold included)."""
    return recent - baseline >= MEANINGFUL_POINTS - TOLERANCE


def barrier_setting(reason: str, on: date) -> str:
    """The stored answer to "What got in the way?" (settings key BARRIER_SETTING)."""
    if reason not in BARRIERS:
        raise ValueError(f"reason: {reason!r} is not one of {', '.join(BARRIERS)}")
    return json.dumps({"reason": reason, "on": on.isoformat()})


def current_barrier(value: str | None, as_of: date) -> str | None:
    """The stored answer if it was given in the WINDOW_DAYS ending on `as_of` (an older
    answer, or one written outside BackTrack that cannot be read, counts as none)."""
    try:
        data = json.loads(value) if value else None
        reason, on = data["reason"], date.fromisoformat(data["on"])
    except (ValueError, TypeError, KeyError):
        return None
    if reason not in BARRIERS or not 0 <= (as_of - on).days < WINDOW_DAYS:
        return None
    return reason


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
    outcomes: Sequence[Outcome] = (),
    barrier: str | None = None,
) -> CheckResult:
    """Compare the first week with the last 7 days and say what to do next.

    Entries and outcome records after as_of (default today) and, when the user set a start
    date, before it are ignored. The first rule that holds (see Status): TOO_EARLY before
    day 14; NOT_ENOUGH_DATA with fewer than 3 back-pain-rated days in either window; WORSE
    when back pain, or leg pain (3 rated days in both windows), rose by 2 points, or the
    latest PGIC in the recent window is 6 or 7; IMPROVING when back pain fell meaningfully
    (meaningful_improvement), or the PSFS mean rose by 2 (first rating in days 1-7 against
    the latest in the recent window, at least 7 days later, over the items rated in both),
    or the latest PGIC is 1 or 2; LOW_ADHERENCE under 70% of the prescribed sessions;
    otherwise NO_CLEAR_PROGRESS. Thresholds are met exactly (TOLERANCE, 1e-9). `barrier` is
    the person's answer to "What got in the way?" (BARRIERS), used for LOW_ADHERENCE.
    """
    if sessions_per_day < 1:
        raise ValueError("sessions_per_day must be at least 1")
    if barrier is not None and barrier not in BARRIERS:
        raise ValueError(f"barrier: {barrier!r} is not one of {', '.join(BARRIERS)}")
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
    recent_first = n - WINDOW_DAYS  # offsets from day 1 of the recent window

    # Each entry's day as an offset from day 1; the windows and the sessions are counted
    # in numpy over these (pandas' per-call cost dominated over a long journal).
    offset = (used_dates.to_numpy() - np.datetime64(day1, "ns")) // np.timedelta64(1, "D")
    pain = pd.to_numeric(used["pain"], errors="coerce").to_numpy(dtype=float)
    baseline, baseline_days = _window_mean(offset, pain, 0, WINDOW_DAYS - 1)
    recent, recent_days = _window_mean(offset, pain, recent_first, n - 1)
    change = None if baseline is None or recent is None else recent - baseline
    change_pct = None if change is None or not baseline else change / baseline * 100

    if "leg_pain" in used.columns:
        leg = pd.to_numeric(used["leg_pain"], errors="coerce").to_numpy(dtype=float)
    else:
        leg = np.full(len(used), np.nan)
    leg_baseline, leg_baseline_days = _window_mean(offset, leg, 0, WINDOW_DAYS - 1)
    leg_recent, leg_recent_days = _window_mean(offset, leg, recent_first, n - 1)
    leg_change = None
    if min(leg_baseline_days, leg_recent_days) >= MIN_RATED_DAYS:
        leg_change = leg_recent - leg_baseline  # type: ignore[operator]

    psfs = _psfs(outcomes, day1, as_of_d, n)
    pgic = _latest_pgic(outcomes, day1, as_of_d, n)

    done = used["done"].fillna(False).astype(bool).to_numpy()
    per_day = np.bincount(offset[done].astype(np.int64), minlength=1)
    sessions_done = int(np.minimum(per_day, sessions_per_day).sum())
    sessions_prescribed = sessions_per_day * n
    adherence = sessions_done / sessions_prescribed

    signals: tuple[str, ...] = ()
    if n < CHECK_DAY:
        status = Status.TOO_EARLY
    elif baseline_days < MIN_RATED_DAYS or recent_days < MIN_RATED_DAYS:
        status = Status.NOT_ENOUGH_DATA
    else:
        worse = {
            "pain": meaningful_worsening(baseline, recent),  # type: ignore[arg-type]
            "leg_pain": leg_change is not None and leg_change >= MEANINGFUL_POINTS - TOLERANCE,
            "pgic": pgic is not None and pgic[1] in PGIC_WORSE,
        }
        better = {
            "pain": meaningful_improvement(baseline, recent),  # type: ignore[arg-type]
            "function": psfs[2] is not None and psfs[2] >= PSFS_MEANINGFUL - TOLERANCE,
            "pgic": pgic is not None and pgic[1] in PGIC_IMPROVED,
        }
        if any(worse.values()):
            status, signals = Status.WORSE, _signals(worse)
        elif any(better.values()):
            status, signals = Status.IMPROVING, _signals(better)
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
        leg_baseline=leg_baseline,
        leg_recent=leg_recent,
        leg_change=leg_change,
        leg_baseline_days=leg_baseline_days,
        leg_recent_days=leg_recent_days,
        psfs_baseline=psfs[0],
        psfs_recent=psfs[1],
        psfs_change=psfs[2],
        psfs_dates=psfs[3],
        pgic=None if pgic is None else pgic[1],
        pgic_date=None if pgic is None else pgic[0],
        signals=signals,
        barrier=barrier if status is Status.LOW_ADHERENCE else None,
    )
    return _with_message(result, sessions_per_day)


def _signals(found: dict[str, bool]) -> tuple[str, ...]:
    return tuple(s for s in SIGNALS if found.get(s))


def _psfs(
    outcomes: Sequence[Outcome], day1: date, as_of: date, n: int
) -> tuple[float | None, float | None, float | None, tuple[date, date] | None]:
    """(baseline mean, follow-up mean, change, (baseline date, follow-up date)): the first
    PSFS rating in days 1-7 against the latest in the recent window at least WINDOW_DAYS
    later, over the items rated in both. Without a follow-up: the baseline's own mean."""
    ratings = [r for r in psfs_ratings(outcomes) if day1 <= r.date <= as_of]
    first = next((r for r in ratings if programme_day(day1, r.date) <= WINDOW_DAYS), None)
    if first is None:
        return None, None, None, None
    recent_from = day1 + timedelta(days=n - WINDOW_DAYS)
    later = [
        r for r in ratings if r.date >= recent_from and (r.date - first.date).days >= WINDOW_DAYS
    ]
    means = common_means(first, later[-1]) if later else None
    if means is None:
        return first.mean, None, None, None
    return means[0], means[1], means[1] - means[0], (first.date, later[-1].date)


def _latest_pgic(
    outcomes: Sequence[Outcome], day1: date, as_of: date, n: int
) -> tuple[date, int] | None:
    recent_from = day1 + timedelta(days=n - WINDOW_DAYS)
    answers = [a for a in pgic_answers(outcomes) if max(day1, recent_from) <= a[0] <= as_of]
    return answers[-1] if answers else None


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
        summary="No journal entries yet.",
    )


def _pain_line(r: CheckResult) -> str:
    first = "no pain ratings" if r.baseline_pain is None else f"{fmt_pain(r.baseline_pain)}/10"
    last = "no pain ratings" if r.recent_pain is None else f"{fmt_pain(r.recent_pain)}/10"
    pain = (
        f"Average back pain in your first week ({BASELINE_DAYS}): {first}; in the last "
        f"{WINDOW_DAYS} days: {last}"
    )
    if r.change is not None:
        pct = "" if r.change_pct is None else f", {fmt_pct(r.change_pct)}"
        pain += f" (change {fmt_change(r.change)} points{pct})"
    pain += "."
    if r.leg_baseline is not None or r.leg_recent is not None:
        a = "not rated" if r.leg_baseline is None else f"{fmt_pain(r.leg_baseline)}/10"
        b = "not rated" if r.leg_recent is None else f"{fmt_pain(r.leg_recent)}/10"
        pain += f" Leg pain: {a} then {b}"
        pain += f" (change {fmt_change(r.leg_change)} points)." if r.leg_change is not None else "."
    return pain


def _outcome_line(r: CheckResult) -> str:
    parts = []
    if r.psfs_change is not None:
        parts.append(
            f"Your activities' score (PSFS) went from {fmt_pain(r.psfs_baseline)} to "  # type: ignore[arg-type]
            f"{fmt_pain(r.psfs_recent)} out of 10 (change {fmt_change(r.psfs_change)} points)."  # type: ignore[arg-type]
        )
    if r.pgic is not None:
        parts.append(
            f"On {fmt_date(r.pgic_date)} you described your back as "  # type: ignore[arg-type]
            f"'{PGIC_OPTIONS[r.pgic].lower()}' since starting."
        )
    return " ".join(parts)


_WHAT_WORSE = {
    "pain": "your back pain is worse than in your first week",
    "leg_pain": "the pain down your leg is worse than in your first week",
    "pgic": "you said your back is {pgic} since starting",
}
_WHAT_BETTER = {
    "pain": "your back pain has come down meaningfully",
    "function": "you can do your chosen activities meaningfully better (PSFS)",
    "pgic": "you said your back is {pgic} since starting",
}
_BARRIER_ADVICE = {
    None: (
        "What got in the way? Your answer below helps you and your osteopath or "
        "physiotherapist plan the next two weeks."
    ),
    "pain_worse": (
        "You said the exercises made your pain worse: do not push on with an exercise that "
        "does. Get your programme reviewed now by your osteopath or physiotherapist."
    ),
    "no_time": (
        "You said time got in the way: pick two fixed times in the day that suit you; the "
        "Data page can add them to your calendar as reminders."
    ),
    "forgot": (
        "You said you forgot: the Data page can add your two daily sessions to your "
        "calendar as reminders."
    ),
    "felt_better": (
        "You said you felt better: that is good news. Tell your osteopath or "
        "physiotherapist; until then keep to the programme as prescribed."
    ),
    "other": "Your osteopath or physiotherapist can help you find a way to fit the sessions in.",
}


def _joined(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _with_message(r: CheckResult, sessions_per_day: int) -> CheckResult:
    """Fill in the plain-language message (to the person: the numbers, what they mean, what
    to do next) and the summary about them for the practitioner's report."""
    how_often = sessions_text(sessions_per_day)
    sessions = (
        f"{r.sessions_done} of {r.sessions_prescribed} sessions "
        f"({fmt_adherence(r.adherence)}) over days 1-{r.day}"
    )
    pain = _pain_line(r)
    outcome = _outcome_line(r)
    facts = f"{pain} {outcome}".strip()
    pgic_word = PGIC_OPTIONS[r.pgic].lower() if r.pgic is not None else ""
    evidence = " ".join(
        [_EVIDENCE]
        + ([_PSFS_EVIDENCE] if "function" in r.signals else [])
        + ([_PGIC_EVIDENCE] if "pgic" in r.signals and r.status is Status.IMPROVING else [])
    )

    if r.status is Status.TOO_EARLY:
        text = (
            f"Day {r.day} of your programme. The two-week check can first be made on "
            f"{fmt_date(r.check_from)} (day {CHECK_DAY}). Until then, do the exercises "
            f"{how_often} and rate your pain each time: the check needs {_RATINGS_NEEDED}. "
            f"So far: {facts} "
            f"You have done {sessions}."
        )
        summary = (
            f"Day {r.day}: too early to judge; the check can first be made on "
            f"{fmt_date(r.check_from)} (day {CHECK_DAY})."
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
            f"{facts} Keep rating your pain at every session."
        )
        if r.baseline_days < MIN_RATED_DAYS:
            text += (
                " The first week cannot be filled in afterwards: to start a fresh two-week "
                "check, set a new programme start date, or ask your osteopath or "
                "physiotherapist how to judge your progress."
            )
        summary = (
            f"Day {r.day}: too few back-pain ratings to judge (rated on {r.baseline_days} of "
            f"days 1-{WINDOW_DAYS} and {r.recent_days} of the last {WINDOW_DAYS} days; "
            f"{MIN_RATED_DAYS} of each needed)."
        )
    elif r.status is Status.WORSE:
        what = _joined([_WHAT_WORSE[s].format(pgic=pgic_word) for s in r.signals])
        text = (
            f"Day {r.day}: {what}. {facts} {_EVIDENCE} You did {sessions}. In the meantime: "
            "ease off any exercise that makes your pain worse, check the list of symptoms "
            "that need urgent advice (Exercises page), and see a GP, osteopath or "
            "physiotherapist soon: do not wait two more weeks."
        )
        summary = (
            f"Day {r.day}: worse since the first week ({_signal_text(r)}). The person was "
            "advised to ease off any exercise that aggravates, to check the red-flag list "
            "and to be seen soon."
        )
    elif r.status is Status.IMPROVING:
        what = _joined([_WHAT_BETTER[s].format(pgic=pgic_word) for s in r.signals])
        text = (
            f"Day {r.day}: you are improving: {what}. {facts} {evidence} You did {sessions}. "
            f"Keep going with the exercises {how_often} as prescribed."
        )
        summary = f"Day {r.day}: meaningful improvement ({_signal_text(r)})."
    elif r.status is Status.LOW_ADHERENCE:
        text = (
            f"Day {r.day}: no meaningful change yet. {facts} You did {sessions}. "
            f"{_ADHERENCE_RULE}, so it cannot tell yet whether the exercises help. "
            f"{_BARRIER_ADVICE[r.barrier]}"
        )
        if r.barrier != "pain_worse":
            text += f" Then try two more weeks, {how_often}, and check again."
        reason = f" Reason given: {BARRIERS[r.barrier].lower()}." if r.barrier else ""
        summary = (
            f"Day {r.day}: no meaningful change; {r.sessions_done} of {r.sessions_prescribed} "
            f"sessions ({fmt_adherence(r.adherence)}), under the {fmt_fraction(MIN_ADHERENCE)} "
            f"BackTrack takes as a fair trial.{reason}"
        )
    else:
        text = (
            f"Day {r.day}: no clear progress. {facts} {_EVIDENCE} You did {sessions}, so "
            "the exercises have had a fair trial. Time to see an osteopath or "
            "physiotherapist: book an appointment to review your back and your programme."
        )
        summary = (
            f"Day {r.day}: no meaningful change in back pain, leg pain, function or the "
            f"person's own rating after a fair trial ({r.sessions_done} of "
            f"{r.sessions_prescribed} sessions, {fmt_adherence(r.adherence)}); advised to "
            "book a review."
        )
    return replace(r, message=" ".join(text.split()), summary=summary)


def _signal_text(r: CheckResult) -> str:
    """The supporting measures with their figures, about the person (for the report)."""
    parts = []
    for s in r.signals:
        if s == "pain":
            parts.append(
                f"back pain {fmt_pain(r.baseline_pain)} to {fmt_pain(r.recent_pain)}"  # type: ignore[arg-type]
            )
        elif s == "leg_pain":
            parts.append(f"leg pain {fmt_pain(r.leg_baseline)} to {fmt_pain(r.leg_recent)}")  # type: ignore[arg-type]
        elif s == "function":
            parts.append(f"PSFS {fmt_pain(r.psfs_baseline)} to {fmt_pain(r.psfs_recent)}")  # type: ignore[arg-type]
        elif s == "pgic":
            parts.append(f"PGIC {r.pgic}, {PGIC_OPTIONS[r.pgic].lower()}")  # type: ignore[index]
    return "; ".join(parts)
