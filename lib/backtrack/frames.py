"""The journal as a pandas frame for the maths and charts, kept current cheaply.

The store reads rows (backtrack.store); this module shapes them into the journal frame and
keeps one frame per journal up to date by patching it with each write instead of reloading
every entry.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

import numpy as np
import pandas as pd

from backtrack.entries import SLOTS
from backtrack.store import JournalStore


def load_frame(store: JournalStore, exercise_ids: Iterable[str]) -> pd.DataFrame:
    """The journal as a frame: date, slot, pain, one reps column per exercise, done,
    flags, notes; one row per entry, oldest first (morning before evening)."""
    exercise_ids = list(exercise_ids)
    return journal_frame(store.frame_rows(exercise_ids)[1], exercise_ids)


def journal_frame(rows: list[tuple], exercise_ids: list[str]) -> pd.DataFrame:
    """Shape rows of (date, slot, pain, reps per exercise..., flags, notes, reactions) into
    the journal frame the maths and charts read, column by column (faster than row-wise
    conversion). reactions is as in the CSV: 'clam=fine;glute_bridge=worse'."""
    n = len(exercise_ids)
    cols = list(zip(*rows, strict=True)) if rows else [()] * (6 + n)
    data: dict[str, object] = {
        # ISO dates parse in numpy directly (pandas' parser costs ms even for one row).
        "date": np.array(cols[0], dtype="datetime64[D]").astype("datetime64[ns]"),
        "slot": pd.Series(cols[1], dtype=str),
        "pain": np.array(cols[2], dtype=np.int64),
    }
    for i, ex_id in enumerate(exercise_ids):
        data[ex_id] = np.array(cols[3 + i], dtype=np.int64)
    frame = pd.DataFrame(data)
    frame["done"] = frame[exercise_ids].to_numpy().any(axis=1) if n else False
    frame["flags"] = pd.Series(cols[3 + n], dtype=str)
    frame["notes"] = pd.Series(cols[4 + n], dtype=str)
    frame["reactions"] = pd.Series(cols[5 + n], dtype=str)
    return frame


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
    kept = frame[keep] if not keep.all() else frame
    if not len(fresh):
        return kept.reset_index(drop=True)
    out = pd.concat([kept, fresh], ignore_index=True)
    slots = out["slot"].to_numpy(dtype=object)
    rank = np.select([slots == slot for slot in SLOTS], range(len(SLOTS)), len(SLOTS))
    order = np.lexsort((rank, out["date"].to_numpy()))
    return out.iloc[order].reset_index(drop=True)


class FrameCache:
    """The journal frame of one store, kept up to date by patching it with each write
    (see JournalStore.changed_rows) instead of reloading every entry. Thread-safe."""

    def __init__(self, store: JournalStore, exercise_ids: Iterable[str]):
        self.store = store
        self.exercise_ids = list(exercise_ids)
        self._lock = threading.Lock()
        self._revision: int | None = None
        self._frame: pd.DataFrame | None = None

    def get(self) -> tuple[int, pd.DataFrame]:
        """(revision, frame) as the journal is now. The frame is shared: read it, never
        change it."""
        with self._lock:
            revision = self.store.revision()
            if self._frame is not None and revision == self._revision:
                return revision, self._frame
            changed = None
            if self._frame is not None and self._revision is not None:
                changed = self.store.changed_rows(self._revision, self.exercise_ids)
            if changed is not None:
                revision, keys, rows = changed
                fresh = journal_frame(rows, self.exercise_ids)
                frame = patched_frame(self._frame, keys, fresh)
            else:
                revision, rows = self.store.frame_rows(self.exercise_ids)
                frame = journal_frame(rows, self.exercise_ids)
            self._revision, self._frame = revision, frame
            return revision, frame
