"""Command line: python -m backtrack import|export|check|report ...

Exit 0 on success; on bad input a non-zero exit, the errors on stderr and the journal unchanged.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime
from pathlib import Path

from backtrack.backup import BackupError, backups_dir, list_backups
from backtrack.csvio import (
    CsvError,
    export_csv,
    export_outcomes_csv,
    is_outcomes_csv,
    parse_csv,
    parse_outcomes_csv,
    read_csv_file,
)
from backtrack.entries import parse_date
from backtrack.frames import load_frame
from backtrack.journalfile import output_problem, unheld_text
from backtrack.programme import ProgrammeError, default_programme_path, load_programme
from backtrack.store import JournalStore, StoreError, default_db_path, restore_journal

EXIT_BAD_INPUT = 1
EXIT_USAGE = 2


def _iso_date(text: str) -> date:
    """A date given on the command line: the form, and the range every entry keeps to."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date in the form YYYY-MM-DD") from None
    try:
        return parse_date(day, date.today())
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _name(text: str) -> str:
    from backtrack.report import NAME_MAX

    if len(text) > NAME_MAX:
        raise argparse.ArgumentTypeError(
            f"is {len(text):,} characters long: at most {NAME_MAX} (a name or initials)"
        )
    return text


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m backtrack",
        description="BackTrack journal tools. The journal is $BACKTRACK_DB or data/backtrack.db "
        "unless --db names another file.",
    )
    parser.add_argument(
        "--programme",
        type=Path,
        default=default_programme_path(),
        help="programme file (TOML); default: $BACKTRACK_PROGRAMME or data/programme.toml",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    imp = sub.add_parser(
        "import",
        help="import a journal CSV or an outcomes CSV, told by its header (all or nothing)",
    )
    imp.add_argument("file", type=Path, help="CSV file to import")
    imp.add_argument("--db", type=Path, help="journal database (SQLite)")

    exp = sub.add_parser("export", help="export the journal (or with --outcomes, PSFS/PGIC) as CSV")
    exp.add_argument("--db", type=Path, help="journal database (SQLite)")
    exp.add_argument(
        "--outcomes", action="store_true",
        help="export the outcomes file (date,measure,item,score,label) instead of the journal",
    )  # fmt: skip
    exp.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")

    chk = sub.add_parser("check", help="run the two-week progress check")
    chk.add_argument("--db", type=Path, help="journal database (SQLite)")
    chk.add_argument("--as-of", type=_iso_date, help="date to check as of (default: today)")
    chk.add_argument("--json", action="store_true", help="print one JSON object")

    bak = sub.add_parser("backups", help="list the journal's backups, newest first")
    bak.add_argument("--db", type=Path, help="journal database (SQLite)")

    res = sub.add_parser(
        "restore", help="replace the journal with a backup (the current one is backed up first)"
    )
    res.add_argument("backup", type=Path, help="backup file (see the backups command)")
    res.add_argument("--db", type=Path, help="journal database (SQLite)")

    rep = sub.add_parser("report", help="write the practitioner report as a PDF")
    rep.add_argument("--db", type=Path, help="journal database (SQLite)")
    rep.add_argument(
        "--from", dest="start", type=_iso_date, help="first day (default: day 1 of the programme)"
    )
    rep.add_argument("--to", dest="end", type=_iso_date, help="last day (default: today)")
    rep.add_argument(
        "--name", type=_name, help="name or initials to print on the report (not stored)"
    )
    rep.add_argument("-o", "--output", type=Path, required=True, help="PDF file to write")

    rem = sub.add_parser("reminders", help="write calendar reminders (.ics) for the sessions")
    rem.add_argument("--db", type=Path, help="journal database (SQLite), for day 1")
    rem.add_argument("--morning", default="08:00", help="morning session time, HH:MM (08:00)")
    rem.add_argument("--evening", default="19:00", help="evening session time, HH:MM (19:00)")
    rem.add_argument("--tz", help="IANA time zone, e.g. Europe/London (default: this computer's)")
    rem.add_argument("-o", "--output", type=Path, required=True, help=".ics file to write")

    fhr = sub.add_parser("fhir", help="write the journal as a FHIR R4 Bundle (JSON)")
    fhr.add_argument("--db", type=Path, help="journal database (SQLite)")
    fhr.add_argument(
        "--from", dest="start", type=_iso_date, help="first day (default: day 1 of the programme)"
    )
    fhr.add_argument("--to", dest="end", type=_iso_date, help="last day (default: today)")
    fhr.add_argument("--name", help="name or initials for the Patient resource (not stored)")
    fhr.add_argument("-o", "--output", type=Path, required=True, help="JSON file to write")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command in FILE_COMMANDS:  # these work even when the journal cannot be opened
        try:
            return FILE_COMMANDS[args.command](args, args.db or default_db_path())
        except BackupError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_BAD_INPUT
    output = getattr(args, "output", None)
    if output is not None:
        problem = output_problem(output, args.db or default_db_path())
        if problem:
            print(f"error: {output}: {problem}; nothing was written.", file=sys.stderr)
            return EXIT_BAD_INPUT
    try:
        programme = load_programme(args.programme)
        # Only import may start a journal: a read-only command given a mistyped --db
        # must say so, not create an empty journal and report nothing.
        store = JournalStore(args.db, create=args.command == "import")
        if args.command != "import":
            _warn_unheld(store)
        return COMMANDS[args.command](args, programme, store)
    except (ProgrammeError, StoreError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT


def _warn_unheld(store: JournalStore) -> None:
    count, first = store.unheld()
    if count:
        print(f"warning: {store.path}: {unheld_text(count, first)}", file=sys.stderr)


def cmd_import(args, programme, store: JournalStore) -> int:
    try:
        data = read_csv_file(args.file)
        outcome_file = is_outcomes_csv(data)
        if outcome_file:
            records = parse_outcomes_csv(data, date.today(), store.outcomes())
        else:
            entries = parse_csv(data, programme.exercise_ids, date.today())
    except OSError as exc:
        print(f"error: {args.file}: cannot read ({exc.strerror})", file=sys.stderr)
        return EXIT_BAD_INPUT
    except CsvError as exc:
        print(f"error: {args.file} was not imported; the journal is unchanged.", file=sys.stderr)
        for line in exc.errors:
            print(f"  {line}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if outcome_file:
        try:
            report = store.import_outcomes(records)
        except ValueError as exc:  # another program wrote a clashing answer meanwhile
            print(f"error: {args.file} was not imported ({exc}); the journal is unchanged.",
                  file=sys.stderr)  # fmt: skip
            return EXIT_BAD_INPUT
        print(f"Imported the outcomes in {args.file} into {store.path}: {report}")
        return 0
    report = store.import_entries(entries, exercise_ids=programme.exercise_ids)
    print(f"Imported {args.file} into {store.path}: {report}")
    return 0


def cmd_export(args, programme, store: JournalStore) -> int:
    if args.outcomes:
        text = export_outcomes_csv(store.outcomes())
    else:
        text = export_csv(store.entries(), programme.exercise_ids)
    if args.output is None:
        sys.stdout.write(text)
    else:
        try:
            args.output.write_text(text, encoding="utf-8", newline="")
        except OSError as exc:
            print(f"error: {args.output}: cannot write ({exc.strerror})", file=sys.stderr)
            return EXIT_BAD_INPUT
        print(f"Exported {len(text.splitlines()) - 1} rows to {args.output}", file=sys.stderr)
    return 0


def cmd_check(args, programme, store: JournalStore) -> int:
    from backtrack.progress import two_week_check

    as_of = args.as_of or date.today()
    answers = _answers(store, as_of)
    result = two_week_check(
        load_frame(store, programme.exercise_ids),
        as_of=as_of,
        start=store.start_date(),
        sessions_per_day=programme.sessions_per_day,
        outcomes=answers["outcomes"],
        barrier=answers["barrier"],
    )
    if args.json:
        print(json.dumps(result.to_json(), ensure_ascii=False))
    else:
        print(check_text(result))
    return 0


def _answers(store: JournalStore, as_of: date) -> dict:
    """What the person answered beside the journal, as the report takes it: the outcome
    answers, "what got in the way" (if current), the safety questions and the red-flag
    checks (an answer written outside BackTrack that cannot be read counts as none)."""
    from backtrack.progress import BARRIER_SETTING, current_barrier
    from backtrack.screening import CHECKS_KEY, SCREEN_KEY, ScreenAnswers, ScreenError, parse_checks

    try:
        text = store.get_setting(SCREEN_KEY)
        screen = ScreenAnswers.from_json(text) if text else None
    except ScreenError:
        screen = None
    try:
        checks = parse_checks(store.get_setting(CHECKS_KEY))
    except ScreenError:
        checks = {}
    return {
        "outcomes": store.outcomes(),
        "barrier": current_barrier(store.get_setting(BARRIER_SETTING), as_of),
        "screen": screen,
        "checks": checks,
    }


def check_text(result) -> str:
    from backtrack.symptoms import LEVEL_TITLES, advice_level, urgent_advice

    lines = []
    if result.red_flags:
        level = advice_level(result.red_flags)
        lines += [f"URGENT ({LEVEL_TITLES[level]}): " + urgent_advice(result.red_flags), ""]
    lines += [result.headline, result.message]
    return "\n".join(lines)


def cmd_report(args, programme, store: JournalStore) -> int:
    from backtrack.fmt import fmt_date
    from backtrack.report import build_report
    from backtrack.report_pdf import render_pdf

    today = date.today()
    journal = load_frame(store, programme.exercise_ids)
    picked = _range(args, journal, store, today)
    if picked is None:
        return EXIT_USAGE
    start, end = picked
    report = build_report(
        journal, programme, start, end, programme_start=store.start_date(), today=today,
        **_answers(store, end),
    )  # fmt: skip
    if not _write(args.output, render_pdf(report, args.name)):
        return EXIT_BAD_INPUT
    print(f"Wrote the report for {fmt_date(start)} to {fmt_date(end)} to {args.output}")
    return 0


def cmd_backups(args, db: Path) -> int:
    found = list_backups(db)
    if not found:
        print(f"No backups of {db} yet (they are kept in {backups_dir(db)}).")
    for backup in found:
        print(f"{backup.path}  ({backup.label})")
    return 0


def cmd_restore(args, db: Path) -> int:
    before = restore_journal(db, args.backup)
    print(f"Restored {db} from {args.backup}.")
    if before is not None:
        print(f"The journal as it was is backed up in {before}.")
    return 0


def cmd_reminders(args, programme, store: JournalStore) -> int:
    from backtrack.reminders import (
        ReminderError,
        journal_reminders,
        local_zone_name,
        parse_time,
        resolve_zone,
    )

    try:
        morning = parse_time(args.morning, "--morning")
        evening = parse_time(args.evening, "--evening")
        zone = resolve_zone(args.tz or local_zone_name(), "--tz")
        data, due = journal_reminders(
            programme, load_frame(store, programme.exercise_ids), store.start_date(), morning,
            evening, zone, today=date.today(), now=datetime.now().astimezone(),
        )  # fmt: skip
    except ReminderError as exc:
        print(f"error: {exc}; no file written.", file=sys.stderr)
        return EXIT_BAD_INPUT
    if not _write(args.output, data):
        return EXIT_BAD_INPUT
    once = "".join(f"; {d.summary.lower()} on {d.day.isoformat()}" for d in due)
    print(f"Wrote reminders at {morning:%H:%M} and {evening:%H:%M} ({zone.key}){once} to "
          f"{args.output}")  # fmt: skip
    if not due:
        print("No entries yet: export again after your first session to add the two-week check.")
    return 0


def cmd_fhir(args, programme, store: JournalStore) -> int:
    from backtrack.fhir_export import FhirExportError, bundle_json, clean_name, fhir_bundle

    today = date.today()
    try:
        name = clean_name(args.name)
    except FhirExportError as exc:
        print(f"error: --{exc}; no file written.", file=sys.stderr)
        return EXIT_BAD_INPUT
    picked = _range(args, load_frame(store, programme.exercise_ids), store, today)
    if picked is None:
        return EXIT_USAGE
    start, end = picked
    bundle = fhir_bundle(
        store.entries(start, end), programme, name=name, now=datetime.now().astimezone()
    )
    if not _write(args.output, bundle_json(bundle).encode("utf-8")):
        return EXIT_BAD_INPUT
    count = len(bundle.entry or [])
    print(f"Wrote a FHIR R4 Bundle of {count} resources ({start} to {end}) to {args.output}")
    return 0


def _range(args, journal, store: JournalStore, today: date) -> tuple[date, date] | None:
    """The --from/--to range of report and fhir (default: day 1 of the programme to today),
    or None after saying what is wrong with it."""
    from backtrack.report import default_range

    first, last = default_range(journal, store.start_date(), today)
    start, end = args.start or first, args.end or last
    if start > end:
        given = "" if args.start else " (day 1 of the programme, the default)"
        print(f"error: --from {start}{given} is after --to {end}.", file=sys.stderr)
        return None
    return start, end


def _write(path: Path, data: bytes) -> bool:
    try:
        path.write_bytes(data)
    except OSError as exc:
        print(f"error: {path}: cannot write ({exc.strerror})", file=sys.stderr)
        return False
    return True


COMMANDS = {
    "import": cmd_import,
    "export": cmd_export,
    "check": cmd_check,
    "report": cmd_report,
    "reminders": cmd_reminders,
    "fhir": cmd_fhir,
}
FILE_COMMANDS = {"backups": cmd_backups, "restore": cmd_restore}
