from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from backtrack.pacing import Pacing
from backtrack.player import (
    IN_PROGRESS_KEY,
    Cue,
    Phase,
    Player,
    Slot,
    StepKind,
    default_hold,
    load_saved_session,
    saved_session,
)
from backtrack.programme import load_programme, parse_programme

FULL_DOSE = {"knee_hugs": 10, "knee_drops": 5, "clam": 10, "glute_bridge": 10, "psoas_stretch": 5}


@pytest.fixture
def player() -> Player:
    return Player.create(load_programme())


def at(player: Player, exercise_id: str) -> Player:
    """Skip forward to the first rep of an exercise."""
    while player.exercise is not None and player.exercise.id != exercise_id:
        player = player.skip_exercise()
    return player


def rep_end(player: Player) -> float:
    """When the current rep ends, in seconds into the run."""
    return next(s.end for s in player.timeline if s.slot == player.index and s.ends_rep)


def do_rep(player: Player) -> Player:
    """Do the current rep hands-free: the browser reports the time its last step ended."""
    return player.advance(rep_end(player))


def run_all(player: Player) -> Player:
    while not player.finished:
        player = do_rep(player)
    return player


def small_programme(**overrides):
    """A one-file programme with tiny doses, built through the real parser."""
    exercises = [
        {"id": "hug", "name": "Hug", "group": "g", "why": "w", "steps": ["Lie.", "Hold 3 seconds."],
         "reps": 2, "sided": False, "hold_seconds": 3, "hold_step": 2},
        {"id": "clamlet", "name": "Clamlet", "group": "g", "why": "w", "steps": ["Lift.", "Lower."],
         "reps": [1, 2], "sided": True, "side_word": "leg"},
    ]  # fmt: skip
    for ex in exercises:
        ex.update(overrides.get(ex["id"], {}))
    raw = {"groups": {"g": "Group"}, "exercise": exercises}
    return parse_programme(raw, Path("small.toml"))


# ----- what comes next -----------------------------------------------------------------------


def test_starts_at_the_first_rep_of_the_first_exercise(player):
    assert player.exercise.id == "knee_hugs"
    assert player.labels == ("Exercise 1 of 5", "Rep 1 of 10")
    assert player.phase is Phase.RUNNING and not player.finished
    assert player.hold_seconds == 5 and player.pacing == Pacing()
    assert player.progress == 0.0 and player.run_from == 0


def test_the_plan_walks_exercises_in_programme_order(player):
    seen = []
    while not player.finished:
        if not seen or seen[-1] != player.exercise.id:
            seen.append(player.exercise.id)
        player = player.skip_rep()
    assert seen == list(FULL_DOSE)
    # 10 + 5*2 + 10*2 + 10 + 5*2 slots
    assert len(player.plan) == 60


def test_untimed_rep_is_counted_by_complete_rep(player):
    p = at(player, "clam")
    assert p.hold_seconds is None
    p = p.complete_rep()
    assert p.labels == (
        "Exercise 3 of 5",
        "Rep 2 of 10",
        "Lying on your right side: lift your left knee",
    )
    assert p.summary()["clam"] == 0  # one leg only so far: nothing done on both sides


# ----- sides ---------------------------------------------------------------------------------


def test_knee_drops_alternate_right_then_left_within_each_rep(player):
    p = at(player, "knee_drops")
    order = []
    for _ in range(4):
        order.append((p.rep, p.side, p.labels[2]))
        p = do_rep(p)
    assert order == [
        (1, "right", "Right side"), (1, "left", "Left side"),
        (2, "right", "Right side"), (2, "left", "Left side"),
    ]  # fmt: skip


def test_clam_and_psoas_do_all_reps_on_the_left_then_the_right(player):
    p = at(player, "clam")
    sides = []
    while p.exercise.id == "clam":
        sides.append((p.side, p.rep))
        p = do_rep(p)
    assert sides == [("left", r) for r in range(1, 11)] + [("right", r) for r in range(1, 11)]
    p = at(p, "psoas_stretch")
    assert p.labels == ("Exercise 5 of 5", "Hold 1 of 5", "Left knee down: stretches the left hip")
    assert [s.side for s in p.plan if s.exercise == 4] == ["left"] * 5 + ["right"] * 5


