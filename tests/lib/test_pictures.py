from __future__ import annotations

import re
from dataclasses import replace

from backtrack.pictures import PLACEHOLDER, picture_alt, picture_path


def test_every_programme_exercise_has_its_own_drawing_with_alt_text(programme):
    for ex in programme.exercises:
        path = picture_path(ex)
        assert path.name == f"{ex.id}.svg" and path != PLACEHOLDER
        assert picture_alt(ex).startswith(ex.name)


def test_drawings_are_self_contained_svg(programme):
    for ex in (*programme.exercises,):
        text = picture_path(ex).read_text(encoding="utf-8")
        assert text.lstrip().startswith("<svg") and 'role="img"' in text
        # No fonts, images, links or scripts from anywhere: the page stays offline.
        assert not re.search(r"<script|<image|href=|@import|url\(", text)
    assert "<desc" in PLACEHOLDER.read_text(encoding="utf-8")


def test_an_exercise_without_a_picture_gets_the_placeholder(programme):
    added = replace(programme.exercises[0], id="wall_sit", name="Wall Sit", picture=None)
    assert picture_path(added) == PLACEHOLDER
    assert picture_alt(added).startswith("Wall Sit")
    missing = replace(added, picture="wall_sit.svg")
    assert picture_path(missing) == PLACEHOLDER
