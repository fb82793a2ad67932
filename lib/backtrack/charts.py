"""Altair charts of pain and adherence, built from the frames in backtrack.summaries.

Each chart is an Altair spec whose data is referenced by name. The spec without its data
(the template) depends only on a few settings (is there a baseline, days or weeks, ...),
so it is built and validated once and cached; a page fills in the data of the moment.
`*_spec` functions return that Vega-Lite dict, the plain functions the same chart as an
alt.Chart.

Colours are mid-tones that read on light and dark themes; every axis has a title with its
unit, and dates are shown as days.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import altair as alt
import numpy as np
import pandas as pd

from backtrack.outcomes import PSFS_MAX, PSFS_MEANINGFUL, Outcome, activities, psfs_ratings
from backtrack.progress import meaningful_improvement_level
from backtrack.summaries import ChartFrames, period_start
from backtrack.symptoms import flag_labels

PAIN_COLOR = "#4c78a8"
TREND_COLOR = "#f58518"
BASELINE_COLOR = "#9d755d"
ZONE_COLOR = "#54a24b"
FLAG_COLOR = "#e45756"
LEG_COLOR = "#6b4c9a"  # leg pain: dark purple, a dotted line with squares
MEAN_COLOR = "#222222"  # the PSFS mean
SESSION_COLORS = ["#d0d7de", "#9ecae9", "#3a7dbf"]  # 0, 1, 2 sessions
DAY_FORMAT = "%d %b"
MUTED = "#8a8f98"  # secondary text that reads on light and dark backgrounds
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
Y_PAIN = alt.Scale(domain=[0, 10], nice=False)

CHART_DESCRIPTIONS = {
    "pain": "Pain (0-10) with its 7-day mean, the first-week baseline and the zone of a "
    "meaningful improvement.",
    "calendar": "Calendar of sessions done per day.",
    "adherence": "Adherence: sessions done as a percentage of those prescribed.",
    "exercises": "Each exercise: reps done as a percentage of the prescribed dose.",
    "psfs": "Activities you find hard (PSFS, 0 = unable, 10 = as before): each activity's "
    "score over time, their mean and the level of a meaningful rise.",
}


def records(frame: pd.DataFrame) -> list[dict]:
    """A frame as Vega-Lite data rows: dates as local ISO date-times, missing values null.

    Built column by column in numpy (a row-wise pandas conversion cost several ms per chart
    over long ranges)."""
    columns = []
    for name in frame.columns:
        column = frame[name]
        if pd.api.types.is_datetime64_any_dtype(column):
            text = np.datetime_as_string(column.to_numpy(dtype="datetime64[s]"), unit="s")
            columns.append([None if t == "NaT" else t for t in text.tolist()])
        else:
            columns.append([None if _missing(v) else v for v in column.tolist()])
    names = list(frame.columns)
    return [dict(zip(names, row, strict=True)) for row in zip(*columns, strict=True)]


def _missing(value: object) -> bool:
    return (
        value is None
        or value is pd.NA
        or value is pd.NaT
        or (isinstance(value, float) and value != value)
    )


def _fill(template: dict, **data: list[dict]) -> dict:
    return {**template, "datasets": data}


def tick_interval(days: int) -> str:
    """Date ticks a person can read: daily for two weeks, weekly up to four months, then
    monthly (one tick and grid line per day blurs into a band over long ranges)."""
    return "day" if days <= 14 else "week" if days <= 120 else "month"


def _date_x(interval: str, title: str | None = "Date") -> alt.X:
    return (
        alt.X("date:T")
        .title(title)
        .axis(format="%b %Y" if interval == "month" else DAY_FORMAT, labelAngle=0,
              tickCount=interval)
        .scale(nice=False)
    )  # fmt: skip


def _span_days(frame: pd.DataFrame) -> int:
    return (frame["date"].max() - frame["date"].min()).days + 1 if len(frame) else 1


# ---------------------------------------------------------------- pain trend


@lru_cache(maxsize=32)
def _pain_template(has_baseline: bool, period: str, interval: str, has_leg: bool = False) -> dict:
    base = alt.Chart(alt.NamedData("pain")).encode(_date_x(interval))
    tooltip = [
        alt.Tooltip("date:T", title="Date" if period == "day" else f"{period.capitalize()} of",
                    format="%a %d %b %Y"),
        alt.Tooltip("pain:Q", title=f"Pain ({period} mean)", format=".1f"),
        alt.Tooltip("trend:Q", title="7-day mean", format=".1f"),
        *([alt.Tooltip("leg:Q", title=f"Leg pain ({period} mean)", format=".1f")]
          if has_leg else []),
        alt.Tooltip("notes:N", title="Notes"),
    ]  # fmt: skip
    points = (
        base.mark_circle(size=60, color=PAIN_COLOR, opacity=0.9)
        .encode(alt.Y("pain:Q").title("Pain (0-10 NRS)").scale(Y_PAIN), tooltip=tooltip)
        .transform_filter("isValid(datum.pain)")
    )
    line = (
        base.mark_line(color=TREND_COLOR, strokeWidth=2.5)
        .encode(alt.Y("trend:Q").scale(Y_PAIN), tooltip=tooltip)
        .transform_filter("isValid(datum.trend)")
    )
    flags = (
        base.mark_point(shape="triangle-down", size=140, filled=True, color=FLAG_COLOR)
        .encode(
            alt.Y("marker:Q").scale(Y_PAIN),
            tooltip=[
                alt.Tooltip("date:T", title="Date", format="%a %d %b %Y"),
                alt.Tooltip("flag_text:N", title="Symptoms reported"),
            ],
        )
        .transform_filter("datum.flags != ''")
        .transform_calculate(marker="10")
    )
    layers: list[alt.Chart] = []
    if has_baseline:
        bands = alt.Chart(alt.NamedData("bands"))
        zone = bands.mark_rect(color=ZONE_COLOR, opacity=0.15).encode(
            alt.Y("y:Q").scale(Y_PAIN),
            alt.Y2("y2:Q"),
            tooltip=[alt.Tooltip("y2:Q", title="Meaningful improvement at or below",
                                 format=".1f")],
        )  # fmt: skip
        rule = bands.mark_rule(color=BASELINE_COLOR, strokeDash=[6, 4], strokeWidth=2).encode(
            alt.Y("baseline:Q").scale(Y_PAIN),
            tooltip=[alt.Tooltip("baseline:Q", title="Baseline (days 1-7)", format=".1f")],
        )
        layers += [zone, rule]
    layers += [line, points, flags]
    if has_leg:
        # Told apart without colour: a dotted line through square points.
        leg = (
            base.mark_line(color=LEG_COLOR, strokeDash=[2, 3], strokeWidth=2,
                           point=alt.OverlayMarkDef(shape="square", size=50, filled=True,
                                                    color=LEG_COLOR))
            .encode(alt.Y("leg:Q").scale(Y_PAIN), tooltip=tooltip)
            .transform_filter("isValid(datum.leg)")
        )  # fmt: skip
        layers.append(leg)
    subtitle = ["Dashed line: first-week baseline", "Green band: meaningful improvement"]
    title = (
        "Pain: daily points, 7-day mean line"
        if period == "day"
        else f"Pain: {period}ly means of daily pain and of its 7-day mean"
    )
    chart = alt.layer(*layers).properties(
        title=alt.Title(
            title,
            subtitle=(subtitle if has_baseline else [])
            + (["Dotted line with squares: leg pain"] if has_leg else [])
            + ["Red triangle: worrying symptoms logged"],
            subtitleColor=MUTED,
        ),
        height=430,
    )
    return chart.to_dict()


def pain_trend_spec(
    points: pd.DataFrame, baseline: float | None = None, period: str = "day"
) -> dict:
    """Pain as points (daily, or weekly/monthly means over long ranges: see
    summaries.pain_points), the 7-day mean as a line, the baseline as a rule, the zone of a
    meaningful improvement shaded, and red-flag days marked."""
    has_leg = "leg" in points.columns and bool(points["leg"].notna().any())
    data = points[["date", "pain", "trend", *(["leg"] if has_leg else []), "flags", "notes"]]
    data = data.assign(flag_text=points["flags"].map(lambda s: "; ".join(flag_labels(s))))
    template = _pain_template(
        baseline is not None, period, tick_interval(_span_days(points)), has_leg
    )
    bands = []
    if baseline is not None:
        level = meaningful_improvement_level(baseline)
        if level >= 0:  # under a baseline of 1 no rating can show a meaningful fall
            bands = [
                {"y": 0.0, "y2": level, "baseline": baseline, "label": "Meaningful improvement"}
            ]
    return _fill(template, pain=records(data), bands=bands)


def pain_trend(
    points: pd.DataFrame, baseline: float | None = None, period: str = "day"
) -> alt.LayerChart:
    return alt.LayerChart.from_dict(pain_trend_spec(points, baseline, period), validate=False)


# ---------------------------------------------------------------- adherence calendar


@lru_cache(maxsize=32)
def _calendar_template(sessions_per_day: int, cut: bool) -> dict:
    base = alt.Chart(alt.NamedData("calendar")).encode(
        alt.X("week:O")
        .title("Week starting")
        .timeUnit("yearmonthdate")
        .axis(format=DAY_FORMAT, labelAngle=-45),
        alt.Y("weekday:O").title(None).sort(WEEKDAYS),
    )
    cells = base.mark_rect(cornerRadius=3, stroke="#888888", strokeWidth=0.5).encode(
        alt.Color("done:O")
        .title(f"Sessions done (of {sessions_per_day})")
        .scale(
            domain=list(range(sessions_per_day + 1)),
            range=SESSION_COLORS[: sessions_per_day + 1],
        )
        .legend(orient="bottom"),
        tooltip=[
            alt.Tooltip("date:T", title="Date", format="%a %d %b %Y"),
            alt.Tooltip("done:Q", title="Sessions done"),
        ],
    )
    # The number in each cell, so the chart does not rely on colour alone (print, colour
    # vision): white on the darkest cells, black on the light ones.
    numbers = base.mark_text(fontSize=10).encode(
        alt.Text("done:Q"),
        color=alt.condition(
            f"datum.done >= {sessions_per_day}", alt.value("white"), alt.value("black")
        ),
    )
    subtitle = ["The last 26 weeks of the range"] if cut else []
    chart = alt.layer(cells, numbers).properties(
        title=alt.Title("Sessions done per day", subtitle=subtitle, subtitleColor=MUTED),
        height=430,
    )
    return chart.to_dict()


def adherence_calendar_spec(
    daily: pd.DataFrame, sessions_per_day: int = 2, cut: bool = False
) -> dict:
    """A calendar heat map: one cell per day (weeks across, weekdays down), coloured by
    sessions done (0, 1 or 2 of 2) and numbered."""
    # Weekdays as days since the week's start, named in numpy: a map per cell cost more
    # than the chart on a first visit after a save.
    when = daily["date"].to_numpy(dtype="datetime64[ns]")
    week = period_start(daily["date"], "week").to_numpy(dtype="datetime64[ns]")
    weekday = ((when - week) // np.timedelta64(1, "D")).astype(np.int64)
    data = pd.DataFrame(
        {
            "date": when,
            "week": week,
            "weekday": np.array(WEEKDAYS, dtype=object)[weekday],
            "done": np.minimum(daily["sessions"].to_numpy(), sessions_per_day),
        }
    )
    return _fill(_calendar_template(sessions_per_day, cut), calendar=records(data))


def adherence_calendar(
    daily: pd.DataFrame, sessions_per_day: int = 2, cut: bool = False
) -> alt.LayerChart:
    spec = adherence_calendar_spec(daily, sessions_per_day, cut)
    return alt.LayerChart.from_dict(spec, validate=False)


# ---------------------------------------------------------------- adherence bars


@lru_cache(maxsize=8)
def _bars_template(period: str) -> dict:
    label = "Week starting" if period == "week" else "Month"
    bars = (
        alt.Chart(alt.NamedData("adherence"))
        .mark_bar(color=PAIN_COLOR, cornerRadiusEnd=3)
        .encode(
            alt.X("period:O")
            .title(label)
            .timeUnit("yearmonthdate")
            .axis(format=DAY_FORMAT if period == "week" else "%b %Y", labelAngle=-45,
                  labelOverlap="greedy"),
            alt.Y("percent:Q")
            .title("Sessions done (% of prescribed)")
            .scale(domain=[0, 100])
            .axis(values=[0, 25, 50, 75, 100]),
            tooltip=[
                alt.Tooltip("period:T", title=label,
                            format="%a %d %b %Y" if period == "week" else "%B %Y"),
                alt.Tooltip("done:Q", title="Sessions done"),
                alt.Tooltip("prescribed:Q", title="Sessions prescribed"),
                alt.Tooltip("percent:Q", title="Adherence (%)", format=".0f"),
            ],
        )
    )  # fmt: skip
    target = (
        alt.Chart(alt.NamedData("target"))
        .mark_rule(color=ZONE_COLOR, strokeDash=[6, 4], strokeWidth=2)
        .encode(alt.Y("target:Q"))
    )
    chart = alt.layer(bars, target).properties(
        title=alt.Title(
            "Weekly adherence" if period == "week" else "Monthly adherence",
            subtitle="Dashed line: 100% of prescribed sessions",
            subtitleColor=MUTED,
        ),
        height=330,
    )
    return chart.to_dict()


def adherence_bars_spec(periods: pd.DataFrame, period: str = "week") -> dict:
    """Adherence per week (or month, over long ranges) as bars, % of the prescribed
    sessions, against a 100% target."""
    return _fill(_bars_template(period), adherence=records(periods), target=[{"target": 100}])


def adherence_bars(periods: pd.DataFrame, period: str = "week") -> alt.LayerChart:
    return alt.LayerChart.from_dict(adherence_bars_spec(periods, period), validate=False)


# ---------------------------------------------------------------- per exercise


@lru_cache(maxsize=8)
def _shares_template(order: tuple[str, ...]) -> dict:
    bars = (
        alt.Chart(alt.NamedData("shares"))
        .mark_bar(color=PAIN_COLOR, cornerRadiusEnd=3)
        .encode(
            alt.Y("exercise:N").title(None).sort(list(order)),
            alt.X("percent:Q")
            .title("Reps done (% of prescribed dose)")
            .scale(domain=[0, 100])
            .axis(values=[0, 25, 50, 75, 100]),
            tooltip=[
                alt.Tooltip("exercise:N", title="Exercise"),
                alt.Tooltip("sessions_done:Q", title="Sessions with this exercise"),
                alt.Tooltip("reps_done:Q", title="Reps done"),
                alt.Tooltip("reps_prescribed:Q", title="Reps prescribed"),
                alt.Tooltip("percent:Q", title="Share of dose (%)", format=".0f"),
            ],
        )
    )
    labels = (
        bars.mark_text(align="left", dx=4, color=MUTED, fontWeight="bold")
        .encode(text=alt.Text("percent_label:N"))
        .transform_calculate(percent_label="format(datum.percent, '.0f') + '%'")
    )
    chart = alt.layer(bars, labels).properties(
        title=alt.Title("Each exercise: share of the prescribed dose"), height=alt.Step(34)
    )
    return chart.to_dict()


def exercise_share_spec(shares: pd.DataFrame) -> dict:
    """Per exercise: reps done as a share of the prescribed dose, so a skipped one stands out."""
    return _fill(_shares_template(tuple(shares["exercise"])), shares=records(shares))


def exercise_share_bars(shares: pd.DataFrame) -> alt.LayerChart:
    return alt.LayerChart.from_dict(exercise_share_spec(shares), validate=False)


# ---------------------------------------------------------------- all of a page


def progress_specs(
    frames: ChartFrames, baseline: float | None, sessions_per_day: int
) -> dict[str, dict]:
    """The Vega-Lite specs of the Progress and Report pages (and the PDF) for one range."""
    return {
        "pain": pain_trend_spec(frames.pain, baseline, frames.pain_period),
        "calendar": adherence_calendar_spec(frames.calendar, sessions_per_day, frames.calendar_cut),
        "adherence": adherence_bars_spec(frames.adherence, frames.adherence_period),
        "exercises": exercise_share_spec(frames.shares),
    }


# ---------------------------------------------------------------- PSFS (function)

ACTIVITY_SHAPES = ("circle", "square", "triangle-up", "diamond", "cross")
ACTIVITY_DASHES = ([1, 0], [6, 3], [2, 2], [8, 3, 2, 3], [1, 3])


def psfs_spec(records: Sequence[Outcome]) -> dict | None:
    """Each PSFS activity's score over time (told apart by shape and dash as well as colour),
    their mean as a thick line, and the level 2 points above the first rating's mean (the
    smallest meaningful rise, Stratford 1995). None without a PSFS rating."""
    ratings = psfs_ratings(records)
    if not ratings:
        return None
    names = activities(records)
    rows = [
        {"date": r.date.isoformat(), "activity": names[i], "score": s}
        for r in ratings
        for i, s in r.scores.items()
    ]
    means = [{"date": r.date.isoformat(), "mean": round(r.mean, 2)} for r in ratings]
    target = min(PSFS_MAX, ratings[0].mean + PSFS_MEANINGFUL)
    span = (ratings[-1].date - ratings[0].date).days + 1
    template = _psfs_template(tuple(names.values()), tick_interval(span))
    return _fill(template, scores=rows, means=means, target=[{"level": target}])


@lru_cache(maxsize=16)
def _psfs_template(order: tuple[str, ...], interval: str) -> dict:
    """The PSFS chart without its data (building it with Altair costs tens of ms: made once
    per set of activities)."""
    order = list(order)
    x = _date_x(interval)
    y = alt.Y("score:Q").title("Ability (PSFS, 0-10)").scale(Y_PAIN)
    items = (
        alt.Chart(alt.NamedData("scores"))
        .mark_line(strokeWidth=1.5, point=alt.OverlayMarkDef(size=70, filled=True))
        .encode(
            x,
            y,
            alt.Color("activity:N", sort=order, title="Activity").legend(
                orient="bottom", columns=1
            ),
            alt.Shape("activity:N", sort=order, title="Activity").scale(
                range=list(ACTIVITY_SHAPES[: len(order)])
            ),
            alt.StrokeDash("activity:N", sort=order, title="Activity").scale(
                range=[list(d) for d in ACTIVITY_DASHES[: len(order)]]
            ),
            tooltip=[
                alt.Tooltip("date:T", title="Date", format="%a %d %b %Y"),
                alt.Tooltip("activity:N", title="Activity"),
                alt.Tooltip("score:Q", title="Score (0-10)"),
            ],
        )
    )
    mean = (
        alt.Chart(alt.NamedData("means"))
        .mark_line(
            color=MEAN_COLOR, strokeWidth=3.5, point=alt.OverlayMarkDef(size=40, color=MEAN_COLOR)
        )
        .encode(
            x,
            alt.Y("mean:Q").scale(Y_PAIN),
            tooltip=[
                alt.Tooltip("date:T", title="Date", format="%a %d %b %Y"),
                alt.Tooltip("mean:Q", title="Mean of the activities", format=".1f"),
            ],
        )
    )
    rule = (
        alt.Chart(alt.NamedData("target"))
        .mark_rule(color=ZONE_COLOR, strokeDash=[6, 4], strokeWidth=2)
        .encode(
            alt.Y("level:Q").scale(Y_PAIN),
            tooltip=[alt.Tooltip("level:Q", title="Meaningful rise at or above", format=".1f")],
        )
    )
    chart = alt.layer(rule, items, mean).properties(
        title=alt.Title(
            "Activities you find hard (PSFS): 0 = unable, 10 = as before the problem",
            subtitle=[
                "Thick black line: mean of the activities",
                f"Dashed green line: {PSFS_MEANINGFUL:g} points above the first mean "
                "(a meaningful rise)",
            ],
            subtitleColor=MUTED,
        ),
        height=380,
    )
    return chart.to_dict()
