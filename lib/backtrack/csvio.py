"""The journal CSV: the contract for import, export, the CLI and practitioners' spreadsheets.

Export writes plain UTF-8, comma, \\n. Import also takes a UTF-8 BOM, `;` as separator,
\\r\\n line ends and Excel's `sep=;` first line (honoured and skipped, as Excel does).
Import is all-or-nothing: parse_csv returns every entry or raises CsvError listing each
row and column and the rule broken (the first MAX_ERRORS_LISTED, then a count). Rows are
numbered as a spreadsheet shows them (the header is row 1). Files over MAX_FILE_BYTES,
binary files, other encodings and broken quoting are refused with a plain message.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from datetime import date

from backtrack.entries import Entry, EntryError, format_reactions, validate_entry
from backtrack.files import NotARegularFile, TooLarge, read_limited
from backtrack.outcomes import Outcome, label_clashes, outcome_order, validate_outcome
from backtrack.symptoms import join_flags

LEADING_COLUMNS = ("date", "slot", "pain", "leg_pain")
TRAILING_COLUMNS = ("flags", "reactions", "notes")
# Files exported before these were added still import (leg_pain: "not rated").
OPTIONAL_COLUMNS = ("leg_pain", "reactions")
# The outcomes file (PSFS and PGIC answers; see backtrack.outcomes).
OUTCOME_COLUMNS = ("date", "measure", "item", "score", "label")
# A cell starting with one of these is run as a formula by spreadsheet programs (OWASP's
# list, tab and carriage return included).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_ERRORS_LISTED = 200
# A bigger file is refused before it is read, so a wrong or hostile file cannot tie the app
# up. Twice-daily entries with short notes take ~100 bytes a row: decades fit.
MAX_FILE_BYTES = 5 * 1024 * 1024
_MB = 1024 * 1024
_COLUMNS_SHOWN = 12
_EMPTY = "The file is empty: expected a header row and at least one entry."
# Excel's hint line naming the separator, e.g. `sep=;` (sometimes quoted).
# A spreadsheet that saves such a file again pads the line with separators.
_SEP_LINE_RE = re.compile(r'[ \t]*"?sep=(.)"?(?:\1|[ \t])*(?:\r\n|\n|\r|$)', re.IGNORECASE)
_FIRST_LINE_RE = re.compile(r"\S[^\r\n]*")
# Control characters no text file holds (tab, newline, carriage return excepted).
_BINARY_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# Files people pick by mistake, by their first bytes.
_NOT_CSV = (
    (b"PK\x03\x04", "a ZIP archive (an Excel .xlsx or OpenDocument workbook is one)"),
    (b"PK\x05\x06", "a ZIP archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an Excel 97-2003 workbook (.xls)"),
    (b"%PDF-", "a PDF document"),
)


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
                "" if e.leg_pain is None else e.leg_pain,
                *(e.reps.get(ex, 0) for ex in exercise_ids),
                join_flags(e.flags),
                format_reactions(e.reactions),
                protect_note(e.notes),
            ]
        )
    return out.getvalue()


def read_csv_file(path: str | os.PathLike) -> bytes:
    """The bytes of a CSV file named on the command line, read only as far as the size
    limit, and only from a regular file (not a FIFO, which would wait forever, nor a device
    such as /dev/zero, which never ends). Raises CsvError, or OSError when it cannot be
    opened."""
    try:
        return read_limited(path, MAX_FILE_BYTES)
    except NotARegularFile:
        raise CsvError(
            ["This is not a regular file (it is a folder, device or pipe): choose a CSV file."]
        ) from None
    except TooLarge as exc:
        _size_check(b"", exc.size)
        raise


def _size_check(data: bytes, size: int | None = None) -> None:
    size = len(data) if size is None else size
    if size > MAX_FILE_BYTES:
        # Rounded up, so a file just over the limit never reads as "5.0 MB".
        size = math.ceil(size * 10 / _MB) / 10
        raise CsvError(
            [
                f"The file is {size:.1f} MB: the limit is {MAX_FILE_BYTES / _MB:g} MB. Split it "
                "into smaller files (for example one per year) and import each."
            ]
        )


def _utf16_without_bom(head: bytes) -> bool:
    """True when `head` reads as UTF-16 text: mostly Latin characters, so every other byte
    is a NUL, and no control characters."""
    head = head[: len(head) // 2 * 2]
    units = len(head) // 2
    if units < 2:
        return False
    for codec, zeros_at in (("utf-16-le", 1), ("utf-16-be", 0)):
        zeros, others = head[zeros_at::2].count(0), head[1 - zeros_at :: 2].count(0)
        if zeros >= units * 0.3 and others <= units * 0.01:
            text = head.decode(codec, errors="replace")
            if not _BINARY_CONTROL_RE.search(text):
                return True
    return False


def _decode(data: bytes) -> str:
    if not data.strip():
        raise CsvError([_EMPTY])
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or (
        b"\x00" in data[:8192] and _utf16_without_bom(data[:8192])
    ):
        raise CsvError(
            ["The file is UTF-16 text, not UTF-8: save it as CSV UTF-8 and import again."]
        )
    for magic, kind in _NOT_CSV:
        if data.startswith(magic):
            raise CsvError(
                [
                    f"The file is not a text file: it is {kind}, not a CSV. In your "
                    "spreadsheet use Save As (or Download) > CSV UTF-8, then import that file."
                ]
            )
    if b"\x00" in data:
        raise CsvError(["The file is not a text file (it holds binary data): choose a CSV."])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise CsvError(
            [
                f"The file is not UTF-8 text (byte 0x{data[exc.start]:02X} at position "
                f"{exc.start}, line {line}): save it as CSV UTF-8 and import again."
            ]
        ) from None
    # Some tools add a second byte order mark; it is never part of the header.
    return text.lstrip("\ufeff") if text.startswith("\ufeff") else text


def _separator(text: str) -> tuple[str, str, int]:
    """(delimiter, text without a `sep=` line, lines removed).

    Excel writes and reads a first line `sep=;` naming the separator, and hides it: it is
    honoured and skipped, so the header is still row 1.
    """
    hint = _SEP_LINE_RE.match(text)
    if hint:
        delimiter = hint.group(1)
        if delimiter not in (",", ";"):
            raise CsvError(
                [
                    f"Line 1 ({hint.group(0).strip()}) names {delimiter!r} as separator: "
                    "BackTrack reads cells separated by commas or semicolons. Save the file "
                    "as CSV UTF-8 and import again."
                ]
            )
        return delimiter, text[hint.end() :], 1
    first = _FIRST_LINE_RE.search(text)
    line = first.group() if first else ""
    return (";" if line.count(";") > line.count(",") else ","), text, 0


def _records(text: str, delimiter: str, lines_before: int) -> Iterator[tuple[int, list[str]]]:
    """(spreadsheet row number, cells) for each non-blank record, read in one pass.

    A quoted cell that is never closed would swallow the rows after it into one note, so
    the reader is strict and any such fault rejects the file, naming the row and line.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    number = 0
    while True:
        start_line = reader.line_num + 1 + lines_before
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise CsvError([_unreadable(str(exc), number + 1, start_line, delimiter)]) from None
        number += 1
        if any(cell.strip() for cell in row):
            yield number, row


