"""What the browser clock of the hands-free session is given, and what it may report back.

The page mounts a small browser component (session_clock/) that keeps the time, plays the
cues and keeps the screen on. It gets `clock_data(...)`: the current run's timeline with
the words to show and say at each step, and the tones. It reports finished reps and the
person's actions; `apply_report` and `apply_action` check those reports and turn them into
Player moves, so the player stays the authority for what comes next and what is logged.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from backtrack.pacing import Sound
from backtrack.player import Cue, Player, Step, StepKind

# The tone of each cue: (frequency Hz, seconds) beeps, 50 ms apart. The first frequency of
# each cue is its own, so a test can tell the cues apart.
CUE_TONES: dict[Cue, tuple[tuple[int, float], ...]] = {
    Cue.HOLD: ((660, 0.12), (880, 0.25)),  # rising: go
    Cue.RELEASE: ((784, 0.12), (523, 0.3)),  # falling: let go
    Cue.SWITCH: ((587, 0.1), (587, 0.1), (587, 0.1)),  # three short: other side
    Cue.NEXT: ((440, 0.15), (554, 0.15), (659, 0.3)),  # rising chord: next exercise
    Cue.UP: ((740, 0.12),),
    Cue.DOWN: ((494, 0.12),),
    Cue.DONE: ((523, 0.2), (659, 0.2), (784, 0.2), (1047, 0.5)),
}
ACTIONS = ("skip_rep", "skip_exercise", "back", "quit", "restart")


class ReportError(ValueError):
    """The browser sent something the clock never sends; the message says what."""


def step_words(player: Player, step: Step) -> tuple[str, str]:
    """(what the screen shows in big letters, what a voice says) at the start of `step`."""
    slot = player.plan[step.slot]
    ex = player.exercises[slot.exercise]
    side = f"{slot.side.capitalize()} {ex.side_word}" if slot.side else ""
    match step.kind:
        case StepKind.NEXT:
            return f"Next: {ex.name}", f"Next: {ex.name}"
        case StepKind.GET_READY:
            return "Get ready", f"Get ready. {side}" if side else "Get ready"
        case StepKind.HOLD:
            return "Hold", "Hold"
        case StepKind.REST:
            return "Rest", "Rest"
        case StepKind.SWITCH:
            return f"Switch: {side.lower()}", side
        case StepKind.UP:
            return "Up", "Up"
        case StepKind.DOWN:
            return "Down", "Down"
    raise AssertionError(step.kind)  # pragma: no cover - every kind is matched above


def step_instruction(player: Player, step: Step) -> str:
    """The exercise step that applies, as 'Step 5: ...'; the first step while the next
    exercise is announced ("lie on your side")."""
    ex = player.exercises[player.plan[step.slot].exercise]
    number = 1 if step.kind is StepKind.NEXT else player.instruction(step)
    return f"Step {number}: {ex.steps[number - 1]}" if number else ""


def clock_data(
    player: Player,
    pictures: Mapping[str, tuple[str, str]],
    sound: Sound,
    *,
    autostart: bool,
    session: str = "",
) -> dict:
    """The data the browser clock runs on. `pictures`: exercise id -> (data: URI, alt text).
    `at` is the first step of the current slot (where a page opened again resumes);
    `autostart`: start the run at once (after Start or a jump), else wait for Resume.
    `run` names the run (this browser session's `session` id and the epoch): the component
    mounted again during the same run goes on with it."""
    steps = player.timeline
    at = next((n for n, s in enumerate(steps) if s.slot == player.index), 0)
    return {
        "run": f"{session}:{player.epoch}",
        "epoch": player.epoch,
        "index": player.index,
        "finished": player.finished,
        "autostart": autostart,
        "at": at,
        "sound": {"muted": sound.muted, "volume": sound.volume, "speak": sound.speak},
        "tones": {cue.value: [list(t) for t in tones] for cue, tones in CUE_TONES.items()},
        "done_words": ["Session complete", "Session complete. Well done."],
        "exercises": [
            {"name": ex.name, "picture": pictures[ex.id][0], "alt": pictures[ex.id][1]}
            for ex in player.exercises
        ],
        "slots": [
            {"exercise": s.exercise, "labels": " · ".join(player.slot_labels(i))}
            for i, s in enumerate(player.plan)
        ],
        "steps": [
            {
                "kind": s.kind.value,
                "slot": s.slot,
                "start": s.start,
                "seconds": s.seconds,
                "ends_rep": s.ends_rep,
                "cue": s.cue.value if s.cue else None,
                "word": step_words(player, s)[0],
                "say": step_words(player, s)[1],
                "instruction": step_instruction(player, s),
            }
            for s in steps
        ],
    }


def _epoch_and_elapsed(value: object, what: str) -> tuple[int, float]:
    if not isinstance(value, Mapping):
        raise ReportError(f"{what}: expected a mapping, got {value!r}")
    epoch, elapsed = value.get("epoch"), value.get("elapsed")
    if isinstance(epoch, bool) or not isinstance(epoch, int):
        raise ReportError(f"{what}: epoch {epoch!r} is not a whole number")
    number = isinstance(elapsed, int | float) and not isinstance(elapsed, bool)
    if not number or not math.isfinite(elapsed) or elapsed < 0:
        raise ReportError(f"{what}: elapsed {elapsed!r} is not a number of seconds >= 0")
    return epoch, float(elapsed)


def apply_report(player: Player, value: object) -> Player:
    """A finished rep reported by the browser: {"epoch": n, "elapsed": seconds into the
    run}. A report from an older run (another epoch) changes nothing."""
    epoch, elapsed = _epoch_and_elapsed(value, "report")
    return player.advance(elapsed) if epoch == player.epoch else player


def apply_action(player: Player, value: object) -> Player:
    """A button or key press: {"name": one of ACTIONS, "epoch": n, "elapsed": s}. The reps
    the run finished before the press count first; then the move is made. A press from an
    older run changes nothing (the browser already shows the newer one)."""
    epoch, elapsed = _epoch_and_elapsed(value, "action")
    name = value.get("name")  # type: ignore[union-attr]
    if name not in ACTIONS:
        raise ReportError(f"action: {name!r} is not one of {', '.join(ACTIONS)}")
    if epoch != player.epoch:
        return player
    return getattr(player.advance(elapsed), name)()
