from __future__ import annotations

import math
from datetime import date, timedelta

import pandas as pd
import pytest

from backtrack import charts
from backtrack.progress import (
    MEANINGFUL_FRACTION,
    MEANINGFUL_POINTS,
    MIN_RELATIVE_POINTS,
    Status,
    meaningful_improvement_level,
    two_week_check,
)
from backtrack.summaries import adherence_by_period, daily_summary, exercise_shares
from backtrack.symptoms import flag_label


def journal() -> pd.DataFrame:
    df = pd.DataFrame(
        {
            "date": pd.to_datetime(["2026-11-02", "2026-11-02", "2026-11-04"]),
            "slot": ["morning", "evening", "morning"],
            "pain": [6, 4, 2],
            "clam": [10, 10, 0],
            "flags": ["", "saddle_numbness", ""],
            "notes": ["stiff", "", ""],
        }
    )
    df["date"] = df["date"].astype("datetime64[ns]")
    df["done"] = df["clam"] > 0
    return df


@pytest.fixture
def daily():
    return daily_summary(journal(), date(2026, 11, 1), date(2026, 11, 7))


def layer_marks(spec):
    return [
        layer["mark"]["type"] if isinstance(layer["mark"], dict) else layer["mark"]
        for layer in spec["layer"]
    ]


def dataset(spec, layer):
    name = layer["data"]["name"] if "data" in layer else spec["data"]["name"]
    return spec["datasets"][name]


def test_pain_trend_layers_points_mean_baseline_zone_and_flags(daily):
    spec = charts.pain_trend(daily, baseline=5.0).to_dict()
    assert layer_marks(spec) == ["rect", "rule", "line", "circle", "point"]
    zone, rule, line, points, flags = spec["layer"]
    assert points["encoding"]["y"]["field"] == "pain"
    assert points["encoding"]["y"]["title"] == "Pain (0-10 NRS)"
    assert points["encoding"]["y"]["scale"]["domain"] == [0, 10]
    assert points["encoding"]["x"]["field"] == "date"
    assert points["encoding"]["x"]["title"] == "Date"
    assert points["encoding"]["x"]["axis"]["format"] == "%d %b"  # days, not hours
    assert line["encoding"]["y"]["field"] == "trend"
    tooltip_fields = [t["field"] for t in points["encoding"]["tooltip"]]
    assert tooltip_fields == ["date", "pain", "trend", "notes"]
    assert flags["transform"][0] == {"filter": "datum.flags != ''"}
    # The meaningful-improvement zone: 0 up to baseline - min(2, 30%) = 5 - 1.5.
    zone_rows = dataset(spec, zone)
    assert zone_rows[0]["y"] == 0 and zone_rows[0]["y2"] == pytest.approx(3.5)
    assert zone_rows[0]["baseline"] == 5.0
    rows = dataset(spec, points)
    assert len(rows) == 7
    flagged = [r for r in rows if r["flags"]]
    assert [r["flag_text"] for r in flagged] == [
        flag_label("saddle_numbness")]  # fmt: skip
    assert spec["title"]["text"].startswith("Pain")


def test_pain_trend_without_baseline_has_no_rule_or_zone(daily):
    spec = charts.pain_trend(daily, baseline=None).to_dict()
    assert layer_marks(spec) == ["line", "circle", "point"]


@pytest.mark.parametrize(
    ("baseline", "level"),
    [(10.0, 8.0), (8.0, 6.0), (6.0, 4.2), (5.0, 3.5), (3.0, 2.0), (2.0, 1.0), (0.5, -0.5)],
)
def test_meaningful_improvement_level_is_2_points_or_30_percent_and_1_point(baseline, level):
    assert meaningful_improvement_level(baseline) == pytest.approx(level)


