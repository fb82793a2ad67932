from __future__ import annotations

import dataclasses
import io
import json
import subprocess
import sys
from datetime import date, timedelta

import pandas as pd
import pypdf
import pytest

from backtrack import charts
from backtrack.cli import main
from backtrack.entries import Entry
from backtrack.fmt import fmt_date
from backtrack.frames import load_frame
from backtrack.programme import load_programme
from backtrack.progress import Status
from backtrack.report import NO_ENTRIES, build_report, default_range
from backtrack.report_pdf import print_spec, render_pdf, report_specs
from backtrack.store import JournalStore
from backtrack.symptoms import flag_label
from tests.factories import journal

END = date(2026, 3, 31)  # a Tuesday; the 2-month journal runs from Friday 30 January
DAYS = 61
GREEK, CYRILLIC, HEBREW = "καλημέρα", "привет", "שלום"
NOTES = {
    (0, "morning"): f"Stiff getting out of bed. {GREEK}",
    (3, "evening"): f"{HEBREW}: felt better after the walk",
    (10, "morning"): f"{CYRILLIC}. " + "Sat at the desk for hours, the stretch helped. " * 6,
    (20, "evening"): "**not bold** _not italic_ <b>not html</b>",
}


def _pain(i: int) -> int:
    """6 in the first week, 3 in the last week, 5 and 4 in between."""
    return 6 if i < 7 else 3 if i >= DAYS - 7 else 5 if i < 30 else 4


def _two_months(programme) -> list[Entry]:
    return journal(
        programme,
        END,
        DAYS,
        pain=_pain,
        skip=lambda i, slot: i % 9 == 0 and slot == "evening",
        flags=lambda i, slot: (
            ("fever", "night_pain")
            if (i, slot) == (12, "morning")  # > 14 days before END
            else ("injury",)
            if (i, slot) == (55, "evening")
            else ()
        ),  # fmt: skip
        notes=lambda i, slot: NOTES.get((i, slot), ""),
    )


def _pdf_text(data: bytes) -> tuple[pypdf.PdfReader, str]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture(scope="module")
def two_month_pdf(tmp_path_factory):
    """The 2-month report, rendered once for the PDF tests (rendering takes about a second)."""
    programme = load_programme()
    store = JournalStore(tmp_path_factory.mktemp("report") / "journal.db")
    store.import_entries(_two_months(programme))
    frame = load_frame(store, programme.exercise_ids)
    start, end = default_range(frame, store.start_date(), END)
    report = build_report(frame, programme, start, end, programme_start=None, today=END)
    data = render_pdf(report, name="Dana Ş. Cohen")
    reader, text = _pdf_text(data)
    return report, data, reader, text


# ---------------------------------------------------------------- build_report


def _frame(store: JournalStore, programme, entries: list[Entry]) -> pd.DataFrame:
    store.import_entries(entries)
    return load_frame(store, programme.exercise_ids)


def test_build_report_figures_on_a_small_journal(store, programme):
    last = date(2026, 11, 14)
    entries = journal(
        programme,
        last,
        14,
        pain=lambda i: 6 if i < 7 else 3,
        skip=lambda i, slot: i == 3 and slot == "evening",
        flags=lambda i, slot: ("fever",) if (i, slot) == (2, "morning") else (),
        notes=lambda i, slot: {(5, "evening"): "evening note", (5, "morning"): "first"}.get(
            (i, slot), ""
        ),
    )
    frame = _frame(store, programme, entries)
    report = build_report(
        frame, programme, date(2026, 11, 1), last, programme_start=None, today=last
    )
    assert (report.start, report.end, report.days) == (date(2026, 11, 1), last, 14)
    assert report.programme_start == date(2026, 11, 1) and report.day == 14
    assert report.entries == 27 and not report.empty
    assert (report.sessions_done, report.sessions_prescribed) == (27, 28)
    assert report.adherence == pytest.approx(27 / 28)
    check = report.check
    assert check.status is Status.IMPROVING and check.as_of == last
    assert (check.baseline_pain, check.recent_pain, check.change) == (6.0, 3.0, -3.0)
    assert report.red_flags == ((date(2026, 11, 3), (flag_label("fever"),)),)
    assert [(n.date, n.slot, n.note) for n in report.notes] == [
        (date(2026, 11, 6), "morning", "first"),
        (date(2026, 11, 6), "evening", "evening note"),
    ]
    assert [(r.name, r.reps, r.hold, r.sessions) for r in report.prescription][:3] == [
        ("Knee Hugs", "10 reps", "hold 5 s with knees closest to the chest", "twice daily"),
        ("Knee Drops", "5 reps each side", "hold 2 s at each side", "twice daily"),
        ("The Clam", "10 reps each leg", "", "twice daily"),
    ]
    assert list(report.frames.daily["date"].dt.date) == [
        date(2026, 11, 1) + timedelta(days=i) for i in range(14)
    ]
    assert report.frames.adherence["done"].sum() == 27
    assert list(report.frames.shares["exercise"]) == [e.name for e in programme.exercises]
    rows = dict(report.summary_rows())
    assert rows["Sessions done"].startswith("27 of 28 prescribed (96%)")
    assert rows["Pain, first week"].startswith("6.0/10")
    assert rows["Pain, last 7 days"].startswith("3.0/10")
    assert rows["Change in pain"] == "-3.0 points (-50%)"
    assert report.exercise_rows()[0] == ("Knee Hugs", "10 reps", "270", "280", "96%")


