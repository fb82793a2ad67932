"""The journal CSV: the contract for import, export, the CLI and practitioners' spreadsheets.

Export writes plain UTF-8, comma, \\n. Import also takes a UTF-8 BOM and `;` as separator.
Import is all-or-nothing: parse_csv returns every entry or raises CsvError listing each
row and column and the rule broken. Rows are numbered as a spreadsheet shows them (the
header is row 1).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date

from backtrack.entries import Entry, EntryError, validate_entry

LEADING_COLUMNS = ("date", "slot", "pain")
TRAILING_COLUMNS = ("flags", "notes")
# A cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@")
MAX_ERRORS_LISTED = 200


class CsvError(ValueError):
    """The file was rejected as a whole; `errors` lists what is wrong, row by row."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


def columns(exercise_ids: Sequence[str]) -> list[str]:
    return [*LEADING_COLUMNS, *exercise_ids, *TRAILING_COLUMNS]


def protect_note(note: str) -> str:
    """Prefix a ' to a note a spreadsheet would run as a formula (and to one that already
    starts with ' followed by such a character), so unprotect_note gives it back exactly."""
    if note.startswith(FORMULA_STARTS) or (note.startswith("'") and note[1:2] in (
            *FORMULA_STARTS, "'")):  # fmt: skip
        return "'" + note
    return note


def unprotect_note(cell: str) -> str:
    """Undo exactly what protect_note added, and nothing else."""
    if cell.startswith("'") and cell[1:2] in (*FORMULA_STARTS, "'"):
        return cell[1:]
    return cell


def export_csv(entries: Iterable[Entry], exercise_ids: Sequence[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns(exercise_ids))
    for e in entries:
        writer.writerow(
            [
                e.date.isoformat(),
                e.slot,
                e.pain,
                *(e.reps.get(ex, 0) for ex in exercise_ids),
                ";".join(e.flags),
                protect_note(e.notes),
            ]
        )
    return out.getvalue()


def _decode(data: bytes) -> str:
    if not data.strip():
        raise CsvError(["The file is empty: expected a header row and at least one entry."])
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise CsvError(["The file is UTF-16 text: save it as CSV UTF-8 and import again."])
    if b"\x00" in data[:8192]:
        raise CsvError(["The file is not a text file (it holds binary data): choose a CSV."])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CsvError(
            [
                f"The file is not UTF-8 text (byte 0x{data[exc.start]:02X} at position "
                f"{exc.start}): save it as CSV UTF-8 and import again."
            ]
        ) from None


def _delimiter(header_line: str) -> str:
    return ";" if header_line.count(";") > header_line.count(",") else ","


def parse_csv(data: bytes, exercise_ids: Sequence[str], today: date) -> list[Entry]:
    """Read a whole journal CSV; return its entries or raise CsvError with every problem."""
    text = _decode(data)
    delimiter = _delimiter(text.split("\n", 1)[0])
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise CsvError([f"The file cannot be read as CSV: {exc}."]) from None
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    if not rows:
        raise CsvError(["The file is empty: expected a header row and at least one entry."])
    header = [h.strip() for h in rows[0]]
    expected = columns(exercise_ids)
    problems = []
    missing = [c for c in expected if c not in header]
    unknown = [c for c in header if c not in expected]
    repeated = sorted({c for c in header if header.count(c) > 1})
    if missing:
        problems.append(f"Header (row 1): missing column(s): {', '.join(missing)}.")
    if unknown:
        shown = ", ".join(repr(c) for c in unknown)
        problems.append(
            f"Header (row 1): unknown column(s): {shown}. Expected: {', '.join(expected)}."
        )
    if repeated:
        problems.append(f"Header (row 1): column(s) given twice: {', '.join(repeated)}.")
    if problems:
        raise CsvError(problems)
    if len(rows) == 1:
        raise CsvError(["The file has a header row but no entries."])

    errors: list[str] = []
    entries: list[Entry] = []
    first_row_of: dict[tuple[date, str], int] = {}
    # Row numbers count physical records; blank lines were dropped above, so recount.
    for number, row in _numbered(text, delimiter):
        if len(row) != len(header):
            errors.append(f"row {number}: has {len(row)} cells, the header has {len(header)}.")
            continue
        values = dict(zip(header, row, strict=True))
        values["notes"] = unprotect_note(values["notes"])
        try:
            entry = validate_entry(values, exercise_ids, today)
        except EntryError as exc:
            errors.extend(f"row {number}, column {e.field}: {e.message}" for e in exc.errors)
            continue
        if entry.key in first_row_of:
            errors.append(
                f"row {number}, columns date+slot: {entry.date} {entry.slot} is already on "
                f"row {first_row_of[entry.key]} (each date and slot once)."
            )
            continue
        first_row_of[entry.key] = number
        entries.append(entry)
    if errors:
        if len(errors) > MAX_ERRORS_LISTED:
            more = len(errors) - MAX_ERRORS_LISTED
            errors = [*errors[:MAX_ERRORS_LISTED], f"... and {more} more problems."]
        raise CsvError(errors)
    return entries


def _numbered(text: str, delimiter: str):
    """(spreadsheet row number, cells) for each data record, skipping blank records."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    next(reader)
    number = 1
    for row in reader:
        number += 1
        if any(cell.strip() for cell in row):
            yield number, row
