from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from backtrack.player import Phase, Player, Slot, default_hold
from backtrack.programme import load_programme, parse_programme

FULL_DOSE = {"knee_hugs": 10, "knee_drops": 5, "clam": 10, "glute_bridge": 10, "psoas_stretch": 5}
T0 = 1000.25  # an arbitrary monotonic clock reading


@pytest.fixture
def player() -> Player:
    return Player.create(load_programme())


def at(player: Player, exercise_id: str) -> Player:
    """Skip forward to the first rep of an exercise."""
    while player.exercise is not None and player.exercise.id != exercise_id:
        player = player.skip_exercise()
    return player


def do_rep(player: Player, now: float = T0) -> Player:
    """Do the current rep the way a person would: run the hold to the end, or mark it done."""
    if player.hold_seconds is None:
        return player.complete_rep()
    player = player.start_hold(now)
    return player.tick(now + player.hold_seconds)


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
    assert player.phase is Phase.READY and not player.finished
    assert player.hold_seconds == 5 and player.remaining(T0) == 5.0
    assert player.progress == 0.0


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
    assert p.hold_seconds is None and p.remaining(T0) is None
    p = p.complete_rep()
    assert p.labels == (
        "Exercise 3 of 5",
        "Rep 2 of 10",
        "Lying on your right side: lift your left knee",
    )
    assert p.summary()["clam"] == 0  # one leg only so far: nothing done on both sides


def test_start_hold_on_an_untimed_exercise_is_an_error(player):
    with pytest.raises(ValueError, match="The Clam has no hold"):
        at(player, "clam").start_hold(T0)


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
    assert (p.side, p.step_number) == ("left", 2)
    assert (p.skip_rep().skip_rep().side, p.skip_rep().skip_rep().step_number) == ("right", 1)


# ----- holds ---------------------------------------------------------------------------------


@pytest.mark.parametrize("start", [T0, 0.1, 98765.4321])  # float rounding must not matter
def test_a_hold_ends_exactly_on_time(player, start):
    p = player.start_hold(start)
    assert p.phase is Phase.HOLDING
    assert p.cue == "Hold for 5 s with knees closest to the chest."
    assert p.tick(start + 4.9) == p
    assert p.remaining(start + 4.9) == pytest.approx(0.1)
    done = p.tick(start + 5.0)
    assert done.phase is Phase.READY
    assert done.labels[1] == "Rep 2 of 10"
    assert done.summary()["knee_hugs"] == 1
    assert done.remaining(start + 5.0) == 5.0  # the next rep's hold, not started


def test_ticks_before_or_without_a_hold_change_nothing(player):
    assert player.tick(T0 + 100) == player
    clam = at(player, "clam")
    assert clam.tick(T0) == clam


def test_a_late_tick_counts_only_the_one_rep(player):
    p = player.start_hold(T0).tick(T0 + 60)
    assert p.summary()["knee_hugs"] == 1 and p.phase is Phase.READY


def test_pause_and_resume_extend_the_hold_by_the_paused_time(player):
    p = player.start_hold(T0).pause(T0 + 2)
    assert p.phase is Phase.PAUSED
    assert p.remaining(T0 + 30) == pytest.approx(3.0)  # frozen while paused
    assert p.tick(T0 + 30) == p
    p = p.resume(T0 + 12)  # paused for 10 s
    assert p.phase is Phase.HOLDING
    assert p.remaining(T0 + 12) == pytest.approx(3.0)
    assert p.tick(T0 + 14.9).phase is Phase.HOLDING
    assert p.tick(T0 + 15.0).labels[1] == "Rep 2 of 10"
    # Two pauses add up.
    p = p.pause(T0 + 13).resume(T0 + 14)
    assert p.tick(T0 + 15.9).phase is Phase.HOLDING
    assert p.tick(T0 + 16.0).phase is Phase.READY


def test_start_pause_resume_are_no_ops_in_the_wrong_phase(player):
    assert player.pause(T0) == player and player.resume(T0) == player
    running = player.start_hold(T0)
    assert running.start_hold(T0 + 3) == running  # a double click does not restart it
    assert running.resume(T0 + 1) == running