def test_side_order_comes_from_the_programme_file():
    p = Player.create(small_programme(clamlet={"side_order": "alternate"}))
    assert [(s.rep, s.side) for s in p.plan if s.exercise == 1] == [
        (1, "right"), (1, "left"), (2, "right"), (2, "left")]  # fmt: skip
    p = Player.create(small_programme())
    assert [(s.rep, s.side) for s in p.plan if s.exercise == 1] == [
        (1, "left"), (2, "left"), (1, "right"), (2, "right")]  # fmt: skip


def test_steps_come_from_the_programme_file_not_from_the_wording():
    prog = small_programme(clamlet={"side_steps": {"right": 1, "left": 2}})
    p = Player.create(prog).skip_exercise()
    first = p.timeline[0]
    assert (p.side, first.kind, p.instruction(first)) == ("left", StepKind.NEXT, 2)
    right = p.skip_rep().skip_rep()
    assert (right.side, right.instruction(right.timeline[0])) == ("right", 1)


# ----- hands-free: the timeline and automatic transitions ------------------------------------


def kinds(steps) -> list[tuple[str, float, float]]:
    return [(s.kind.value, s.start, s.seconds) for s in steps]


def test_a_run_opens_with_the_next_exercise_pause_then_get_ready_hold_rest(player):
    assert kinds(player.timeline[:8]) == [
        ("next", 0, 15), ("get_ready", 15, 3), ("hold", 18, 5),
        ("rest", 23, 3), ("get_ready", 26, 3), ("hold", 29, 5),
        ("rest", 34, 3), ("get_ready", 37, 3),
    ]  # fmt: skip
    assert [s.ends_rep for s in player.timeline[:3]] == [False, False, True]
    assert [s.cue for s in player.timeline[:4]] == [Cue.NEXT, None, Cue.HOLD, Cue.RELEASE]


def test_the_timeline_follows_the_persons_pacing():
    p = Player.create(load_programme(), pacing=Pacing(get_ready=5, rest=10, between=30))
    assert kinds(p.timeline[:5]) == [
        ("next", 0, 30), ("get_ready", 30, 5), ("hold", 35, 5), ("rest", 40, 10),
        ("get_ready", 50, 5)]  # fmt: skip


@pytest.mark.parametrize("start", [0.0, 0.1, 98765.4321])
def test_a_hold_counts_exactly_when_its_time_has_run(player, start):
    """Time passed in: the rep counts at the end of its hold, not a moment before."""
    hold_end = 18 + 5
    assert player.advance(hold_end - 0.001) == player
    assert player.step_at(hold_end - 0.001)[0].kind is StepKind.HOLD
    assert player.step_at(hold_end - 0.001)[1] == pytest.approx(0.001)
    done = player.advance(hold_end)
    assert done.labels[1] == "Rep 2 of 10" and done.summary()["knee_hugs"] == 1
    assert done.epoch == player.epoch and done.run_from == 0  # the same run goes on
    assert done.step_at(hold_end)[0].kind is StepKind.REST
    # float rounding does not matter: the time is the browser's, offset and back
    assert player.advance((start + hold_end) - start).summary()["knee_hugs"] == 1


def test_step_at_walks_the_run_and_ends(player):
    assert player.step_at(0) == (player.timeline[0], 15)
    assert player.step_at(16.5)[0].kind is StepKind.GET_READY
    assert player.step_at(16.5)[1] == pytest.approx(1.5)
    end = player.timeline[-1].end
    assert player.step_at(end - 0.5)[0].kind is StepKind.HOLD  # the last psoas hold
    assert player.step_at(end) is None


def test_a_late_report_counts_every_rep_ended_by_then_and_an_old_one_nothing(player):
    p = player.advance(29 + 5 + 3)  # two holds ended, in the rest before rep 3
    assert p.summary()["knee_hugs"] == 2 and p.labels[1] == "Rep 3 of 10"
    assert p.advance(23) == p  # a report that arrives after a later one
    assert p.advance(0) == p


