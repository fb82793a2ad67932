"""A journal entry and its validation, shared by the log form, CSV import and the CLI.

Validation takes what a widget or a CSV cell gives (typed values or text) and either
returns a clean Entry or raises EntryError listing every field that broke a rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from backtrack.programme import ID_PATTERN, MAX_REPS
from backtrack.symptoms import FLAG_IDS, REACTION_IDS, join_flags, split_flags

SLOTS: tuple[str, ...] = ("morning", "evening")  # in the order of the day: journal order
# The same order in SQL: the slot's position in SLOTS ({column} is the slot column).
SLOT_RANK_SQL = (
    "CASE {column} " + " ".join(f"WHEN '{s}' THEN {i}" for i, s in enumerate(SLOTS)) + " END"
)
PAIN_MIN, PAIN_MAX = 0, 10
NOTES_MAX = 2000
# The accepted dates: a real programme date, from EARLIEST_DATE to today. Every way in (the
# form, CSV import, the command line, a restore) checks parse_date; older dates are also
# beyond what the journal's frames (pandas, nanoseconds since 1970) can hold.
EARLIEST_DATE = date(1900, 1, 1)
# A whole number with more digits than this is out of every range here; Python's int()
# would refuse one of over 4,300 digits with its own message.
_MAX_DIGITS = 9
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_WHOLE_RE = re.compile(r"^[+-]?\d+$")
# Control characters other than tab and newline have no place in a note.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


@dataclass(frozen=True)
class Entry:
    """One logged session (or a pain-only rating) for a date and slot."""

    date: date
    slot: str
    pain: int  # back pain now, 0-10
    reps: Mapping[str, int] = field(default_factory=dict)  # only exercises done (reps > 0)
    flags: tuple[str, ...] = ()
    notes: str = ""
    # "How did that feel?" per exercise, from a guided session: exercise id -> reaction id
    reactions: Mapping[str, str] = field(default_factory=dict)
    # "Pain down your leg(s) now", 0-10; None when not rated (optional)
    leg_pain: int | None = None

    @property
    def key(self) -> tuple[date, str]:
        return (self.date, self.slot)

    @property
    def done(self) -> bool:
        """A session counts as done when at least one exercise was done."""
        return any(v > 0 for v in self.reps.values())


def slot_rank(slot: str) -> int:
    """A slot's place in the day (morning 0, evening 1); an unknown slot sorts last."""
    return SLOTS.index(slot) if slot in SLOTS else len(SLOTS)


def journal_order(entry: Entry) -> tuple[date, int]:
    """The sort key of the journal: by date, morning before evening."""
    return (entry.date, slot_rank(entry.slot))


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class EntryError(ValueError):
    """One or more fields broke a rule; `errors` names each field and rule."""

    def __init__(self, errors: list[FieldError]):
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))


def show_value(value: object) -> str:
    text = str(value)
    return repr(text[:40] + "…") if len(text) > 40 else repr(text)


def parse_date(value: object, today: date) -> date:
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        parsed = value
    elif isinstance(value, str) and _DATE_RE.match(value.strip()):
        try:
            parsed = date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"{show_value(value)} is not a real date") from None
    elif value is None or (isinstance(value, str) and not value.strip()):
        raise ValueError("is required (YYYY-MM-DD)")
    else:
        raise ValueError(f"{show_value(value)} is not a date in the form YYYY-MM-DD")
    if parsed > today:
        raise ValueError(f"{parsed.isoformat()} is in the future (today is {today.isoformat()})")
    if parsed < EARLIEST_DATE:
        raise ValueError(
            f"{parsed.isoformat()} is before {EARLIEST_DATE.isoformat()}: BackTrack keeps dates "
            f"from {EARLIEST_DATE.isoformat()} to today"
        )
    return parsed


def parse_slot(value: object) -> str:
    text = value.strip().lower() if isinstance(value, str) else value
    if text not in SLOTS:
        if value is None or value == "":
            raise ValueError("is required: morning or evening")
        raise ValueError(f"{show_value(value)} is not a slot: use morning or evening")
    return text


