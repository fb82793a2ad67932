"""Calendar reminders: an iCalendar (.ics) file with the twice-daily sessions and the check.

A browser app cannot wake a phone, but every calendar can: importing this file puts two
daily events with alarms where the person already looks, with no server or account. Built
with the icalendar library (RFC 5545). Every UID is fixed, so importing a newer file with
other times updates the events instead of adding a second set.
"""

from __future__ import annotations

import os
import re
import tomllib
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo, available_timezones

import pandas as pd
from icalendar import Alarm, Calendar, Event, Timezone

from backtrack.programme import Programme
from backtrack.progress import CHECK_DAY, programme_start

DEFAULT_MORNING = time(8, 0)
DEFAULT_EVENING = time(19, 0)
SESSION_MINUTES = 15  # the events' length: the five exercises take about a quarter of an hour
DEFAULT_PORT = 8501  # Streamlit's default, used when .streamlit/config.toml names none
CONFIG_TOML = Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml"
PRODID = "-//BackTrack//Reminders//EN"
# Never change: every UID is derived from it, and calendars match events by UID.
UID_NAMESPACE = uuid.UUID("6f7c2b8e-3d1a-5c4e-9b0f-2a6d8e1c4b71")
SEQUENCE_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)  # SEQUENCE counts minutes since then
ZONE_YEARS = 30  # the VTIMEZONE's transitions cover this many years ahead
_TIME_RE = re.compile(r"^([0-9]{1,2}):([0-9]{2})$")
_ZONEINFO_DIRS = ("/usr/share/zoneinfo/", "/usr/lib/zoneinfo/", "/usr/share/lib/zoneinfo/")


class ReminderError(ValueError):
    """A time or a zone that cannot be used; the message names the field and the rule."""


@dataclass(frozen=True)
class DueEvent:
    """A one-off, all-day reminder on a date: the two-week check today; the outcome
    questionnaires (PSFS/PGIC, issue 13) add theirs when their next-due date exists."""

    key: str  # stable: the event's UID is derived from it
    day: date
    summary: str
    description: str


def parse_time(text: str, field: str) -> time:
    """'08:00' -> time(8, 0). Raise ReminderError naming the field for anything else."""
    match = _TIME_RE.match(text.strip()) if isinstance(text, str) else None
    if match:
        hours, minutes = int(match[1]), int(match[2])
        if hours <= 23 and minutes <= 59:
            return time(hours, minutes)
    raise ReminderError(f"{field}: {text!r} is not a time of day in the form HH:MM (00:00-23:59)")


def check_times(morning: time, evening: time) -> None:
    """Two reminders at one time would be one: raise ReminderError if they are equal."""
    if morning == evening:
        raise ReminderError(
            f"evening: {evening:%H:%M} is also the morning time; choose two different times"
        )


@cache
def zone_names() -> tuple[str, ...]:
    """Every IANA zone name this machine knows, sorted (for the Data page's select)."""
    return tuple(sorted(available_timezones()))


def resolve_zone(name: str, field: str = "time zone") -> ZoneInfo:
    """The IANA zone of that name; a ReminderError naming the field for an unknown one.

    Only names from the zone database are accepted, never a file path."""
    if isinstance(name, str) and name in zone_names():
        return ZoneInfo(name)
    raise ReminderError(
        f"{field}: {name!r} is not a time zone name from the IANA database "
        "(for example Europe/London or America/New_York)"
    )


def local_zone_name() -> str:
    """This computer's time zone as an IANA name: $TZ, else /etc/localtime's target, else
    /etc/timezone; 'UTC' when none of them names a known zone."""
    known = set(zone_names())
    candidates = [os.environ.get("TZ", "").removeprefix(":")]
    try:
        target = os.path.realpath("/etc/localtime")
        candidates += [target.split(d, 1)[1] for d in _ZONEINFO_DIRS if d in target]
    except OSError:
        pass
    try:
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    except (OSError, UnicodeDecodeError):
        pass
    return next((c for c in candidates if c in known), "UTC")


def app_url(config: Path = CONFIG_TOML) -> str:
    """The app's local address: http://localhost and the port from .streamlit/config.toml."""
    port = DEFAULT_PORT
    try:
        server = tomllib.loads(config.read_text(encoding="utf-8")).get("server", {})
        if isinstance(server.get("port"), int) and 0 < server["port"] < 65536:
            port = server["port"]
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        pass
    return f"http://localhost:{port}"


