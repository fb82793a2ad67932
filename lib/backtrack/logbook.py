"""What the log page shows about the journal: the next slot to log, entry labels, recent rows."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pandas as pd

from backtrack.entries import SLOTS, Entry, journal_order
from backtrack.fmt import fmt_short_date
from backtrack.programme import Programme
from backtrack.symptoms import flag_label


def next_free_slot(entries: Sequence[Entry], day: date) -> str:
    """The first slot of `day` not logged yet (evening once the morning is in)."""
    taken = {e.slot for e in entries if e.date == day}
    return next((s for s in SLOTS if s not in taken), SLOTS[0])


def entry_label(entry: Entry) -> str:
    """A short, unambiguous label: 'Mon 23 Nov 2026 · morning · pain 4' (', leg 3' when
    leg pain was rated)."""
    leg = "" if entry.leg_pain is None else f", leg {entry.leg_pain}"
    return f"{fmt_short_date(entry.date)} · {entry.slot} · pain {entry.pain}{leg}"


def exercises_done_text(entry: Entry, programme: Programme) -> str:
    done = sum(1 for ex in programme.exercise_ids if entry.reps.get(ex, 0) > 0)
    total = len(programme.exercises)
    return "pain only" if done == 0 else f"{done} of {total}"


def recent_table(entries: Sequence[Entry], programme: Programme, limit: int = 14) -> pd.DataFrame:
    """The latest entries, newest first, as rows a person reads."""
    latest = sorted(entries, key=journal_order, reverse=True)[:limit]
    return pd.DataFrame(
        {
            "Date": [e.date for e in latest],
            "Slot": [e.slot for e in latest],
            "Pain (0-10)": [e.pain for e in latest],
            "Leg pain": ["" if e.leg_pain is None else str(e.leg_pain) for e in latest],
            "Exercises": [exercises_done_text(e, programme) for e in latest],
            "Symptoms": ["; ".join(flag_label(f) for f in e.flags) for e in latest],
            "Notes": [e.notes for e in latest],
        }
    )
