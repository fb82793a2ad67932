from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from backtrack.progress import Status
from backtrack.summaries import (
    adherence_by_period,
    chart_frames,
    daily_summary,
    date_range,
    exercise_shares,
    pain_points,
    today_status,
)


def frame(rows, exercise_ids=("clam",)) -> pd.DataFrame:
    """rows: (iso date, slot, pain, clam reps, flags, notes)."""
    df = pd.DataFrame(rows, columns=["date", "slot", "pain", *exercise_ids, "flags", "notes"])
    df["date"] = pd.to_datetime(df["date"]).astype("datetime64[ns]")
    df["done"] = df[list(exercise_ids)].gt(0).any(axis=1)
    return df


ROWS = [
    ("2026-11-02", "morning", 6, 10, "", "stiff"),
    ("2026-11-02", "evening", 4, 10, "fever", ""),
    ("2026-11-04", "morning", 2, 0, "", "rest"),
]


def test_daily_summary_has_every_day_with_day_means_and_sessions():
    out = daily_summary(frame(ROWS), date(2026, 11, 1), date(2026, 11, 5))
    expected = pd.DataFrame(
        {
            "date": pd.date_range("2026-11-01", "2026-11-05").astype("datetime64[ns]"),
            "pain": [float("nan"), 5.0, float("nan"), 2.0, float("nan")],
            "trend": [float("nan"), 5.0, 5.0, 3.5, 3.5],
            "leg": [float("nan")] * 5,  # no leg_pain column: not rated
            "sessions": [0, 2, 0, 0, 0],
            "flags": ["", "fever", "", "", ""],
            "notes": ["", "morning: stiff", "", "morning: rest", ""],
        }
    )
    pd.testing.assert_frame_equal(out, expected, check_dtype=False)


def test_trend_is_a_trailing_mean_of_daily_pain_over_7_days():
    rows = [(f"2026-11-{d:02d}", "morning", p, 0, "", "") for d, p in
            [(1, 8), (2, 6), (3, 4), (4, 2), (5, 0), (6, 2), (7, 4), (8, 6), (9, 8)]]  # fmt: skip
    out = daily_summary(frame(rows), date(2026, 11, 8), date(2026, 11, 9))
    # 8 Nov: mean of 2-8 Nov = (6+4+2+0+2+4+6)/7; 9 Nov: mean of 3-9 Nov.
    assert out["trend"].tolist() == pytest.approx([24 / 7, 26 / 7])


def test_weekly_adherence_counts_only_days_in_range():
    daily = daily_summary(frame(ROWS), date(2026, 11, 1), date(2026, 11, 4))  # Sun..Wed
    weekly = adherence_by_period(daily)
    assert weekly["period"].dt.strftime("%Y-%m-%d").tolist() == ["2026-10-26", "2026-11-02"]
    assert weekly["prescribed"].tolist() == [2, 6]
    assert weekly["done"].tolist() == [0, 2]
    assert weekly["percent"].tolist() == pytest.approx([0.0, 100 / 3])


def test_monthly_adherence():
    daily = daily_summary(frame(ROWS), date(2026, 10, 30), date(2026, 11, 4))
    monthly = adherence_by_period(daily, period="month")
    assert monthly["period"].dt.strftime("%Y-%m-%d").tolist() == ["2026-10-01", "2026-11-01"]
    assert monthly["prescribed"].tolist() == [4, 8]
    assert monthly["done"].tolist() == [0, 2]


def long_daily(days: int) -> pd.DataFrame:
    """A daily frame of `days` days from Mon 5 Jan 2026; pain i % 11, the odd days unrated."""
    dates = pd.date_range("2026-01-05", periods=days).astype("datetime64[ns]")
    pain = pd.Series([float(i % 11) if i % 2 == 0 else float("nan") for i in range(days)])
    return pd.DataFrame({"date": dates, "pain": pain, "trend": pain.ffill(), "sessions": 2,
                         "flags": [""] * days, "notes": [""] * days})  # fmt: skip