def uid(key: str) -> str:
    """The fixed UID of a reminder: the same key gives the same UID in every export."""
    return f"{uuid.uuid5(UID_NAMESPACE, key)}@backtrack"


def due_events(programme_start: date | None) -> list[DueEvent]:
    """The one-off reminders: the two-week check on day 14 (when day 1 is known).

    Extension point: the outcome measures (PSFS/PGIC, issue 13) append a DueEvent for the
    day each is next due, with a key of their own ('psfs-due', 'pgic-due')."""
    if programme_start is None:
        return []
    return [
        DueEvent(
            key="two-week-check",
            day=programme_start + timedelta(days=CHECK_DAY - 1),
            summary="Two-week progress check",
            description=(
                f"Day {CHECK_DAY} of your BackTrack programme: open the Progress page to see "
                "whether your pain has changed since your first week."
            ),
        )
    ]


def reminders_calendar(
    morning: time,
    evening: time,
    zone: ZoneInfo,
    *,
    today: date,
    now: datetime,
    exercise_names: Sequence[str],
    due: Iterable[DueEvent] = (),
    url: str | None = None,
) -> Calendar:
    """The calendar: a morning and an evening event recurring daily from today, each with a
    display alarm at its time, the one-off `due` events, and the zone's VTIMEZONE."""
    check_times(morning, evening)
    url = url or app_url()
    due = list(due)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "BackTrack")
    first = min([today, *(item.day for item in due)])
    cal.add_component(  # before the events that name it, as most calendars expect
        Timezone.from_tzinfo(
            zone,
            tzid=zone.key,
            first_date=first - timedelta(days=1),
            last_date=date(today.year + ZONE_YEARS, 1, 1),
        )
    )
    stamp = now.astimezone(UTC)
    what = ", ".join(exercise_names)
    for slot, at in (("morning", morning), ("evening", evening)):
        start = datetime.combine(today, at, tzinfo=zone)
        description = (
            f"Your {slot} BackTrack session: {what}. Then log it with your pain (0-10) in "
            f"BackTrack, {url} (open it on the computer where BackTrack runs)."
        )
        event = _event(f"session-{slot}", f"Back exercises ({slot})", description, stamp, url)
        event.add("dtstart", start)
        event.add("dtend", start + timedelta(minutes=SESSION_MINUTES))
        event.add("rrule", {"freq": "daily"})
        event.add_component(_alarm(description, timedelta(0)))
        cal.add_component(event)
    for item in due:
        event = _event(item.key, item.summary, item.description, stamp, url)
        event.add("dtstart", item.day)  # all day
        event.add("dtend", item.day + timedelta(days=1))
        event.add("transp", "TRANSPARENT")
        # At the morning reminder's time on that day.
        offset = timedelta(hours=morning.hour, minutes=morning.minute)
        event.add_component(_alarm(item.description, offset))
        cal.add_component(event)
    return cal


def _event(key: str, summary: str, description: str, stamp: datetime, url: str) -> Event:
    event = Event()
    event.add("uid", uid(key))
    event.add("dtstamp", stamp)
    # Calendars that compare SEQUENCE take the later export as the newer version.
    event.add("sequence", max(0, int((stamp - SEQUENCE_EPOCH).total_seconds()) // 60))
    event.add("summary", summary)
    event.add("description", description)
    event.add("url", url)
    return event


def _alarm(description: str, trigger: timedelta) -> Alarm:
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", description)
    alarm.add("trigger", trigger)
    return alarm


def journal_reminders(
    programme: Programme,
    journal: pd.DataFrame,
    start_setting: date | None,
    morning: time,
    evening: time,
    zone: ZoneInfo,
    *,
    today: date,
    now: datetime,
) -> tuple[bytes, list[DueEvent]]:
    """The .ics for this journal (day 1 as the two-week check sees it) and its one-off events."""
    day1 = programme_start(journal[journal["date"] <= pd.Timestamp(today)], start_setting)
    due = due_events(day1)
    cal = reminders_calendar(
        morning, evening, zone, today=today, now=now,
        exercise_names=[ex.name for ex in programme.exercises], due=due,
    )  # fmt: skip
    return cal.to_ical(), due
