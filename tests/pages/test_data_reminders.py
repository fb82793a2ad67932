"""The Data page's calendar reminders: the download is a calendar with the times chosen."""

from __future__ import annotations

from datetime import date, time, timedelta

from icalendar import Calendar

from backtrack.entries import Entry
from backtrack.progress import CHECK_DAY
from backtrack.reminders import DEFAULT_EVENING, DEFAULT_MORNING, local_zone_name
from backtrack.store import JournalStore


def ics_button(at):
    (button,) = [b for b in at.get("download_button") if b.proto.id.endswith("data_ics")]
    return button


def events(data: bytes) -> dict[str, object]:
    return {str(e["SUMMARY"]): e for e in Calendar.from_ical(data).walk("VEVENT")}


def test_reminders_default_to_8_and_19_in_the_local_zone_with_the_check(app, downloads):
    day1 = date.today() - timedelta(days=2)
    JournalStore().save(Entry(day1, "morning", 4, {"clam": 10}))
    at = app("pages/data.py")
    assert at.time_input(key="data_morning").value == DEFAULT_MORNING == time(8, 0)
    assert at.time_input(key="data_evening").value == DEFAULT_EVENING == time(19, 0)
    assert at.selectbox(key="data_tz").value == local_zone_name()
    button = ics_button(at)
    assert button.proto.label == "Download reminders (backtrack.ics)"
    found = events(downloads(button))
    names = ["Back exercises (evening)", "Back exercises (morning)", "Two-week progress check"]
    assert sorted(found) == names
    assert found["Back exercises (morning)"].decoded("DTSTART").time() == time(8, 0)
    assert found["Two-week progress check"].decoded("DTSTART") == day1 + timedelta(CHECK_DAY - 1)


def test_other_times_and_zone_keep_the_uids(app, downloads):
    at = app("pages/data.py")
    before = {s: e["UID"] for s, e in events(downloads(ics_button(at))).items()}
    at.time_input(key="data_morning").set_value(time(6, 30))
    at.time_input(key="data_evening").set_value(time(21, 0))
    at.selectbox(key="data_tz").set_value("America/Chicago").run()
    assert not at.exception
    after = events(downloads(ics_button(at)))
    assert {s: e["UID"] for s, e in after.items()} == before
    morning = after["Back exercises (morning)"]
    assert morning["DTSTART"].params["TZID"] == "America/Chicago"
    assert morning.decoded("DTSTART").time() == time(6, 30)


def test_the_same_time_twice_is_explained_and_not_downloadable(app):
    at = app("pages/data.py")
    at.time_input(key="data_evening").set_value(DEFAULT_MORNING).run()
    assert "is also the morning time" in at.error[0].value
    assert ics_button(at).proto.disabled
