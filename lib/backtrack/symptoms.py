"""Red-flag symptoms: new or worrying signs that call for urgent medical advice, not exercise.

Based on NICE NG59 and the NHS cauda equina guidance. BackTrack never diagnoses: it
records what the person ticked and tells them, plainly, where to get help.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class RedFlag:
    id: str
    label: str
    emergency: bool  # possible cauda equina: 999 / A&E rather than NHS 111


RED_FLAGS: tuple[RedFlag, ...] = (
    RedFlag("saddle_numbness", "Numbness around the genitals, buttocks or inner thighs", True),
    RedFlag("bladder_bowel", "New problems controlling your bladder or bowel", True),
    RedFlag(
        "leg_weakness", "Weakness or numbness in both legs, or leg weakness getting worse", True
    ),
    RedFlag("fever", "Fever, or feeling very unwell", False),
    RedFlag("weight_loss", "Weight loss you cannot explain", False),
    RedFlag("night_pain", "Severe pain at night that does not ease", False),
    RedFlag("injury", "Pain that started after a fall or an injury", False),
)
FLAG_IDS: tuple[str, ...] = tuple(f.id for f in RED_FLAGS)
_BY_ID = {f.id: f for f in RED_FLAGS}


SEPARATOR = ";"  # flags are stored and exported as ids joined by this


def split_flags(text: str | None) -> tuple[str, ...]:
    """The ids in a stored ';'-joined flags text, each once, in the order written. Unknown
    ids are kept: what a journal holds is shown, never dropped (import refuses new ones)."""
    seen: dict[str, None] = {}
    for part in (text or "").split(SEPARATOR):
        if part.strip():
            seen.setdefault(part.strip(), None)
    return tuple(seen)


def join_flags(ids: Iterable[str]) -> str:
    """Flag ids as stored: each once, ';'-joined, in the order given."""
    return SEPARATOR.join(dict.fromkeys(i for i in ids if i))


def merge_flags(texts: Iterable[str]) -> str:
    """Several stored flags texts (e.g. a day's entries) as one, each id once."""
    return join_flags(f for text in texts for f in split_flags(text))


def flag_label(flag_id: str) -> str:
    """The label a person reads; an id this version does not know is shown as it is."""
    flag = _BY_ID.get(flag_id)
    return flag.label if flag else flag_id


def flag_labels(text: str | None) -> tuple[str, ...]:
    """The labels of a stored flags text."""
    return tuple(flag_label(f) for f in split_flags(text))


def urgent_advice(flags: Iterable[str]) -> str | None:
    """The urgent-care advice for the ticked flags, or None when none is ticked. An unknown
    id (from a newer BackTrack) is listed as it is and gets the emergency advice: when in
    doubt, the safer of the two."""
    flags = tuple(flags)
    if not flags:
        return None
    emergency = any(_BY_ID[f].emergency if f in _BY_ID else True for f in flags)
    listed = "; ".join(flag_label(f).lower() for f in flags)
    if emergency:
        where = (
            "Get urgent medical help now: call 999 or go to A&E "
            "(outside the UK, your local emergency number). Do not wait to see if it passes."
        )
    else:
        where = (
            "Get urgent medical advice today: call NHS 111 or your GP "
            "(outside the UK, your local urgent-care line or emergency number)."
        )
    return (
        f"You reported: {listed}. These can be signs of a serious condition that needs "
        f"checking straight away, not exercise. {where}"
    )