def test_red_flags_cover_the_whole_range_not_only_the_last_14_days(store, programme):
    last = date(2026, 11, 30)
    entries = journal(
        programme,
        last,
        30,
        flags=lambda i, slot: ("injury",) if (i, slot) == (1, "evening") else (),
    )
    frame = _frame(store, programme, entries)
    report = build_report(
        frame, programme, date(2026, 11, 1), last, programme_start=None, today=last
    )
    assert report.check.red_flag_dates == ()  # the check looks at the last 14 days only
    assert report.red_flags == ((date(2026, 11, 2), (flag_label("injury"),)),)


def test_the_check_uses_the_start_date_set_and_the_range_end(store, programme):
    last = date(2026, 11, 30)
    frame = _frame(store, programme, journal(programme, last, 30))
    report = build_report(
        frame, programme, date(2026, 11, 20), date(2026, 11, 25),
        programme_start=date(2026, 11, 10), today=last,
    )  # fmt: skip
    assert report.check.as_of == date(2026, 11, 25) and report.check.start == date(2026, 11, 10)
    assert report.programme_start == date(2026, 11, 10) and report.day == 16
    assert report.entries == 12 and report.sessions_prescribed == 12


def test_empty_range_and_bad_range(store, programme):
    frame = _frame(store, programme, journal(programme, date(2026, 11, 30), 5))
    report = build_report(
        frame, programme, date(2026, 1, 1), date(2026, 1, 31), programme_start=None,
        today=date(2026, 11, 30),
    )  # fmt: skip
    assert report.empty and report.notes == () and report.red_flags == ()
    assert report.sessions_done == 0 and report.sessions_prescribed == 62
    with pytest.raises(ValueError, match="after end"):
        build_report(frame, programme, date(2026, 2, 1), date(2026, 1, 1),
                     programme_start=None, today=date(2026, 11, 30))  # fmt: skip


def test_default_range_is_the_programme_so_far(store, programme):
    today = date(2026, 11, 30)
    empty = load_frame(store, programme.exercise_ids)
    assert default_range(empty, None, today) == (today, today)
    frame = _frame(store, programme, journal(programme, date(2026, 11, 20), 10))
    assert default_range(frame, None, today) == (date(2026, 11, 11), today)
    assert default_range(frame, date(2026, 11, 1), today) == (date(2026, 11, 1), today)
    assert default_range(frame, date(2026, 12, 5), today) == (today, today)  # start ahead


# ---------------------------------------------------------------- the PDF


def test_pdf_summary_figures_and_check_in_words(two_month_pdf):
    report, _, _, text = two_month_pdf
    assert report.check.status is Status.IMPROVING
    assert "Summary" in text
    for figure in ("6.0/10", "3.0/10", "-3.0 points (-50%)"):
        assert figure in text
    assert f"{report.sessions_done} of {report.sessions_prescribed} prescribed (" in text
    assert "%" in text
    assert "Two-week check Improving" in text
    assert "Day 61" in text and fmt_date(date(2026, 1, 30)) in text
    # The summary comes before the charts and tables.
    assert text.index("Improving") < text.index("Each exercise in this range")


def test_pdf_lists_red_flags_with_dates_and_words(two_month_pdf):
    _, _, _, text = two_month_pdf
    text = " ".join(text.split())  # as read, not as wrapped
    assert "RED FLAG " + fmt_date(date(2026, 2, 11)) in text
    assert flag_label("fever") in text
    assert flag_label("night_pain") in text
    assert "RED FLAG " + fmt_date(date(2026, 3, 26)) in text


