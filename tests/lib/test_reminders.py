from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from backtrack import reminders
from backtrack.progress import CHECK_DAY
from backtrack.reminders import (
    DEFAULT_EVENING,
    DEFAULT_MORNING,
    ReminderError,
    app_url,
    due_events,
    local_zone_name,
    parse_time,
    reminders_calendar,
    resolve_zone,
)

TODAY = date(2026, 3, 1)
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
NAMES = ["Knee Hugs", "Knee Drops", "The Clam", "Glute Bridge", "Psoas Stretch"]


def build(morning=DEFAULT_MORNING, evening=DEFAULT_EVENING, zone="Europe/London", start=None,
          now=NOW) -> Calendar:  # fmt: skip
    cal = reminders_calendar(
        morning, evening, resolve_zone(zone), today=TODAY, now=now, exercise_names=NAMES,
        due=due_events(start), url="http://localhost:8501",
    )  # fmt: skip
    return Calendar.from_ical(cal.to_ical())  # always check what a calendar reads back


def events(cal: Calendar) -> dict[str, object]:
    return {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}


def test_two_daily_events_with_alarms_at_their_time_in_the_zone():
    cal = build(time(7, 30), time(21, 5), zone="America/New_York")
    found = events(cal)
    assert sorted(found) == ["Back exercises (evening)", "Back exercises (morning)"]
    zone = ZoneInfo("America/New_York")
    for summary, at in (("Back exercises (morning)", time(7, 30)),
                        ("Back exercises (evening)", time(21, 5))):  # fmt: skip
        event = found[summary]
        start = event.decoded("DTSTART")
        assert start == datetime.combine(TODAY, at, tzinfo=zone)
        assert event["DTSTART"].params["TZID"] == "America/New_York"
        assert dict(event["RRULE"]) == {"FREQ": ["DAILY"]}
        (alarm,) = event.walk("VALARM")
        assert str(alarm["ACTION"]) == "DISPLAY"
        assert alarm["TRIGGER"].dt == timedelta(0)  # at the event's start
        assert "Knee Hugs" in str(event["DESCRIPTION"])
        assert "http://localhost:8501" in str(event["DESCRIPTION"])
        assert str(event["URL"]) == "http://localhost:8501"


def test_the_vtimezone_matches_the_tzid_and_its_daylight_saving():
    cal = build(zone="Europe/London")
    (tz,) = cal.walk("VTIMEZONE")
    assert str(tz["TZID"]) == "Europe/London"
    assert cal.get_missing_tzids() == set()
    # The summer and winter offsets are both there, so 08:00 stays 08:00 after the change.
    offsets = {c["TZOFFSETTO"].td for c in tz.walk() if c.name in ("STANDARD", "DAYLIGHT")}
    assert offsets == {timedelta(0), timedelta(hours=1)}
    summer = cal.walk("VEVENT")[0]
    assert str(summer["DTSTART"].params["TZID"]) == "Europe/London"


def test_day_14_check_is_an_all_day_event_with_an_alarm_at_the_morning_time():
    cal = build(morning=time(6, 45), start=date(2026, 2, 20))
    check = events(cal)["Two-week progress check"]
    assert check.decoded("DTSTART") == date(2026, 2, 20) + timedelta(days=CHECK_DAY - 1)
    assert "RRULE" not in check
    (alarm,) = check.walk("VALARM")
    assert alarm["TRIGGER"].dt == timedelta(hours=6, minutes=45)


def test_without_a_programme_start_there_is_no_check_event():
    assert due_events(None) == []
    assert "Two-week progress check" not in events(build(start=None))


def test_re_export_with_other_times_keeps_every_uid():
    first = {s: str(e["UID"]) for s, e in events(build(start=date(2026, 2, 1))).items()}
    later = build(time(6, 0), time(22, 0), zone="Asia/Tokyo", start=date(2026, 2, 1),
                  now=NOW + timedelta(days=3))  # fmt: skip
    again = {s: str(e["UID"]) for s, e in events(later).items()}
    assert first == again and len(set(first.values())) == 3
    # A later export is a newer version for calendars that compare SEQUENCE.
    assert all(e["SEQUENCE"] > 0 for e in later.walk("VEVENT"))
    seq = {str(e["UID"]): int(e["SEQUENCE"]) for e in later.walk("VEVENT")}
    old = {str(e["UID"]): int(e["SEQUENCE"]) for e in build(start=date(2026, 2, 1)).walk("VEVENT")}
    assert all(seq[u] > old[u] for u in seq)


def test_a_new_programme_start_moves_the_check_but_keeps_its_uid():
    a = events(build(start=date(2026, 2, 1)))["Two-week progress check"]
    b = events(build(start=date(2026, 3, 1)))["Two-week progress check"]
    assert a["UID"] == b["UID"] and a.decoded("DTSTART") != b.decoded("DTSTART")


@pytest.mark.parametrize("text", ["25:00", "12:60", "8", "8.00", "08:00:00", "", "ab:cd",
                                  "٠٨:٠٠", "08 :00", "-1:00"])  # fmt: skip
def test_bad_times_name_the_field_and_the_rule(text):
    with pytest.raises(ReminderError) as err:
        parse_time(text, "--morning")
    assert str(err.value).startswith("--morning: ") and "HH:MM" in str(err.value)


def test_good_times_parse():
    assert parse_time("08:00", "m") == time(8, 0)
    assert parse_time(" 7:05 ", "m") == time(7, 5)
    assert parse_time("23:59", "m") == time(23, 59)


@pytest.mark.parametrize(
    "name", ["Mars/Olympus", "../../etc/passwd", "/usr/share/zoneinfo/UTC", "", "europe/london"]
)
def test_unknown_zones_and_paths_are_refused(name):
    with pytest.raises(ReminderError) as err:
        resolve_zone(name, "--tz")
    assert str(err.value).startswith("--tz: ") and "IANA" in str(err.value)


def test_same_morning_and_evening_time_is_refused():
    with pytest.raises(ReminderError, match="evening: 08:00 is also the morning time"):
        build(time(8, 0), time(8, 0))


def test_local_zone_follows_tz_and_falls_back_to_a_known_zone(monkeypatch):
    monkeypatch.setenv("TZ", "Australia/Adelaide")
    assert local_zone_name() == "Australia/Adelaide"
    monkeypatch.setenv("TZ", "Nowhere/Else")
    assert local_zone_name() in reminders.zone_names()


def test_app_url_reads_the_port_and_survives_damaged_config(tmp_path):
    good = tmp_path / "config.toml"
    good.write_text("[server]\nport = 8600\n", encoding="utf-8")
    assert app_url(good) == "http://localhost:8600"
    bad = tmp_path / "bad # ? %.toml"
    bad.write_bytes(b"\xff\xfe[server")
    assert app_url(bad) == "http://localhost:8501"
    assert app_url(tmp_path / "missing.toml") == "http://localhost:8501"
    assert app_url() == "http://localhost:8501"  # the project's own config
