from __future__ import annotations

import pytest

from backtrack.clock import CUE_TONES, ReportError, apply_action, apply_report, clock_data
from backtrack.pacing import Sound
from backtrack.player import Cue, Player


@pytest.fixture
def player(programme) -> Player:
    return Player.create(programme)


def data(player: Player, **kw) -> dict:
    pictures = {ex.id: (f"data:{ex.id}", f"{ex.name} drawing") for ex in player.exercises}
    return clock_data(player, pictures, Sound(), autostart=kw.get("autostart", True))


def test_every_cue_has_a_tone_that_starts_on_its_own_frequency():
    assert set(CUE_TONES) == set(Cue)
    firsts = [tones[0][0] for tones in CUE_TONES.values()]
    assert len(set(firsts)) == len(firsts)


def test_the_clock_gets_words_to_show_and_say_for_each_step(player):
    d = data(player)
    assert [(s["word"], s["say"], s["cue"]) for s in d["steps"][:4]] == [
        ("Next: Knee Hugs", "Next: Knee Hugs", "next"),
        ("Get ready", "Get ready", None),
        ("Hold", "Hold", "hold"),
        ("Rest", "Rest", "release"),
    ]
    assert d["steps"][0]["instruction"] == "Step 1: Lie flat on your back on the floor."
    assert d["steps"][2]["instruction"].startswith("Step 5: Hold for 5 seconds")
    drops = [s for s in d["steps"] if s["kind"] == "switch"][0]
    assert (drops["word"], drops["say"]) == ("Switch: left side", "Left side")
    assert d["slots"][0]["labels"] == "Exercise 1 of 5 · Rep 1 of 10"
    assert d["exercises"][2] == {"name": "The Clam", "picture": "data:clam",
                                 "alt": "The Clam drawing"}  # fmt: skip


def test_a_page_opened_again_resumes_at_the_current_slots_first_step(player):
    p = player.advance(23 + 11)  # two reps
    d = data(p, autostart=False)
    assert d["index"] == 2 and not d["autostart"]
    assert d["steps"][d["at"]]["slot"] == 2 and d["steps"][d["at"]]["kind"] == "rest"


def test_reports_and_actions_move_the_player(player):
    p = apply_report(player, {"epoch": 0, "elapsed": 23})
    assert p.summary()["knee_hugs"] == 1
    assert apply_report(p, {"epoch": 7, "elapsed": 500}) == p  # another run's report
    skipped = apply_action(p, {"name": "skip_exercise", "epoch": 0, "elapsed": 34})
    assert skipped.summary()["knee_hugs"] == 2 and skipped.exercise.id == "knee_drops"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (None, "report: expected a mapping"),
        ({"epoch": True, "elapsed": 1}, "report: epoch True is not a whole number"),
        ({"epoch": 0, "elapsed": float("nan")}, "report: elapsed nan is not a number"),
        ({"epoch": 0, "elapsed": -2}, "report: elapsed -2 is not a number of seconds >= 0"),
    ],
)
def test_a_malformed_report_is_refused(player, value, message):
    with pytest.raises(ReportError, match=message):
        apply_report(player, value)


def test_an_unknown_action_is_refused(player):
    with pytest.raises(ReportError, match="action: 'explode' is not one of skip_rep"):
        apply_action(player, {"name": "explode", "epoch": 0, "elapsed": 0})