def test_no_band_when_no_rating_can_show_a_meaningful_fall():
    frame = pd.DataFrame({"date": pd.to_datetime(["2025-03-03"]), "pain": [0.5],
                          "trend": [0.5], "flags": [""], "notes": [""]})  # fmt: skip
    assert charts.pain_trend_spec(frame, baseline=0.5)["datasets"]["bands"] == []


@pytest.mark.parametrize("baseline", [1, 2, 3, 4, 5, 6, 7, 8, 10])
def test_improvement_band_drawn_is_the_checks_threshold(baseline):
    """The green band's top is exactly where the check starts to say IMPROVING."""
    frame = pd.DataFrame({"date": pd.to_datetime(["2025-03-03"]), "pain": [float(baseline)],
                          "trend": [float(baseline)], "flags": [""], "notes": [""]})  # fmt: skip
    spec = charts.pain_trend_spec(frame, baseline=float(baseline))
    top = spec["datasets"]["bands"][0]["y2"]
    needed = min(MEANINGFUL_POINTS, max(MIN_RELATIVE_POINTS, MEANINGFUL_FRACTION * baseline))
    assert top == pytest.approx(baseline - needed)
    week = 7
    # The recent week's mean at the band's top (to the nearest seventh) against just above.
    at_top = math.floor(top * week + 1e-9) / week
    above = at_top + 1 / week
    assert _check_mean(baseline, at_top) is Status.IMPROVING
    assert _check_mean(baseline, above) is not Status.IMPROVING


