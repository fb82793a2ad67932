"""A practitioner's prescription for one patient: the reps of each exercise, starting from
the programme file's doses. The patient's pages use the programme with it applied, so the
log form, the guided session, the check and the report all follow the same doses."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping

from backtrack.entries import EntryError, FieldError, parse_whole
from backtrack.programme import MAX_REPS, Programme

Doses = dict[str, tuple[int, int]]  # exercise id -> (reps_min, reps_max)


def parse_doses(values: Mapping[str, object], programme: Programme) -> Doses:
    """Doses from a form or a stored prescription: per exercise id, a whole number of reps
    or a [min, max] pair, 1-MAX_REPS. Raises EntryError naming every exercise that broke a
    rule; an exercise left out keeps the programme's dose."""
    errors: list[FieldError] = []
    doses: Doses = {}
    for ex_id, value in values.items():
        if ex_id not in programme.exercise_ids:
            errors.append(FieldError(ex_id, "is not an exercise of this programme"))
            continue
        pair = value if isinstance(value, list | tuple) else [value, value]
        try:
            if len(pair) != 2:
                raise ValueError("must be a number of reps or a [min, max] pair")
            lo, hi = (parse_whole(v, 1, MAX_REPS, empty=None) for v in pair)
            if lo > hi:
                raise ValueError(f"the fewest reps ({lo}) is more than the most ({hi})")
        except ValueError as exc:
            errors.append(FieldError(ex_id, str(exc)))
            continue
        doses[ex_id] = (lo, hi)
    if errors:
        raise EntryError(errors)
    return doses


def doses_json(doses: Doses) -> str:
    return json.dumps({k: list(v) for k, v in sorted(doses.items())})


def doses_from_json(text: str | None, programme: Programme) -> Doses:
    """A stored prescription ({} for none), checked against the programme it applies to."""
    return parse_doses(json.loads(text), programme) if text else {}


def prescribed(programme: Programme, doses: Doses) -> Programme:
    """The programme with the patient's doses in place of the file's."""
    if not doses:
        return programme
    exercises = tuple(
        dataclasses.replace(ex, reps_min=doses[ex.id][0], reps_max=doses[ex.id][1])
        if ex.id in doses
        else ex
        for ex in programme.exercises
    )
    return dataclasses.replace(programme, exercises=exercises)
