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


def as_exported_now(text: str) -> str:
    """An export in the first release's format (date,slot,pain,<exercises>,flags,notes) as it
    is exported now: an empty leg_pain cell after pain, an empty reactions cell before notes."""
    lines = text.split("\n")
    out = [lines[0].replace("flags,notes", "flags,reactions,notes").replace(
        "pain,", "pain,leg_pain,", 1)]  # fmt: skip
    for line in lines[1:]:
        if not line:
            out.append(line)
            continue
        head, note = line.rsplit(",", 1)
        day, slot, pain, rest = head.split(",", 3)
        out.append(",".join([day, slot, pain, "", rest, "", note]))
    return "\n".join(out)
