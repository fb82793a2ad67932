"""Guided session: a pure state machine that walks the programme one rep (and side) at a time.

The Streamlit page only renders a `Player` and calls its methods. A Player is a frozen
dataclass and every action returns a new Player, so the state is deterministic, hashable and
safe to keep in session_state (and, as `to_state()`, in the journal's settings).

The plan is a flat sequence of slots (exercise, rep, side). How a sided exercise moves
between sides, and which step of its instructions applies when, are programme facts
(Exercise.side_order, hold_step, side_steps in data/programme.toml).

Hands-free: a run starts at a slot (`run_from`) and follows a `timeline` of timed steps
(next-exercise pause, get ready, hold, rest, side switch, paced up/down) built from the
programme and the person's Pacing. The browser keeps the time and reports the seconds run
since the run started (pauses excluded); `advance(elapsed)` counts the reps the timeline
has ended by then. Time is always passed in, so tests never sleep. Every jump (skip, back,
restart) starts a new run with a new `epoch`, so a report from an older run is ignored.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, replace
from enum import StrEnum
from functools import cached_property

from backtrack.entries import SLOTS
from backtrack.pacing import Pacing
from backtrack.programme import Exercise, Programme
from backtrack.symptoms import REACTION_IDS

EPSILON = 1e-6  # a report at exactly the end of a hold counts it despite float rounding


class Phase(StrEnum):
    RUNNING = "running"  # a slot is current; the browser runs the timeline
    FINISHED = "finished"  # every slot passed, or the person quit


class StepKind(StrEnum):
    """One timed stretch of the hands-free session."""

    NEXT = "next"  # "Next: <exercise>" with its drawing, before each exercise
    GET_READY = "get_ready"  # move into position before a hold (or a side's paced reps)
    HOLD = "hold"  # the hold itself; the rep counts at its end
    REST = "rest"  # after a hold, before the next rep's get-ready
    SWITCH = "switch"  # after the last rep on one side, before the other side's get-ready
    UP = "up"  # paced rep (no hold), first half
    DOWN = "down"  # paced rep, second half; the rep counts at its end


class Cue(StrEnum):
    """The sound at the start of a step, and DONE at the end of the session."""

    HOLD = "hold"
    RELEASE = "release"
    SWITCH = "switch"
    NEXT = "next"
    UP = "up"
    DOWN = "down"
    DONE = "done"


STEP_CUES: dict[StepKind, Cue | None] = {
    StepKind.NEXT: Cue.NEXT,
    StepKind.GET_READY: None,
    StepKind.HOLD: Cue.HOLD,
    StepKind.REST: Cue.RELEASE,
    StepKind.SWITCH: Cue.SWITCH,
    StepKind.UP: Cue.UP,
    StepKind.DOWN: Cue.DOWN,
}


@dataclass(frozen=True)
class Step:
    """A step of a run's timeline; `start` is in seconds from the run's start. `slot` is the
    plan index the step leads into or does; `ends_rep`: that rep counts when it ends."""

    kind: StepKind
    slot: int
    start: float
    seconds: float
    ends_rep: bool = False

    @property
    def end(self) -> float:
        return self.start + self.seconds

    @property
    def cue(self) -> Cue | None:
        return STEP_CUES[self.kind]


@dataclass(frozen=True)
class Slot:
    """One screen of the session: an exercise (index), a rep (1-based) and a side or None."""

    exercise: int
    rep: int
    side: str | None


def default_hold(exercise: Exercise) -> float | None:
    """The hold a session uses unless picked: the prescribed one, or the middle of a range."""
    lo, hi = exercise.hold_min, exercise.hold_max
    if lo is None or hi is None:
        return None
    if lo == hi:
        return lo
    middle = math.floor((lo + hi) / 2 + 0.5)  # whole seconds, halves round up
    return min(max(middle, lo), hi)


@dataclass(frozen=True)
class Player:
    """The guided-session state; build it with `Player.create(programme)`."""

    exercises: tuple[Exercise, ...]
    holds: tuple[float | None, ...]  # hold seconds used per exercise (None: no hold)
    plan: tuple[Slot, ...]
    pacing: Pacing = Pacing()
    index: int = 0  # current slot; len(plan) once every slot has passed
    counted: frozenset[int] = frozenset()  # slots whose rep was done (always < index)
    phase: Phase = Phase.RUNNING
    run_from: int = 0  # the slot the current run (its timeline) started at
    epoch: int = 0  # moves on with every jump: tells a stale report from the browser
    quit_early: bool = False
    # "How did that feel?" answers, (exercise id, reaction id), one per exercise
    reactions: tuple[tuple[str, str], ...] = ()

    # ----- building -------------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        programme: Programme,
        *,
        holds: Mapping[str, float] | None = None,
        pacing: Pacing | None = None,
    ) -> Player:
        """A session at the first rep of the first exercise, aiming for reps_max of each.

        `holds` picks a hold (seconds) for exercises with a hold, within [hold_min, hold_max];
        others use `default_hold`. A bad pick raises ValueError. `pacing`: the pauses and
        rhythm of the hands-free run (the defaults when None).
        """
        exercises = programme.exercises
        picked = _pick_holds(exercises, holds or {})
        plan = tuple(_plan(exercises))
        return cls(exercises=exercises, holds=picked, plan=plan, pacing=pacing or Pacing())

    # ----- where we are ---------------------------------------------------------------------

    @property
    def finished(self) -> bool:
        return self.phase is Phase.FINISHED

    @property
    def slot(self) -> Slot | None:
        return None if self.finished else self.plan[self.index]

    @property
    def exercise(self) -> Exercise | None:
        slot = self.slot
        return None if slot is None else self.exercises[slot.exercise]

    @property
    def rep(self) -> int | None:
        slot = self.slot
        return None if slot is None else slot.rep

    @property
    def side(self) -> str | None:
        """'left', 'right', or None for an exercise done on both sides at once."""
        slot = self.slot
        return None if slot is None else slot.side

    @property
    def hold_seconds(self) -> float | None:
        """The hold the current exercise uses (picked or default), or None."""
        slot = self.slot
        return None if slot is None else self.holds[slot.exercise]

    @property
    def labels(self) -> tuple[str, ...]:
        """('Exercise 2 of 5', 'Rep 3 of 5', 'Right side'); the side only when sided."""
        return () if self.finished else self.slot_labels(self.index)

    def slot_labels(self, index: int) -> tuple[str, ...]:
        """The labels of any slot of the plan (see `labels`)."""
        slot = self.plan[index]
        ex = self.exercises[slot.exercise]
        word = "Hold" if ex.rep_word == "holds" else "Rep"
        out = [
            f"Exercise {slot.exercise + 1} of {len(self.exercises)}",
            f"{word} {slot.rep} of {ex.reps_max}",
        ]
        if slot.side:
            out.append(ex.side_label(slot.side))
        return tuple(out)

    @property
    def progress(self) -> float:
        """Share of the session's slots passed, 0.0-1.0, for a progress bar."""
        return 1.0 if self.finished else self.index / len(self.plan)

    def instruction(self, step: Step) -> int | None:
        """The 1-based number of the exercise step that applies during `step`, as the
        programme says: the hold's step while holding; before it, the side's step, else the
        step before the hold step. None when the programme does not say."""
        slot = self.plan[step.slot]
        ex = self.exercises[slot.exercise]
        hold = ex.hold_step
        if step.kind is StepKind.HOLD:
            return hold
        side_step = dict(ex.side_steps).get(slot.side) if slot.side else None
        if side_step is not None:
            return side_step
        return hold - 1 if hold is not None and hold > 1 else None

    # ----- the hands-free run -----------------------------------------------------------------

    @cached_property
    def timeline(self) -> tuple[Step, ...]:
        """The current run's steps, from slot `run_from` to the end of the session."""
        if self.finished:
            return ()
        return tuple(_timeline(self.holds, self.plan, self.pacing, self.run_from))

    def step_at(self, elapsed: float) -> tuple[Step, float] | None:
        """The step under way `elapsed` seconds into the run, and the seconds left of it;
        None once the run's last step has ended."""
        _check_elapsed(elapsed)
        for step in self.timeline:
            if elapsed < step.end - EPSILON:
                return step, step.end - elapsed
        return None

    def advance(self, elapsed: float) -> Player:
        """Count every rep the run's timeline has ended by `elapsed` seconds into the run
        (the browser's clock, pauses excluded) and move to the slot after the last one.
        An older report (a smaller `elapsed`) changes nothing, nor does one after the end."""
        _check_elapsed(elapsed)
        if self.finished:
            return self
        ended = [s.slot for s in self.timeline
                 if s.ends_rep and s.slot >= self.index and s.end <= elapsed + EPSILON]  # fmt: skip
        if not ended:
            return self
        last = max(ended)
        counted = self.counted | frozenset(range(self.index, last + 1))
        phase = Phase.FINISHED if last + 1 >= len(self.plan) else Phase.RUNNING
        return replace(self, counted=counted, index=last + 1, phase=phase)

    def restart(self) -> Player:
        """Start a new run at the current slot (resuming after a reload): it begins with a
        get-ready, or with the next-exercise pause at an exercise's first rep."""
        if self.finished:
            return self
        return replace(self, run_from=self.index, epoch=self.epoch + 1)

    # ----- moving ---------------------------------------------------------------------------

    def complete_rep(self) -> Player:
        """Count the current rep and start a run at the next."""
        return self if self.finished else self._advance(count=True)

    def skip_rep(self) -> Player:
        """Move to the next rep/side without counting the current one."""
        return self if self.finished else self._advance(count=False)

    def skip_exercise(self) -> Player:
        """Move to the first rep of the next exercise without counting what is left."""
        if self.finished:
            return self
        current = self.plan[self.index].exercise
        target = next(
            (i for i in range(self.index, len(self.plan)) if self.plan[i].exercise != current),
            len(self.plan),
        )
        return self._go(target)

    def back(self) -> Player:
        """Go to the previous slot in the plan (the previous exercise's last rep at a boundary),
        uncounting it, and start a run there; at the very start the run starts again.
        A no-op after quit()."""
        if self.quit_early:
            return self
        if self.index == 0:
            return self.restart()
        target = self.index - 1
        return replace(self, counted=self.counted - {target})._go(target)

    def quit(self) -> Player:
        """End the session now; summary() keeps what was done."""
        if self.finished:
            return self
        return replace(self, phase=Phase.FINISHED, quit_early=True)

    @property
    def asking(self) -> Exercise | None:
        """The exercise to ask "How did that feel?" about now: the one just left behind
        (on the next exercise's first screen, or at the end) when any of its reps was done
        and it has no answer yet. Never required: the session goes on without one."""
        if self.index == 0:
            return None
        last = self.plan[self.index - 1].exercise
        if not self.finished and self.plan[self.index].exercise == last:
            return None
        ex = self.exercises[last]
        done = any(self.plan[i].exercise == last for i in self.counted)
        answered = any(e == ex.id for e, _ in self.reactions)
        return ex if done and not answered else None

    def react(self, exercise_id: str, reaction: str) -> Player:
        """Record the answer for an exercise of this session (a later answer replaces it)."""
        if reaction not in REACTION_IDS:
            raise ValueError(f"{reaction!r} is not an answer: use {', '.join(REACTION_IDS)}")
        if exercise_id not in {ex.id for ex in self.exercises}:
            raise ValueError(f"'{exercise_id}' is not an exercise of this session")
        kept = tuple((e, r) for e, r in self.reactions if e != exercise_id)
        return replace(self, reactions=(*kept, (exercise_id, reaction)))

    def summary(self) -> dict[str, int]:
        """Reps done per exercise id, in journal units, for pre-filling the log form.

        Unsided: reps counted. Sided: reps per side, the reps done on both sides (the smaller
        count), so a full 10 + 10 logs 10 and 10 + 7 logs 7: never a rep that was not done.
        Exercises not done log 0; the log form shows it all before anything is saved.
        """
        per_side = Counter((self.plan[i].exercise, self.plan[i].side) for i in self.counted)
        out: dict[str, int] = {}
        for number, ex in enumerate(self.exercises):
            if ex.sided:
                out[ex.id] = min(per_side[(number, "left")], per_side[(number, "right")])
            else:
                out[ex.id] = per_side[(number, None)]
        return out

    # ----- saving ---------------------------------------------------------------------------

    def to_state(self) -> dict:
        """The session as plain JSON-able data, to resume it after a reload."""
        picked = {ex.id: h for ex, h in zip(self.exercises, self.holds, strict=True)
                  if h is not None and ex.hold_min != ex.hold_max}  # fmt: skip
        return {
            "exercises": [ex.id for ex in self.exercises],
            "plan": len(self.plan),
            "holds": picked,
            "pacing": asdict(self.pacing),
            "index": self.index,
            "counted": sorted(self.counted),
            "finished": self.finished,
            "quit_early": self.quit_early,
            "epoch": self.epoch,
            "reactions": [list(r) for r in self.reactions],
        }

    @classmethod
    def from_state(cls, programme: Programme, state: Mapping) -> Player:
        """A session saved by `to_state`, checked against the programme; it goes on with a
        new run at the slot it had reached. Raises ValueError naming what does not fit."""
        if not isinstance(state, Mapping):
            raise ValueError("the saved session is not a mapping")
        if state.get("exercises") != [ex.id for ex in programme.exercises]:
            raise ValueError("the saved session was for another programme (its exercises differ)")
        player = cls.create(programme, holds=state.get("holds") or {},
                            pacing=Pacing.from_mapping(state.get("pacing") or {}))  # fmt: skip
        size = len(player.plan)
        if state.get("plan") != size:
            raise ValueError("the saved session was for another programme (its doses differ)")
        index, counted, epoch = state.get("index"), state.get("counted"), state.get("epoch", 0)
        if not _whole(index) or not 0 <= index <= size:
            raise ValueError(f"the saved session's index {index!r} is outside 0-{size}")
        if not isinstance(counted, list) or not all(_whole(i) and 0 <= i < index for i in counted):
            raise ValueError("the saved session's counted reps must be slots before its index")
        if not _whole(epoch) or epoch < 0:
            raise ValueError(f"the saved session's epoch {epoch!r} is not a whole number >= 0")
        finished = state.get("finished") is True or index == size
        player = replace(
            player, index=index, counted=frozenset(counted),
            phase=Phase.FINISHED if finished else Phase.RUNNING,
            quit_early=state.get("quit_early") is True,
            run_from=min(index, size - 1), epoch=epoch + 1,
        )  # fmt: skip
        for pair in state.get("reactions") or []:
            if not (isinstance(pair, list) and len(pair) == 2):
                raise ValueError(f"the saved session's answer {pair!r} is not [exercise, answer]")
            player = player.react(*pair)
        return player

    # ----- internals ------------------------------------------------------------------------

    def _advance(self, *, count: bool) -> Player:
        counted = self.counted | {self.index} if count else self.counted
        return replace(self, counted=counted)._go(self.index + 1)

    def _go(self, target: int) -> Player:
        """Move to `target` and start a new run there."""
        index = min(target, len(self.plan))
        phase = Phase.FINISHED if index >= len(self.plan) else Phase.RUNNING
        return replace(self, index=index, phase=phase, run_from=min(index, len(self.plan) - 1),
                       epoch=self.epoch + 1)  # fmt: skip


