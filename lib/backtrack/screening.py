"""The first-run safety screen ("Before you start") and the red-flag follow-up.

The history questions are the ones clinicians ask first about low back pain (NICE CKS
"Back pain - low (without radiculopathy)": red flags for cancer, infection and fracture;
the NHS back-pain page): each answer is optional. Any "yes", or a red flag ticked, means
advice to get the back checked before starting the programme; BackTrack never diagnoses.

Both are stored in the journal file's settings (so backups, restores and copies of the
file carry them), as JSON, and read back strictly: a damaged value is reported, not
guessed at.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from backtrack.fmt import fmt_date
from backtrack.progress import RedFlagDates
from backtrack.symptoms import FLAG_IDS, flag_label, urgent_advice

SCREEN_KEY = "safety_screen"
CHECKS_KEY = "flag_checks"


@dataclass(frozen=True)
class Question:
    id: str
    text: str


EXAMINED = Question(
    "examined", "Has a health professional examined your back for this episode of pain?"
)
DURATION = Question("duration", "How long has this episode of back pain lasted?")
DURATIONS: dict[str, str] = {
    "under_6_weeks": "Under 6 weeks",
    "6_to_12_weeks": "6 to 12 weeks",
    "over_12_weeks": "Over 12 weeks",
}
HISTORY: tuple[Question, ...] = (
    Question("cancer", "Have you ever had cancer?"),
    Question("age", "Is this back pain new, and are you over 50 or under 20?"),
    Question(
        "steroids",
        "Do you take steroid tablets long term, or is your immune system "
        "weakened (for example by medicines or an illness)?",
    ),  # fmt: skip
    Question("osteoporosis", "Have you been told you have osteoporosis (thin bones)?"),
    Question("drugs", "Have you ever injected drugs?"),
    Question(
        "accident",
        "Did this back pain start after a recent serious accident, such as a "
        "car crash or a bad fall?",
    ),  # fmt: skip
)
HISTORY_IDS = tuple(q.id for q in HISTORY)

HISTORY_ADVICE = (
    "Because of your answers, please have your back checked by a GP or physiotherapist "
    "before you start this programme. This is a precaution: these questions help a "
    "professional rule out less common causes of back pain."
)
NOT_EXAMINED_NOTE = (
    "This programme is general advice for low back pain. A GP, osteopath or physiotherapist "
    "can examine your back and tailor the exercises to you."
)


class ScreenError(ValueError):
    """A stored or submitted answer breaks a rule; the message names the field."""


@dataclass(frozen=True)
class ScreenAnswers:
    """The answers to "Before you start", each optional (None: not answered)."""

    answered_on: date
    examined: bool | None = None
    duration: str | None = None
    history: Mapping[str, bool] = field(default_factory=dict)  # question id -> yes/no
    red_flags: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.duration is not None and self.duration not in DURATIONS:
            raise ScreenError(f"duration: {self.duration!r} is not one of {', '.join(DURATIONS)}")
        for key, value in self.history.items():
            if key not in HISTORY_IDS:
                raise ScreenError(f"history: {key!r} is not a question")
            if not isinstance(value, bool):
                raise ScreenError(f"history, {key}: answer yes or no")
        for flag in self.red_flags:
            if flag not in FLAG_IDS:
                raise ScreenError(f"red_flags: {flag!r} is not a symptom id")

    @property
    def history_yes(self) -> tuple[str, ...]:
        return tuple(q for q in HISTORY_IDS if self.history.get(q) is True)

    def to_json(self) -> str:
        return json.dumps(
            {
                "answered_on": self.answered_on.isoformat(),
                "examined": self.examined,
                "duration": self.duration,
                "history": {k: self.history[k] for k in HISTORY_IDS if k in self.history},
                "red_flags": list(self.red_flags),
            }
        )

    @classmethod
    def from_json(cls, text: str) -> ScreenAnswers:
        try:
            raw = json.loads(text)
            answered_on = date.fromisoformat(raw["answered_on"])
        except (ValueError, KeyError, TypeError) as exc:
            raise ScreenError(f"the stored answers cannot be read ({exc})") from None
        examined = raw.get("examined")
        if examined is not None and not isinstance(examined, bool):
            raise ScreenError("examined: answer yes or no")
        return cls(
            answered_on=answered_on,
            examined=examined,
            duration=raw.get("duration"),
            history=dict(raw.get("history") or {}),
            red_flags=tuple(raw.get("red_flags") or ()),
        )


@dataclass(frozen=True)
class Advice:
    """What the screen's answers call for, most urgent first."""

    red_flags: str | None  # the 999/111 advice for red flags ticked
    history: str | None  # get checked before starting
    not_examined: str | None  # the programme is general advice

    @property
    def any(self) -> bool:
        return bool(self.red_flags or self.history or self.not_examined)


