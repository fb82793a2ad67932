from __future__ import annotations

import pytest

from backtrack.pacing import PACING_RULES, Pacing, SettingsError, Sound


def test_defaults_and_json_round_trip():
    assert Pacing() == Pacing(get_ready=3, rest=3, between=15, up=2, down=2)
    assert Pacing.from_json(None) == Pacing()
    p = Pacing(get_ready=5, rest=10, between=30, up=1, down=3)
    assert Pacing.from_json(p.to_json()) == p
    assert Pacing.from_mapping({"rest": 4}) == Pacing(rest=4)  # the rest default
    assert Sound.from_json(Sound(True, 0.5, False).to_json()) == Sound(True, 0.5, False)
    assert Sound.from_json("") == Sound(muted=False, volume=0.8, speak=True)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"rest": 31}, r"Rest between reps \(rest\): 31 s is outside 1-30 s"),
        ({"between": 4}, r"Pause between exercises \(between\): 4 s is outside 5-60 s"),
        ({"get_ready": 2.5}, r"\(get_ready\): 2.5 is not a whole number of seconds"),
        ({"up": "2"}, r"Paced reps: up \(up\): '2' is not a number of seconds"),
        ({"down": True}, r"\(down\): True is not a number"),
        ({"hold": 5}, "unknown session pacing field"),
    ],
)
def test_bad_pacing_names_the_field_and_the_rule(values, message):
    with pytest.raises(SettingsError, match=message):
        Pacing.from_mapping(values)


def test_every_rule_has_its_default_inside_its_range():
    for _name, (_label, lo, hi, default) in PACING_RULES.items():
        assert lo <= default <= hi


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"volume": 1.5}', r"sound \(volume\): 1.5 is outside 0.0-1.0"),
        ('{"muted": "yes"}', r"sound \(muted\): 'yes' is not true/false"),
        ('{"loud": true}', "unknown sound setting"),
        ("[1]", "must be a mapping"),
        ("{", "not JSON"),
    ],
)
def test_bad_sound_settings_are_refused(text, message):
    with pytest.raises(SettingsError, match=message):
        Sound.from_json(text)
