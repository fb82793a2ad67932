"""Exercise drawings: SVG files in data/pictures/, named in the programme file.

An exercise added without a picture (or whose file is missing) gets a neutral
placeholder drawing rather than a broken image.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

from backtrack.programme import DATA_DIR, Exercise

PICTURES_DIR = DATA_DIR / "pictures"
PLACEHOLDER = PICTURES_DIR / "placeholder.svg"
_DESC_RE = re.compile(r"<desc[^>]*>(.*?)</desc>", re.S)


def picture_path(exercise: Exercise, folder: Path = PICTURES_DIR) -> Path:
    """The exercise's drawing, or the placeholder when it has none."""
    if exercise.picture:
        path = folder / exercise.picture
        if path.is_file():
            return path
    return PLACEHOLDER


def picture_alt(exercise: Exercise, folder: Path = PICTURES_DIR) -> str:
    """Alt text for the drawing: its <desc>, naming the exercise for the placeholder."""
    path = picture_path(exercise, folder)
    if path == PLACEHOLDER:
        return f"{exercise.name}: no drawing yet; follow the numbered steps."
    match = _DESC_RE.search(path.read_text(encoding="utf-8"))
    return match.group(1).strip() if match else f"{exercise.name}: start and end positions."


def picture_data_uri(exercise: Exercise, folder: Path = PICTURES_DIR) -> str:
    """The drawing as a data: URI, for the session's browser clock (nothing fetched)."""
    svg = picture_path(exercise, folder).read_bytes()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