def screen_advice(answers: ScreenAnswers) -> Advice:
    return Advice(
        red_flags=urgent_advice(answers.red_flags),
        history=HISTORY_ADVICE if answers.history_yes else None,
        not_examined=NOT_EXAMINED_NOTE if answers.examined is False else None,
    )


def answer_rows(answers: ScreenAnswers) -> tuple[tuple[str, str], ...]:
    """The answers as (question, answer) rows for the report; unanswered ones say so."""

    def yes_no(value: bool | None) -> str:
        return "not answered" if value is None else "yes" if value else "no"

    rows = [
        ("Answered on", fmt_date(answers.answered_on)),
        (EXAMINED.text, yes_no(answers.examined)),
        (DURATION.text, DURATIONS.get(answers.duration or "", "not answered")),
    ]
    rows += [(q.text, yes_no(answers.history.get(q.id))) for q in HISTORY]
    flags = "; ".join(flag_label(f) for f in answers.red_flags) or "none ticked"
    rows.append(("Red-flag symptoms at the start", flags))
    return tuple(rows)


# ---------------------------------------------------------------- red-flag follow-up


def parse_checks(text: str | None) -> dict[str, date]:
    """The stored 'I have had this checked' dates: flag id -> the date it was checked."""
    if not text:
        return {}
    try:
        raw = json.loads(text)
        return {str(k): date.fromisoformat(v) for k, v in raw.items()}
    except (ValueError, TypeError, AttributeError) as exc:
        raise ScreenError(f"the stored follow-up dates cannot be read ({exc})") from None


def checks_json(checks: Mapping[str, date]) -> str:
    return json.dumps({k: v.isoformat() for k, v in sorted(checks.items())})


def with_check(checks: Mapping[str, date], flags: Iterable[str], on: date) -> dict[str, date]:
    """`checks` with each of `flags` marked as checked on `on` (a later check wins)."""
    out = dict(checks)
    for flag in flags:
        out[flag] = max(on, out.get(flag, on))
    return out


def open_flags(red_flag_dates: RedFlagDates, checks: Mapping[str, date]) -> RedFlagDates:
    """The reported flags not yet checked: a flag reported on a day is settled by a check
    on or after that day; reported again after the check, it is open again."""
    out = []
    for day, flags in red_flag_dates:
        left = tuple(f for f in flags if f not in checks or checks[f] < day)
        if left:
            out.append((day, left))
    return tuple(out)


def checked_on(flag: str, reported: date, checks: Mapping[str, date]) -> date | None:
    """When the person said a flag reported on `reported` was checked, if they did."""
    when = checks.get(flag)
    return when if when is not None and when >= reported else None


def open_advice(red_flag_dates: RedFlagDates, checks: Mapping[str, date]) -> str | None:
    """The urgent advice for the open flags only (None when all are checked)."""
    flags = dict.fromkeys(f for _, fs in open_flags(red_flag_dates, checks) for f in fs)
    return urgent_advice(tuple(flags))
