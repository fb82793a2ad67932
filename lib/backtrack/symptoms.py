"""Red-flag symptoms: new or worrying signs that call for medical help, not exercise.

The list and its split follow the NHS back-pain page ("Back pain", nhs.uk/conditions/
back-pain: "Call 999 or go to A&E if you have back pain and ..." / "Ask for an urgent GP
appointment or call 111 if you have back pain and ..."), the NHS cauda equina syndrome page
(nhs.uk/conditions/cauda-equina-syndrome: numbness around the genitals or buttocks, bladder
or bowel problems, loss of sexual function, symptoms in both legs: an emergency) and NICE
CKS "Back pain - low (without radiculopathy)", red flags for serious underlying causes
(cauda equina, fracture, cancer, infection). BackTrack never diagnoses: it records what
the person ticked and tells them, plainly, where to get help.

The ids are the journal CSV's `flags` vocabulary: never rename or remove one (old journals
and CSVs must import unchanged); add new ones at the end of their level.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum


class Level(StrEnum):
    """Where to get help: the NHS's two lists."""

    EMERGENCY = "emergency"  # call 999 or go to A&E
    URGENT = "urgent"  # urgent GP appointment or NHS 111, the same day


@dataclass(frozen=True)
class RedFlag:
    id: str
    label: str
    level: Level

    @property
    def emergency(self) -> bool:
        return self.level is Level.EMERGENCY


RED_FLAGS: tuple[RedFlag, ...] = (
    # NHS back pain: "Call 999 or go to A&E"; NHS cauda equina syndrome.
    RedFlag("saddle_numbness",
            "Numbness or tingling around your genitals, buttocks or inner thighs",
            Level.EMERGENCY),
    RedFlag("bladder_bowel",
            "Difficulty peeing, or new loss of control of your bladder or bowel",
            Level.EMERGENCY),
    RedFlag("leg_weakness",
            "Pain, tingling, weakness or numbness in both legs, or leg weakness getting worse",
            Level.EMERGENCY),
    RedFlag("sexual_function",
            "New numbness of your genitals or loss of sexual function (for example, new "
            "inability to get or keep an erection)",
            Level.EMERGENCY),
    RedFlag("chest_pain", "Chest pain with your back pain", Level.EMERGENCY),
    RedFlag("serious_accident",
            "Back pain that started after a serious accident, such as a car crash or a bad fall",
            Level.EMERGENCY),
    # NHS back pain: "Ask for an urgent GP appointment or call 111".
    RedFlag("fever", "A high temperature, or feeling hot and shivery", Level.URGENT),
    RedFlag("weight_loss", "Weight lost without trying", Level.URGENT),
    RedFlag("back_lump", "A lump or swelling on your back, or your back has changed shape",
            Level.URGENT),
    RedFlag("night_pain", "Pain that does not ease with rest, or is much worse at night",
            Level.URGENT),
    RedFlag("cough_sneeze",
            "Pain made much worse by coughing, sneezing or going to the toilet",
            Level.URGENT),
    RedFlag("injury", "Pain that started after a minor fall or injury", Level.URGENT),
)  # fmt: skip
FLAG_IDS: tuple[str, ...] = tuple(f.id for f in RED_FLAGS)
_BY_ID = {f.id: f for f in RED_FLAGS}

LEVEL_TITLES = {
    Level.EMERGENCY: "Call 999 or go to A&E now",
    Level.URGENT: "Get an urgent GP appointment or call NHS 111 today",
}
ADVICE = {
    Level.EMERGENCY: (
        "Get medical help now: call 999 or go to A&E (outside the UK, your local emergency "
        "number). Do not wait to see if it passes."
    ),
    Level.URGENT: (
        "Get medical advice today: ask your GP for an urgent appointment or call NHS 111 "
        "(outside the UK, your doctor's urgent line or local urgent-care number)."
    ),
}
# The numbers a test and the CLI look for in each level's advice.
LEVEL_NUMBERS = {Level.EMERGENCY: "999", Level.URGENT: "111"}

SEPARATOR = ";"  # flags are stored and exported as ids joined by this

# Where people exercise: when to stop. Mild discomfort while exercising is expected in low
# back pain; pain spreading down a leg, new pins and needles or numbness, or sharp or much
# worse pain are reasons to stop and get advice (NHS "Back pain": exercises; NICE CKS
# "Back pain - low", self-management).
STOP_ADVICE = (
    "Mild discomfort while you exercise is normal. Stop and get advice from your GP, "
    "osteopath or physiotherapist if pain spreads down a leg, if pins and needles or "
    "numbness appear, or if the pain is sharp or much worse. If your back is worse the "
    "next day, do fewer reps."
)

# NICE NG59 (low back pain and sciatica, 1.2.1-1.2.2) and NICE CKS: encourage people to
# stay active and continue with normal activities as far as possible.
STAY_ACTIVE = (
    "Staying active and keeping up your normal activities, as far as you can, helps your "
    "back recover (NICE)."
)


@dataclass(frozen=True)
class Reaction:
    """An answer to "How did that feel?" after an exercise in a guided session."""

    id: str
    label: str
    stop: bool  # shows STOP_ADVICE at once


REACTIONS: tuple[Reaction, ...] = (
    Reaction("fine", "Fine", False),
    Reaction("uncomfortable", "Uncomfortable", False),
    Reaction("worse", "Made my pain worse", True),
    Reaction("leg_symptoms", "Symptoms down my leg", True),
)
REACTION_IDS: tuple[str, ...] = tuple(r.id for r in REACTIONS)
_REACTION_BY_ID = {r.id: r for r in REACTIONS}


def reaction_label(reaction_id: str) -> str:
    reaction = _REACTION_BY_ID.get(reaction_id)
    return reaction.label if reaction else reaction_id


def reaction_stops(reaction_id: str) -> bool:
    """True for an answer that calls for the stop advice (unknown ids: the safe side)."""
    reaction = _REACTION_BY_ID.get(reaction_id)
    return reaction.stop if reaction else True


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


def flag_level(flag_id: str) -> Level:
    """A flag's level. An id this version does not know (from a newer BackTrack) counts as
    an emergency: when in doubt, the safer advice."""
    flag = _BY_ID.get(flag_id)
    return flag.level if flag else Level.EMERGENCY


def flags_at(level: Level) -> tuple[RedFlag, ...]:
    return tuple(f for f in RED_FLAGS if f.level is level)


def advice_level(flags: Iterable[str]) -> Level | None:
    """The advice the ticked flags call for: an emergency if any one is, else urgent; None
    when none is ticked."""
    levels = {flag_level(f) for f in flags}
    if not levels:
        return None
    return Level.EMERGENCY if Level.EMERGENCY in levels else Level.URGENT


def urgent_advice(flags: Iterable[str]) -> str | None:
    """The advice for the ticked flags, or None when none is ticked: the symptoms listed,
    then where to go (999/A&E for any emergency flag, else an urgent GP appointment or 111)."""
    flags = tuple(flags)
    level = advice_level(flags)
    if level is None:
        return None
    listed = "; ".join(flag_label(f).lower() for f in flags)
    return (
        f"You reported: {listed}. These can be signs of a serious problem that needs "
        f"checking, not exercise. {ADVICE[level]}"
    )