def _whole(x: object) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def _check_elapsed(elapsed: float) -> None:
    number = isinstance(elapsed, int | float) and not isinstance(elapsed, bool)
    if not number or not math.isfinite(elapsed) or elapsed < 0:
        raise ValueError(f"elapsed: {elapsed!r} must be a number of seconds, 0 or more")


def _timeline(
    holds: tuple[float | None, ...], plan: tuple[Slot, ...], pacing: Pacing, start: int
) -> Iterator[Step]:
    """The steps of a run from slot `start`: before each exercise the next-exercise pause and
    a get-ready; between holds a rest (a side switch when the side changes) and a get-ready;
    paced reps back to back, with a switch and a get-ready between sides."""
    t = 0.0
    for i in range(start, len(plan)):
        slot = plan[i]
        hold = holds[slot.exercise]
        kinds: list[tuple[StepKind, float]] = []
        if i == 0 or plan[i - 1].exercise != slot.exercise:
            kinds.append((StepKind.NEXT, pacing.between))
        elif i != start and plan[i - 1].side != slot.side:
            kinds.append((StepKind.SWITCH, pacing.rest))
        elif i != start and hold is not None:
            kinds.append((StepKind.REST, pacing.rest))
        if kinds or i == start:
            kinds.append((StepKind.GET_READY, pacing.get_ready))
        if hold is not None:
            kinds.append((StepKind.HOLD, hold))
        else:
            kinds += [(StepKind.UP, pacing.up), (StepKind.DOWN, pacing.down)]
        for n, (kind, seconds) in enumerate(kinds):
            yield Step(kind, i, t, float(seconds), ends_rep=n == len(kinds) - 1)
            t += seconds


