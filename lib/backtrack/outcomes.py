"""Outcome measures beside the pain ratings: function (PSFS) and the person's own verdict (PGIC).

**PSFS, the Patient-Specific Functional Scale** (Stratford P, Gill C, Westaway M, Binkley J.
Assessing disability and change on individual patients: a report of a patient specific
measure. Physiotherapy Canada 1995;47:258-263). The person names activities they find hard
because of their problem and rates each from 0 ("unable to perform the activity") to 10
("able to perform the activity at the same level as before the injury or problem"); the
score is the mean of the items. The published form asks for up to three activities and
allows up to five; BackTrack takes up to five. A change of 2 points in the mean is the
smallest meaningful change (Stratford 1995).

**PGIC, the Patient Global Impression of Change**, seven points from "very much improved" to
"very much worse", as used by Farrar JT et al. (Clinical importance of changes in chronic
pain intensity measured on an 11-point numerical pain rating scale. Pain 2001;94:149-158):
"much improved" or "very much improved" marks a change the person finds important.

Both are free to use. This module holds their wording, the records' rules and when each is
due; the two-week check (backtrack.progress) uses the scores.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from backtrack.entries import (
    CONTROL_RE,
    EntryError,
    FieldError,
    parse_date,
    parse_whole,
    show_value,
)

PSFS, PGIC = "psfs", "pgic"
MEASURES: tuple[str, ...] = (PSFS, PGIC)
PSFS_ITEMS_MAX = 5
PSFS_MIN, PSFS_MAX = 0, 10
PGIC_MIN, PGIC_MAX = 1, 7
LABEL_MAX = 100
PSFS_MEANINGFUL = 2.0  # points in the mean (Stratford 1995)
PGIC_IMPROVED = (1, 2)  # very much / much improved (Farrar 2001)
PGIC_WORSE = (6, 7)  # much / very much worse
FIRST_DUE_DAY = 14  # PSFS re-rating and PGIC: from day 14 ...
EVERY_DAYS = 14  # ... and every 2 weeks after
PSFS_BASELINE_DAYS = 7  # the activities are named and first rated in the first week

# PSFS wording, after Stratford 1995 (the clinician's script, said to the person directly).
PSFS_INTRO = (
    "Name up to five important activities that you are unable to do, or find hard to do, "
    "because of your back problem. Then rate how able you are to do each one today."
)
PSFS_FOLLOW_UP = (
    "When you started, you told BackTrack that you had difficulty with these activities. "
    "Today, how able are you to do each one?"
)
PSFS_SCALE = (
    "0 = unable to perform the activity; 10 = able to perform the activity at the same "
    "level as before the problem"
)
PSFS_ANCHORS = {0: "unable to do it", 10: "able to do it as before the problem"}
PSFS_SOURCE = "Patient-Specific Functional Scale (Stratford et al., 1995)"

PGIC_QUESTION = (
    "Since starting this programme, how would you describe the change (if any) in your back?"
)
PGIC_OPTIONS: dict[int, str] = {
    1: "Very much improved",
    2: "Much improved",
    3: "Minimally improved",
    4: "No change",
    5: "Minimally worse",
    6: "Much worse",
    7: "Very much worse",
}
PGIC_SOURCE = "Patient Global Impression of Change (as used by Farrar et al., 2001)"


@dataclass(frozen=True)
class Outcome:
    """One answer: a PSFS activity's score (item 1-5, 0-10, the activity as label) or the
    PGIC (item 1, 1-7, no label). One record per (date, measure, item)."""

    date: date
    measure: str
    item: int
    score: int
    label: str = ""

    @property
    def key(self) -> tuple[date, str, int]:
        return (self.date, self.measure, self.item)


def outcome_order(o: Outcome) -> tuple[date, int, int]:
    return (o.date, MEASURES.index(o.measure) if o.measure in MEASURES else 9, o.item)


def parse_measure(value: object) -> str:
    text = value.strip().lower() if isinstance(value, str) else value
    if text not in MEASURES:
        if value is None or value == "":
            raise ValueError(f"is required: {' or '.join(MEASURES)}")
        raise ValueError(f"{show_value(value)} is not a measure: use {' or '.join(MEASURES)}")
    return text  # type: ignore[return-value]


def parse_label(value: object, measure: str | None) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValueError("must be text")
    text = " ".join(value.split())
    if measure == PGIC:
        if text:
            raise ValueError(f"must be empty for {PGIC} (it has one question, no activity)")
        return ""
    if not text:
        raise ValueError("is required for psfs: the activity (for example 'Putting on socks')")
    if len(text) > LABEL_MAX:
        raise ValueError(f"is {len(text):,} characters long: at most {LABEL_MAX} allowed")
    if CONTROL_RE.search(value):
        raise ValueError("contains a control character")
    return text


def validate_outcome(values: Mapping[str, object], today: date) -> Outcome:
    """Raw values (keys date, measure, item, score, label) as an Outcome; EntryError names
    every field that broke a rule."""
    errors: list[FieldError] = []
    parsed: dict[str, object] = {}

    def check(name: str, rule) -> None:
        try:
            parsed[name] = rule(values.get(name))
        except ValueError as exc:
            errors.append(FieldError(name, str(exc)))

    check("date", lambda v: parse_date(v, today))
    check("measure", parse_measure)
    measure = parsed.get("measure")
    items = (1, PSFS_ITEMS_MAX) if measure == PSFS else (1, 1)
    check("item", lambda v: parse_whole(v, *items, empty=None))
    scores = (PSFS_MIN, PSFS_MAX) if measure == PSFS else (PGIC_MIN, PGIC_MAX)
    check("score", lambda v: parse_whole(v, *scores, empty=None))
    if measure is not None:  # a label's rule depends on the measure
        check("label", lambda v: parse_label(v, measure))  # type: ignore[arg-type]
    if errors:
        raise EntryError(errors)
    return Outcome(**parsed)  # type: ignore[arg-type]


def label_clashes(records: Iterable[Outcome]) -> list[tuple[Outcome, str]]:
    """PSFS records whose activity differs from the first one given for that item number
    (each item keeps one activity throughout): (record, the item's activity)."""
    first: dict[int, str] = {}
    clashes = []
    for o in sorted(records, key=outcome_order):
        if o.measure != PSFS:
            continue
        known = first.setdefault(o.item, o.label)
        if o.label != known:
            clashes.append((o, known))
    return clashes


# ---------------------------------------------------------------- scores


@dataclass(frozen=True)
class PsfsRating:
    """One PSFS rating: its date and each item's score."""

    date: date
    scores: Mapping[int, int]

    @property
    def mean(self) -> float:
        return sum(self.scores.values()) / len(self.scores)


def activities(records: Iterable[Outcome]) -> dict[int, str]:
    """Each PSFS item's activity, by item number (the earliest label given for it; the
    store keeps one label per item)."""
    first: dict[int, Outcome] = {}
    for o in records:
        if o.measure == PSFS and (o.item not in first or o.date < first[o.item].date):
            first[o.item] = o
    return {item: first[item].label for item in sorted(first)}


def psfs_ratings(records: Iterable[Outcome]) -> list[PsfsRating]:
    """The PSFS ratings, oldest first, one per date (items in number order). Grouped in one
    pass and sorted by date only: ten years hold about a thousand records."""
    by_day: dict[date, dict[int, int]] = {}
    for o in records:
        if o.measure == PSFS:
            by_day.setdefault(o.date, {})[o.item] = o.score
    return [PsfsRating(d, dict(sorted(by_day[d].items()))) for d in sorted(by_day)]


def pgic_answers(records: Iterable[Outcome]) -> list[tuple[date, int]]:
    """The PGIC answers, oldest first."""
    return sorted((o.date, o.score) for o in records if o.measure == PGIC)


def common_means(first: PsfsRating, later: PsfsRating) -> tuple[float, float, int] | None:
    """The two ratings' means over the items rated in both, and how many there are."""
    items = sorted(set(first.scores) & set(later.scores))
    if not items:
        return None
    a = sum(first.scores[i] for i in items) / len(items)
    b = sum(later.scores[i] for i in items) / len(items)
    return a, b, len(items)


# ---------------------------------------------------------------- when each is due


class Due(NamedTuple):
    """What today's page should ask: the PSFS ("baseline": name and rate the activities;
    "follow_up": re-rate them; None) and whether the PGIC is due."""

    psfs: str | None
    pgic: bool

    def __bool__(self) -> bool:
        return self.psfs is not None or self.pgic


def _latest_due_day(day: int) -> int | None:
    """The latest of days 14, 28, 42 ... on or before programme day `day`."""
    if day < FIRST_DUE_DAY:
        return None
    return FIRST_DUE_DAY + (day - FIRST_DUE_DAY) // EVERY_DAYS * EVERY_DAYS


def due(day1: date | None, today: date, records: Sequence[Outcome]) -> Due:
    """What is due on `today` for a programme whose day 1 is `day1`: in days 1-7 the PSFS
    baseline (until one is given); from day 14, and every 2 weeks after, a PSFS re-rating
    (when there are activities) and the PGIC, each until answered on or after that day."""
    if day1 is None:
        return Due(None, False)
    day = (today - day1).days + 1
    if day < 1:
        return Due(None, False)
    psfs_dates = [o.date for o in records if o.measure == PSFS and o.date >= day1]
    pgic_dates = [o.date for o in records if o.measure == PGIC and o.date >= day1]
    if day <= PSFS_BASELINE_DAYS:
        return Due(None if psfs_dates else "baseline", False)
    latest = _latest_due_day(day)
    if latest is None:
        return Due(None, False)
    since = day1 + timedelta(days=latest - 1)
    has_items = any(o.measure == PSFS for o in records)
    psfs = "follow_up" if has_items and not any(d >= since for d in psfs_dates) else None
    return Due(psfs, not any(d >= since for d in pgic_dates))


# ---------------------------------------------------------------- from the page's form


def psfs_baseline_records(
    on: date, rows: Sequence[tuple[object, object]], today: date
) -> list[Outcome]:
    """The first PSFS from the form's rows of (activity, score): blank rows are skipped, a
    row needs both; at least one activity. EntryError names 'activity N' for each problem."""
    errors: list[FieldError] = []
    records: list[Outcome] = []
    seen: dict[str, int] = {}
    for number, (label, score) in enumerate(rows, start=1):
        blank_label = label is None or (isinstance(label, str) and not label.strip())
        if blank_label and score is None:
            continue
        where = f"activity {number}"
        if blank_label:
            errors.append(FieldError(where, "name the activity you rated"))
            continue
        if score is None:
            errors.append(FieldError(where, f"rate it from {PSFS_MIN} to {PSFS_MAX}"))
            continue
        values = {"date": on, "measure": PSFS, "item": len(records) + 1, "score": score,
                  "label": label}  # fmt: skip
        try:
            record = validate_outcome(values, today)
        except EntryError as exc:
            errors += [FieldError(where, f"{e.field}: {e.message}") for e in exc.errors]
            continue
        if record.label.casefold() in seen:
            errors.append(
                FieldError(where, f"is the same as activity {seen[record.label.casefold()]}")
            )
            continue
        seen[record.label.casefold()] = number
        records.append(record)
    if not records and not errors:
        errors.append(FieldError("activities", "name at least one activity and rate it"))
    if errors:
        raise EntryError(errors)
    return records


def psfs_follow_up_records(
    on: date, known: Mapping[int, str], scores: Mapping[int, object], today: date
) -> list[Outcome]:
    """A PSFS re-rating of the known activities (item -> activity); an activity left unrated
    is skipped, but at least one must be rated."""
    errors: list[FieldError] = []
    records: list[Outcome] = []
    for item, label in known.items():
        score = scores.get(item)
        if score is None:
            continue
        values = {"date": on, "measure": PSFS, "item": item, "score": score, "label": label}
        try:
            records.append(validate_outcome(values, today))
        except EntryError as exc:
            errors += [FieldError(f"{label}", e.message) for e in exc.errors]
    if not records and not errors:
        errors.append(FieldError("activities", "rate at least one activity"))
    if errors:
        raise EntryError(errors)
    return records


def pgic_record(on: date, score: object, today: date) -> Outcome:
    """The PGIC answer (1-7) as a record; EntryError names the field 'change since starting'."""
    if score is None:
        raise EntryError([FieldError("change since starting", "choose one answer (1-7)")])
    try:
        return validate_outcome({"date": on, "measure": PGIC, "item": 1, "score": score}, today)
    except EntryError as exc:
        raise EntryError(
            [FieldError("change since starting", e.message) for e in exc.errors]
        ) from None