def test_a_whole_session_runs_itself_from_one_run(player):
    end = player.timeline[-1].end
    done = player.advance(end)
    assert done.finished and not done.quit_early and done.summary() == FULL_DOSE
    assert done.timeline == () and done.advance(end + 100) == done
    # The default pacing: 632 s, about ten and a half minutes for the whole programme.
    assert end == 632


def test_knee_drops_switch_sides_every_rep_with_a_switch_cue(player):
    p = at(player, "knee_drops")
    steps = [s for s in p.timeline if s.slot < p.index + 3]
    assert [s.kind.value for s in steps] == [
        "next",
        "get_ready",
        "hold",  # right
        "switch",
        "get_ready",
        "hold",  # left
        "switch",
        "get_ready",
        "hold",  # right
    ]
    assert p.instruction(steps[1]) == 3 and p.instruction(steps[4]) == 5
    assert p.instruction(steps[2]) == 4


def test_the_clam_is_paced_up_and_down_without_a_tap(player):
    p = at(player, "clam")
    steps = p.timeline
    assert kinds(steps[:6]) == [("next", 0, 15), ("get_ready", 15, 3), ("up", 18, 2),
                                ("down", 20, 2), ("up", 22, 2), ("down", 24, 2)]  # fmt: skip
    assert [s.ends_rep for s in steps[2:4]] == [False, True]
    assert [s.cue for s in steps[2:4]] == [Cue.UP, Cue.DOWN]
    left_done = p.advance(15 + 3 + 10 * 4)
    assert left_done.side == "right" and left_done.summary()["clam"] == 0
    switch = left_done.step_at(15 + 3 + 10 * 4)[0]
    assert switch.kind is StepKind.SWITCH and switch.cue is Cue.SWITCH
    assert kinds(steps[22:26]) == [("switch", 58, 3), ("get_ready", 61, 3), ("up", 64, 2),
                                   ("down", 66, 2)]  # fmt: skip
    paced = Player.create(load_programme(), pacing=Pacing(up=1, down=3))
    assert kinds(at(paced, "clam").timeline[2:4]) == [("up", 18, 1), ("down", 19, 3)]


def test_the_next_exercise_pause_comes_before_each_exercise(player):
    nexts = [s for s in player.timeline if s.kind is StepKind.NEXT]
    assert [player.exercises[player.plan[s.slot].exercise].id for s in nexts] == list(FULL_DOSE)
    assert all(s.seconds == 15 and s.cue is Cue.NEXT for s in nexts)


def test_a_jump_starts_a_new_run_with_a_get_ready(player):
    p = player.advance(23)  # one rep done
    skipped = p.skip_rep()
    assert skipped.epoch == p.epoch + 1 and skipped.run_from == 2 == skipped.index
    assert kinds(skipped.timeline[:2]) == [("get_ready", 0, 3), ("hold", 3, 5)]
    assert skipped.advance(8).summary()["knee_hugs"] == 2  # rep 1 and rep 3
    back = p.back()
    assert back.index == 0 and back.summary()["knee_hugs"] == 0
    assert kinds(back.timeline[:3]) == [("next", 0, 15), ("get_ready", 15, 3), ("hold", 18, 5)]
    assert p.restart().run_from == 1 and p.restart().epoch == p.epoch + 1


@pytest.mark.parametrize("bad", [-1, float("nan"), float("inf"), "3", True, None])
def test_a_bad_elapsed_time_is_refused(player, bad):
    with pytest.raises(ValueError, match=r"elapsed: .* must be a number of seconds, 0 or more"):
        player.advance(bad)


def test_psoas_hold_defaults_to_the_middle_of_the_range(player):
    p = at(player, "psoas_stretch")
    assert p.hold_seconds == 15
    assert [s.seconds for s in p.timeline if s.kind is StepKind.HOLD] == [15] * 10