def test_cancel_hold_goes_back_to_ready_without_counting(player):
    p = player.start_hold(T0).pause(T0 + 1).cancel_hold()
    assert p.phase is Phase.READY and p.index == 0 and p.remaining(T0 + 9) == 5.0
    assert p.summary()["knee_hugs"] == 0


def test_complete_rep_during_a_hold_counts_it_early(player):
    p = player.start_hold(T0).complete_rep()
    assert p.summary()["knee_hugs"] == 1 and p.phase is Phase.READY and p.hold_started is None


def test_psoas_hold_defaults_to_the_middle_of_the_range(player):
    p = at(player, "psoas_stretch")
    assert p.hold_seconds == 15
    assert p.remaining(T0) == 15.0
    assert p.cue == "Move into position, then start the 15 s hold in the stretch."


def test_psoas_hold_can_be_picked_within_the_range():
    p = at(Player.create(load_programme(), holds={"psoas_stretch": 20}), "psoas_stretch")
    p = p.start_hold(T0)
    assert p.tick(T0 + 19.9).phase is Phase.HOLDING
    assert p.tick(T0 + 20).summary()["psoas_stretch"] == 0  # one side only so far
    assert p.tick(T0 + 20).labels[1:] == ("Hold 2 of 5", "Left knee down: stretches the left hip")
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


def test_the_step_and_cue_come_from_the_exercise_data(player):
    assert (
        player.cue == "Move into position, then start the 5 s hold with knees closest to the chest."
    )
    assert player.step_number == 4  # "...pull gently with your arms..."
    assert player.start_hold(T0).step_number == 5  # "Hold for 5 seconds..."
    assert player.start_hold(T0).pause(T0 + 1).cue.startswith("Paused. Resume to finish the 5 s")
    drops = at(player, "knee_drops")
    assert drops.step_number == 3 and "to your right" in drops.exercise.steps[2]
    assert drops.skip_rep().step_number == 5 and "to the left" in drops.exercise.steps[4]
    assert drops.start_hold(T0).step_number == 4
    bridge = at(player, "glute_bridge").start_hold(T0)
    assert bridge.step_number == 4 and bridge.cue == "Hold for 2 s at the top of the bridge."
    psoas = at(player, "psoas_stretch")
    assert psoas.step_number == 3  # "Shift your hips forward..." ("right angles" is no side)
    assert psoas.start_hold(T0).step_number == 4
    clam = at(player, "clam")
    assert clam.step_number is None
    assert clam.cue == "Do one slow, controlled rep, then mark it done."


# ----- skip, back, quit ----------------------------------------------------------------------


def test_skip_rep_moves_on_without_counting(player):
    p = player.skip_rep().skip_rep()
    assert p.labels[1] == "Rep 3 of 10"
    assert p.summary()["knee_hugs"] == 0
    held = player.start_hold(T0).skip_rep()
    assert held.phase is Phase.READY and held.hold_started is None and held.index == 1


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
    assert p.back() == p  # nothing before the first rep


def test_back_at_the_start_cancels_a_running_hold(player):
    p = player.start_hold(T0).back()
    assert p.phase is Phase.READY and p.index == 0


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


def test_quitting_during_a_hold_does_not_count_it(player):
    p = player.start_hold(T0).quit()
    assert p.finished and p.hold_started is None and p.summary()["knee_hugs"] == 0
    assert p.tick(T0 + 5) == p


def test_back_during_a_hold_goes_to_the_previous_rep(player):
    p = do_rep(player).start_hold(T0 + 10).pause(T0 + 11).back()
    assert p.index == 0 and p.phase is Phase.READY and p.hold_started is None
    assert p.summary()["knee_hugs"] == 0


def test_finishing_a_full_session_gives_the_prescribed_dose(player):
    done = run_all(player)
    assert done.finished and not done.quit_early
    assert done.summary() == FULL_DOSE
    assert done.exercise is None and done.labels == () and done.progress == 1.0
    assert done.cue == "Session complete. Well done."
    assert done.complete_rep() == done and done.skip_rep() == done
    assert done.skip_exercise() == done and done.tick(T0 + 999) == done


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
    assert p.finished and p.quit_early and p.cue == "Session ended early."
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
    assert p.start_hold(T0).step_number == 2
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
