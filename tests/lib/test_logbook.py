from __future__ import annotations

from datetime import date

from backtrack.entries import Entry
from backtrack.logbook import entry_label, next_free_slot, recent_table
from backtrack.symptoms import flag_label

DAY = date(2026, 11, 23)


def test_next_free_slot_moves_to_evening_once_morning_is_logged():
    assert next_free_slot([], DAY) == "morning"
    assert next_free_slot([Entry(DAY, "morning", 3)], DAY) == "evening"
    assert next_free_slot([Entry(DAY, "evening", 3)], DAY) == "morning"
    both = [Entry(DAY, "morning", 3), Entry(DAY, "evening", 3)]
    assert next_free_slot(both, DAY) == "morning"


def test_entry_label():
    assert entry_label(Entry(DAY, "evening", 7)) == "Mon 23 Nov 2026 · evening · pain 7"


def test_recent_table_newest_first_with_readable_columns(programme):
    entries = [
        Entry(date(2026, 11, 22), "morning", 5, {"clam": 10, "knee_hugs": 10}),
        Entry(DAY, "morning", 4, {}, ("fever",), "rest day"),
        Entry(date(2026, 11, 22), "evening", 3, dict.fromkeys(programme.exercise_ids, 5)),
    ]
    table = recent_table(entries, programme, limit=2)
    assert list(table["Date"]) == [DAY, date(2026, 11, 22)]
    assert list(table["Slot"]) == ["morning", "evening"]
    assert list(table["Exercises"]) == ["pain only", "5 of 5"]
    assert list(table["Symptoms"]) == [flag_label("fever"), ""]
    assert list(table["Notes"]) == ["rest day", ""]