def _plan(exercises: tuple[Exercise, ...]) -> Iterator[Slot]:
    for number, ex in enumerate(exercises):
        reps = range(1, ex.reps_max + 1)
        if not ex.sided:
            yield from (Slot(number, rep, None) for rep in reps)
        elif ex.side_order == "alternate":
            yield from (Slot(number, rep, side) for rep in reps for side in ex.sides)
        else:
            yield from (Slot(number, rep, side) for side in ex.sides for rep in reps)


def _pick_holds(
    exercises: tuple[Exercise, ...], holds: Mapping[str, float]
) -> tuple[float | None, ...]:
    by_id = {ex.id: ex for ex in exercises}
    for key, value in holds.items():
        ex = by_id.get(key)
        if ex is None:
            raise ValueError(f"a hold was picked for '{key}', which is not in the programme")
        if ex.hold_min is None or ex.hold_max is None:
            raise ValueError(f"{ex.name} has no hold to pick")
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        if not ok or not ex.hold_min <= value <= ex.hold_max:
            lo, hi = _seconds(ex.hold_min), _seconds(ex.hold_max)
            span = lo if lo == hi else f"{lo}-{hi}"
            raise ValueError(f"{ex.name}: the hold must be {span} s, not {value!r}")
    return tuple(holds.get(ex.id, default_hold(ex)) for ex in exercises)


def _seconds(x: float | None) -> str:
    if x is None:
        return ""
    return str(int(x)) if float(x).is_integer() else str(x)


IN_PROGRESS_KEY = "session_in_progress"  # the journal setting that holds a running session


def saved_session(player: Player, slot: str) -> str:
    """A session under way and the journal slot it will be logged in, as JSON for the
    journal's settings: a reload or a lost connection resumes from it."""
    if slot not in SLOTS:
        raise ValueError(f"session slot: {slot!r} is not one of {', '.join(SLOTS)}")
    return json.dumps({"slot": slot, "player": player.to_state()}, sort_keys=True)


def load_saved_session(text: str, programme: Programme) -> tuple[Player, str]:
    """The session saved by `saved_session`; ValueError says why it cannot be resumed."""
    try:
        saved = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"the saved session is not JSON ({exc.msg})") from exc
    if not isinstance(saved, dict) or saved.get("slot") not in SLOTS:
        raise ValueError(f"the saved session's slot must be one of {', '.join(SLOTS)}")
    return Player.from_state(programme, saved.get("player")), saved["slot"]
