"""The charts in words, for people who cannot see them: for each chart a description of
what it shows (its Vega-Lite `description`, read out as the chart's label) and a table of
the numbers it draws ("Show the numbers" under each chart).

Built from the same frames as the charts (backtrack.summaries.chart_frames), so the words,
the table and the picture cannot disagree.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from backtrack.charts import CHART_DESCRIPTIONS
from backtrack.fmt import (
    fmt_adherence,
    fmt_date,
    fmt_month,
    fmt_pain,
    fmt_points,
    fmt_range,
    fmt_short_date,
    plural,
)
from backtrack.outcomes import PSFS_MEANINGFUL, Outcome, activities, psfs_ratings
from backtrack.progress import meaningful_improvement_level
from backtrack.summaries import CALENDAR_DAYS, ChartFrames
from backtrack.symptoms import flag_labels

NONE = "–"  # a cell with nothing to show (no rating that day)


@dataclass(frozen=True, eq=False)
class ChartText:
    """A chart in words: one description and a table of its numbers, as lists: `columns`
    indexed by `labels` (the chart's x: a date, a week or an exercise), named `index`."""

    description: str
    index: str
    labels: list[str]
    columns: dict[str, list]

    @property
    def table(self) -> pd.DataFrame:
        """The numbers as a frame (the app shows them from the lists, straight to Arrow)."""
        return _table(self.index, self.labels, self.columns)


def _pain(value: float) -> str:
    return NONE if value is None or math.isnan(value) else fmt_pain(value)


def _flags(joined: str) -> str:
    return "; ".join(flag_labels(joined))


def _period_label(period: str) -> str:
    return {"day": "Date", "week": "Week starting", "month": "Month"}[period]


def _period_text(when: pd.Timestamp, period: str) -> str:
    return fmt_month(when.date()) if period == "month" else fmt_short_date(when.date())


def _table(index: str, labels: list[str], columns: dict[str, list]) -> pd.DataFrame:
    """A table of numbers indexed by `labels` (named `index`), made in one step."""
    if not labels:  # no rows: the empty table as set_index makes it (its index's dtype)
        return pd.DataFrame({index: labels, **columns}).set_index(index)
    return pd.DataFrame(columns, index=pd.Index(labels, name=index), columns=list(columns))


def _span(frames: ChartFrames) -> str:
    return fmt_range(frames.start, frames.end)


def pain_text(frames: ChartFrames, baseline: float | None) -> ChartText:
    """The pain chart: each point's pain and 7-day mean, and the days with worrying symptoms."""
    points, period = frames.pain, frames.pain_period
    # Picked out and worded in numpy and lists (pandas' per-call cost dominated over the
    # few hundred points of a long range), then made into the table in one step.
    pain, trend = points["pain"].to_numpy(dtype=float), points["trend"].to_numpy(dtype=float)
    flags = points["flags"].to_numpy(dtype=object)
    leg = (
        points["leg"].to_numpy(dtype=float)
        if "leg" in points.columns
        else np.full(len(pain), np.nan)
    )
    has_leg = bool((~np.isnan(leg)).any())
    rows = np.flatnonzero(~np.isnan(pain) | ~np.isnan(trend) | ~np.isnan(leg) | (flags != ""))
    dates = pd.DatetimeIndex(points["date"].to_numpy()[rows])
    table = (
        _period_label(period),
        [_period_text(d, period) for d in dates],
        {
            f"Pain ({period} mean)": [_pain(v) for v in pain[rows].tolist()],
            "7-day mean": [_pain(v) for v in trend[rows].tolist()],
            **(
                {f"Leg pain ({period} mean)": [_pain(v) for v in leg[rows].tolist()]}
                if has_leg
                else {}
            ),
            "Worrying symptoms": [_flags(f) for f in flags[rows].tolist()],
        },
    )
    rated = points["pain"].dropna()
    words = [CHART_DESCRIPTIONS["pain"], f"{_span(frames)}:"]
    if rated.empty:
        words.append("no pain ratings.")
    else:
        unit = "days" if period == "day" else f"{period}ly means"
        trend = points["trend"].dropna()
        words.append(
            f"{len(rated)} {unit} with pain, from {fmt_pain(rated.min())} to "
            f"{fmt_pain(rated.max())}; the 7-day mean went from {fmt_pain(trend.iloc[0])} "
            f"to {fmt_pain(trend.iloc[-1])}."
        )
    if baseline is not None:
        level = meaningful_improvement_level(baseline)
        words.append(
            f"First-week baseline {fmt_pain(baseline)}; a meaningful improvement is "
            f"{fmt_pain(level)} or lower."
            if level >= 0
            else f"First-week baseline {fmt_pain(baseline)}: too low for pain to fall "
            "by a meaningful point."
        )
    if has_leg:
        legs = leg[~np.isnan(leg)]
        words.append(
            f"Leg pain rated on {len(legs)} {'days' if period == 'day' else f'{period}ly means'}, "
            "from "
            f"{fmt_pain(legs.min())} to {fmt_pain(legs.max())}."
        )
    flagged = int((frames.daily["flags"] != "").sum())
    if flagged:
        words.append(f"Worrying symptoms logged on {plural(flagged, 'day')}.")
    return ChartText(" ".join(words), *table)


def calendar_text(frames: ChartFrames, sessions_per_day: int) -> ChartText:
    """The calendar: sessions done on each day it shows."""
    days = frames.calendar
    done = days["sessions"].clip(upper=sessions_per_day).astype(int)
    table = (
        "Date",
        [fmt_short_date(d) for d in days["date"].to_numpy().astype("datetime64[D]").tolist()],
        {f"Sessions done (of {sessions_per_day})": done.to_list()},
    )
    counts = [int((done == n).sum()) for n in range(sessions_per_day, -1, -1)]
    parts = [
        f"{count} day{'s' * (count != 1)} with {n} session{'s' * (n != 1)}"
        for n, count in zip(range(sessions_per_day, -1, -1), counts, strict=True)
    ]
    cut = f" (the last {CALENDAR_DAYS // 7} weeks)" if frames.calendar_cut else ""
    return ChartText(
        f"{CHART_DESCRIPTIONS['calendar']} {_span(frames)}{cut}: {', '.join(parts)}.", *table
    )


def adherence_text(frames: ChartFrames) -> ChartText:
    """The adherence bars: sessions done and prescribed in each week (or month)."""
    rows, period = frames.adherence, frames.adherence_period
    table = (
        _period_label(period),
        [_period_text(p, period) for p in pd.DatetimeIndex(rows["period"])],
        {
            "Sessions done": rows["done"].astype(int).to_list(),
            "Sessions prescribed": rows["prescribed"].astype(int).to_list(),
            "Adherence": [fmt_adherence(p / 100) for p in rows["percent"].tolist()],
        },
    )
    words = f"{CHART_DESCRIPTIONS['adherence']} {_span(frames)}:"
    if rows.empty:
        return ChartText(f"{words} no days.", *table)
    done, prescribed = int(rows["done"].sum()), int(rows["prescribed"].sum())
    return ChartText(
        f"{words} {done} of {prescribed} sessions ({fmt_adherence(done / prescribed)}); by "
        f"{period}, from {fmt_adherence(rows['percent'].min() / 100)} to "
        f"{fmt_adherence(rows['percent'].max() / 100)}.",
        *table,
    )


def shares_text(frames: ChartFrames) -> ChartText:
    """The per-exercise bars: reps done against the prescribed dose."""
    shares = frames.shares
    table = (
        "Exercise",
        shares["exercise"].to_list(),
        {
            "Sessions with it": shares["sessions_done"].astype(int).to_list(),
            "Reps done": shares["reps_done"].astype(int).to_list(),
            "Reps prescribed": shares["reps_prescribed"].astype(int).to_list(),
            "Share of dose": [fmt_adherence(p / 100) for p in shares["percent"]],
        },
    )
    each = ", ".join(
        f"{name} {fmt_adherence(p / 100)}"
        for name, p in zip(shares["exercise"], shares["percent"], strict=True)
    )
    return ChartText(f"{CHART_DESCRIPTIONS['exercises']} {_span(frames)}: {each}.", *table)


def chart_texts(
    frames: ChartFrames, baseline: float | None, sessions_per_day: int
) -> dict[str, ChartText]:
    """Every chart of charts.progress_specs in words, under the same names."""
    return {
        "pain": pain_text(frames, baseline),
        "calendar": calendar_text(frames, sessions_per_day),
        "adherence": adherence_text(frames),
        "exercises": shares_text(frames),
    }


def described(spec: dict, text: ChartText) -> dict:
    """The chart's spec with its description (Vega-Lite puts it on the chart as its label)."""
    return {**spec, "description": text.description}


def psfs_text(records: Sequence[Outcome]) -> ChartText:
    """The PSFS chart: each rating's date, every activity's score and the mean."""
    ratings = psfs_ratings(records)
    names = activities(records)
    table = (
        "Date",
        [fmt_date(r.date) for r in ratings],
        {
            **{name: [str(r.scores.get(i, "-")) for r in ratings] for i, name in names.items()},
            "Mean": [_pain(r.mean) for r in ratings],
        },
    )
    words = [CHART_DESCRIPTIONS["psfs"]]
    if ratings:
        first, last = ratings[0], ratings[-1]
        words.append(
            f"{plural(len(ratings), 'rating')} of {plural(len(names), 'activity', 'activities')} "
            f"({', '.join(names.values())}); the mean went from {fmt_pain(first.mean)} on "
            f"{fmt_date(first.date)} to {fmt_pain(last.mean)} on {fmt_date(last.date)}. A rise of "
            f"{fmt_points(PSFS_MEANINGFUL)} points is the smallest meaningful one."
        )
    return ChartText(" ".join(words), *table)
