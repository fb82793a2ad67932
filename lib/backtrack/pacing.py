"""The hands-free session's settings: its pauses and rhythm (Pacing) and its sound (Sound).

Both are the person's choices, kept in the journal's settings table as JSON under
PACING_KEY and SOUND_KEY, so they are remembered between sessions. Every value is checked
here: a bad one names the field and the rule.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, fields

PACING_KEY = "session_pacing"
SOUND_KEY = "session_sound"

# field: (what the person sees, lowest, highest, default), whole seconds
PACING_RULES: dict[str, tuple[str, int, int, int]] = {
    "get_ready": ("Get ready before each hold", 1, 15, 3),
    "rest": ("Rest between reps", 1, 30, 3),
    "between": ("Pause between exercises", 5, 60, 15),
    "up": ("Paced reps: up", 1, 5, 2),
    "down": ("Paced reps: down", 1, 5, 2),
}


class SettingsError(ValueError):
    """A session setting is not allowed; the message names the field and the rule."""


def _whole_seconds(name: str, value: object) -> int:
    label, lo, hi, _ = PACING_RULES[name]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SettingsError(f"{label} ({name}): {value!r} is not a number of seconds")
    if not math.isfinite(value) or value != int(value):
        raise SettingsError(f"{label} ({name}): {value!r} is not a whole number of seconds")
    if not lo <= value <= hi:
        raise SettingsError(f"{label} ({name}): {value:g} s is outside {lo}-{hi} s")
    return int(value)


@dataclass(frozen=True)
class Pacing:
    """Seconds for each automatic pause of the hands-free session.

    get_ready: before each hold (and before the first paced rep of a side); rest: after a
    hold, before the next one's get-ready (and the side switch); between: the "Next: ..."
    pause before each exercise; up/down: the rhythm of reps without a hold (the clam).
    """

    get_ready: int = PACING_RULES["get_ready"][3]
    rest: int = PACING_RULES["rest"][3]
    between: int = PACING_RULES["between"][3]
    up: int = PACING_RULES["up"][3]
    down: int = PACING_RULES["down"][3]

    def __post_init__(self) -> None:
        for f in fields(self):
            _whole_seconds(f.name, getattr(self, f.name))

    @classmethod
    def from_mapping(cls, values: dict) -> Pacing:
        """Pacing from a mapping of field -> seconds; missing fields take their default."""
        if not isinstance(values, dict):
            raise SettingsError(f"the session pacing must be a mapping, not {values!r}")
        unknown = sorted(set(values) - set(PACING_RULES))
        if unknown:
            raise SettingsError(f"unknown session pacing field(s): {', '.join(unknown)}")
        return cls(**{k: _whole_seconds(k, v) for k, v in values.items()})

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str | None) -> Pacing:
        """The saved pacing; the defaults when nothing was saved. Bad JSON raises."""
        return cls.from_mapping(_saved(text, "the saved session pacing is")) if text else cls()


@dataclass(frozen=True)
class Sound:
    """The session's sound: tones on or muted, their volume (0.0-1.0), spoken cues on/off."""

    muted: bool = False
    volume: float = 0.8
    speak: bool = True

    def __post_init__(self) -> None:
        for name in ("muted", "speak"):
            if not isinstance(getattr(self, name), bool):
                raise SettingsError(f"sound ({name}): {getattr(self, name)!r} is not true/false")
        v = self.volume
        if isinstance(v, bool) or not isinstance(v, int | float) or not 0 <= v <= 1:
            raise SettingsError(f"sound (volume): {v!r} is outside 0.0-1.0")

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_mapping(cls, values: dict) -> Sound:
        if not isinstance(values, dict):
            raise SettingsError(f"the sound settings must be a mapping, not {values!r}")
        unknown = sorted(set(values) - {"muted", "volume", "speak"})
        if unknown:
            raise SettingsError(f"unknown sound setting(s): {', '.join(unknown)}")
        return cls(**values)

    @classmethod
    def from_json(cls, text: str | None) -> Sound:
        """The saved sound settings; the defaults when nothing was saved. Bad JSON raises."""
        return cls.from_mapping(_saved(text, "the saved sound settings are")) if text else cls()


def _saved(text: str, what: str) -> object:
    """A saved setting's JSON, or SettingsError saying `what` is not JSON."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise SettingsError(f"{what} not JSON ({exc.msg})") from exc