def test_psoas_hold_can_be_picked_within_the_range():
    p = at(Player.create(load_programme(), holds={"psoas_stretch": 20}), "psoas_stretch")
    hold_end = 15 + 3 + 20
    assert p.advance(hold_end - 0.1) == p
    assert p.advance(hold_end).summary()["psoas_stretch"] == 0  # one side only so far
    assert p.advance(hold_end).labels[1:] == (
        "Hold 2 of 5",
        "Left knee down: stretches the left hip",
    )
    assert Player.create(load_programme(), holds={"psoas_stretch": 10}).holds[4] == 10


@pytest.mark.parametrize("bad", [9, 9.99, 21, 0, -5, float("nan"), "15", True])
def test_a_psoas_hold_outside_10_to_20_is_rejected(bad):
    with pytest.raises(ValueError, match=r"Psoas Stretch: the hold must be 10-20 s"):
        Player.create(load_programme(), holds={"psoas_stretch": bad})


def test_holds_for_unknown_or_untimed_exercises_are_rejected():
    with pytest.raises(ValueError, match="'wall_sit', which is not in the programme"):
        Player.create(load_programme(), holds={"wall_sit": 5})
    with pytest.raises(ValueError, match="The Clam has no hold"):
        Player.create(load_programme(), holds={"clam": 5})
    with pytest.raises(ValueError, match="Knee Hugs: the hold must be 5 s"):
        Player.create(load_programme(), holds={"knee_hugs": 6})


def test_default_hold_rounds_the_middle_to_whole_seconds_within_the_range(programme):
    ex = programme.exercise("psoas_stretch")
    assert default_hold(ex) == 15
    assert default_hold(dataclasses.replace(ex, hold_min=10, hold_max=15)) == 13
    assert default_hold(dataclasses.replace(ex, hold_min=1.2, hold_max=1.4)) == 1.2
    assert default_hold(dataclasses.replace(ex, hold_min=2.5, hold_max=2.5)) == 2.5
    assert default_hold(programme.exercise("clam")) is None


# ----- the current step ----------------------------------------------------------------------


def test_the_instruction_step_comes_from_the_exercise_data(player):
    steps = player.timeline
    assert player.instruction(steps[1]) == 4  # get ready: "...pull gently with your arms..."
    assert player.instruction(steps[2]) == 5  # hold: "Hold for 5 seconds..."
    drops = at(player, "knee_drops")
    assert "to your right" in drops.exercise.steps[drops.instruction(drops.timeline[1]) - 1]
    bridge = at(player, "glute_bridge")
    assert bridge.instruction(bridge.timeline[2]) == 4
    psoas = at(player, "psoas_stretch")
    assert psoas.instruction(psoas.timeline[1]) == 3  # "Shift your hips forward..."
    clam = at(player, "clam")
    assert clam.instruction(clam.timeline[2]) is None


# ----- skip, back, quit ----------------------------------------------------------------------


def test_skip_rep_moves_on_without_counting(player):
    p = player.skip_rep().skip_rep()
    assert p.labels[1] == "Rep 3 of 10"
    assert p.summary()["knee_hugs"] == 0 and p.epoch == player.epoch + 2


def test_skip_exercise_goes_to_the_next_exercise_keeping_what_was_done(player):
    p = do_rep(do_rep(player)).skip_exercise()
    assert p.exercise.id == "knee_drops" and p.labels[1:] == ("Rep 1 of 5", "Right side")
    assert p.summary()["knee_hugs"] == 2
    p = p.skip_exercise().skip_exercise().skip_exercise()
    assert p.exercise.id == "psoas_stretch"
    p = p.skip_exercise()
    assert p.finished and not p.quit_early and p.progress == 1.0


def test_back_undoes_a_counted_rep(player):
    p = do_rep(do_rep(player))
    assert p.summary()["knee_hugs"] == 2 and p.labels[1] == "Rep 3 of 10"
    p = p.back()
    assert p.labels[1] == "Rep 2 of 10" and p.summary()["knee_hugs"] == 1
    p = p.back()
    assert p.labels[1] == "Rep 1 of 10" and p.summary()["knee_hugs"] == 0
    assert p.back().index == 0  # nothing before the first rep: the run starts again


