from __future__ import annotations

from datetime import date

import pytest

from backtrack.entries import Entry, EntryError, validate_entry

IDS = ("knee_hugs", "knee_drops", "clam", "glute_bridge", "psoas_stretch")
TODAY = date(2026, 11, 23)


def values(**changes):
    base = {"date": "2026-11-20", "slot": "morning", "pain": "4", "knee_hugs": "10"}
    return {**base, **changes}


def errors_for(**changes) -> dict[str, str]:
    with pytest.raises(EntryError) as err:
        validate_entry(values(**changes), IDS, TODAY)
    return {e.field: e.message for e in err.value.errors}


def test_valid_values_make_an_entry():
    entry = validate_entry(values(flags="fever;injury", notes="stiff"), IDS, TODAY)
    assert entry == Entry(date(2026, 11, 20), "morning", 4, {"knee_hugs": 10},
                          ("fever", "injury"), "stiff")  # fmt: skip
    assert entry.done


def test_pain_only_entry_is_valid_and_not_a_session():
    entry = validate_entry(values(knee_hugs=""), IDS, TODAY)
    assert entry.reps == {} and not entry.done


def test_typed_widget_values_are_accepted():
    entry = validate_entry(
        {"date": TODAY, "slot": "evening", "pain": 0, "clam": 10, "flags": ["night_pain"]},
        IDS, TODAY)  # fmt: skip
    assert (entry.date, entry.pain, entry.reps, entry.flags) == (
        TODAY, 0, {"clam": 10}, ("night_pain",))  # fmt: skip


@pytest.mark.parametrize(
    ("value", "rule"),
    [
        ("11", "outside 0-10"),
        ("-1", "outside 0-10"),
        ("7.5", "not a whole number"),
        ("seven", "not a whole number"),
        ("", "is required"),
        (True, "not a whole number"),
        (4.0, "not a whole number"),
    ],
)
def test_pain_must_be_a_whole_number_0_to_10(value, rule):
    assert rule in errors_for(pain=value)["pain"]


@pytest.mark.parametrize(
    ("value", "rule"),
    [
        ("2026-12-01", "in the future"),
        ("2026-02-30", "not a real date"),
        ("20/11/2026", "YYYY-MM-DD"),
        ("", "is required"),
    ],
)
def test_date_must_be_real_and_not_in_the_future(value, rule):
    assert rule in errors_for(date=value)["date"]


def test_today_is_allowed_tomorrow_is_not():
    assert validate_entry(values(date="2026-11-23"), IDS, TODAY).date == TODAY
    assert "future" in errors_for(date=date(2026, 11, 24))["date"]


@pytest.mark.parametrize("value", ["-3", "1000", "101", "2.5", "ten"])
def test_reps_must_be_a_whole_number_0_to_100(value):
    assert "whole number from 0 to 100" in errors_for(clam=value)["clam"]


def test_zero_or_empty_reps_mean_not_done():
    entry = validate_entry(values(knee_hugs="0", clam=""), IDS, TODAY)
    assert entry.reps == {}


def test_slot_must_be_morning_or_evening():
    assert "morning or evening" in errors_for(slot="noon")["slot"]


def test_unknown_flag_is_named():
    assert "unknown symptom 'headache'" in errors_for(flags="fever;headache")["flags"]


def test_flags_are_deduplicated_in_a_fixed_order():
    entry = validate_entry(values(flags="injury;fever;injury"), IDS, TODAY)
    assert entry.flags == ("fever", "injury")


def test_notes_limit_and_newlines():
    assert "20,000 characters" in errors_for(notes="x" * 20_000)["notes"]
    assert validate_entry(values(notes="x" * 2000), IDS, TODAY).notes == "x" * 2000
    assert validate_entry(values(notes="a\r\nb\rc"), IDS, TODAY).notes == "a\nb\nc"
    assert "control character" in errors_for(notes="bell\x07")["notes"]


def test_every_broken_field_is_reported_at_once():
    errors = errors_for(date="2026-02-30", slot="noon", pain="11", clam="-3", flags="x")
    assert set(errors) == {"date", "slot", "pain", "clam", "flags"}
