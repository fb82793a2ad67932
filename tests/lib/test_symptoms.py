"""The flag vocabulary: one way to split, join and label the stored ';'-joined flag ids."""

from __future__ import annotations

from datetime import date
from itertools import combinations

import pandas as pd
import pytest

from backtrack import charts
from backtrack.entries import Entry
from backtrack.logbook import recent_table
from backtrack.summaries import daily_summary
from backtrack.symptoms import (
    FLAG_IDS,
    LEVEL_NUMBERS,
    Level,
    advice_level,
    flag_label,
    flag_labels,
    flag_level,
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


# The NHS back-pain page's two lists, as the issue and a clinician read them: the test holds
# its own copy, so a change to the vocabulary's levels must be made twice, on purpose.
NHS_LEVELS = {
    "saddle_numbness": "999", "bladder_bowel": "999", "leg_weakness": "999",
    "sexual_function": "999", "chest_pain": "999", "serious_accident": "999",
    "fever": "111", "weight_loss": "111", "back_lump": "111", "night_pain": "111",
    "cough_sneeze": "111", "injury": "111",
}  # fmt: skip


def test_the_vocabulary_is_exactly_the_nhs_lists():
    assert set(FLAG_IDS) == set(NHS_LEVELS)


@pytest.mark.parametrize("flag", sorted(NHS_LEVELS))
def test_each_flag_alone_gets_its_level_advice(flag):
    advice = urgent_advice([flag])
    number = NHS_LEVELS[flag]
    assert number in advice and LEVEL_NUMBERS[flag_level(flag)] == number
    if number == "111":
        assert "999" not in advice and "A&E" not in advice
    assert flag_label(flag).lower() in advice


@pytest.mark.parametrize("pair", list(combinations(sorted(NHS_LEVELS), 2)))
def test_mixed_flags_get_the_most_urgent_advice(pair):
    expected = "999" if "999" in {NHS_LEVELS[f] for f in pair} else "111"
    advice = urgent_advice(pair)
    assert expected in advice
    assert (advice_level(pair) is Level.EMERGENCY) == (expected == "999")
    if expected == "111":
        assert "999" not in advice


def test_no_flags_no_advice():
    assert urgent_advice([]) is None and advice_level([]) is None


@pytest.mark.parametrize("flag", sorted(NHS_LEVELS))
def test_check_names_999_or_111_for_each_flag_in_text_and_json(tmp_path, capsys, flag):
    import json

    from backtrack.cli import main
    from backtrack.store import JournalStore

    db = tmp_path / "j.db"
    JournalStore(db).save(Entry(date(2026, 11, 10), "morning", 7, {}, (flag,)))
    assert main(["check", "--db", str(db), "--as-of", "2026-11-12"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("URGENT") and NHS_LEVELS[flag] in text.split("\n")[0]
    assert main(["check", "--db", str(db), "--as-of", "2026-11-12", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["red_flags"] == [{"date": "2026-11-10", "flags": [flag]}]
    assert NHS_LEVELS[flag] in data["advice"]
    assert data["advice_level"] == ("emergency" if NHS_LEVELS[flag] == "999" else "urgent")


def test_old_flag_ids_import_unchanged_and_new_ones_round_trip(programme):
    from backtrack.csvio import export_csv, parse_csv

    today = date(2026, 11, 24)
    old = "date,slot,pain,knee_hugs,knee_drops,clam,glute_bridge,psoas_stretch,flags,notes\n"
    old += "2026-11-01,morning,4,10,5,10,10,5,saddle_numbness;fever;injury,\n"
    (entry,) = parse_csv(old.encode(), programme.exercise_ids, today)
    assert entry.flags == ("saddle_numbness", "fever", "injury")
    new = Entry(
        date(2026, 11, 2),
        "evening",
        5,
        {},
        ("chest_pain", "back_lump", "cough_sneeze", "sexual_function", "serious_accident"),
    )
    text = export_csv([new], programme.exercise_ids)
    (back,) = parse_csv(text.encode(), programme.exercise_ids, today)
    assert back.flags == tuple(f for f in FLAG_IDS if f in new.flags)  # vocabulary order


def test_an_unknown_flag_is_refused_on_import_with_its_row(programme):
    from backtrack.csvio import CsvError, parse_csv

    text = "date,slot,pain,knee_hugs,knee_drops,clam,glute_bridge,psoas_stretch,flags,notes\n"
    text += "2026-11-01,morning,4,10,5,10,10,5,fever,\n2026-11-02,morning,4,,,,,,toothache,\n"
    with pytest.raises(CsvError) as err:
        parse_csv(text.encode(), programme.exercise_ids, date(2026, 11, 24))
    assert any("row 3" in e and "flags" in e and "toothache" in e for e in err.value.errors)
