from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, timedelta

import pytest

from backtrack.cli import main
from backtrack.entries import Entry
from backtrack.store import JournalStore
from tests.factories import as_exported_now

HEADER = "date,slot,pain,knee_hugs,knee_drops,clam,glute_bridge,psoas_stretch,flags,notes"
EXPORT_HEADER = HEADER.replace("flags,notes", "flags,reactions,notes").replace(
    "pain,", "pain,leg_pain,", 1
)


GOOD = f"{HEADER}\n2026-11-01,morning,5,10,5,10,10,3,,first\n2026-11-01,evening,4,,,,,,,rest\n"


def test_import_then_export_round_trips(tmp_path, capsys):
    db, src, out = tmp_path / "j.db", tmp_path / "in.csv", tmp_path / "out.csv"
    src.write_text(GOOD, encoding="utf-8")
    assert main(["import", str(src), "--db", str(db)]) == 0
    assert "2 added, 0 replaced, 0 unchanged" in capsys.readouterr().out
    assert main(["export", "--db", str(db), "-o", str(out)]) == 0
    # Exported with the (empty) reactions column the older file did not have.
    expected = GOOD.replace(",,,,,,,rest", ",0,0,0,0,0,,rest")
    assert out.read_text(encoding="utf-8") == as_exported_now(expected)
    assert main(["import", str(out), "--db", str(db)]) == 0
    assert "0 added, 0 replaced, 2 unchanged" in capsys.readouterr().out


