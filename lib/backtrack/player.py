"""Guided session: a pure state machine that walks the programme one rep (and side) at a time.

The Streamlit page only renders a `Player` and calls its methods. A Player is a frozen
dataclass and every action returns a new Player, so the state is deterministic, hashable and
safe to keep in session_state. Time is always passed in (`now`: seconds from
time.monotonic()), so a rerun never changes the state by itself and tests never sleep.

The plan is a flat sequence of slots (exercise, rep, side). How a sided exercise moves
between sides, and which step of its instructions applies when, are programme facts
(Exercise.side_order, hold_step, side_steps in data/programme.toml).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum

from backtrack.programme import Exercise, Programme
from backtrack.symptoms import REACTION_IDS

EPSILON = 1e-6  # a tick at exactly start + hold ends the hold despite float rounding


class Phase(StrEnum):
    READY = "ready"  # waiting: start the hold, or mark the rep done
    HOLDING = "holding"  # a hold countdown is running
    PAUSED = "paused"  # a hold countdown is paused; paused time does not count
    FINISHED = "finished"  # every slot passed, or the person quit


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
    index: int = 0  # current slot; len(plan) once every slot has passed
    counted: frozenset[int] = frozenset()  # slots whose rep was done (always < index)
    phase: Phase = Phase.READY
    hold_started: float | None = None
    paused_at: float | None = None
    paused_for: float = 0.0
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
    ) -> Player:
        """A session at the first rep of the first exercise, aiming for reps_max of each.

        `holds` picks a hold (seconds) for exercises with a hold, within [hold_min, hold_max];
        others use `default_hold`. A bad pick raises ValueError.
        """
        exercises = programme.exercises
        picked = _pick_holds(exercises, holds or {})
        plan = tuple(_plan(exercises))
        return cls(exercises=exercises, holds=picked, plan=plan)

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
        ex, slot = self.exercise, self.slot
        if ex is None or slot is None:
            return ()
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

    @property
    def step_number(self) -> int | None:
        """The 1-based number of the exercise step that applies now, as the programme says.

        During a hold: the hold's step. Before it: the current side's step, else the step
        before the hold step. None when the programme does not say.
        """
        ex, slot = self.exercise, self.slot
        if ex is None or slot is None:
            return None
        hold = ex.hold_step
        if self.phase in (Phase.HOLDING, Phase.PAUSED):
            return hold
        side_step = dict(ex.side_steps).get(slot.side) if slot.side else None
        if side_step is not None:
            return side_step
        return hold - 1 if hold is not None and hold > 1 else None

    @property
    def cue(self) -> str:
        """What to do now, in one short sentence built from the exercise's hold data."""
        ex = self.exercise
        if ex is None:
            return "Session ended early." if self.quit_early else "Session complete. Well done."
        seconds = self.hold_seconds
        if seconds is None:
            return "Do one slow, controlled rep, then mark it done."
        where = f" {ex.hold_at}" if ex.hold_at else ""
        if self.phase is Phase.HOLDING:
            return f"Hold for {_seconds(seconds)} s{where}."
        if self.phase is Phase.PAUSED:
            return f"Paused. Resume to finish the {_seconds(seconds)} s hold{where}."
        return f"Move into position, then start the {_seconds(seconds)} s hold{where}."

    def remaining(self, now: float) -> float | None:
        """Seconds left of the current hold (the full hold when not started); None if no hold."""
        seconds = self.hold_seconds
        if seconds is None:
            return None
        if self.hold_started is None:
            return float(seconds)
        clock = self.paused_at if self.phase is Phase.PAUSED and self.paused_at is not None else now
        left = self.hold_started + seconds + self.paused_for - clock
        return 0.0 if left <= EPSILON else left

    # ----- holds ----------------------------------------------------------------------------

    def start_hold(self, now: float) -> Player:
        """Start the current rep's hold countdown; a no-op unless ready."""
        if self.phase is not Phase.READY:
            return self
        if self.hold_seconds is None:
            ex = self.exercise
            raise ValueError(f"{ex.name if ex else 'this exercise'} has no hold: use complete_rep")
        return replace(self, phase=Phase.HOLDING, hold_started=now, paused_at=None, paused_for=0.0)

    def tick(self, now: float) -> Player:
        """Call on every rerun: when a running hold reaches 0 the rep counts and the next queues."""
        if self.phase is Phase.HOLDING and self.remaining(now) == 0.0:
            return self._advance(count=True)
        return self

    def pause(self, now: float) -> Player:
        """Pause a running hold; the paused time will not count."""
        if self.phase is not Phase.HOLDING:
            return self
        return replace(self, phase=Phase.PAUSED, paused_at=now)

    def resume(self, now: float) -> Player:
        """Resume a paused hold; its end moves later by the time spent paused."""
        if self.phase is not Phase.PAUSED or self.paused_at is None:
            return self
        paused = max(0.0, now - self.paused_at)
        return replace(
            self, phase=Phase.HOLDING, paused_at=None, paused_for=self.paused_for + paused
        )

    def cancel_hold(self) -> Player:
        """Stop a running or paused hold without counting it; back to ready on the same rep."""
        if self.phase not in (Phase.HOLDING, Phase.PAUSED):
            return self
        return replace(self, phase=Phase.READY, **_NO_HOLD)

    # ----- moving ---------------------------------------------------------------------------

    def complete_rep(self) -> Player:
        """Count the current rep and queue the next (for untimed reps, or to end a hold early)."""
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
        uncounting it; at the very start just cancels a hold. A no-op after quit()."""
        if self.quit_early:
            return self
        if self.index == 0:
            return self.cancel_hold()
        target = self.index - 1
        return replace(
            self,
            index=target,
            counted=self.counted - {target},
            phase=Phase.READY,
            **_NO_HOLD,
        )

    def quit(self) -> Player:
        """End the session now; summary() keeps what was done."""
        if self.finished:
            return self
        return replace(self, phase=Phase.FINISHED, quit_early=True, **_NO_HOLD)

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

    # ----- internals ------------------------------------------------------------------------

    def _advance(self, *, count: bool) -> Player:
        counted = self.counted | {self.index} if count else self.counted
        return replace(self, counted=counted)._go(self.index + 1)

    def _go(self, target: int) -> Player:
        phase = Phase.FINISHED if target >= len(self.plan) else Phase.READY
        return replace(self, index=min(target, len(self.plan)), phase=phase, **_NO_HOLD)


_NO_HOLD = {"hold_started": None, "paused_at": None, "paused_for": 0.0}


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
