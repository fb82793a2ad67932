"""Small journals for tests: deterministic, built from plain rules."""

from __future__ import annotations

import re
from datetime import date, timedelta

from backtrack.entries import Entry
from backtrack.programme import Programme


def literal(markdown: str) -> str:
    """Markdown text as the reader sees it: backslash escapes (ui.plain) removed."""
    return re.sub(r"\\(.)", r"\1", markdown)


def full_session(programme: Programme) -> dict[str, int]:
    return {ex.id: ex.reps_max for ex in programme.exercises}


def journal(
    programme: Programme,
    last_day: date,
    days: int,
    pain=lambda i: 5,
    skip=lambda i, slot: False,
    flags=lambda i, slot: (),
    notes=lambda i, slot: "",
) -> list[Entry]:
    """`days` days of twice-daily full sessions ending on `last_day`; i counts from 0."""
    first = last_day - timedelta(days=days - 1)
    return [
        Entry(
            first + timedelta(days=i),
            slot,
            pain(i),
            full_session(programme),
            tuple(flags(i, slot)),
            notes(i, slot),
        )  # fmt: skip
        for i in range(days)
        for slot in ("morning", "evening")
        if not skip(i, slot)
    ]


def with_reactions_column(text: str) -> str:
    """An export in the format before the reactions column, as exported now (empty cell)."""
    lines = text.split("\n")
    out = [lines[0].replace("flags,notes", "flags,reactions,notes")]
    out += [",".join([*line.rsplit(",", 1)[:1], "", *line.rsplit(",", 1)[1:]]) if line else line
            for line in lines[1:]]  # fmt: skip
    return "\n".join(out)