def test_back_at_the_start_starts_the_run_again(player):
    p = player.back()
    assert p.index == 0 and p.epoch == player.epoch + 1 and p.timeline == player.timeline


def test_back_steps_through_sides_and_across_exercises(player):
    drops = at(player, "knee_drops")
    left = do_rep(drops)
    assert left.side == "left"
    assert left.back().side == "right" and left.back().rep == 1
    # From the first rep of knee drops back to the last rep of knee hugs.
    hugs = do_rep(drops.back())
    assert drops.back().labels == ("Exercise 1 of 5", "Rep 10 of 10")
    assert hugs.summary()["knee_hugs"] == 1
    # Crossing back undoes a counted rep of the previous exercise.
    assert hugs.back().summary()["knee_hugs"] == 0
    # From the first clam rep (left) back to the last knee drop (rep 5, left).
    assert at(player, "clam").back().labels == ("Exercise 2 of 5", "Rep 5 of 5", "Left side")


def test_back_from_the_end_returns_to_the_last_rep(player):
    done = run_all(player)
    assert done.finished and done.summary()["psoas_stretch"] == 5
    last = done.back()
    assert not last.finished and last.labels == (
        "Exercise 5 of 5",
        "Hold 5 of 5",
        "Right knee down: stretches the right hip",
    )
    assert last.summary()["psoas_stretch"] == 4  # 5 on the left, 4 on the right


def test_quitting_mid_hold_does_not_count_it(player):
    p = player.advance(20).quit()  # two seconds into the first hold
    assert p.finished and p.quit_early and p.summary()["knee_hugs"] == 0
    assert p.advance(999) == p


def test_finishing_a_full_session_gives_the_prescribed_dose(player):
    done = run_all(player)
    assert done.finished and not done.quit_early
    assert done.summary() == FULL_DOSE
    assert done.exercise is None and done.labels == () and done.progress == 1.0
    assert done.complete_rep() == done and done.skip_rep() == done
    assert done.skip_exercise() == done and done.restart() == done


def test_quitting_midway_keeps_what_was_done(player):
    p = player
    for _ in range(10):
        p = do_rep(p)  # all knee hugs
    for _ in range(3):
        p = do_rep(p)  # knee drops: right, left, right
    p = at(p, "clam")
    for _ in range(10):
        p = do_rep(p)  # clam: 10 left, none right
    p = p.complete_rep().quit()  # one rep on the right leg, then quit
    assert p.finished and p.quit_early
    expected = {"knee_hugs": 10, "knee_drops": 1, "clam": 1, "glute_bridge": 0, "psoas_stretch": 0}
    assert p.summary() == expected
    assert p.back() == p and p.quit() == p


def test_summary_counts_the_reps_done_on_both_sides(player):
    p = at(player, "clam")
    for _ in range(10):
        p = do_rep(p)
    for _ in range(7):
        p = do_rep(p)
    assert p.summary()["clam"] == 7  # 10 left, 7 right: 7 each side were done
    assert Player.create(load_programme()).summary() == dict.fromkeys(FULL_DOSE, 0)


# ----- other programmes ----------------------------------------------------------------------


def test_a_programme_with_shortened_doses_flows_into_the_player():
    prog = small_programme()
    p = Player.create(prog)
    assert [(s.exercise, s.rep, s.side) for s in p.plan] == [
        (0, 1, None), (0, 2, None),
        (1, 1, "left"), (1, 2, "left"), (1, 1, "right"), (1, 2, "right"),
    ]  # fmt: skip
    assert p.labels == ("Exercise 1 of 2", "Rep 1 of 2") and p.hold_seconds == 3
    assert p.instruction(p.timeline[2]) == 2
    assert run_all(p).summary() == {"hug": 2, "clamlet": 2}


def test_doses_changed_with_dataclasses_replace_flow_into_the_player(programme):
    tiny = dataclasses.replace(
        programme,
        exercises=tuple(
            dataclasses.replace(e, reps_min=1, reps_max=1) for e in programme.exercises
        ),
    )
    p = Player.create(tiny)
    assert len(p.plan) == 1 + 2 + 2 + 1 + 2
    assert run_all(p).summary() == dict.fromkeys(FULL_DOSE, 1)


