from __future__ import annotations

import pytest

from backtrack.entries import EntryError
from backtrack.prescription import doses_from_json, doses_json, parse_doses, prescribed
from backtrack.programme import MAX_REPS


def test_doses_replace_the_programmes_reps_of_those_exercises_only(programme):
    doses = parse_doses({"clam": 6, "knee_hugs": ["3", 5]}, programme)
    assert doses == {"clam": (6, 6), "knee_hugs": (3, 5)}
    mine = prescribed(programme, doses)
    assert (mine.exercise("clam").reps_min, mine.exercise("clam").reps_max) == (6, 6)
    assert mine.exercise("knee_hugs").reps_text.startswith("3-5")
    other = next(e for e in programme.exercises if e.id not in doses)
    assert mine.exercise(other.id) == other
    assert prescribed(programme, {}) is programme
    assert doses_from_json(doses_json(doses), programme) == doses


def test_bad_doses_name_the_exercise_and_the_rule(programme):
    with pytest.raises(EntryError) as err:
        parse_doses({"clam": 0, "knee_hugs": [5, 3], "wall_sit": 4, "knee_drops": [1, 2, 3]},
                    programme)  # fmt: skip
    assert [str(e) for e in err.value.errors] == [
        f"clam: 0 is outside 1-{MAX_REPS}: must be a whole number from 1 to {MAX_REPS}",
        "knee_hugs: the fewest reps (5) is more than the most (3)",
        "wall_sit: is not an exercise of this programme",
        "knee_drops: must be a number of reps or a [min, max] pair",
    ]
