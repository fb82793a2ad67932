"""Altair charts of pain and adherence. Each function takes frames from
backtrack.summaries and returns an alt.Chart; the numbers are computed there, not here.

Colours are mid-tones that read on light and dark themes; every axis has a title with its
unit, and dates are shown as days.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from backtrack.symptoms import flag_label

PAIN_COLOR = "#4c78a8"
TREND_COLOR = "#f58518"
BASELINE_COLOR = "#9d755d"
ZONE_COLOR = "#54a24b"
FLAG_COLOR = "#e45756"
SESSION_COLORS = ["#d0d7de", "#9ecae9", "#3a7dbf"]  # 0, 1, 2 sessions
DAY_FORMAT = "%d %b"
MUTED = "#8a8f98"  # secondary text that reads on light and dark backgrounds
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def tick_interval(days: int) -> str:
    """Date ticks a person can read: daily for two weeks, weekly up to four months, then
    monthly (one tick and grid line per day blurs into a band over long ranges)."""
    return "day" if days <= 14 else "week" if days <= 120 else "month"


def _date_x(days: int, title: str | None = "Date") -> alt.X:
    interval = tick_interval(days)
    return (
        alt.X("date:T")
        .title(title)
        .axis(format="%b %Y" if interval == "month" else DAY_FORMAT, labelAngle=0,
              tickCount=interval)
        .scale(nice=False)
    )  # fmt: skip


def meaningful_improvement_level(baseline: float) -> float:
    """The pain at or below which the change from baseline counts as meaningful:
    baseline - min(2 points, 30% of baseline) (Farrar 2001; Ostelo 2008)."""
    return baseline - min(2.0, 0.3 * baseline)


def pain_trend(daily: pd.DataFrame, baseline: float | None = None) -> alt.LayerChart:
    """Daily pain as points, the 7-day mean as a line, the baseline as a rule, the zone of a
    meaningful improvement shaded, and red-flag days marked."""
    data = daily.assign(
        flag_text=daily["flags"].map(
            lambda s: "; ".join(flag_label(f) for f in s.split(";") if f) if s else ""
        )
    )
    base = alt.Chart(data).encode(_date_x(len(daily)))
    y = alt.Y("pain:Q").title("Pain (0-10 NRS)").scale(domain=[0, 10], nice=False)
    tooltip = [
        alt.Tooltip("date:T", title="Date", format="%a %d %b %Y"),
        alt.Tooltip("pain:Q", title="Pain (day mean)", format=".1f"),
        alt.Tooltip("trend:Q", title="7-day mean", format=".1f"),
        alt.Tooltip("notes:N", title="Notes"),
    ]
    points = (
        base.mark_circle(size=60, color=PAIN_COLOR, opacity=0.9)
        .encode(y, tooltip=tooltip)
        .transform_filter("isValid(datum.pain)")
    )
    line = (
        base.mark_line(color=TREND_COLOR, strokeWidth=2.5)
        .encode(alt.Y("trend:Q").scale(domain=[0, 10]), tooltip=tooltip)
        .transform_filter("isValid(datum.trend)")
    )
    flags = (
        base.mark_point(shape="triangle-down", size=140, filled=True, color=FLAG_COLOR)
        .encode(
            alt.Y("marker:Q").scale(domain=[0, 10]),
            tooltip=[
                alt.Tooltip("date:T", title="Date", format="%a %d %b %Y"),
                alt.Tooltip("flag_text:N", title="Symptoms reported"),
            ],
        )
        .transform_filter("datum.flags != ''")
        .transform_calculate(marker="10")
    )
    layers: list[alt.Chart] = []
    if baseline is not None:
        level = meaningful_improvement_level(baseline)
        bands = pd.DataFrame(
            {"y": [0.0], "y2": [level], "baseline": [baseline], "label": ["Meaningful improvement"]}
        )
        zone = (
            alt.Chart(bands)
            .mark_rect(color=ZONE_COLOR, opacity=0.15)
            .encode(
                alt.Y("y:Q").scale(domain=[0, 10]),
                alt.Y2("y2:Q"),
                tooltip=[
                    alt.Tooltip("y2:Q", title="Meaningful improvement at or below", format=".1f")
                ],
            )  # fmt: skip
        )
        rule = (
            alt.Chart(bands)
            .mark_rule(color=BASELINE_COLOR, strokeDash=[6, 4], strokeWidth=2)
            .encode(
                alt.Y("baseline:Q").scale(domain=[0, 10]),
                tooltip=[alt.Tooltip("baseline:Q", title="Baseline (days 1-7)", format=".1f")],
            )
        )
        layers += [zone, rule]
    layers += [line, points, flags]
    return alt.layer(*layers).properties(
        title=alt.Title(
            "Pain: daily points, 7-day mean line",
            subtitle=(
                ["Dashed line: first-week baseline", "Green band: meaningful improvement"]
                if baseline is not None
                else []
            )
            + ["Red triangle: worrying symptoms logged"],
            subtitleColor=MUTED,
        ),
        height=430,
    )


def adherence_calendar(daily: pd.DataFrame, sessions_per_day: int = 2) -> alt.LayerChart:
    """A calendar heat map: one cell per day (weeks across, weekdays down), coloured by
    sessions done (0, 1 or 2 of 2)."""
    data = daily.assign(
        week=daily["date"] - pd.to_timedelta(daily["date"].dt.day_of_week, unit="D"),
        weekday=daily["date"].dt.day_of_week.map(lambda d: WEEKDAYS[d]),
        done=daily["sessions"].clip(upper=sessions_per_day),
    )
    base = alt.Chart(data).encode(
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
    return alt.layer(cells, numbers).properties(
        title=alt.Title("Sessions done per day"), height=430
    )


def weekly_adherence_bars(weekly: pd.DataFrame) -> alt.LayerChart:
    """Weekly adherence as bars (% of the prescribed sessions) against a 100% target."""
    bars = (
        alt.Chart(weekly)
        .mark_bar(color=PAIN_COLOR, cornerRadiusEnd=3)
        .encode(
            alt.X("week:O")
            .title("Week starting")
            .timeUnit("yearmonthdate")
            .axis(format=DAY_FORMAT, labelAngle=-45),
            alt.Y("percent:Q")
            .title("Sessions done (% of prescribed)")
            .scale(domain=[0, 100])
            .axis(values=[0, 25, 50, 75, 100]),
            tooltip=[
                alt.Tooltip("week:T", title="Week starting", format="%a %d %b %Y"),
                alt.Tooltip("done:Q", title="Sessions done"),
                alt.Tooltip("prescribed:Q", title="Sessions prescribed"),
                alt.Tooltip("percent:Q", title="Adherence (%)", format=".0f"),
            ],
        )  # fmt: skip
    )
    target = (
        alt.Chart(pd.DataFrame({"target": [100]}))
        .mark_rule(color=ZONE_COLOR, strokeDash=[6, 4], strokeWidth=2)
        .encode(alt.Y("target:Q"))
    )
    return alt.layer(bars, target).properties(
        title=alt.Title(
            "Weekly adherence",
            subtitle="Dashed line: 100% of prescribed sessions",
            subtitleColor=MUTED,
        ),
        height=330,
    )


def exercise_share_bars(shares: pd.DataFrame) -> alt.LayerChart:
    """Per exercise: reps done as a share of the prescribed dose, so a skipped one stands out."""
    order = list(shares["exercise"])
    bars = (
        alt.Chart(shares)
        .mark_bar(color=PAIN_COLOR, cornerRadiusEnd=3)
        .encode(
            alt.Y("exercise:N").title(None).sort(order),
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
        )  # fmt: skip
    )
    labels = (
        bars.mark_text(align="left", dx=4, color=MUTED, fontWeight="bold")
        .encode(text=alt.Text("percent_label:N"))
        .transform_calculate(percent_label="format(datum.percent, '.0f') + '%'")
    )
    return alt.layer(bars, labels).properties(
        title=alt.Title("Each exercise: share of the prescribed dose"),
        height=alt.Step(34),
    )