def test_default_alternation_is_harmless_without_knee_drops():
    p = Player.create(small_programme())
    assert p.plan[2:4] == (Slot(1, 1, "left"), Slot(1, 2, "left"))


def test_the_state_is_immutable_and_hashable(player):
    moved = player.complete_rep()
    assert player.index == 0 and moved.index == 1
    with pytest.raises(dataclasses.FrozenInstanceError):
        player.index = 3  # type: ignore[misc]
    assert hash(player) != hash(moved) or player != moved


# ----- how did that feel? --------------------------------------------------------------------


def test_the_question_comes_between_exercises_and_never_blocks(player):
    p = player
    assert p.asking is None
    while p.exercise.id == "knee_hugs":
        assert p.asking is None  # not while the exercise is under way
        p = do_rep(p)
    assert p.asking.id == "knee_hugs" and p.exercise.id == "knee_drops"
    assert do_rep(p).asking is None  # unanswered, the session goes on
    answered = p.react("knee_hugs", "worse")
    assert answered.asking is None and answered.reactions == (("knee_hugs", "worse"),)
    assert answered.react("knee_hugs", "fine").reactions == (("knee_hugs", "fine"),)


def test_a_skipped_exercise_is_not_asked_about_and_the_last_one_is_asked_at_the_end(player):
    p = player.skip_exercise()
    assert p.asking is None  # nothing of knee hugs was done
    p = run_all(p)
    assert p.finished and p.asking.id == "psoas_stretch"


def test_a_bad_answer_is_refused(player):
    with pytest.raises(ValueError, match="not an answer"):
        player.react("knee_hugs", "meh")
    with pytest.raises(ValueError, match="not an exercise"):
        player.react("wall_sit", "fine")


# ----- saved for a reload -------------------------------------------------------------------


def test_a_saved_session_resumes_where_it_was_with_a_new_run(programme):
    p = Player.create(programme, holds={"psoas_stretch": 18}, pacing=Pacing(rest=5))
    p = p.advance(23 + 8 + 5).react("knee_hugs", "fine")  # two reps
    back, slot = load_saved_session(saved_session(p, "evening"), programme)
    assert slot == "evening" and IN_PROGRESS_KEY == "session_in_progress"
    assert (back.index, back.counted, back.reactions) == (p.index, p.counted, p.reactions)
    assert back.holds == p.holds and back.pacing == Pacing(rest=5)
    assert back.epoch == p.epoch + 1 and back.run_from == 2  # a new run at rep 3
    assert back.timeline[0].kind is StepKind.GET_READY
    quit_ = load_saved_session(saved_session(p.quit(), "morning"), programme)[0]
    assert quit_.finished and quit_.quit_early and quit_.summary()["knee_hugs"] == 2


def test_a_saved_session_that_does_not_fit_is_refused_with_the_reason(programme):
    good = Player.create(programme).to_state()
    cases = {
        "not JSON": "{",
        "slot must be one of morning, evening": '{"slot": "noon", "player": {}}',
        "exercises differ": json.dumps({"slot": "morning", "player": {**good, "exercises": []}}),
        "doses differ": json.dumps({"slot": "morning", "player": {**good, "plan": 3}}),
        "index 99 is outside 0-60": json.dumps(
            {"slot": "morning", "player": {**good, "index": 99}}),
        "counted reps must be slots before its index": json.dumps(
            {"slot": "morning", "player": {**good, "index": 1, "counted": [5]}}),
        r"Rest between reps \(rest\): 99 s is outside 1-30 s": json.dumps(
            {"slot": "morning", "player": {**good, "pacing": {"rest": 99}}}),
    }  # fmt: skip
    for message, text in cases.items():
        with pytest.raises(ValueError, match=message):
            load_saved_session(text, programme)
    with pytest.raises(ValueError, match="session slot: 'noon'"):
        saved_session(Player.create(programme), "noon")
