from __future__ import annotations

from datetime import date

import altair as alt
import pandas as pd

from backtrack.chart_tables import chart_texts, described
from backtrack.charts import CHART_DESCRIPTIONS, progress_specs
from backtrack.summaries import chart_frames
from backtrack.symptoms import flag_label
from tests.lib.test_summaries import frame

# Sun 1 to Wed 4 Nov 2026: two full sessions on the 2nd (one with a fever), nothing on the
# 1st and 3rd, a session of clams only on the 4th.
ROWS = [
    ("2026-11-02", "morning", 6, *[10, 5, 10, 10, 3], "", ""),
    ("2026-11-02", "evening", 4, *[10, 5, 10, 10, 3], "fever", ""),
    ("2026-11-04", "morning", 2, *[0, 0, 10, 0, 0], "", ""),
]


def texts(programme, baseline=5.0, start=date(2026, 11, 1), end=date(2026, 11, 4), rows=ROWS):
    frames = chart_frames(frame(rows, programme.exercise_ids), programme, start, end)
    return chart_texts(frames, baseline, programme.sessions_per_day)


def test_pain_table_lists_each_day_with_a_rating_a_mean_or_a_symptom(programme):
    pain = texts(programme)["pain"]
    expected = pd.DataFrame(
        {
            "Date": ["Mon 2 Nov 2026", "Tue 3 Nov 2026", "Wed 4 Nov 2026"],
            "Pain (day mean)": ["5.0", "–", "2.0"],
            "7-day mean": ["5.0", "5.0", "3.5"],
            "Worrying symptoms": [flag_label("fever"), "", ""],
        }
    ).set_index("Date")
    pd.testing.assert_frame_equal(pain.table, expected)


def test_pain_description_states_the_range_the_trend_the_baseline_and_the_symptoms(programme):
    pain = texts(programme)["pain"]
    assert pain.description == (
        f"{CHART_DESCRIPTIONS['pain']} Sun 1 Nov 2026 to Wed 4 Nov 2026: 2 days with pain, "
        "from 2.0 to 5.0; the 7-day mean went from 5.0 to 3.5. First-week baseline 5.0; a "
        "meaningful improvement is 3.5 or lower. Worrying symptoms logged on 1 day."
    )
    without = texts(programme, baseline=None)["pain"].description
    assert "First-week baseline" not in without and "2 days with pain" in without


def test_pain_description_of_a_range_without_ratings_says_so(programme):
    pain = texts(programme, start=date(2026, 10, 1), end=date(2026, 10, 5))["pain"]
    assert pain.description.endswith("Thu 1 Oct 2026 to Mon 5 Oct 2026: no pain ratings. "
                                     "First-week baseline 5.0; a meaningful improvement is "
                                     "3.5 or lower.")  # fmt: skip
    assert pain.table.empty


def test_calendar_counts_days_by_sessions_done(programme):
    calendar = texts(programme)["calendar"]
    assert calendar.table["Sessions done (of 2)"].to_list() == [0, 2, 0, 1]
    assert calendar.table.index[0] == "Sun 1 Nov 2026"
    assert calendar.description.endswith(
        "Sun 1 Nov 2026 to Wed 4 Nov 2026: 1 day with 2 sessions, 1 day with 1 session, "
        "2 days with 0 sessions."
    )


def test_adherence_by_week_rounds_down_like_the_check(programme):
    adherence = texts(programme)["adherence"]
    expected = pd.DataFrame(
        {
            "Week starting": ["Mon 26 Oct 2026", "Mon 2 Nov 2026"],
            "Sessions done": [0, 3],
            "Sessions prescribed": [2, 6],
            "Adherence": ["0%", "50%"],
        }
    ).set_index("Week starting")
    pd.testing.assert_frame_equal(adherence.table, expected)
    # 3 of 8 is 37.5%: shown as 37%, never rounded up to a threshold.
    assert adherence.description.endswith("3 of 8 sessions (37%); by week, from 0% to 50%.")


def test_exercise_shares_name_each_exercise_and_its_share(programme):
    shares = texts(programme)["exercises"]
    assert shares.table.index.to_list() == [e.name for e in programme.exercises]
    clam = shares.table.loc["The Clam"]
    assert (clam["Reps done"], clam["Reps prescribed"], clam["Share of dose"]) == (30, 80, "37%")
    assert "Knee Hugs 25%, Knee Drops 25%, The Clam 37%" in shares.description


def test_long_ranges_describe_weekly_means_as_the_chart_draws_them(programme):
    rows = [(f"2026-{m:02d}-{d:02d}", "morning", 4, *[10, 5, 10, 10, 3], "", "")
            for m in range(1, 12) for d in (5, 20)]  # fmt: skip
    out = texts(programme, start=date(2026, 1, 1), end=date(2026, 11, 30), rows=rows)
    assert out["pain"].table.index.name == "Week starting"
    assert "Pain (week mean)" in out["pain"].table.columns
    assert "weekly means with pain" in out["pain"].description
    assert "(the last 26 weeks)" in out["calendar"].description
    assert len(out["calendar"].table) == 182


def test_every_chart_carries_its_description_in_a_valid_spec(programme):
    frames = chart_frames(frame(ROWS, programme.exercise_ids), programme,
                          date(2026, 11, 1), date(2026, 11, 4))  # fmt: skip
    specs = progress_specs(frames, 5.0, programme.sessions_per_day)
    words = chart_texts(frames, 5.0, programme.sessions_per_day)
    assert specs.keys() == words.keys()
    for name, spec in specs.items():
        full = described(spec, words[name])
        assert full["description"] == words[name].description
        alt.LayerChart.from_dict(full)  # validates against the Vega-Lite schema
        assert "description" not in spec  # the cached spec is not changed