def _unreadable(reason: str, number: int, line: int, delimiter: str) -> str:
    where = f"row {number} (line {line} of the file)"
    if "end of data" in reason:
        return (
            f'{where}: a cell opens a quote (") that is never closed, so the file ends '
            "inside it. Add the missing closing quote."
        )
    if "expected after" in reason:
        return (
            f"{where}: a quoted cell has text after its closing quote. Inside a quoted "
            f'cell write each " as "", or close the quote before the next {delimiter!r}.'
        )
    if "field larger than field limit" in reason:
        return (
            f"{where}: a cell runs on for more than {csv.field_size_limit():,} characters: "
            'a quote (") opened in it is never closed, or this is not a journal CSV.'
        )
    return f"{where}: the file cannot be read as CSV ({reason})."


def _open(data: bytes) -> tuple[int, list[str], Iterator[tuple[int, list[str]]]]:
    """A CSV's header row (its number and trimmed cells) and an iterator of the rows after
    it; CsvError for a file that cannot be read as CSV."""
    _size_check(data)
    text = _decode(data)
    delimiter, text, lines_before = _separator(text)
    records = _records(text, delimiter, lines_before)
    first = next(records, None)
    if first is None:
        raise CsvError([_EMPTY])
    header_number, cells = first
    return header_number, [h.replace("\ufeff", "").strip() for h in cells], records


