"""Red-flag symptoms: new or worrying signs that call for urgent medical advice, not exercise.

Based on NICE NG59 and the NHS cauda equina guidance. BackTrack never diagnoses: it
records what the person ticked and tells them, plainly, where to get help.
"""

from __future__ import annotations

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


def flag_label(flag_id: str) -> str:
    return _BY_ID[flag_id].label


def urgent_advice(flags: list[str] | tuple[str, ...]) -> str | None:
    """The urgent-care advice for the ticked flags, or None when none is ticked."""
    if not flags:
        return None
    emergency = any(_BY_ID[f].emergency for f in flags if f in _BY_ID)
    listed = "; ".join(flag_label(f).lower() for f in flags if f in _BY_ID)
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
