"""Frames the Progress and Today pages (and the report) are drawn from.

Pure pandas: journal frame in (see backtrack.store.journal_frame), small frames out, so
every number a chart shows is computed and tested here, not in a chart or a page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from backtrack.entries import SLOTS
from backtrack.programme import Programme
from backtrack.progress import CheckResult, programme_start, two_week_check

TREND_DAYS = 7
RANGES = ("Last 14 days", "Last 4 weeks", "Last 3 months", "All", "Custom")
_RANGE_DAYS = {"Last 14 days": 14, "Last 4 weeks": 28, "Last 3 months": 91}


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


def daily_summary(journal: pd.DataFrame, start: date, end: date) -> pd.DataFrame:
    """One row per calendar day from start to end (days without entries included).

    Columns: date, pain (mean of the day's ratings, NaN when none), trend (mean of daily
    pain over the 7 days ending that day, counting only rated days), sessions (entries
    with an exercise done), flags (ids logged that day, ';'-joined), notes (the day's
    notes, one line per slot).
    """
    days = pd.date_range(start, end, freq="D").astype("datetime64[ns]")
    # The trend needs the 6 days before the range too.
    lead = pd.Timestamp(start) - pd.Timedelta(days=TREND_DAYS - 1)
    inside = journal[(journal["date"] >= lead) & (journal["date"] <= pd.Timestamp(end))]
    grouped = inside.groupby("date")
    per_day = pd.DataFrame(
        {
            "pain": grouped["pain"].mean(),
            "sessions": grouped["done"].sum(),
            "flags": grouped["flags"].agg(_join_flags),
            "notes": inside.assign(note=_slot_notes(inside))
            .groupby("date")["note"]
            .agg(lambda s: "\n".join(n for n in s if n)),
        }
    )
    full_index = pd.date_range(lead, end, freq="D").astype("datetime64[ns]")
    per_day = per_day.reindex(full_index)
    per_day.index.name = "date"
    trend = per_day["pain"].rolling(TREND_DAYS, min_periods=1).mean()
    out = pd.DataFrame(
        {
            "date": days,
            "pain": per_day["pain"].reindex(days).to_numpy(dtype="float64"),
            "trend": trend.reindex(days).to_numpy(dtype="float64"),
            "sessions": per_day["sessions"].reindex(days).fillna(0).to_numpy(dtype="int64"),
            "flags": per_day["flags"].reindex(days).fillna("").to_numpy(dtype=object),
            "notes": per_day["notes"].reindex(days).fillna("").to_numpy(dtype=object),
        }
    )
    out["flags"] = out["flags"].astype(str)
    out["notes"] = out["notes"].astype(str)
    return out


def _join_flags(values: pd.Series) -> str:
    seen: list[str] = []
    for text in values:
        for flag in str(text).split(";"):
            if flag and flag not in seen:
                seen.append(flag)
    return ";".join(seen)


def _slot_notes(frame: pd.DataFrame) -> pd.Series:
    notes = frame["notes"].astype(str)
    return (frame["slot"].astype(str) + ": " + notes).where(notes.str.len() > 0, "")


def weekly_adherence(daily: pd.DataFrame, sessions_per_day: int = 2) -> pd.DataFrame:
    """Per week (Monday start): sessions done, sessions prescribed for the days of that week
    inside the range, and the percentage (can pass 100 only if sessions exceed the dose)."""
    if daily.empty:
        return pd.DataFrame(
            {"week": pd.Series(dtype="datetime64[ns]"), "done": pd.Series(dtype="int64"),
             "prescribed": pd.Series(dtype="int64"), "percent": pd.Series(dtype="float64")}
        )  # fmt: skip
    week = daily["date"] - pd.to_timedelta(daily["date"].dt.day_of_week, unit="D")
    capped = daily["sessions"].clip(upper=sessions_per_day)
    out = (
        pd.DataFrame({"week": week, "done": capped, "days": 1})
        .groupby("week", as_index=False)
        .sum()
    )
    out["prescribed"] = out.pop("days") * sessions_per_day
    out["percent"] = out["done"] / out["prescribed"] * 100
    out["week"] = out["week"].astype("datetime64[ns]")
    return out.astype({"done": "int64", "prescribed": "int64"})


def exercise_shares(
    journal: pd.DataFrame, programme: Programme, start: date, end: date
) -> pd.DataFrame:
    """Per exercise: reps done as a share of the prescribed dose over start..end.

    The dose per session is the prescription's minimum (3 of '3-5'); each session counts
    at most its dose, so doing extra one day does not hide a skipped day. The sessions
    prescribed are sessions_per_day for every day in the range.
    """
    inside = journal[
        (journal["date"] >= pd.Timestamp(start)) & (journal["date"] <= pd.Timestamp(end))
    ]
    sessions = ((end - start).days + 1) * programme.sessions_per_day
    rows = []
    for ex in programme.exercises:
        done = inside[ex.id] if ex.id in inside.columns else pd.Series(dtype="int64")
        counted = int(done.clip(upper=ex.reps_min).sum())
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


def today_status(
    journal: pd.DataFrame, today: date, start: date | None, sessions_per_day: int = 2
) -> TodayStatus:
    """What the Today page shows: today's sessions, day N, the last 7 days, the check."""
    todays = journal[journal["date"] == pd.Timestamp(today)]
    done = tuple(s for s in SLOTS if s in set(todays.loc[todays["done"], "slot"]))
    logged = tuple(s for s in SLOTS if s in set(todays["slot"]))
    daily = daily_summary(journal, today - timedelta(days=6), today)
    full_days = int((daily["sessions"] >= sessions_per_day).sum())
    first = programme_start(journal[journal["date"] <= pd.Timestamp(today)], start)
    day = (today - first).days + 1 if first is not None and first <= today else None
    return TodayStatus(
        today=today,
        day=day,
        done_slots=done,
        logged_slots=logged,
        slots_left=tuple(s for s in SLOTS if s not in logged),
        full_days_last_7=full_days,
        check=two_week_check(journal, as_of=today, start=start, sessions_per_day=sessions_per_day),
    )
