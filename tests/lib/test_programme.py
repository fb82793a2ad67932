from __future__ import annotations

from pathlib import Path

import pytest

from backtrack.programme import ProgrammeError, load_programme

SOURCE_DOSES = {
    # id: (name, group, reps_min, reps_max, sided, hold_min, hold_max)
    "knee_hugs": ("Knee Hugs", "lumbar_mobility", 10, 10, False, 5, 5),
    "knee_drops": ("Knee Drops", "lumbar_mobility", 5, 5, True, 2, 2),
    "clam": ("The Clam", "gluteal_strength", 10, 10, True, None, None),
    "glute_bridge": ("Glute Bridge", "gluteal_strength", 10, 10, False, 2, 2),
    "psoas_stretch": ("Psoas Stretch", "hip_flexor_stretch", 3, 5, True, 10, 20),
}


def test_shipped_programme_has_the_five_exercises_with_the_source_doses():
    p = load_programme()
    assert p.exercise_ids == tuple(SOURCE_DOSES)
    assert p.sessions_per_day == 2
    for ex in p.exercises:
        name, group, lo, hi, sided, hold_lo, hold_hi = SOURCE_DOSES[ex.id]
        assert (ex.name, ex.group, ex.reps_min, ex.reps_max, ex.sided) == (
            name, group, lo, hi, sided)  # fmt: skip
        assert (ex.hold_min, ex.hold_max) == (hold_lo, hold_hi)
        assert ex.why and len(ex.steps) >= 5


def test_doses_read_as_facts():
    p = load_programme()
    assert p.exercise("knee_drops").reps_text == "5 reps each side"
    assert p.exercise("clam").reps_text == "10 reps each leg"
    assert p.exercise("psoas_stretch").reps_text == "3-5 holds each side"
    assert p.exercise("psoas_stretch").hold_text == "hold 10-20 s in the stretch"
    assert p.exercise("knee_hugs").hold_text == "hold 5 s with knees closest to the chest"
    assert p.exercise("clam").hold_text is None
    assert p.sessions_text == "twice daily"


def test_groups_in_declared_order():
    groups = [(title, [e.id for e in exs]) for _, title, exs in load_programme().by_group()]
    assert groups == [
        ("Lumbar mobility", ["knee_hugs", "knee_drops"]),
        ("Gluteal strength", ["clam", "glute_bridge"]),
        ("Hip-flexor stretch", ["psoas_stretch"]),
    ]


def test_review_advice_from_the_source():
    advice = load_programme().review_advice
    assert "couple of weeks" in advice and "osteopath" in advice


GOOD_EXERCISE = """
[[exercise]]
id = "wall_sit"
name = "Wall Sit"
group = "g"
why = "Because."
steps = ["Stand.", "Sit."]
reps = 8
sided = false
"""


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "programme.toml"
    path.write_text('[groups]\ng = "Group"\n' + body, encoding="utf-8")
    return path


def test_an_added_exercise_loads_without_code_changes(tmp_path):
    p = load_programme(write(tmp_path, GOOD_EXERCISE))
    assert p.exercise_ids == ("wall_sit",)
    assert p.exercise("wall_sit").reps_text == "8 reps"