def parse_whole(value: object, lo: int, hi: int, *, empty: int | None) -> int:
    rule = f"a whole number from {lo} to {hi}"
    if value is None or (isinstance(value, str) and not value.strip()):
        if empty is None:
            raise ValueError(f"is required: {rule}")
        return empty
    if isinstance(value, bool):
        raise ValueError(f"{show_value(value)} is not {rule}")
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _WHOLE_RE.match(value.strip()):
        if len(value.strip().lstrip("+-").lstrip("0")) > _MAX_DIGITS:
            raise ValueError(f"{show_value(value)} is outside {lo}-{hi}: must be {rule}")
        number = int(value.strip())
    else:
        raise ValueError(f"{show_value(value)} is not {rule}")
    if not lo <= number <= hi:
        raise ValueError(f"{number} is outside {lo}-{hi}: must be {rule}")
    return number


def parse_pain(value: object) -> int:
    return parse_whole(value, PAIN_MIN, PAIN_MAX, empty=None)


def parse_leg_pain(value: object) -> int | None:
    """The optional leg-pain rating: empty is "not rated" (None), else 0-10."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return parse_whole(value, PAIN_MIN, PAIN_MAX, empty=None)


def parse_reps(value: object) -> int:
    return parse_whole(value, 0, MAX_REPS, empty=0)


def parse_flags(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    ids = split_flags(value if isinstance(value, str) else join_flags(map(str, value)))
    unknown = [i for i in ids if i not in FLAG_IDS]
    if unknown:
        raise ValueError(
            f"unknown symptom {show_value(unknown[0])}: use ids from {', '.join(FLAG_IDS)}"
        )
    return tuple(f for f in FLAG_IDS if f in ids)


def parse_reactions(value: object, exercise_ids: Iterable[str] | None = None) -> dict[str, str]:
    """'clam=fine;glute_bridge=worse' (or a mapping) as {exercise id: reaction id}. Reaction
    ids come from symptoms.REACTIONS; an exercise id must look like one (it may have left the
    programme since)."""
    if value is None or value == "":
        return {}
    if isinstance(value, Mapping):
        pairs = [(str(k), str(v)) for k, v in value.items()]
    elif isinstance(value, str):
        pairs = []
        for part in value.split(";"):
            if not part.strip():
                continue
            exercise, sep, reaction = part.partition("=")
            if not sep:
                raise ValueError(f"{show_value(part)} is not exercise=reaction (e.g. clam=fine)")
            pairs.append((exercise.strip(), reaction.strip()))
    else:
        raise ValueError("must be text like clam=fine;glute_bridge=worse")
    out: dict[str, str] = {}
    for exercise, reaction in pairs:
        if not ID_PATTERN.match(exercise):
            raise ValueError(f"{show_value(exercise)} is not an exercise id")
        if reaction not in REACTION_IDS:
            raise ValueError(
                f"{show_value(reaction)} is not an answer: use {', '.join(REACTION_IDS)}"
            )
        if exercise in out:
            raise ValueError(f"{exercise} is given twice")
        out[exercise] = reaction
    return out


def format_reactions(reactions: Mapping[str, str]) -> str:
    """The stored and exported form: 'clam=fine;glute_bridge=worse'."""
    return ";".join(f"{k}={v}" for k, v in reactions.items())


def parse_notes(value: object) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError("must be text")
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    if len(text) > NOTES_MAX:
        raise ValueError(f"is {len(text):,} characters long: at most {NOTES_MAX:,} allowed")
    if CONTROL_RE.search(text):
        raise ValueError("contains a control character (only text, tabs and new lines)")
    return text


def validate_entry(values: Mapping[str, object], exercise_ids: Iterable[str], today: date) -> Entry:
    """Turn raw values (keys date, slot, pain, leg_pain, flags, notes, reactions and exercise
    ids) into an Entry.

    Raises EntryError naming every field that broke a rule, so nothing is half-saved.
    """
    errors: list[FieldError] = []
    parsed: dict[str, object] = {}
    checks = {
        "date": lambda v: parse_date(v, today),
        "slot": parse_slot,
        "pain": parse_pain,
        "leg_pain": parse_leg_pain,
        "flags": parse_flags,
        "notes": parse_notes,
        "reactions": parse_reactions,
    }
    for name, check in checks.items():
        try:
            parsed[name] = check(values.get(name))
        except ValueError as exc:
            errors.append(FieldError(name, str(exc)))
    reps: dict[str, int] = {}
    for ex_id in exercise_ids:
        try:
            n = parse_reps(values.get(ex_id))
        except ValueError as exc:
            errors.append(FieldError(ex_id, str(exc)))
            continue
        if n:
            reps[ex_id] = n
    if errors:
        raise EntryError(errors)
    return Entry(reps=reps, **parsed)  # type: ignore[arg-type]