def test_pdf_prints_prescription_exercises_and_notes(two_month_pdf):
    _, _, _, text = two_month_pdf
    assert "Psoas Stretch 3-5 holds each side hold 10-20 s in the stretch twice daily" in text
    assert "Each exercise in this range" in text
    assert "Knee Hugs 10 reps" in text
    assert GREEK in text and CYRILLIC in text
    assert all(letter in text for letter in HEBREW)  # RTL may be extracted reordered
    assert "**not bold** _not italic_ <b>not html</b>" in text  # literal, no markdown
    assert "the stretch helped." in text and "Fri 30 Jan 2026 morning Stiff" in text


def test_pdf_title_name_pages_and_footer(two_month_pdf):
    _, data, reader, text = two_month_pdf
    assert data.startswith(b"%PDF")
    assert text.startswith("BackTrack report: Dana Ş. Cohen")
    assert len(reader.pages) == 3
    for number in (1, 2, 3):
        assert f"Page {number} of 3" in text
    # Said plainly, once (on the first page), not on every page.
    assert text.count("BackTrack supports self-management and does not diagnose.") == 1
    mediabox = reader.pages[0].mediabox
    assert (round(float(mediabox.width)), round(float(mediabox.height))) == (595, 842)  # A4


def test_pdf_has_the_three_charts_as_sharp_images(two_month_pdf):
    _, _, reader, _ = two_month_pdf
    images = [image for page in reader.pages for image in page.images]
    assert len(images) >= 3
    assert all(image.image.width >= 1200 for image in images)  # scale 2


def test_empty_range_is_one_clear_page(store, programme):
    frame = _frame(store, programme, journal(programme, date(2026, 11, 30), 5))
    report = build_report(
        frame, programme, date(2026, 1, 1), date(2026, 1, 31), programme_start=None,
        today=date(2026, 11, 30),
    )  # fmt: skip
    reader, text = _pdf_text(render_pdf(report))
    assert len(reader.pages) == 1
    assert NO_ENTRIES in text and "Page 1 of 1" in text
    assert "Current prescription" in text and "Glute Bridge" in text
    assert text.startswith("BackTrack report\n")


def test_empty_journal_renders(store, programme):
    today = date(2026, 11, 30)
    frame = load_frame(store, programme.exercise_ids)
    start, end = default_range(frame, None, today)
    reader, text = _pdf_text(
        render_pdf(build_report(frame, programme, start, end, programme_start=None, today=today))
    )
    assert len(reader.pages) == 1 and NO_ENTRIES in text


def test_a_note_taller_than_a_page_is_printed_whole(store, programme):
    last = date(2026, 11, 30)
    note = "\n".join(f"line {n}" for n in range(1, 121))
    frame = _frame(
        store,
        programme,
        journal(programme, last, 3, notes=lambda i, slot: note if i == 1 else ""),
    )
    report = build_report(
        frame, programme, date(2026, 11, 28), last, programme_start=None, today=last
    )
    _, text = _pdf_text(render_pdf(report, name="A.B."))
    assert "line 1\n" in text and "line 120" in text and "(continued)" in text


def test_characters_missing_from_the_font_show_as_a_replacement_mark(store, programme):
    last = date(2026, 11, 30)
    frame = _frame(store, programme, journal(programme, last, 2))
    report = build_report(frame, programme, last, last, programme_start=None, today=last)
    _, text = _pdf_text(render_pdf(report, name="  Li 中 \n  Wei "))
    assert text.startswith("BackTrack report: Li \ufffd Wei\n")


def test_print_spec_darkens_subtitles_for_paper(two_month_pdf):
    report = two_month_pdf[0]
    pain = report_specs(report)["pain"]
    assert f'"subtitleColor": "{charts.MUTED}"' in json.dumps(pain)
    printed = json.dumps(print_spec(pain))
    assert charts.MUTED not in printed and '"subtitleColor": "#4d4d4d"' in printed


# ---------------------------------------------------------------- the command line