@pytest.mark.parametrize(("days", "period", "points"),
                         [(183, "day", 183), (184, "week", 27), (1095, "week", 157),
                          (3650, "month", 121)])  # fmt: skip
def test_long_ranges_are_aggregated_to_few_points(days, period, points):
    out, got = pain_points(long_daily(days))
    assert (got, len(out)) == (period, points)


def test_aggregated_points_are_the_means_of_their_days():
    daily = long_daily(400)
    daily.loc[10, "flags"] = "fever"
    daily.loc[11, "notes"] = "a"
    daily.loc[12, "notes"] = "b"
    weekly, period = pain_points(daily)
    assert period == "week"
    # Week 2 (12-18 Jan) is days 7-13; the rated ones, 8, 10 and 12, have pain 8, 10, 1.
    second = weekly.iloc[1]
    assert second["date"] == pd.Timestamp("2026-01-12")
    assert second["pain"] == pytest.approx(19 / 3)
    assert second["trend"] == pytest.approx(daily["trend"][7:14].mean())
    assert second["flags"] == "fever" and second["notes"] == "2 notes"
    # Faithful overall: the mean of the weekly means of full weeks equals the daily mean.
    full = weekly.iloc[:-1]
    assert full["pain"].mean() == pytest.approx(daily["pain"][: 7 * len(full)].mean(), abs=0.2)


def test_chart_frames_bundle_sizes(programme):
    rows = [("2026-11-02", "morning", 6, *[10, 0, 0, 0, 0], "", "")]
    bundle = chart_frames(frame(rows, programme.exercise_ids), programme,
                          date(2024, 11, 1), date(2026, 11, 2))  # fmt: skip
    assert len(bundle.daily) == 732
    assert bundle.pain_period == "week" and len(bundle.pain) <= 110
    assert len(bundle.calendar) == 182 and bundle.calendar_cut
    assert bundle.adherence_period == "month" and len(bundle.adherence) == 25
    assert bundle.calendar["date"].iloc[-1] == pd.Timestamp("2026-11-02")


def test_exercise_shares_cap_each_session_at_the_dose(programme):
    ids = programme.exercise_ids
    rows = [
        ("2026-11-02", "morning", 3, *[0, 0, 10, 0, 5], "", ""),
        ("2026-11-02", "evening", 3, *[0, 0, 30, 0, 3], "", ""),
    ]
    shares = exercise_shares(frame(rows, ids), programme, date(2026, 11, 2), date(2026, 11, 2))
    by_id = shares.set_index("id")
    assert by_id.loc["clam", "percent"] == pytest.approx(100.0)  # 10 + min(30, 10) of 20
    assert by_id.loc["clam", "reps_done"] == 40
    assert by_id.loc["psoas_stretch", "percent"] == pytest.approx(100.0)  # 3 of 3 twice
    assert by_id.loc["knee_hugs", "percent"] == 0.0
    assert list(shares["exercise"]) == [e.name for e in programme.exercises]


@pytest.mark.parametrize(
    ("choice", "expected"),
    [
        ("Last 14 days", (date(2026, 11, 10), date(2026, 11, 23))),
        ("Last 4 weeks", (date(2026, 10, 27), date(2026, 11, 23))),
        ("Last 3 months", (date(2026, 8, 25), date(2026, 11, 23))),
        ("All", (date(2026, 8, 1), date(2026, 11, 23))),
    ],
)
def test_date_ranges(choice, expected):
    assert date_range(choice, date(2026, 11, 23), date(2026, 8, 1)) == expected


def test_preset_ranges_do_not_start_before_day_1():
    assert date_range("Last 4 weeks", date(2026, 11, 23), date(2026, 11, 20)) == (
        date(2026, 11, 20), date(2026, 11, 23))  # fmt: skip