@pytest.mark.parametrize(
    ("change", "field", "rule"),
    [
        (("reps = 8", 'reps = "ten"'), "reps", "whole number"),
        (("reps = 8", "reps = 0"), "reps", "from 1 to 100"),
        (("reps = 8", "reps = [5, 3]"), "reps", "[min, max]"),
        (("sided = false", 'sided = "no"'), "sided", "true or false"),
        (('group = "g"', 'group = "nope"'), "group", "not one of"),
        (('id = "wall_sit"', 'id = "Wall Sit"'), "id", "lower_snake_case"),
        (('id = "wall_sit"', 'id = "pain"'), "id", "reserved"),
        (('steps = ["Stand.", "Sit."]', "steps = []"), "steps", "non-empty list"),
        (('name = "Wall Sit"', 'name = ""'), "name", "non-empty"),
        (("sided = false", "sided = false\nhold_seconds = -1"), "hold_seconds", "number"),
        (("sided = false", "sided = false\nrepz = 3"), "repz", "not a known field"),
        (("sided = false", 'sided = true\nside_order = "both"'), "side_order", "one of"),
        (("sided = false", 'sided = false\nside_order = "alternate"'), "side_order", "sided"),
        (("sided = false", "sided = false\nhold_step = 1"), "hold_step", "needs hold_seconds"),
        (
            ("sided = false", "sided = false\nhold_seconds = 3\nhold_step = 3"),
            "hold_step",
            "from 1 to 2",
        ),
        (("sided = false", "sided = true\nside_steps = { up = 1 }"), "side_steps", "not a side"),
        (
            ("sided = false", "sided = true\nside_steps = { left = 9 }"),
            "side_steps.left",
            "step number",
        ),
        (("sided = false", "sided = false\nside_steps = { left = 1 }"), "side_steps", "sided"),
    ],
)
def test_malformed_programme_names_file_exercise_and_field(tmp_path, change, field, rule):
    path = write(tmp_path, GOOD_EXERCISE.replace(*change))
    with pytest.raises(ProgrammeError) as err:
        load_programme(path)
    message = str(err.value)
    assert str(path) in message
    assert "exercise #1" in message
    assert f"field '{field}'" in message
    assert rule in message


def test_duplicate_exercise_id_is_refused(tmp_path):
    with pytest.raises(ProgrammeError, match=r"exercise #2 \(wall_sit\), field 'id'.*earlier"):
        load_programme(write(tmp_path, GOOD_EXERCISE + GOOD_EXERCISE))


def test_invalid_toml_and_missing_file_are_clear(tmp_path):
    with pytest.raises(ProgrammeError, match="not valid TOML"):
        load_programme(write(tmp_path, "[[exercise]\nid="))
    with pytest.raises(ProgrammeError, match="programme file not found"):
        load_programme(tmp_path / "missing.toml")
    with pytest.raises(ProgrammeError, match="at least one exercise"):
        load_programme(write(tmp_path, ""))


def test_guided_session_facts_are_programme_data():
    drops = load_programme().exercise("knee_drops")
    assert (drops.side_order, drops.sides) == ("alternate", ("right", "left"))
    assert dict(drops.side_steps) == {"right": 3, "left": 5} and drops.hold_step == 4
    assert "right" in drops.steps[2] and "left" in drops.steps[4]
    clam = load_programme().exercise("clam")
    assert (clam.sides, clam.hold_step, clam.side_steps) == (("left", "right"), None, ())


@pytest.mark.parametrize("kind", ["fifo", "device", "folder", "huge"])
def test_a_programme_file_that_is_a_pipe_a_device_a_folder_or_huge_is_refused_at_once(
    tmp_path, kind
):
    import os
    import time

    path = tmp_path / "programme.toml"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        path.symlink_to("/dev/zero")
    elif kind == "folder":
        path.mkdir()
    else:
        with path.open("wb") as f:
            f.truncate(1024**4)
    start = time.perf_counter()
    with pytest.raises(ProgrammeError, match=str(path)) as err:
        load_programme(path)
    assert ("not a regular file" in str(err.value)) == (kind != "huge")
    assert time.perf_counter() - start < 5


def test_side_labels_say_which_side_does_what():
    clam = load_programme().exercise("clam")
    assert clam.side_label("left") == "Lying on your right side: lift your left knee"
    psoas = load_programme().exercise("psoas_stretch")
    assert psoas.side_label("right") == "Right knee down: stretches the right hip"
    drops = load_programme().exercise("knee_drops")
    assert drops.side_label("left") == "Left side"  # no label given: plainly the side


@pytest.mark.parametrize(
    ("labels", "field", "rule"),
    [("{ up = \"x\" }", "side_labels", "not a side"), ("{ left = \"\" }", "side_labels.left",
     "1 to 80 characters")],
)  # fmt: skip
def test_bad_side_labels_name_the_field(tmp_path, labels, field, rule):
    path = write(
        tmp_path, GOOD_EXERCISE.replace("sided = false", f"sided = true\nside_labels = {labels}")
    )
    with pytest.raises(ProgrammeError, match=rule) as err:
        load_programme(path)
    assert f"field '{field}'" in str(err.value)
