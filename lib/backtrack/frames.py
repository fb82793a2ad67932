"""The journal as a pandas frame for the maths and charts, kept current cheaply.

The store reads rows (backtrack.store); this module shapes them into the journal frame and
keeps one frame per journal up to date by patching it with each write instead of reloading
every entry.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import NamedTuple

import numpy as np
import pandas as pd

from backtrack.days import DaySummary, day_summary, patched_days
from backtrack.entries import EARLIEST_DATE, SLOTS, slot_rank
from backtrack.journal import Journal as Store  # the store interface
from backtrack.store import LATEST_HELD


def load_frame(store: Store, exercise_ids: Iterable[str]) -> pd.DataFrame:
    """The journal as a frame: date, slot, pain, one reps column per exercise, done,
    flags, notes, reactions, leg_pain (NaN: not rated); one row per entry, oldest first
    (morning before evening)."""
    exercise_ids = list(exercise_ids)
    return journal_frame(store.frame_rows(exercise_ids)[1], exercise_ids)


def journal_frame(rows: list[tuple], exercise_ids: list[str]) -> pd.DataFrame:
    """Shape rows of (date, slot, pain, reps per exercise..., flags, notes, reactions,
    leg_pain) into
    the journal frame the maths and charts read, column by column (faster than row-wise
    conversion). reactions is as in the CSV: 'clam=fine;glute_bridge=worse'."""
    n = len(exercise_ids)
    cols = list(zip(*rows, strict=True)) if rows else [()] * (7 + n)
    reps = np.array(cols[3 : 3 + n], dtype=np.int64).reshape(n, len(rows))
    # Every column is built first and the frame made once: adding columns one by one cost
    # more than the data itself for the one-row frames a patch makes.
    data: dict[str, object] = {
        # ISO dates parse in numpy directly (pandas' parser costs ms even for one row).
        "date": np.array(cols[0], dtype="datetime64[D]").astype("datetime64[ns]"),
        "slot": pd.array(cols[1], dtype=str),
        "pain": np.array(cols[2], dtype=np.int64),
    }
    for i, ex_id in enumerate(exercise_ids):
        data[ex_id] = reps[i]
    data["done"] = reps.any(axis=0) if n else np.zeros(len(rows), dtype=bool)
    data["flags"] = pd.array(cols[3 + n], dtype=str)
    data["notes"] = pd.array(cols[4 + n], dtype=str)
    data["reactions"] = pd.array(cols[5 + n], dtype=str)
    # Leg pain is optional: NaN where not rated.
    data["leg_pain"] = np.array([np.nan if v is None else v for v in cols[6 + n]], dtype=float)
    return pd.DataFrame(data, copy=False)


def patched_frame(frame: pd.DataFrame, keys: list[tuple[str, str]], fresh: pd.DataFrame
                  ) -> pd.DataFrame:  # fmt: skip
    """`frame` with the entries at `keys` (ISO date, slot) replaced by the rows in `fresh`
    (a key missing from `fresh` was deleted), in journal order."""
    if not keys:
        return frame
    # The frame is in date order: find each touched day's rows by binary search (a few
    # keys against thousands of rows) rather than matching every row's (date, slot).
    dates, slots = frame["date"].to_numpy(), frame["slot"].to_numpy()
    keep = np.ones(len(frame), dtype=bool)
    for day, slot in keys:
        when = np.datetime64(day, "ns")
        lo, hi = np.searchsorted(dates, when, "left"), np.searchsorted(dates, when, "right")
        keep[lo:hi] &= slots[lo:hi] != slot
    if len(keys) <= SPLICE_MAX:
        return _spliced(frame, keep, fresh, dates, slots)
    kept = frame[keep] if not keep.all() else frame
    if not len(fresh):
        return kept.reset_index(drop=True)
    out = pd.concat([kept, fresh], ignore_index=True)
    slots = out["slot"].to_numpy(dtype=object)
    rank = np.select([slots == slot for slot in SLOTS], range(len(SLOTS)), len(SLOTS))
    order = np.lexsort((rank, out["date"].to_numpy()))
    return out.iloc[order].reset_index(drop=True)


# Up to these many keys a patch splices the fresh rows in (slices of the frame around them);
# more (an import) re-sorts the whole frame, as a splice of hundreds of slices costs more.
SPLICE_MAX = 16


def _rank(slots: np.ndarray) -> np.ndarray:
    return np.array([slot_rank(s) for s in slots], dtype=np.int64)


def _spliced(frame: pd.DataFrame, keep: np.ndarray, fresh: pd.DataFrame, dates: np.ndarray,
             slots: np.ndarray) -> pd.DataFrame:  # fmt: skip
    """`frame` without the rows where `keep` is False and with `fresh` (in journal order)
    inserted where each row belongs (`dates`, `slots`: the frame's columns as arrays): a few
    slices joined, no re-sort of the whole frame (re-sorting thousands of rows for one
    saved entry dominated a first run after a save)."""
    fresh_dates, fresh_rank = fresh["date"].to_numpy(), _rank(fresh["slot"].to_numpy())
    # Each fresh row goes after the frame's rows of an earlier day, or of its own day with a
    # slot earlier or equal in the day (an equal one, the entry it replaces, is dropped).
    at = np.searchsorted(dates, fresh_dates, "left")
    day_end = np.searchsorted(dates, fresh_dates, "right")
    for i in range(len(fresh)):
        if day_end[i] > at[i]:
            at[i] += int((_rank(slots[at[i] : day_end[i]]) <= fresh_rank[i]).sum())
    pieces, cur = [], 0
    events = sorted([(int(p), 0, i) for i, p in enumerate(at)]
                    + [(int(p), 1, -1) for p in np.flatnonzero(~keep)])  # fmt: skip
    for pos, removal, i in events:
        if pos > cur:
            pieces.append(frame.iloc[cur:pos])
        cur = max(cur, pos)
        if removal:
            cur = pos + 1
        else:
            pieces.append(fresh.iloc[i : i + 1])
    if cur < len(frame):
        pieces.append(frame.iloc[cur:])
    if not pieces:
        return frame.iloc[0:0].reset_index(drop=True)
    return pd.concat(pieces, ignore_index=True)


class Journal(NamedTuple):
    """The journal as of one revision: its frame, its per-day summary and the entries the
    frame leaves out (see JournalStore.unheld). Shared: read it, never change it."""

    revision: int
    frame: pd.DataFrame
    days: DaySummary
    unheld: tuple[int, list[str]]
    other_revision: int  # of the latest write that changed anything but entries


# A write through the store only touches dates a frame can hold; a change logged outside
# them (never made by BackTrack) reloads in full, so `unheld` is read with every full load.
_HELD_FROM, _HELD_TO = EARLIEST_DATE.isoformat(), LATEST_HELD.isoformat()


class FrameCache:
    """The journal frame of one store and its per-day summary, kept up to date by patching
    them with each write (the store's changed_rows) instead of reloading every entry.
    Thread-safe."""

    def __init__(self, store: Store, exercise_ids: Iterable[str]):
        self.store = store
        self.exercise_ids = list(exercise_ids)
        self._lock = threading.Lock()
        self._journal: Journal | None = None

    def get(self) -> tuple[int, pd.DataFrame]:
        """(revision, frame) as the journal is now. The frame is shared: read it, never
        change it."""
        journal = self.journal()
        return journal.revision, journal.frame

    def latest(self) -> Journal | None:
        """The journal as last read, without asking the store (None before the first read)."""
        return self._journal

    def journal(self) -> Journal:
        """The journal as it is now: one small query, or a patch with what was written since
        the last call, or (a restore, a large import) a full load."""
        with self._lock:
            old = self._journal
            changed = None
            if old is not None:  # one transaction: nothing new, or what is new
                changed = self.store.changed_rows(old.revision, self.exercise_ids)
                if changed is not None and changed.revision == old.revision:
                    return old
            if changed is not None and all(_HELD_FROM <= d <= _HELD_TO for d, _ in changed.keys):
                fresh = journal_frame(changed.rows, self.exercise_ids)
                frame = patched_frame(old.frame, changed.keys, fresh)
                days = patched_days(old.days, (d for d, _ in changed.keys), frame)
                self._journal = Journal(changed.revision, frame, days, old.unheld,
                                        changed.other_revision)  # fmt: skip
            else:
                asked, other = self.store.revisions()
                revision, rows = self.store.frame_rows(self.exercise_ids)
                frame = journal_frame(rows, self.exercise_ids)
                days = day_summary(frame, self.exercise_ids)
                # Rows read at a later revision than asked: a write came in between, of
                # whatever kind, so count it as changing everything.
                self._journal = Journal(revision, frame, days, self.store.unheld(),
                                        other if revision == asked else revision)  # fmt: skip
            return self._journal
