"""The log form's fields: an entry in, the same entry back out through validate_entry."""

from __future__ import annotations

from datetime import date

import pytest

from backtrack.entries import Entry, EntryError, validate_entry
from backtrack.logform import (
    LEG_KEY,
    LEG_NOT_RATED,
    REACTIONS_KEY,
    do_key,
    entry_values,
    field_keys,
    flag_key,
    form_fields,
    reps_key,
)
from backtrack.programme import MAX_REPS

DAY = date(2026, 11, 2)


def test_an_entry_goes_through_the_form_unchanged(programme):
    entry = Entry(
        DAY,
        "evening",
        6,
        {"knee_hugs": 7, "clam": 10},
        ("fever",),
        "stiff",
        {"clam": "uncomfortable"},
    )
    fields = form_fields(programme, entry, day=date(2026, 11, 20), slot="morning")
    assert set(fields) == {*field_keys(programme), REACTIONS_KEY}
    assert (fields["log_date"], fields["log_slot"], fields["log_pain"]) == (DAY, "evening", 6)
    assert fields[do_key("knee_drops")] is False and fields[flag_key("fever")] is True
    back = validate_entry(entry_values(programme, fields), programme.exercise_ids, DAY)
    assert back == entry


def test_a_new_entry_is_the_full_prescribed_dose_without_a_pain_rating(programme):
    fields = form_fields(programme, None, day=DAY, slot="morning")
    assert fields["log_pain"] is None and fields["log_notes"] == ""
    for ex in programme.exercises:
        assert fields[do_key(ex.id)] is True and fields[reps_key(ex.id)] == ex.reps_max


def test_a_guided_session_fills_what_was_done_and_unticks_the_rest(programme):
    fields = form_fields(programme, None, day=DAY, slot="evening", reps={"knee_hugs": 4})
    assert fields["log_slot"] == "evening"
    assert (fields[do_key("knee_hugs")], fields[reps_key("knee_hugs")]) == (True, 4)
    clam = programme.exercise("clam")
    assert (fields[do_key("clam")], fields[reps_key("clam")]) == (False, clam.reps_max)


def test_unticked_exercises_are_zero_and_notes_trimmed(programme):
    fields = form_fields(programme, None, day=DAY, slot="morning")
    fields.update({"log_pain": 3, "log_notes": "  tired \n", do_key("clam"): False})
    values = entry_values(programme, fields)
    assert values["clam"] == 0 and values["notes"] == "tired" and values["flags"] == []
    assert values["knee_hugs"] == programme.exercise("knee_hugs").reps_max


def test_reps_the_number_field_cannot_show_are_clamped(programme):
    entry = Entry(DAY, "morning", 2, {"knee_hugs": MAX_REPS + 50})  # e.g. an old import
    fields = form_fields(programme, entry, day=DAY, slot="morning")
    assert fields[reps_key("knee_hugs")] == MAX_REPS


@pytest.mark.parametrize("leg", [None, 0, 7, 10])
def test_leg_pain_round_trips_through_the_form(programme, leg):
    entry = Entry(DAY, "morning", 4, {"clam": 10}, leg_pain=leg)
    fields = form_fields(programme, entry, day=DAY, slot="morning")
    assert fields[LEG_KEY] == (LEG_NOT_RATED if leg is None else leg)
    back = validate_entry(entry_values(programme, fields), programme.exercise_ids, DAY)
    assert back.leg_pain == leg


def test_a_new_entry_has_no_leg_pain_rating(programme):
    fields = form_fields(programme, None, day=DAY, slot="morning")
    assert fields[LEG_KEY] == LEG_NOT_RATED
    assert entry_values(programme, fields)["leg_pain"] is None


@pytest.mark.parametrize(
    ("value", "rule"),
    [(11, "outside 0-10"), (-1, "outside 0-10"), ("lots", "not a whole number"), (True, "not")],
)
def test_leg_pain_the_widget_cannot_give_is_refused_by_field_name(programme, value, rule):
    fields = form_fields(programme, None, day=DAY, slot="morning")
    fields.update({"log_pain": 3, LEG_KEY: value})
    with pytest.raises(EntryError) as err:
        validate_entry(entry_values(programme, fields), programme.exercise_ids, DAY)
    assert [e.field for e in err.value.errors] == ["leg_pain"]
    assert rule in str(err.value)