def test_cli_report_writes_the_pdf(tmp_path, capsys, programme):
    db, out = tmp_path / "j.db", tmp_path / "report.pdf"
    today = date.today()
    JournalStore(db).import_entries(journal(programme, today, 20, pain=lambda i: 6 - i // 7))
    assert main(["report", "--db", str(db), "--name", "Ж. K.", "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert str(out) in printed and fmt_date(today - timedelta(days=19)) in printed
    reader, text = _pdf_text(out.read_bytes())
    assert "BackTrack report: Ж. K." in text and len(reader.pages) >= 2
    first = (today - timedelta(days=5)).isoformat()
    assert main(["report", "--db", str(db), "--from", first, "-o", str(out)]) == 0
    assert fmt_date(today - timedelta(days=5)) in _pdf_text(out.read_bytes())[1]


def test_cli_report_rejects_bad_ranges(tmp_path, capsys):
    db, out = tmp_path / "j.db", tmp_path / "report.pdf"
    JournalStore(db)
    today = date.today()
    late, early = today.isoformat(), (today - timedelta(days=3)).isoformat()
    assert main(["report", "--db", str(db), "--from", late, "--to", early, "-o", str(out)]) == 2
    assert f"--from {late} is after --to {early}" in capsys.readouterr().err
    tomorrow = (today + timedelta(days=1)).isoformat()
    for option, day, rule in [("--to", tomorrow, "is in the future"),
                              ("--from", tomorrow, "is in the future"),
                              ("--from", "1600-01-01", "is before 1900-01-01"),
                              ("--to", "1899-12-31", "is before 1900-01-01")]:  # fmt: skip
        with pytest.raises(SystemExit) as exit_info:
            main(["report", "--db", str(db), option, day, "-o", str(out)])
        err = capsys.readouterr().err
        assert exit_info.value.code == 2 and f"argument {option}" in err and rule in err
    with pytest.raises(SystemExit) as exit_info:
        main(["report", "--db", str(db), "--from", "2026-13-01", "-o", str(out)])
    assert exit_info.value.code == 2 and "YYYY-MM-DD" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["report", "--db", str(db)])  # -o is required
    assert "-o/--output" in capsys.readouterr().err
    assert not out.exists()


def test_python_dash_m_backtrack_report(tmp_path, programme):
    db, out = tmp_path / "j.db", tmp_path / "r.pdf"
    JournalStore(db).import_entries(journal(programme, date.today(), 3))
    run = subprocess.run(
        [sys.executable, "-m", "backtrack", "report", "--db", str(db), "-o", str(out)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert f"to {out}" in run.stdout
    assert out.read_bytes().startswith(b"%PDF")


def test_page_and_pdf_print_the_same_rows(two_month_pdf):
    """The PDF prints exactly the rows the Report page shows (one row builder for both)."""
    from backtrack.report import NO_HOLD, exercise_table, prescription_table, red_flag_table

    report, _, _, text = two_month_pdf
    flat = " ".join(text.split())
    clam = next(r for r in prescription_table(report).rows if r[0] == "The Clam")
    assert clam[2] == NO_HOLD
    for table in (prescription_table(report), exercise_table(report), red_flag_table(report)):
        for row in table.rows:
            assert " ".join(" ".join(row).split()) in flat, row


# The README's claim, exactly: these scripts (and the emoji faces DejaVu Sans has) print;
# Chinese, Japanese, Korean and other emoji print as U+FFFD.
PRINTED_SCRIPTS = {
    "Latin": "Zoë Ødegård Łukasz Şahin",
    "Greek": "Ελένη",
    "Cyrillic": "Жанна",
    "Armenian": "Անի",
    "Georgian": "ნინო",
    "Hebrew": "שלום",
    "emoji faces": "😀 😊",
}


@pytest.mark.parametrize("script", PRINTED_SCRIPTS)
def test_the_scripts_the_readme_names_print(store, programme, script):
    last = date(2026, 11, 30)
    frame = _frame(store, programme, journal(programme, last, 2))
    report = build_report(frame, programme, last, last, programme_start=None, today=last)
    sample = PRINTED_SCRIPTS[script]
    _, text = _pdf_text(render_pdf(report, name=sample))
    title = text.split("\n", 1)[0]
    assert "\ufffd" not in title
    assert sample in title or sample[::-1] in title  # right-to-left is drawn reversed


@pytest.mark.parametrize("sample", ["李伟", "さくら", "지민", "🦴", "🚀"])
def test_chinese_japanese_korean_and_other_emoji_print_as_a_replacement_mark(
    store, programme, sample
):
    last = date(2026, 11, 30)
    frame = _frame(store, programme, journal(programme, last, 2))
    report = build_report(frame, programme, last, last, programme_start=None, today=last)
    _, text = _pdf_text(render_pdf(report, name=f"A {sample} B"))
    assert text.startswith(f"BackTrack report: A {chr(0xFFFD) * len(sample)} B\n")


def test_pdf_shows_the_safety_answers_checked_flags_and_how_exercises_felt(store, programme):
    from backtrack.screening import ScreenAnswers

    last = date(2026, 11, 30)
    entries = journal(programme, last, 6, flags=lambda i, slot: ("fever",) if i == 1 and
                      slot == "morning" else ())  # fmt: skip
    entries = [
        Entry(e.date, e.slot, e.pain, e.reps, e.flags, e.notes,
              {"glute_bridge": "worse"} if i < 3 else {"glute_bridge": "fine"})
        for i, e in enumerate(entries)
    ]  # fmt: skip
    frame = _frame(store, programme, entries)
    screen = ScreenAnswers(date(2026, 11, 24), examined=False, duration="6_to_12_weeks",
                           history={"cancer": True, "drugs": False})  # fmt: skip
    report = build_report(
        frame,
        programme,
        date(2026, 11, 25),
        last,
        programme_start=None,
        today=last,
        screen=screen,
        checks={"fever": date(2026, 11, 27)},
    )
    _, text = _pdf_text(render_pdf(report))
    flat = " ".join(text.split())
    assert "Before you start (safety questions)" in flat
    assert "Have you ever had cancer? yes" in flat and "Have you ever injected drugs? no" in flat
    assert "6 to 12 weeks" in flat and "Tuesday 24 November 2026" in flat
    assert f"{flag_label('fever')}: checked Fri 27 Nov 2026" in flat
    assert "Glute Bridge made my pain worse in 3 of 12 sessions; fine in 9 of 12 sessions" in flat
    assert report.frames.shares.set_index("id").loc["glute_bridge", "sessions_done"] == 12
    assert flat.index("Before you start") < flat.index("Summary")


# ---------------------------------------------------------------- the clinician's headline


def _headline_report(store, programme):
    from backtrack.outcomes import Outcome
    from backtrack.screening import ScreenAnswers

    last = date(2026, 11, 14)
    entries = [
        dataclasses.replace(e, leg_pain=(2 if e.date < date(2026, 11, 8) else 3))
        for e in journal(programme, last, 14, pain=lambda i: 6 if i < 7 else 3,
                         flags=lambda i, slot: ("fever",) if (i, slot) == (9, "morning") else ())
    ]  # fmt: skip
    first = date(2026, 11, 2)
    outcomes = [
        Outcome(first, "psfs", 1, 3, "Walking"), Outcome(first, "psfs", 2, 2, "Lifting"),
        Outcome(last, "psfs", 1, 6, "Walking"), Outcome(last, "psfs", 2, 5, "Lifting"),
        Outcome(last, "pgic", 1, 2),
    ]  # fmt: skip
    screen = ScreenAnswers(first, examined=False, history={"cancer": False})
    return build_report(
        _frame(store, programme, entries), programme, date(2026, 11, 1), last,
        programme_start=None, today=last, outcomes=outcomes, screen=screen,
        checks={"fever": date(2026, 11, 12)},
    )  # fmt: skip


def test_headline_block_has_every_measure_about_the_person(store, programme):
    from backtrack.report import headline_table

    rows = dict(headline_table(_headline_report(store, programme)).rows)
    assert rows["Two-week check"].startswith("Improving. Day 14: meaningful improvement")
    assert "your" not in rows["Two-week check"].lower()
    assert rows["Back pain (0-10)"] == "6.0 (days 1-7) → 3.0 (last 7 days), change -3.0"
    assert rows["Leg pain (0-10)"] == "2.0 (days 1-7) → 3.0 (last 7 days), change +1.0"
    assert rows["Function (PSFS, 0-10)"].startswith(
        "2.5 (Mon 2 Nov 2026) → 5.5 (Sat 14 Nov 2026), change +3.0"
    )
    assert "Walking 3 → 6; Lifting 2 → 5" in rows["Function (PSFS, 0-10)"]
    assert rows["Own rating of change (PGIC)"] == "2, much improved (Sat 14 Nov 2026)"
    assert rows["Sessions done"] == "28 of 28 (100%) in this range"
    assert rows["Morning vs evening pain"].startswith("morning 4.5 (14 entries); evening 4.5")
    assert rows["Red flags"].endswith("(last Tue 10 Nov 2026; checked Thu 12 Nov 2026)")
    assert "not yet examined" in rows["Safety questions"]
    assert "no to the 1 history question answered" in rows["Safety questions"]


def test_the_pdf_opens_with_the_headline(store, programme):
    report = _headline_report(store, programme)
    _, text = _pdf_text(render_pdf(report))
    head = text[: text.index("Summary")]
    for words in ("At a glance", "Walking 3 → 6", "much improved", "Leg pain"):
        assert words in head