def test_custom_range_is_checked():
    span = (date(2026, 11, 1), date(2026, 11, 5))
    assert date_range("Custom", date(2026, 11, 23), None, span) == span
    with pytest.raises(ValueError, match="after end"):
        date_range("Custom", date(2026, 11, 23), None, span[::-1])
    with pytest.raises(ValueError, match="not one of"):
        date_range("Forever", date(2026, 11, 23), None)


def test_today_status():
    rows = [
        ("2026-11-20", "morning", 5, 10, "", ""),
        ("2026-11-20", "evening", 5, 10, "", ""),
        ("2026-11-23", "morning", 4, 10, "", ""),
    ]
    status = today_status(frame(rows), date(2026, 11, 23), None)
    assert status.day == 4
    assert status.done_slots == ("morning",) and status.slots_left == ("evening",)
    assert status.full_days_last_7 == 1
    assert status.check.status is Status.TOO_EARLY


def test_pain_only_entry_is_logged_but_not_done():
    rows = [("2026-11-23", "evening", 4, 0, "", "")]
    status = today_status(frame(rows), date(2026, 11, 23), None)
    assert status.done_slots == () and status.logged_slots == ("evening",)
    assert status.slots_left == ("morning",)


def test_today_before_the_user_start_date_has_no_day():
    rows = [("2026-11-20", "morning", 5, 10, "", "")]
    assert today_status(frame(rows), date(2026, 11, 23), date(2026, 11, 25)).day is None


def test_long_range_means_equal_a_pandas_groupby(programme):
    """pain_points and adherence_by_period count in numpy; they must agree with pandas."""
    import numpy as np

    from backtrack.summaries import adherence_by_period, pain_points, period_start

    rng = np.random.default_rng(3)
    days = pd.date_range("2020-01-01", periods=1500, freq="D").astype("datetime64[ns]")
    pain = rng.integers(0, 11, len(days)).astype(float)
    pain[rng.random(len(days)) < 0.3] = np.nan
    daily = pd.DataFrame({
        "date": days, "pain": pain, "trend": pd.Series(pain).rolling(7, 1).mean(),
        "sessions": rng.integers(0, 3, len(days)),
        "flags": np.where(rng.random(len(days)) < 0.01, "fever", ""),
        "notes": np.where(rng.random(len(days)) < 0.1, "x", ""),
    })  # fmt: skip
    points, period = pain_points(daily)
    assert period == "month"
    key = period_start(daily["date"], period)
    expected = daily.groupby(key)[["pain", "trend", "sessions"]].agg(
        {"pain": "mean", "trend": "mean", "sessions": "sum"}
    )
    np.testing.assert_allclose(points["pain"], expected["pain"], equal_nan=True)
    np.testing.assert_allclose(points["trend"], expected["trend"], equal_nan=True)
    assert points["sessions"].tolist() == expected["sessions"].tolist()
    assert points["date"].tolist() == expected.index.tolist()
    notes = (daily["notes"] != "").groupby(key).sum()
    assert points["notes"].tolist() == [f"{n} note{'s' if n != 1 else ''}" if n else ""
                                        for n in notes]  # fmt: skip
    weekly = adherence_by_period(daily, 2, "week")
    capped = daily["sessions"].clip(upper=2).groupby(period_start(daily["date"], "week"))
    assert weekly["done"].tolist() == capped.sum().tolist()
    assert weekly["prescribed"].tolist() == (capped.size() * 2).tolist()


def test_leg_pain_is_a_daily_mean_of_the_rated_entries_only():
    journal = frame(ROWS).assign(leg_pain=[float("nan")] * (len(ROWS) - 1) + [6.0])
    out = daily_summary(journal, date(2026, 11, 1), date(2026, 11, 5))
    rated = out.dropna(subset=["leg"])
    assert rated["leg"].tolist() == [6.0] and len(rated) == 1