class _Problems:
    """Every problem found (only the first MAX_ERRORS_LISTED are listed, then a count)."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.count = 0

    def __call__(self, message: str) -> None:
        self.count += 1
        if len(self.errors) < MAX_ERRORS_LISTED:
            self.errors.append(message)

    def raise_any(self) -> None:
        if self.count:
            if self.count > len(self.errors):
                self.errors.append(f"... and {self.count - len(self.errors)} more problems.")
            raise CsvError(self.errors)


def parse_csv(data: bytes, exercise_ids: Sequence[str], today: date) -> list[Entry]:
    """Read a whole journal CSV; return its entries or raise CsvError with every problem."""
    header_number, header, records = _open(data)
    # An exercise column may be missing (a file exported before the exercise was added to
    # the programme): its reps are empty, that is, not done.
    required = [c for c in columns(()) if c not in OPTIONAL_COLUMNS]
    _check_header(header, header_number, columns(exercise_ids), required)

    problem = _Problems()
    row_of = _valid_rows(
        records, header, problem, "notes", lambda v: validate_entry(v, exercise_ids, today),
        lambda e: f"columns date+slot: {e.date} {e.slot}", "each date and slot once",
    )  # fmt: skip
    problem.raise_any()
    if not row_of:
        raise CsvError(["The file has a header row but no entries."])
    return [entry for entry, _ in row_of]


def _valid_rows(records, header: list[str], problem: _Problems, text_column: str, validate,
                where, once: str) -> list[tuple]:  # fmt: skip
    """(item, row number) for each valid row, in file order (the item validated from its
    cells, `text_column` unprotected); each broken rule, a wrong cell count and a key given twice
    go to `problem` with the row (and column) named."""
    found: list[tuple] = []
    row_of: dict = {}
    for number, row in records:
        if len(row) != len(header):
            problem(f"row {number}: has {len(row)} cells, the header has {len(header)}.")
            continue
        values = dict(zip(header, row, strict=True))
        values[text_column] = unprotect_note(values[text_column])
        try:
            item = validate(values)
        except EntryError as exc:
            for e in exc.errors:
                problem(f"row {number}, column {e.field}: {e.message}")
            continue
        if item.key in row_of:
            problem(f"row {number}, {where(item)} is already on row {row_of[item.key]} ({once}).")
            continue
        row_of[item.key] = number
        found.append((item, number))
    return found


def is_outcomes_csv(data: bytes) -> bool:
    """True when the file's header is the outcomes file's (date,measure,item,score,label),
    so `import FILE` can tell it from a journal CSV."""
    try:
        _, header, _ = _open(data)
    except CsvError:
        return False
    return "measure" in header and "slot" not in header


def export_outcomes_csv(records: Iterable[Outcome]) -> str:
    """The outcomes file: one row per (date, measure, item), in date order."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(OUTCOME_COLUMNS)
    for o in sorted(records, key=outcome_order):
        writer.writerow([o.date.isoformat(), o.measure, o.item, o.score, protect_note(o.label)])
    return out.getvalue()


def parse_outcomes_csv(data: bytes, today: date, stored: Iterable[Outcome] = ()) -> list[Outcome]:
    """Read a whole outcomes file; return its records or raise CsvError with every problem.
    `stored` are the journal's records: an activity must keep its item number's label
    across the file and what is stored (records the file replaces aside)."""
    header_number, header, records = _open(data)
    _check_header(header, header_number, list(OUTCOME_COLUMNS), list(OUTCOME_COLUMNS))
    problem = _Problems()
    numbered = _valid_rows(
        records, header, problem, "label", lambda v: validate_outcome(v, today),
        lambda o: f"columns date+measure+item: {o.date} {o.measure} item {o.item}", "each once",
    )  # fmt: skip
    found = [o for o, _ in numbered]
    row_of = {o.key: n for o, n in numbered}
    kept = [o for o in stored if o.key not in row_of]
    for record, known in label_clashes([*kept, *found]):
        if record.key in row_of:
            problem(
                f"row {row_of[record.key]}, column label: psfs item {record.item} is "
                f"{known!r} elsewhere: each item keeps one activity throughout."
            )
    problem.raise_any()
    if not found:
        raise CsvError(["The file has a header row but no records."])
    return found


def _check_header(header: list[str], number: int, expected: list[str], required: list[str]
                  ) -> None:  # fmt: skip
    where = f"Header (row {number})"
    missing = [c for c in required if c not in header]
    counts = Counter(header)
    unknown = [c for c in counts if c not in expected]
    repeated = sorted(c for c, n in counts.items() if n > 1 and c in expected)
    problems = []
    if missing:
        problems.append(f"{where}: missing column(s): {', '.join(missing)}.")
    if unknown:
        # A stray file can have thousands of columns: name a few, count the rest.
        shown = ", ".join(repr(c[:40]) for c in unknown[:_COLUMNS_SHOWN])
        if len(unknown) > _COLUMNS_SHOWN:
            shown += f" and {len(unknown) - _COLUMNS_SHOWN:,} more"
        problems.append(f"{where}: unknown column(s): {shown}. Expected: {', '.join(expected)}.")
    if repeated:
        problems.append(f"{where}: column(s) given twice: {', '.join(repeated)}.")
    if problems:
        raise CsvError(problems)
