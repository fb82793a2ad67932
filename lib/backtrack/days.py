"""The journal per day: what each date with entries adds up to, as numpy arrays.

Long-range views (the charts' daily summary, adherence, the check) slice these arrays by
binary search instead of regrouping every entry of the range. backtrack.frames.FrameCache
keeps one next to the journal frame and rebuilds only the days each write touched.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from backtrack.entries import SLOTS, slot_rank
from backtrack.symptoms import merge_flags

# The rating columns summed per day (sum and count of the day's ratings; a missing rating is
# not counted). A second rating, e.g. leg pain, is one more name here.
RATINGS: tuple[str, ...] = ("pain", "leg_pain")  # back pain; leg pain (optional)


@dataclass(frozen=True, eq=False)
class DaySummary:
    """One row per date with at least one entry, oldest first. Read-only: a patch makes a
    new summary (see patched_days)."""

    dates: np.ndarray  # datetime64[ns] midnights, ascending, each once
    rating_sum: dict[str, np.ndarray]  # per RATINGS column: float64 sum of the day's ratings
    rating_count: dict[str, np.ndarray]  # per RATINGS column: int64 ratings that day
    entries: np.ndarray  # int64: entries that day
    sessions: np.ndarray  # int64: entries with an exercise done
    done: np.ndarray  # bool (day, slot): a session done in each of SLOTS
    reps: np.ndarray  # int64 (day, slot, exercise): reps done in each of SLOTS
    flags: np.ndarray  # object: the day's flag ids, merged ('' when none)
    notes: np.ndarray  # object: "slot: note" per noted entry, one line each ('' when none)
    exercise_ids: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.dates)

    def span(self, first: np.datetime64 | None, last: np.datetime64 | None) -> slice:
        """The rows dated first..last (inclusive; None: no bound), by binary search."""
        a = 0 if first is None else int(np.searchsorted(self.dates, first, "left"))
        b = len(self.dates) if last is None else int(np.searchsorted(self.dates, last, "right"))
        return slice(a, b)

    def mean(self, column: str = "pain") -> np.ndarray:
        """The day's mean rating (NaN on a day without one)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            return self.rating_sum[column] / self.rating_count[column]


def day_summary(journal: pd.DataFrame, exercise_ids: Iterable[str] | None = None) -> DaySummary:
    """The per-day summary of a journal frame in journal order (date, then slot: see
    frames.journal_frame). `exercise_ids`: the reps columns (default: none)."""
    ids = tuple(exercise_ids or ())
    n = len(journal)
    when = journal["date"].to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
    slot = np.array([slot_rank(s) for s in journal["slot"].to_numpy(dtype=object)], np.int64)
    if n and (when[1:] < when[:-1]).any():  # a frame in another order (not the store's)
        order = np.lexsort((slot, when))
        journal, when, slot = journal.iloc[order], when[order], slot[order]
    when = when.astype("datetime64[ns]")
    new_day = np.r_[True, when[1:] != when[:-1]] if n else np.zeros(0, dtype=bool)
    dates = when[new_day]
    day = np.cumsum(new_day) - 1
    m = len(dates)
    rating_sum, rating_count = {}, {}
    for column in RATINGS:
        if column in journal.columns:
            values = pd.to_numeric(journal[column], errors="coerce").to_numpy(dtype=float)
        else:  # a frame without the column (made before it existed): not rated
            values = np.full(n, np.nan)
        rated = ~np.isnan(values)
        rating_sum[column] = np.bincount(day[rated], weights=values[rated], minlength=m)
        rating_count[column] = np.bincount(day[rated], minlength=m).astype(np.int64)
    done_rows = journal["done"].to_numpy(dtype=bool)
    known = slot < len(SLOTS)
    done = np.zeros((m, len(SLOTS)), dtype=bool)
    done[day[known], slot[known]] = done_rows[known]
    reps = np.zeros((m, len(SLOTS), len(ids)), dtype=np.int64)
    for e, ex_id in enumerate(ids):
        if ex_id in journal.columns:
            reps[day[known], slot[known], e] = journal[ex_id].to_numpy(dtype=np.int64)[known]
    return DaySummary(
        dates=dates,
        rating_sum=rating_sum,
        rating_count=rating_count,
        entries=np.bincount(day, minlength=m).astype(np.int64),
        sessions=np.bincount(day, weights=done_rows, minlength=m).astype(np.int64),
        done=done,
        reps=reps,
        flags=_texts(day, journal["flags"].to_numpy(dtype=object), m, None),
        notes=_texts(
            day, journal["notes"].to_numpy(dtype=object), m, journal["slot"].to_numpy(dtype=object)
        ),  # fmt: skip
        exercise_ids=ids,
    )


