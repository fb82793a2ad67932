"""Time the practitioner report on a year of twice-daily entries (budget: under 3 s).

Builds a realistic journal in a temporary database (pain easing from about 6.5 to 3 with
noise, some missed and pain-only sessions, notes in several scripts, a few red flags),
then times build_report and render_pdf: one cold run (vl-convert and font start-up), then
the median of 5 runs.

    .venv/bin/python scripts/bench_report.py [--out year.pdf]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from backtrack.entries import SLOTS, Entry
from backtrack.programme import Programme, load_programme
from backtrack.report import build_report, default_range, render_pdf
from backtrack.store import JournalStore

DAYS = 365
RUNS = 5
BUDGET_S = 3.0
NOTES = (
    "Stiff in the morning, easier after the knee hugs.",
    "Long day at the desk; the psoas stretch helped.",
    "Walked 5 km, no pain afterwards.",
    "Slept badly, back sore on waking.",
    "καλημέρα: felt good today",
    "привет, a little tight after driving",
    "שלום: better after the walk",
)


def year_of_entries(programme: Programme, last: date, seed: int = 7) -> list[Entry]:
    """DAYS days of twice-daily entries ending on `last`, deterministic for a seed."""
    rng = random.Random(seed)
    first = last - timedelta(days=DAYS - 1)
    entries = []
    for i in range(DAYS):
        day = first + timedelta(days=i)
        trend = 6.5 - 3.5 * min(i / 120, 1.0)
        for slot in SLOTS:
            if rng.random() < 0.06:  # nothing logged
                continue
            pain = max(0, min(10, round(trend + rng.gauss(0, 1.0))))
            done = rng.random() > 0.08  # else a pain-only entry
            reps = (
                {ex.id: rng.choice((ex.reps_min, ex.reps_max)) for ex in programme.exercises}
                if done
                else {}
            )
            flags = ("night_pain",) if rng.random() < 0.004 else ()
            notes = rng.choice(NOTES) if rng.random() < 0.12 else ""
            entries.append(Entry(day, slot, pain, reps, flags, notes))
    return entries


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="also write the last PDF to this file")
    args = parser.parse_args(argv)
    programme = load_programme()
    today = date.today()
    with tempfile.TemporaryDirectory() as tmp:
        store = JournalStore(Path(tmp) / "bench.db")
        store.import_entries(year_of_entries(programme, today))
        journal = store.frame(programme.exercise_ids)
        start, end = default_range(journal, store.start_date(), today)

        def once() -> tuple[float, float, bytes]:
            t0 = time.perf_counter()
            report = build_report(
                journal, programme, start, end, programme_start=store.start_date(), today=today
            )
            t1 = time.perf_counter()
            data = render_pdf(report, name="A. Bench")
            return (t1 - t0) * 1000, (time.perf_counter() - t1) * 1000, data

        cold_build, cold_render, _ = once()
        runs = [once() for _ in range(RUNS)]

    builds = [b for b, _, _ in runs]
    renders = [r for _, r, _ in runs]
    totals = [b + r for b, r, _ in runs]
    data = runs[-1][2]
    if args.out:
        args.out.write_bytes(data)
    print(f"journal: {len(journal)} entries, {start} to {end} ({(end - start).days + 1} days)")
    print(f"cold run (first call):  build {cold_build:7.1f} ms  render {cold_render:7.1f} ms")
    print(
        f"median of {RUNS} runs:     build {statistics.median(builds):7.1f} ms  "
        f"render {statistics.median(renders):7.1f} ms  total {statistics.median(totals):7.1f} ms"
    )
    print(f"slowest run: {max(totals):.1f} ms; budget {BUDGET_S * 1000:.0f} ms")
    print(f"PDF size: {len(data) / 1024:.1f} KiB ({len(data)} bytes)")
    try:
        import io

        import pypdf

        print(f"pages: {len(pypdf.PdfReader(io.BytesIO(data)).pages)}")
    except ImportError:
        pass
    return 0 if statistics.median(totals) < BUDGET_S * 1000 else 1


if __name__ == "__main__":
    sys.exit(main())
