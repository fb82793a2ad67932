"""The log form's values: an entry (or a guided session's reps) as the form's fields, and the
fields back as the values entries.validate_entry checks.

The Log page keeps these values in its widget state under these keys; the mapping lives
here, with a unit test, so the page only reads, calls and renders.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from backtrack.entries import Entry
from backtrack.programme import MAX_REPS, Programme
from backtrack.symptoms import RED_FLAGS

PREFIX = "log_"
REACTIONS_KEY = "log_reactions"  # not a widget: carried from a guided session or the entry
LEG_KEY = "log_leg_pain"
LEG_NOT_RATED = "not rated"  # the leg-pain choice for "no rating" (Entry.leg_pain None)


def do_key(exercise_id: str) -> str:
    return f"{PREFIX}do_{exercise_id}"


def reps_key(exercise_id: str) -> str:
    return f"{PREFIX}reps_{exercise_id}"


def flag_key(flag_id: str) -> str:
    return f"{PREFIX}flag_{flag_id}"


def field_keys(programme: Programme) -> tuple[str, ...]:
    """Every widget key of the form, so a page can tell when its state was dropped."""
    return (
        "log_date", "log_slot", "log_pain", LEG_KEY, "log_notes",
        *(key(ex.id) for ex in programme.exercises for key in (do_key, reps_key)),
        *(flag_key(flag.id) for flag in RED_FLAGS),
    )  # fmt: skip


def form_fields(
    programme: Programme,
    entry: Entry | None,
    *,
    day: date,
    slot: str,
    reps: Mapping[str, int] | None = None,
    reactions: Mapping[str, str] | None = None,
) -> dict[str, object]:
    """The form's fields for editing `entry`; or, for a new entry on `day` in `slot`, with
    the reps of a guided session, or else the full prescribed dose (the top of each range).
    A rep count the number field cannot show (0, or over MAX_REPS) is clamped into it."""
    fields: dict[str, object] = {
        "log_date": entry.date if entry else day,
        "log_slot": entry.slot if entry else slot,
        "log_pain": entry.pain if entry else None,
        LEG_KEY: entry.leg_pain if entry and entry.leg_pain is not None else LEG_NOT_RATED,
        "log_notes": entry.notes if entry else "",
        REACTIONS_KEY: dict(entry.reactions if entry else reactions or {}),
    }
    for ex in programme.exercises:
        if entry is not None:
            done = entry.reps.get(ex.id, 0)
        else:
            done = reps.get(ex.id, 0) if reps is not None else ex.reps_max
        fields[do_key(ex.id)] = done > 0
        fields[reps_key(ex.id)] = min(done, MAX_REPS) if done > 0 else ex.reps_max
    for flag in RED_FLAGS:
        fields[flag_key(flag.id)] = bool(entry and flag.id in entry.flags)
    return fields


def entry_values(programme: Programme, fields: Mapping[str, object]) -> dict[str, object]:
    """The form's fields as the values validate_entry takes: an unticked exercise is 0 reps,
    ticked symptoms become flag ids, notes are trimmed."""
    values: dict[str, object] = {
        "date": fields["log_date"],
        "slot": fields["log_slot"],
        "pain": fields["log_pain"],
        "leg_pain": None
        if fields.get(LEG_KEY, LEG_NOT_RATED) == LEG_NOT_RATED
        else fields[LEG_KEY],
        "flags": [f.id for f in RED_FLAGS if fields[flag_key(f.id)]],
        "notes": str(fields["log_notes"] or "").strip(),
        "reactions": dict(fields.get(REACTIONS_KEY) or {}),
    }
    for ex in programme.exercises:
        values[ex.id] = fields[reps_key(ex.id)] if fields[do_key(ex.id)] else 0
    return values