def _texts(day: np.ndarray, texts: np.ndarray, m: int, slots: np.ndarray | None) -> np.ndarray:
    """Per day: its flags merged (slots None) or its notes as 'slot: note' lines. Both are
    rare, so only the rows that have any are visited."""
    out = np.full(m, "", dtype=object)
    for i in np.flatnonzero(texts != "").tolist():
        d, text = day[i], texts[i]
        if slots is None:
            out[d] = merge_flags([out[d], text])
        else:
            line = f"{slots[i]}: {text}"
            out[d] = f"{out[d]}\n{line}" if out[d] else line
    return out


def patched_days(days: DaySummary, touched: Iterable[str], journal: pd.DataFrame) -> DaySummary:
    """`days` with the dates in `touched` (ISO dates a write changed) summarised again from
    `journal`, the frame after the write: a date left without entries goes, a new one is
    put in its place."""
    wanted = np.unique(
        np.array(sorted(set(touched)), dtype="datetime64[D]").astype("datetime64[ns]")
    )
    if not len(wanted):
        return days
    when = journal["date"].to_numpy()
    # The touched days' rows in the new frame (a few slices of a date-ordered frame).
    # The rows from the first touched day to the last: a slice (a view; picking rows out
    # would copy every column), usually one day; untouched days in it are dropped below.
    lo, hi = np.searchsorted(when, wanted[0], "left"), np.searchsorted(when, wanted[-1], "right")
    fresh = day_summary(journal.iloc[lo:hi], days.exercise_ids)
    fresh = _rows(fresh, np.isin(fresh.dates, wanted))
    keep = ~np.isin(days.dates, wanted)
    # Where each fresh day goes among the kept ones, in date order.
    kept_dates = days.dates[keep]
    at = np.searchsorted(kept_dates, fresh.dates)

    def splice(old: np.ndarray, new: np.ndarray) -> np.ndarray:
        return np.insert(old[keep], at, new, axis=0)

    return DaySummary(
        dates=splice(days.dates, fresh.dates),
        rating_sum={c: splice(days.rating_sum[c], fresh.rating_sum[c]) for c in RATINGS},
        rating_count={c: splice(days.rating_count[c], fresh.rating_count[c]) for c in RATINGS},
        entries=splice(days.entries, fresh.entries),
        sessions=splice(days.sessions, fresh.sessions),
        done=splice(days.done, fresh.done),
        reps=splice(days.reps, fresh.reps),
        flags=splice(days.flags, fresh.flags),
        notes=splice(days.notes, fresh.notes),
        exercise_ids=days.exercise_ids,
    )


def _rows(days: DaySummary, pick: np.ndarray) -> DaySummary:
    if pick.all():
        return days
    return DaySummary(
        dates=days.dates[pick],
        rating_sum={c: v[pick] for c, v in days.rating_sum.items()},
        rating_count={c: v[pick] for c, v in days.rating_count.items()},
        entries=days.entries[pick],
        sessions=days.sessions[pick],
        done=days.done[pick],
        reps=days.reps[pick],
        flags=days.flags[pick],
        notes=days.notes[pick],
        exercise_ids=days.exercise_ids,
    )


def same_days(a: DaySummary, b: DaySummary) -> bool:
    """True when two summaries hold the same days and figures (for tests and checks)."""
    arrays = ("dates", "entries", "sessions", "done", "reps", "flags", "notes")
    return (
        a.exercise_ids == b.exercise_ids
        and all(np.array_equal(getattr(a, n), getattr(b, n)) for n in arrays)
        and all(np.array_equal(a.rating_sum[c], b.rating_sum[c]) for c in RATINGS)
        and all(np.array_equal(a.rating_count[c], b.rating_count[c]) for c in RATINGS)
        and all(str(getattr(a, n).dtype) == str(getattr(b, n).dtype) for n in arrays)
    )
