"""The flag vocabulary: one way to split, join and label the stored ';'-joined flag ids."""

from __future__ import annotations

from datetime import date

import pandas as pd

from backtrack import charts
from backtrack.entries import Entry
from backtrack.logbook import recent_table
from backtrack.summaries import daily_summary
from backtrack.symptoms import (
    FLAG_IDS,
    flag_label,
    flag_labels,
    join_flags,
    merge_flags,
    split_flags,
    urgent_advice,
)


def test_split_and_join_round_trip_each_id_once_in_order():
    assert split_flags("fever; injury;;fever") == ("fever", "injury")
    assert split_flags("") == () and split_flags(None) == ()
    assert join_flags(["injury", "fever", "injury"]) == "injury;fever"
    assert merge_flags(["fever;injury", "", "injury;night_pain"]) == "fever;injury;night_pain"


def test_an_unknown_id_is_shown_as_it_is_never_a_crash():
    assert flag_label("from_the_future") == "from_the_future"
    assert flag_labels("fever;from_the_future") == (flag_label("fever"), "from_the_future")
    advice = urgent_advice(["from_the_future"])
    assert "from_the_future" in advice and "999" in advice  # the safer advice when unsure


def test_every_known_id_has_its_own_label():
    assert all(flag_label(f) != f for f in FLAG_IDS)


def test_unknown_ids_flow_through_log_table_and_pain_chart(programme):
    entry = Entry(date(2026, 11, 2), "morning", 4, flags=("fever", "from_the_future"))
    table = recent_table([entry], programme)
    assert table["Symptoms"][0] == f"{flag_label('fever')}; from_the_future"
    frame = pd.DataFrame({"date": pd.to_datetime(["2026-11-02"]), "slot": ["morning"],
                          "pain": [4], "done": [False], "flags": ["fever;from_the_future"],
                          "notes": [""]})  # fmt: skip
    daily = daily_summary(frame, date(2026, 11, 1), date(2026, 11, 3))
    spec = charts.pain_trend_spec(daily)
    texts = [r["flag_text"] for r in spec["datasets"]["pain"] if r["flag_text"]]
    assert texts == [f"{flag_label('fever')}; from_the_future"]
