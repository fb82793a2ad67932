"""Synthetic journals for the benchmark: realistic enough to exercise every page.

Pain eases from about 6.5 to 3 over four months, then wanders with noise; some sessions are
missed or pain-only; every year or so there is a gap of a few weeks; notes in several
scripts; rare red flags; leg pain on about a third of the entries; PSFS and PGIC answers
every two weeks. Deterministic for a seed.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from backtrack.entries import SLOTS, Entry
from backtrack.outcomes import Outcome
from backtrack.programme import Programme

NOTES = (
    "Stiff in the morning, easier after the knee hugs.",
    "Long day at the desk; the psoas stretch helped.",
    "Walked 5 km, no pain afterwards.",
    "Slept badly, back sore on waking.",
    "καλημέρα: felt good today",
    "привет, a little tight after driving",
    "שלום: better after the walk",
)


def journal_entries(programme: Programme, days: int, last: date, seed: int = 7) -> list[Entry]:
    rng = random.Random(seed)
    first = last - timedelta(days=days - 1)
    gap_starts = {rng.randrange(30, max(31, days - 30)) for _ in range(days // 365)}
    gaps = {d + k for d in gap_starts for k in range(rng.randrange(14, 28))}
    entries = []
    for i in range(days):
        if i in gaps:
            continue
        day = first + timedelta(days=i)
        trend = 6.5 - 3.5 * min(i / 120, 1.0) + 0.8 * ((i // 90) % 3 - 1) * (i > 365)
        for slot in SLOTS:
            if rng.random() < 0.08:  # nothing logged
                continue
            pain = max(0, min(10, round(trend + rng.gauss(0, 1.0))))
            done = rng.random() > 0.08  # else a pain-only entry
            reps = (
                {ex.id: rng.choice((ex.reps_min, ex.reps_max)) for ex in programme.exercises}
                if done
                else {}
            )
            flags = ("night_pain",) if rng.random() < 0.002 else ()
            notes = rng.choice(NOTES) if rng.random() < 0.1 else ""
            # Leg pain rated on about a third of the entries.
            leg = max(0, min(10, pain - 2 + rng.randrange(3))) if rng.random() < 0.35 else None
            entries.append(Entry(day, slot, pain, reps, flags, notes, leg_pain=leg))
    return entries


ACTIVITIES = ("Putting on socks", "Sitting for an hour", "Lifting a bag of shopping")


def outcome_records(days: int, last: date, seed: int = 7) -> list[Outcome]:
    """PSFS (three activities) on day 2 and every 14 days from day 14, with a PGIC each time,
    improving as the pain does."""
    rng = random.Random(seed)
    first = last - timedelta(days=days - 1)
    records = []
    for n in [2, *range(14, days + 1, 14)]:
        day = first + timedelta(days=n - 1)
        better = min(n / 120, 1.0)
        for item, label in enumerate(ACTIVITIES, start=1):
            score = max(0, min(10, round(2 + 5 * better + rng.gauss(0, 1))))
            records.append(Outcome(day, "psfs", item, score, label))
        if n >= 14:
            records.append(Outcome(day, "pgic", 1, max(1, min(7, round(4 - 2 * better)))))
    return records