def _check_mean(baseline: int, mean: float) -> Status:
    """Verdict when days 1-7 are all `baseline` and days 8-14 average `mean` (a multiple
    of 1/7 made of whole ratings)."""
    first = date(2025, 3, 3)
    total = round(mean * 7)
    recent = [total // 7 + (1 if i < total % 7 else 0) for i in range(7)]
    rows = [
        {"date": pd.Timestamp(first + timedelta(days=i)), "slot": slot,
         "pain": baseline if i < 7 else recent[i - 7], "done": True, "flags": "", "notes": ""}
        for i in range(14) for slot in ("morning", "evening")
    ]  # fmt: skip
    frame = pd.DataFrame(rows).astype({"date": "datetime64[ns]"})
    return two_week_check(frame, as_of=first + timedelta(days=13)).status


def test_adherence_calendar_is_weeks_by_weekdays_coloured_and_numbered(daily):
    spec = charts.adherence_calendar(daily).to_dict()
    cells, numbers = spec["layer"]
    assert (cells["mark"]["type"], numbers["mark"]["type"]) == ("rect", "text")
    enc = cells["encoding"]
    assert (enc["x"]["field"], enc["y"]["field"]) == ("week", "weekday")
    assert enc["y"]["sort"] == charts.WEEKDAYS
    assert cells["encoding"]["color"]["field"] == "done"
    assert cells["encoding"]["color"]["scale"]["domain"] == [0, 1, 2]
    assert numbers["encoding"]["text"]["field"] == "done"  # not colour alone
    rows = dataset(spec, cells)
    assert [r["done"] for r in rows] == [0, 2, 0, 0, 0, 0, 0]
    assert rows[1]["weekday"] == "Mon"


@pytest.mark.parametrize(
    ("days", "interval", "fmt"),
    [(7, "day", "%d %b"), (14, "day", "%d %b"), (28, "week", "%d %b"), (120, "week", "%d %b"),
     (365, "month", "%b %Y")],
)  # fmt: skip
def test_date_ticks_thin_out_over_long_ranges(days, interval, fmt):
    daily = daily_summary(journal(), date(2026, 11, 1), date(2026, 11, 1) + timedelta(days - 1))
    x = charts.pain_trend(daily).to_dict()["layer"][0]["encoding"]["x"]
    assert (x["axis"]["tickCount"], x["axis"]["format"]) == (interval, fmt)


def test_weekly_adherence_bars_against_a_100_percent_target(daily):
    spec = charts.adherence_bars(adherence_by_period(daily)).to_dict()
    bars, target = spec["layer"]
    assert bars["mark"]["type"] == "bar" and target["mark"]["type"] == "rule"
    assert bars["encoding"]["y"]["title"] == "Sessions done (% of prescribed)"
    assert bars["encoding"]["x"]["title"] == "Week starting"
    assert spec["title"]["text"] == "Weekly adherence"
    assert dataset(spec, target) == [{"target": 100}]
    weeks = dataset(spec, bars)
    assert [round(w["percent"], 1) for w in weeks] == [0.0, 16.7]


def test_monthly_adherence_bars(daily):
    spec = charts.adherence_bars(adherence_by_period(daily, period="month"), "month").to_dict()
    assert spec["title"]["text"] == "Monthly adherence"
    assert spec["layer"][0]["encoding"]["x"]["axis"]["format"] == "%b %Y"


def test_weekly_pain_points_are_titled_as_means(daily):
    spec = charts.pain_trend(daily, 5.0, period="week").to_dict()
    assert spec["title"]["text"].startswith("Pain: weekly means")
    tooltip = spec["layer"][3]["encoding"]["tooltip"]
    assert tooltip[1]["title"] == "Pain (week mean)"


def test_exercise_share_bars_one_bar_per_exercise(programme):
    j = journal()
    for ex in programme.exercise_ids:
        if ex not in j:
            j[ex] = 0
    shares = exercise_shares(j, programme, date(2026, 11, 2), date(2026, 11, 2))
    spec = charts.exercise_share_bars(shares).to_dict()
    bars, labels = spec["layer"]
    assert bars["encoding"]["x"]["title"] == "Reps done (% of prescribed dose)"
    assert bars["encoding"]["y"]["sort"] == [e.name for e in programme.exercises]
    rows = dataset(spec, spec)
    assert {r["id"]: r["percent"] for r in rows}["clam"] == pytest.approx(100.0)


def test_leg_pain_is_a_dotted_line_with_squares_only_when_rated(daily):
    from backtrack.charts import LEG_COLOR

    without = charts.pain_trend_spec(daily.assign(leg=float("nan")))
    assert LEG_COLOR not in str(without["layer"])
    spec = charts.pain_trend_spec(daily.assign(leg=3.0))
    leg = next(layer for layer in spec["layer"] if layer["mark"].get("color") == LEG_COLOR)
    assert leg["mark"]["strokeDash"] == [2, 3] and leg["mark"]["point"]["shape"] == "square"
    assert "Dotted line with squares: leg pain" in spec["title"]["subtitle"]
    assert all(row["leg"] == 3.0 for row in spec["datasets"]["pain"])


def test_psfs_chart_has_each_activity_the_mean_and_the_2_point_level():
    from backtrack.outcomes import Outcome

    d1, d2 = date(2026, 11, 1), date(2026, 11, 15)
    records = [Outcome(d1, "psfs", 1, 2, "Walking"), Outcome(d1, "psfs", 2, 4, "Lifting"),
               Outcome(d2, "psfs", 1, 6, "Walking"), Outcome(d2, "psfs", 2, 5, "Lifting"),
               Outcome(d2, "pgic", 1, 2)]  # fmt: skip
    spec = charts.psfs_spec(records)
    assert [r["mean"] for r in spec["datasets"]["means"]] == [3.0, 5.5]
    assert spec["datasets"]["target"] == [{"level": 5.0}]  # first mean 3.0 + 2 points
    assert {r["activity"] for r in spec["datasets"]["scores"]} == {"Walking", "Lifting"}
    rule, items, mean = spec["layer"]
    assert items["encoding"]["y"]["title"] == "Ability (PSFS, 0-10)"
    assert {"shape", "strokeDash", "color"} <= set(items["encoding"])  # not colour alone
    assert charts.psfs_spec([Outcome(d1, "pgic", 1, 2)]) is None
