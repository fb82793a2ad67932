"""The reminders and fhir subcommands (kept apart from test_cli.py, which covers the rest)."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta

import pytest
from fhir.resources.bundle import Bundle
from icalendar import Calendar

from backtrack.cli import main
from backtrack.entries import Entry
from backtrack.fhir_export import PAIN_LOINC
from backtrack.progress import CHECK_DAY
from backtrack.reminders import uid
from backtrack.store import JournalStore


@pytest.fixture(autouse=True)
def _journal(tmp_path):
    """An empty journal at tmp_path/j.db: these commands refuse one that does not exist."""
    JournalStore(tmp_path / "j.db")


def summaries(path) -> dict[str, object]:
    cal = Calendar.from_ical(path.read_bytes())
    return {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}


def test_reminders_writes_the_events_in_the_zone_with_the_check_on_day_14(tmp_path, capsys):
    db, out = tmp_path / "j.db", tmp_path / "my # reminders ? 100%.ics"
    day1 = date.today() - timedelta(days=3)
    JournalStore(db).save(Entry(day1, "morning", 5, {"clam": 10}))
    args = ["reminders", "--db", str(db), "--morning", "07:15", "--evening", "20:30",
            "--tz", "Pacific/Auckland", "-o", str(out)]  # fmt: skip
    assert main(args) == 0
    assert "07:15 and 20:30 (Pacific/Auckland)" in capsys.readouterr().out
    found = summaries(out)
    assert found["Back exercises (morning)"]["DTSTART"].params["TZID"] == "Pacific/Auckland"
    assert found["Back exercises (morning)"].decoded("DTSTART").strftime("%H:%M") == "07:15"
    assert found["Back exercises (evening)"].decoded("DTSTART").strftime("%H:%M") == "20:30"
    check = found["Two-week progress check"]
    assert check.decoded("DTSTART") == day1 + timedelta(days=CHECK_DAY - 1)
    assert str(check["UID"]) == uid("two-week-check")


def test_reminders_follow_the_start_date_setting(tmp_path):
    db, out = tmp_path / "j.db", tmp_path / "r.ics"
    store = JournalStore(db)
    store.save(Entry(date.today() - timedelta(days=20), "morning", 5))
    store.set_start_date(date.today() - timedelta(days=2))
    assert main(["reminders", "--db", str(db), "--tz", "UTC", "-o", str(out)]) == 0
    check = summaries(out)["Two-week progress check"]
    assert check.decoded("DTSTART") == date.today() - timedelta(days=2) + timedelta(days=13)


def test_reminders_on_an_empty_journal_say_the_check_comes_later(tmp_path, capsys):
    out = tmp_path / "r.ics"
    JournalStore(tmp_path / "j.db")  # a new, empty journal (a missing one is refused)
    assert main(["reminders", "--db", str(tmp_path / "j.db"), "--tz", "UTC", "-o", str(out)]) == 0
    assert "after your first session" in capsys.readouterr().out
    assert sorted(summaries(out)) == ["Back exercises (evening)", "Back exercises (morning)"]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--morning", "8am"], "--morning: '8am' is not a time of day in the form HH:MM"),
        (["--evening", "24:00"], "--evening: '24:00' is not a time of day"),
        (["--tz", "Europe/Atlantis"], "--tz: 'Europe/Atlantis' is not a time zone name"),
        (["--tz", "/etc/localtime"], "--tz: '/etc/localtime' is not a time zone name"),
        (["--morning", "19:00"], "evening: 19:00 is also the morning time"),
    ],
)
def test_bad_times_or_zones_exit_1_with_a_message_and_no_file(tmp_path, capsys, extra, message):
    out = tmp_path / "r.ics"
    JournalStore(tmp_path / "j.db")
    assert main(["reminders", "--db", str(tmp_path / "j.db"), *extra, "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert message in err and "no file written" in err
    assert not out.exists()


def test_reminders_into_a_missing_folder_is_a_clear_error(tmp_path, capsys):
    out = tmp_path / "no such folder" / "r.ics"
    JournalStore(tmp_path / "j.db")
    assert main(["reminders", "--db", str(tmp_path / "j.db"), "--tz", "UTC", "-o", str(out)]) == 1
    assert "does not exist; nothing was written" in capsys.readouterr().err


def test_reminders_without_o_is_a_usage_error():
    run = subprocess.run([sys.executable, "-m", "backtrack", "reminders"], capture_output=True,
                         text=True)  # fmt: skip
    assert run.returncode == 2 and "-o/--output" in run.stderr


def test_fhir_writes_a_valid_bundle_of_the_range(tmp_path, capsys):
    db, out = tmp_path / "j.db", tmp_path / "out file #1.json"
    store = JournalStore(db)
    today = date.today()
    for i in range(5):
        store.save(Entry(today - timedelta(days=i), "morning", i, {"clam": 10} if i % 2 else {}))
    args = ["fhir", "--db", str(db), "--from", str(today - timedelta(days=3)), "--to",
            str(today - timedelta(days=1)), "--name", "J. Doe", "-o", str(out)]  # fmt: skip
    assert main(args) == 0
    assert "FHIR R4 Bundle of 6 resources" in capsys.readouterr().out
    bundle = Bundle.parse_file(out)
    kinds = [e.resource.resource_type for e in bundle.entry]
    assert kinds == ["Patient", "Observation", "Observation", "Observation", "Procedure",
                     "Procedure"]  # fmt: skip
    pains = [e.resource for e in bundle.entry if e.resource.resource_type == "Observation"]
    assert [o.valueInteger for o in pains] == [3, 2, 1]
    assert {o.code.coding[0].code for o in pains} == {PAIN_LOINC}
    assert bundle.entry[0].resource.name[0].text == "J. Doe"
    assert JournalStore(db).get_setting("name") is None  # never stored


def test_fhir_of_an_empty_journal_is_a_valid_empty_bundle(tmp_path):
    out = tmp_path / "b.json"
    assert main(["fhir", "--db", str(tmp_path / "j.db"), "-o", str(out)]) == 0
    bundle = Bundle.parse_file(out)
    assert bundle.type == "collection" and bundle.entry is None


def test_fhir_bad_name_and_ranges_write_nothing(tmp_path, capsys):
    out, db = tmp_path / "b.json", str(tmp_path / "j.db")
    assert main(["fhir", "--db", db, "--name", "a\nb", "-o", str(out)]) == 1
    assert "--name: control characters" in capsys.readouterr().err
    future = str(date.today() + timedelta(days=1))
    with pytest.raises(SystemExit) as exit_:
        main(["fhir", "--db", db, "--to", future, "-o", str(out)])
    assert exit_.value.code == 2 and "is in the future" in capsys.readouterr().err
    assert main(["fhir", "--db", db, "--from", "2026-01-02", "--to", "2026-01-01",
                 "-o", str(out)]) == 2  # fmt: skip
    assert "is after --to" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:
        main(["fhir", "--db", db, "--from", "2026-02-30", "-o", str(out)])
    assert exit_.value.code == 2 and "not a date" in capsys.readouterr().err
    assert not out.exists()


def test_the_calendar_file_holds_no_journal_entries(tmp_path):
    db, out = tmp_path / "j.db", tmp_path / "r.ics"
    JournalStore(db).save(Entry(date.today(), "morning", 7, {"clam": 10}, ("fever",), "private"))
    assert main(["reminders", "--db", str(db), "--tz", "UTC", "-o", str(out)]) == 0
    text = Calendar.from_ical(out.read_bytes()).to_ical().decode()
    assert "private" not in text and "fever" not in text and "7/10" not in text


@pytest.mark.parametrize("command", [["reminders"], ["fhir"]])
def test_a_missing_journal_is_refused_and_not_created(tmp_path, capsys, command):
    db = tmp_path / "typo" / "j.db"
    out = tmp_path / "out"
    assert main([*command, "--db", str(db), "-o", str(out)]) == 1
    assert "there is no journal here" in capsys.readouterr().err
    assert not db.exists() and not db.parent.exists() and not out.exists()