def test_export_without_o_writes_stdout(tmp_path, capsys):
    db = tmp_path / "j.db"
    JournalStore(db).save(Entry(date(2026, 11, 1), "morning", 2, {"clam": 10}))
    assert main(["export", "--db", str(db)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        EXPORT_HEADER, "2026-11-01,morning,2,,0,0,10,0,0,,,"]  # fmt: skip


def test_bad_import_exits_non_zero_lists_errors_and_changes_nothing(tmp_path, capsys):
    db, src = tmp_path / "j.db", tmp_path / "bad.csv"
    JournalStore(db).save(Entry(date(2026, 10, 1), "morning", 6))
    src.write_text(f"{HEADER}\n2026-11-01,morning,5,,,,,,,\n2026-11-02,noon,11,,,,,,,\n")
    assert main(["import", str(src), "--db", str(db)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "the journal is unchanged" in captured.err
    assert "row 3, column slot" in captured.err and "row 3, column pain" in captured.err
    assert [(e.date, e.pain) for e in JournalStore(db).entries()] == [(date(2026, 10, 1), 6)]


def test_missing_file_and_bad_database_are_clear_errors(tmp_path, capsys):
    assert main(["import", str(tmp_path / "nope.csv"), "--db", str(tmp_path / "j.db")]) == 1
    assert "cannot read" in capsys.readouterr().err
    bad_db = tmp_path / "broken.db"
    bad_db.write_bytes(b"garbage" * 500)
    assert main(["export", "--db", str(bad_db)]) == 1
    assert "not a readable BackTrack journal" in capsys.readouterr().err


def test_python_dash_m_backtrack_works_and_uses_backtrack_db(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text(GOOD, encoding="utf-8")
    env_db = tmp_path / "env.db"
    run = subprocess.run(
        [sys.executable, "-m", "backtrack", "import", str(src)],
        capture_output=True, text=True, env={"BACKTRACK_DB": str(env_db), "PATH": ""},
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert len(JournalStore(env_db).entries()) == 2
    usage = subprocess.run([sys.executable, "-m", "backtrack"], capture_output=True, text=True)
    assert usage.returncode == 2 and "import" in usage.stderr


def _journal_with_improvement(db) -> None:
    """14 days: first week pain 6, last week pain 3, every session done."""
    store = JournalStore(db)
    start = date(2026, 11, 1)
    rows = []
    for i in range(14):
        pain = 6 if i < 7 else 3
        for slot in ("morning", "evening"):
            rows.append(Entry(start + timedelta(days=i), slot, pain, {"clam": 10}))
    store.import_entries(rows)


def test_check_prints_the_message(tmp_path, capsys):
    db = tmp_path / "j.db"
    _journal_with_improvement(db)
    assert main(["check", "--db", str(db), "--as-of", "2026-11-14"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Improving")
    assert "6.0" in out and "3.0" in out and "-3.0" in out and "-50%" in out


def test_check_json_has_the_contract_fields(tmp_path, capsys):
    db = tmp_path / "j.db"
    _journal_with_improvement(db)
    assert main(["check", "--db", str(db), "--as-of", "2026-11-14", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["status"] == "IMPROVING"
    assert result["day"] == 14
    assert (result["baseline_pain"], result["recent_pain"], result["change"]) == (6.0, 3.0, -3.0)
    assert result["change_pct"] == -50.0 and result["adherence"] == 1.0
    assert (result["as_of"], result["start"]) == ("2026-11-14", "2026-11-01")


def test_check_uses_the_start_date_setting_and_as_of(tmp_path, capsys):
    db = tmp_path / "j.db"
    _journal_with_improvement(db)
    JournalStore(db).set_start_date(date(2026, 11, 8))
    assert main(["check", "--db", str(db), "--as-of", "2026-11-10", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert (result["status"], result["day"], result["start"]) == ("TOO_EARLY", 3, "2026-11-08")


def test_check_on_an_empty_journal_and_bad_as_of(tmp_path, capsys):
    db = tmp_path / "j.db"
    JournalStore(db)
    assert main(["check", "--db", str(db), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert (result["status"], result["day"], result["recent_pain"]) == ("NOT_ENOUGH_DATA", None,
                                                                        None)  # fmt: skip
    with pytest.raises(SystemExit) as exit_:
        main(["check", "--db", str(db), "--as-of", "2026-02-30"])
    assert exit_.value.code == 2
    assert "not a date in the form YYYY-MM-DD" in capsys.readouterr().err


def test_check_shows_urgent_advice_for_recent_red_flags(tmp_path, capsys):
    db = tmp_path / "j.db"
    JournalStore(db).save(Entry(date(2026, 11, 10), "morning", 7, {}, ("saddle_numbness",)))
    assert main(["check", "--db", str(db), "--as-of", "2026-11-12"]) == 0
    assert capsys.readouterr().out.startswith("URGENT (Call 999 or go to A&E now): ")


def test_the_cli_uses_the_programme_named_in_backtrack_programme(tmp_path, monkeypatch, capsys):
    from backtrack.cli import build_parser

    short = tmp_path / "short.toml"
    monkeypatch.setenv("BACKTRACK_PROGRAMME", str(short))
    assert build_parser().parse_args(["export"]).programme == short


def test_check_json_keys_are_the_readmes_list(tmp_path, capsys):
    db = tmp_path / "j.db"
    _journal_with_improvement(db)
    assert main(["check", "--db", str(db), "--as-of", "2026-11-14", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    # The README (Safety, check --json) lists exactly these keys.
    assert set(result) == {
        "status", "headline", "day", "as_of", "start", "baseline_pain", "recent_pain",
        "change", "change_pct", "adherence", "sessions_done", "sessions_prescribed",
        "baseline_days", "recent_days", "red_flags", "advice_level", "advice", "message",
        "leg_baseline", "leg_recent", "leg_change", "psfs_baseline", "psfs_recent",
        "psfs_change", "pgic", "signals", "barrier",
    }  # fmt: skip
    assert (result["signals"], result["pgic"], result["barrier"]) == (["pain"], None, None)


def test_check_reads_the_outcome_answers(tmp_path, capsys):
    from backtrack.outcomes import Outcome

    db = tmp_path / "j.db"
    _journal_with_improvement(db)
    JournalStore(db).save_outcomes([Outcome(date(2026, 11, 14), "pgic", 1, 7)])
    assert main(["check", "--db", str(db), "--as-of", "2026-11-14", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert (result["status"], result["signals"], result["pgic"]) == ("WORSE", ["pgic"], 7)
