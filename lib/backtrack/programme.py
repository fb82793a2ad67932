"""The exercise programme: loaded from a TOML file in data/ and validated.

The programme is data, not code, so a practitioner can change a dose or add an exercise
without touching Python. Every problem names the file, the exercise and the field.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from backtrack.files import NotARegularFile, TooLarge, read_limited

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
DEFAULT_PROGRAMME = DATA_DIR / "programme.toml"


def default_programme_path() -> Path:
    """The programme the app and CLI use: $BACKTRACK_PROGRAMME, else data/programme.toml."""
    return Path(os.environ.get("BACKTRACK_PROGRAMME") or DEFAULT_PROGRAMME)


ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
# Columns of the journal CSV that an exercise id must not shadow.
RESERVED_IDS = frozenset({"date", "slot", "pain", "flags", "notes", "done"})
MAX_REPS = 100
# How a sided exercise moves between sides: "alternate" does each rep on the right, then the
# left (as the source says for Knee Drops); "left_then_right" does every rep on the left,
# then every rep on the right.
SIDE_ORDERS: dict[str, tuple[str, ...]] = {
    "alternate": ("right", "left"),
    "left_then_right": ("left", "right"),
}
SIDES = ("left", "right")


class ProgrammeError(ValueError):
    """The programme file is missing or malformed; the message says where and why."""


@dataclass(frozen=True)
class Exercise:
    id: str
    name: str
    group: str
    why: str
    steps: tuple[str, ...]
    reps_min: int
    reps_max: int
    sided: bool
    side_word: str = "side"
    rep_word: str = "reps"
    hold_min: float | None = None
    hold_max: float | None = None
    hold_at: str = ""
    picture: str | None = None
    side_order: str = "left_then_right"  # sided: see SIDE_ORDERS
    hold_step: int | None = None  # the step (1-based) that gives the hold
    side_steps: tuple[tuple[str, int], ...] = ()  # (side, its step number); hashable
    side_labels: tuple[tuple[str, str], ...] = ()  # (side, what it means); hashable

    def side_label(self, side: str) -> str:
        """What a side means for this exercise ('Lying on your right side: lift your left
        knee'), or plainly 'Left leg'."""
        return dict(self.side_labels).get(side) or f"{side.capitalize()} {self.side_word}"

    @property
    def sides(self) -> tuple[str, ...]:
        """The sides of one rep in the order done, () for an exercise done on both at once."""
        return SIDE_ORDERS[self.side_order] if self.sided else ()

    @property
    def reps_text(self) -> str:
        """The prescribed reps as a person reads them: '10 reps', '3-5 holds each side'."""
        count = (
            str(self.reps_min)
            if self.reps_min == self.reps_max
            else f"{self.reps_min}-{self.reps_max}"
        )
        return self.count_text(count)

    def count_text(self, count: int | str) -> str:
        """A count in this exercise's words: '8 reps', '3 holds each side'."""
        each = f" each {self.side_word}" if self.sided else ""
        return f"{count} {self.rep_word}{each}"

    @property
    def hold_text(self) -> str | None:
        """The prescribed hold, e.g. 'hold 5 s with knees closest to the chest', or None."""
        if self.hold_min is None:
            return None
        lo, hi = _num(self.hold_min), _num(self.hold_max)
        seconds = lo if lo == hi else f"{lo}-{hi}"
        where = f" {self.hold_at}" if self.hold_at else ""
        return f"hold {seconds} s{where}"


@dataclass(frozen=True)
class Programme:
    title: str
    sessions_per_day: int
    review_advice: str
    groups: dict[str, str]
    groups_why: dict[str, str]
    exercises: tuple[Exercise, ...]
    source: Path

    @property
    def exercise_ids(self) -> tuple[str, ...]:
        return tuple(e.id for e in self.exercises)

    def exercise(self, exercise_id: str) -> Exercise:
        for e in self.exercises:
            if e.id == exercise_id:
                return e
        raise KeyError(exercise_id)

    def by_group(self) -> list[tuple[str, str, list[Exercise]]]:
        """(group id, group title, exercises) in the order the groups are declared."""
        return [
            (gid, title, [e for e in self.exercises if e.group == gid])
            for gid, title in self.groups.items()
            if any(e.group == gid for e in self.exercises)
        ]

    @property
    def sessions_text(self) -> str:
        return sessions_text(self.sessions_per_day)


def sessions_text(per_day: int) -> str:
    """How often, in words: 'twice daily'."""
    return {1: "once daily", 2: "twice daily"}.get(per_day, f"{per_day} times daily")


def _num(x: float | None) -> str:
    return str(int(x)) if x is not None and float(x).is_integer() else str(x)


PROGRAMME_MAX_BYTES = 1024 * 1024  # a programme of a few exercises is a few kilobytes


def load_programme(path: str | Path = DEFAULT_PROGRAMME) -> Programme:
    """Read and validate a programme file; raise ProgrammeError naming file, exercise and field."""
    path = Path(path)
    try:
        raw = tomllib.loads(read_limited(path, PROGRAMME_MAX_BYTES).decode("utf-8"))
    except FileNotFoundError:
        raise ProgrammeError(f"{path}: programme file not found") from None
    except NotARegularFile:
        raise ProgrammeError(f"{path}: not a regular file (a folder, device or pipe)") from None
    except TooLarge as exc:
        raise ProgrammeError(
            f"{path}: {exc.size:,} bytes: a programme file is at most {PROGRAMME_MAX_BYTES:,}"
        ) from None
    except OSError as exc:
        raise ProgrammeError(f"{path}: cannot be read ({exc.strerror})") from None
    except UnicodeDecodeError as exc:
        raise ProgrammeError(f"{path}: not UTF-8 text ({exc.reason})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ProgrammeError(f"{path}: not valid TOML: {exc}") from None
    return parse_programme(raw, path)


def parse_programme(raw: dict, path: Path) -> Programme:
    def fail(where: str, msg: str) -> ProgrammeError:
        return ProgrammeError(f"{path}: {where}: {msg}")

    head = raw.get("programme", {})
    if not isinstance(head, dict):
        raise fail("[programme]", "must be a table")
    sessions = head.get("sessions_per_day", 2)
    if not isinstance(sessions, int) or isinstance(sessions, bool) or not 1 <= sessions <= 4:
        raise fail("[programme] field 'sessions_per_day'", "must be a whole number from 1 to 4")
    groups = raw.get("groups")
    if not isinstance(groups, dict) or not groups:
        raise fail("[groups]", 'must list at least one group, e.g. lumbar_mobility = "..."')
    for gid, title in groups.items():
        if not isinstance(title, str) or not title.strip():
            raise fail(f"[groups] field '{gid}'", "must be a non-empty title")
    groups_why = raw.get("groups_why", {})
    if not isinstance(groups_why, dict):
        raise fail("[groups_why]", "must be a table of group id = text")

    items = raw.get("exercise")
    if not isinstance(items, list) or not items:
        raise fail("[[exercise]]", "the programme needs at least one exercise")
    exercises: list[Exercise] = []
    seen: set[str] = set()
    for index, item in enumerate(items, start=1):
        exercises.append(_parse_exercise(item, index, groups, seen, fail))
    return Programme(
        title=str(head.get("title", "Home exercise programme")),
        sessions_per_day=sessions,
        review_advice=str(head.get("review_advice", "")).strip(),
        groups={k: v.strip() for k, v in groups.items()},
        groups_why={k: str(v).strip() for k, v in groups_why.items()},
        exercises=tuple(exercises),
        source=path,
    )


def _parse_exercise(item, index, groups, seen, fail) -> Exercise:
    if not isinstance(item, dict):
        raise fail(f"exercise #{index}", "must be a table")
    ident = item.get("id")
    label = f"exercise #{index} ({ident})" if isinstance(ident, str) else f"exercise #{index}"

    def field_error(name: str, msg: str) -> ProgrammeError:
        return fail(f"{label}, field '{name}'", msg)

    if not isinstance(ident, str) or not ID_PATTERN.match(ident):
        raise field_error("id", "must be lower_snake_case letters, digits and _ (max 40)")
    if ident in RESERVED_IDS:
        raise field_error("id", f"'{ident}' is reserved for a journal column")
    if ident in seen:
        raise field_error("id", f"'{ident}' is used by an earlier exercise")
    seen.add(ident)

    def text(name: str, required: bool = True) -> str:
        value = item.get(name, "" if not required else None)
        if not isinstance(value, str) or (required and not value.strip()):
            raise field_error(name, "must be non-empty text")
        return value.strip()

    name = text("name")
    group = text("group")
    if group not in groups:
        raise field_error("group", f"'{group}' is not one of {', '.join(groups)}")
    why = text("why")
    steps = item.get("steps")
    if (
        not isinstance(steps, list)
        or not steps
        or not all(isinstance(s, str) and s.strip() for s in steps)
    ):
        raise field_error("steps", "must be a non-empty list of non-empty texts")

    reps_min, reps_max = _range(item.get("reps"), int, 1, MAX_REPS, "reps", field_error)
    sided = item.get("sided")
    if not isinstance(sided, bool):
        raise field_error("sided", "must be true or false")
    hold_min = hold_max = None
    if "hold_seconds" in item:
        hold_min, hold_max = _range(
            item["hold_seconds"], (int, float), 1, 600, "hold_seconds", field_error
        )
    side_word = text("side_word", required=False) or "side"
    if side_word not in ("side", "leg"):
        raise field_error("side_word", "must be 'side' or 'leg'")
    rep_word = text("rep_word", required=False) or "reps"
    if rep_word not in ("reps", "holds"):
        raise field_error("rep_word", "must be 'reps' or 'holds'")
    picture = item.get("picture")
    if picture is not None and (
        not isinstance(picture, str) or not re.fullmatch(r"[\w-]+\.svg", picture)
    ):
        raise field_error("picture", "must be an .svg file name like knee_hugs.svg")
    side_order = item.get("side_order", "left_then_right")
    if side_order not in SIDE_ORDERS:
        raise field_error("side_order", f"must be one of {', '.join(SIDE_ORDERS)}")
    if "side_order" in item and not sided:
        raise field_error("side_order", "only applies to a sided exercise (sided = true)")

    def step(value, name: str) -> int:
        ok = isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= len(steps)
        if not ok:
            raise field_error(name, f"must be a step number from 1 to {len(steps)}")
        return value

    hold_step = item.get("hold_step")
    if hold_step is not None:
        if hold_min is None:
            raise field_error("hold_step", "needs hold_seconds (the exercise has no hold)")
        hold_step = step(hold_step, "hold_step")

    def per_side(name: str, example: str, check) -> dict:
        """A table of side -> value (side_steps, side_labels), only on a sided exercise."""
        table = item.get(name, {})
        if not isinstance(table, dict) or (table and not sided):
            raise field_error(name, f"must be a table like {example} on a sided exercise")
        for side, value in table.items():
            if side not in SIDES:
                raise field_error(name, f"'{side}' is not a side (left or right)")
            check(value, f"{name}.{side}")
        return table

    def short_text(value, name: str) -> None:
        if not isinstance(value, str) or not value.strip() or len(value) > 80:
            raise field_error(name, "must be text of 1 to 80 characters")

    side_steps = per_side("side_steps", "{ right = 3, left = 5 }", step)
    side_labels = per_side("side_labels", '{ left = "..." }', short_text)
    unknown = set(item) - {
        "id", "name", "group", "why", "steps", "reps", "sided", "hold_seconds",
        "hold_at", "side_word", "rep_word", "picture", "side_order", "hold_step", "side_steps",
        "side_labels",
    }  # fmt: skip
    if unknown:
        raise field_error(sorted(unknown)[0], "is not a known field (check the spelling)")
    return Exercise(
        id=ident,
        name=name,
        group=group,
        why=why,
        steps=tuple(s.strip() for s in steps),
        reps_min=reps_min,
        reps_max=reps_max,
        sided=sided,
        side_word=side_word,
        rep_word=rep_word,
        hold_min=hold_min,
        hold_max=hold_max,
        hold_at=text("hold_at", required=False),
        picture=picture,
        side_order=side_order,
        hold_step=hold_step,
        side_steps=tuple(sorted(side_steps.items())),
        side_labels=tuple(sorted((k, v.strip()) for k, v in side_labels.items())),
    )


def _range(value, kind, lo, hi, name, field_error):
    """A number or a [min, max] pair within lo..hi, returned as (min, max)."""
    pair = value if isinstance(value, list) else [value, value]
    ok = (
        len(pair) == 2
        and all(isinstance(v, kind) and not isinstance(v, bool) for v in pair)
        and lo <= pair[0] <= pair[1] <= hi
    )
    if not ok:
        what = "a whole number" if kind is int else "a number"
        raise field_error(name, f"must be {what} from {lo} to {hi}, or [min, max] within that")
    return pair[0], pair[1]
