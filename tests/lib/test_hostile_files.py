"""Odd and hostile files given to import: each is refused quickly with a message a person
can act on, or read correctly; none crashes, hangs or half-imports."""

from __future__ import annotations

import io
import random
import re
import time
import zipfile
from datetime import date, timedelta

import pytest

from backtrack.csvio import MAX_ERRORS_LISTED, MAX_FILE_BYTES, CsvError, export_csv, parse_csv
from backtrack.entries import EARLIEST_DATE, SLOTS, Entry

IDS = ("knee_hugs", "knee_drops", "clam", "glute_bridge", "psoas_stretch")
TODAY = date(2026, 11, 23)
HEADER = "date,slot,pain,knee_hugs,knee_drops,clam,glute_bridge,psoas_stretch,flags,notes"
ROW = "2026-11-01,morning,4,10,,,,,,fine"
ENTRY = Entry(date(2026, 11, 1), "morning", 4, {"knee_hugs": 10}, (), "fine")


def parse(data: bytes | str) -> list[Entry]:
    return parse_csv(data.encode() if isinstance(data, str) else data, IDS, TODAY)


def refusal(data: bytes | str) -> str:
    """Every message of the refusal, as one text."""
    with pytest.raises(CsvError) as err:
        parse(data)
    assert err.value.errors and all(e.strip() for e in err.value.errors)
    return "\n".join(err.value.errors)


def rows(n: int, notes: str = "") -> str:
    """A valid-looking journal of n rows, newest first, going back n / 2 days."""
    last = TODAY.toordinal()
    lines = [HEADER]
    lines += [
        f"{date.fromordinal(last - i // 2).isoformat()},{SLOTS[i % 2]},{i % 11},"
        f"{i % 101},12,,8,{i % 7},,{notes}"
        for i in range(n)
    ]
    return "\n".join(lines) + "\n"


# -- not text at all -----------------------------------------------------------------------
def test_a_png_image_is_refused_as_not_a_text_file():
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256)) * 40
    assert "not a text file" in refusal(png)


def test_random_bytes_with_nuls_are_refused_as_not_a_text_file():
    noise = random.Random(7).randbytes(100_000) + b"\x00"
    assert "not a text file" in refusal(noise)


def test_a_nul_byte_deep_in_an_otherwise_text_file_is_refused():
    data = (rows(2_000) + "2026-11-23,evening,3,,,,,,,a\x00b\n").encode()
    assert len(data) > 8192
    assert "not a text file" in refusal(data)


def test_random_bytes_without_nuls_are_refused_as_not_utf8():
    noise = bytes(b or 1 for b in random.Random(8).randbytes(50_000))
    assert "not UTF-8 text" in refusal(noise)


def test_a_zip_bomb_renamed_csv_is_refused_quickly_without_unpacking():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("journal.csv", "w") as member:
            line = (ROW + "\n").encode()
            block = line * ((1 << 20) // len(line))
            for _ in range(100):  # ~100 MB once unpacked
                member.write(block)
    bomb = buffer.getvalue()
    assert len(bomb) < MAX_FILE_BYTES / 10
    start = time.perf_counter()
    message = refusal(bomb)
    assert time.perf_counter() - start < 1
    assert "not a text file" in message
    assert "ZIP" in message and "CSV UTF-8" in message


@pytest.mark.parametrize(
    ("magic", "kind"),
    [
        (b"PK\x03\x04\x14\x00\x06\x00", "Excel .xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "Excel 97-2003"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
    ],
)
def test_a_workbook_or_pdf_is_named_and_the_fix_given(magic, kind):
    message = refusal(magic + bytes(500))
    assert kind in message and "Save As" in message and "CSV UTF-8" in message


# -- size -------------------------------------------------------------------------------------
def test_a_million_row_file_is_refused_at_once_with_its_size_and_the_limit():
    text = rows(1_000_000)  # dates run back about 1,400 years, each (date, slot) once
    data = text.encode()
    assert len(data) > 25 * 1024 * 1024
    start = time.perf_counter()
    message = refusal(data)
    assert time.perf_counter() - start < 0.5
    match = re.fullmatch(
        r"The file is (\d+\.\d) MB: the limit is 5 MB\. Split it into smaller files "
        r"\(for example one per year\) and import each\.",
        message,
    )
    assert match, message
    assert float(match.group(1)) == pytest.approx(len(data) / 2**20, abs=0.1)


def test_a_file_just_over_the_limit_never_reads_as_within_it():
    assert refusal(b"x" * (MAX_FILE_BYTES + 1)).startswith("The file is 5.1 MB: the limit is 5 MB.")


def test_a_file_exactly_at_the_limit_is_read():
    message = refusal(b"x" * MAX_FILE_BYTES)
    assert "limit" not in message and "row 1 (line 1 of the file)" in message


def test_fifty_thousand_rows_under_the_limit_import_correctly_and_in_time(store):
    text = rows(50_000, notes="ok")
    assert len(text.encode()) < MAX_FILE_BYTES
    start = time.perf_counter()
    entries = parse(text)
    parsed_in = time.perf_counter() - start
    report = store.import_entries(entries)
    total = time.perf_counter() - start
    assert parsed_in < 15 and total < 45, (parsed_in, total)
    assert len(entries) == 50_000 and report.added == 50_000
    assert entries[0] == Entry(TODAY, "morning", 0, {"knee_drops": 12, "glute_bridge": 8},
                               (), "ok")  # fmt: skip
    exported = export_csv(store.entries(), IDS)
    assert len(exported.splitlines()) == 50_001
    assert parse(exported) == sorted(entries, key=lambda e: (e.date, SLOTS.index(e.slot)))


def test_many_bad_rows_list_the_first_problems_and_count_the_rest_quickly():
    text = rows(80_000).replace(",morning,", ",noon,")  # 40,000 days: back to 1917
    start = time.perf_counter()
    with pytest.raises(CsvError) as err:
        parse(text)
    assert time.perf_counter() - start < 15
    errors = err.value.errors
    assert len(errors) == MAX_ERRORS_LISTED + 1
    assert errors[0] == "row 2, column slot: 'noon' is not a slot: use morning or evening"
    assert errors[-1] == f"... and {40_000 - MAX_ERRORS_LISTED} more problems."


def test_a_header_of_thousands_of_columns_names_a_few_and_counts_the_rest():
    message = refusal(HEADER + ",x" * 50_000 + "\n" + ROW + "\n")
    assert len(message) < 2_000
    assert "unknown column(s): 'x'" in message


# -- encodings ----------------------------------------------------------------------------
CSV_TEXT = f"{HEADER}\n2026-11-01,morning,4,10,,,,,,שלום, café\n"


@pytest.mark.parametrize(
    "data",
    [
        CSV_TEXT.encode("utf-16"),  # with BOM, as Excel's "Unicode text"
        CSV_TEXT.encode("utf-16-le"),
        CSV_TEXT.encode("utf-16-be"),
    ],
    ids=["bom", "le-no-bom", "be-no-bom"],
)
def test_utf16_is_named_and_the_fix_given(data):
    message = refusal(data)
    assert "UTF-16" in message and "not UTF-8" in message and "CSV UTF-8" in message


def test_latin1_is_refused_naming_the_byte_its_position_and_line():
    data = f"{HEADER}\n2026-11-01,morning,4,,,,,,,café au lait\n".encode("latin-1")
    position = data.index(b"\xe9")
    message = refusal(data)
    assert message == (
        f"The file is not UTF-8 text (byte 0xE9 at position {position}, line 2): save it "
        "as CSV UTF-8 and import again."
    )


def test_windows_1252_smart_quotes_are_refused_as_not_utf8():
    data = f"{HEADER}\n2026-11-01,morning,4,,,,,,,“ok”\n".encode("cp1252")
    assert "not UTF-8 text (byte 0x93" in refusal(data)


@pytest.mark.parametrize("data", [b"\xef\xbb\xbf", b"\xef\xbb\xbf\r\n\r\n", b"\xef\xbb\xbf" * 2])
def test_a_file_of_only_a_byte_order_mark_is_empty(data):
    assert "The file is empty" in refusal(data)


# -- layouts spreadsheets and editors produce -------------------------------------------------
def test_crlf_line_ends_and_quoted_newlines_import_correctly():
    text = (
        f"{HEADER}\r\n"
        '2026-11-01,morning,4,10,,,,,,"first line\r\nsecond, with ""quotes"""\r\n'
        '2026-11-01,evening,3,,,,,,,"a\nb"\r\n'
    )
    assert parse(text) == [
        Entry(date(2026, 11, 1), "morning", 4, {"knee_hugs": 10}, (),
              'first line\nsecond, with "quotes"'),
        Entry(date(2026, 11, 1), "evening", 3, {}, (), "a\nb"),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "header",
    [
        HEADER.replace(",", " , ") + "   ",
        "\ufeff" + HEADER,
        "\ufeff\ufeff" + HEADER,
        " date ,slot\t,pain," + HEADER.split(",", 3)[3] + " ",
    ],
    ids=["spaces", "bom", "double-bom", "tabs"],
)
def test_a_header_with_stray_spaces_or_byte_order_marks_is_accepted(header):
    assert parse(f"{header}\n{ROW}\n") == [ENTRY]


def test_blank_lines_before_the_header_are_skipped():
    assert parse(f"\n\r\n,,,\n{HEADER}\n{ROW}\n") == [ENTRY]


# Decision: Excel's `sep=;` (or `sep=,`) first line is honoured and skipped, as Excel does
# (it hides the line, so the header is still row 1). Any other separator is refused.
@pytest.mark.parametrize(
    "first_line",
    ["sep=;", "SEP=;", '"sep=;"', "sep=;;;;;;;;;", "sep=;\r"],
)
def test_an_excel_sep_line_is_honoured_and_skipped(first_line):
    text = f"{first_line}\n{HEADER.replace(',', ';')}\n{ROW.replace(',', ';')}\n"
    assert parse(text) == [ENTRY]


def test_a_sep_comma_line_wins_over_semicolons_in_the_header():
    text = f"sep=,\n{HEADER}\n2026-11-01,morning,4,10,,,,,,a;b\n"
    assert parse(text)[0].notes == "a;b"


def test_rows_after_a_sep_line_are_numbered_from_the_header_as_row_1():
    text = f"sep=;\n{HEADER.replace(',', ';')}\n2026-11-01;noon;4;;;;;;;\n"
    assert refusal(text) == "row 2, column slot: 'noon' is not a slot: use morning or evening"


def test_a_sep_line_naming_another_separator_is_refused_clearly():
    message = refusal(f"sep=|\n{HEADER.replace(',', '|')}\n{ROW.replace(',', '|')}\n")
    assert "Line 1 (sep=|)" in message and "commas or semicolons" in message


# -- broken quoting ---------------------------------------------------------------------------
def test_an_unclosed_quote_at_the_end_is_refused_naming_row_and_line_without_hanging():
    text = f'{HEADER}\n{ROW}\n2026-11-02,morning,4,,,,,,,"never closed\nstill the note'
    start = time.perf_counter()
    message = refusal(text)
    assert time.perf_counter() - start < 1
    assert message.startswith("row 3 (line 3 of the file): a cell opens a quote")
    assert "never closed" in message and "closing quote" in message


def test_an_unclosed_quote_never_swallows_the_days_after_it_into_a_note():
    # A reader that forgives this would import one entry whose note holds the 2 Nov row.
    text = f'{HEADER}\n2026-11-01,morning,4,,,,,,,"oops\n2026-11-02,morning,5,,,,,,,fine\n'
    assert "never closed" in refusal(text)


def test_an_unclosed_quote_early_in_a_big_file_is_refused_quickly():
    text = f'{HEADER}\n2026-11-23,evening,4,,,,,,,"oops\n' + rows(20_000).split("\n", 1)[1]
    start = time.perf_counter()
    message = refusal(text)
    assert time.perf_counter() - start < 2
    assert message.startswith("row 2 (line 2 of the file):")
    assert "never closed" in message


def test_text_after_a_closing_quote_is_refused_with_the_fix():
    message = refusal(f'{HEADER}\n{ROW}\n2026-11-02,morning,4,,,,,,,"he said "hi""\n')
    assert message.startswith("row 3 (line 3 of the file): a quoted cell has text after")
    assert 'write each " as ""' in message


def test_a_quote_inside_an_unquoted_cell_is_kept_as_written():
    assert parse(f'{HEADER}\n2026-11-01,morning,4,,,,,,,5" of snow\n')[0].notes == '5" of snow'


def test_a_huge_single_cell_is_refused_clearly():
    message = refusal(f"{HEADER}\n2026-11-01,morning,4,,,,,,,{'x' * 200_000}\n")
    assert "row 2 (line 2 of the file)" in message and "more than 131,072 characters" in message


def test_each_problem_names_its_row_after_a_multiline_note():
    text = f'{HEADER}\n2026-11-01,morning,4,,,,,,,"a\nb\nc"\n2026-11-02,morning,x,,,,,,,\n'
    assert refusal(text) == "row 3, column pain: 'x' is not a whole number from 0 to 10"


def test_one_bad_row_among_thousands_rejects_the_whole_file():
    lines = rows(5_000).splitlines()
    lines[4_321] = lines[4_321].replace(",morning,", ",morn,").replace(",evening,", ",eve,")
    assert refusal("\n".join(lines)).startswith("row 4322, column slot: 'morn'")


def test_a_journal_from_the_earliest_date_round_trips():
    entries = [Entry(EARLIEST_DATE + timedelta(days=i), "evening", 1) for i in range(3)]
    assert parse(export_csv(entries, IDS)) == entries


@pytest.mark.parametrize("day", ["1600-01-01", "0001-01-01", "1899-12-31"])
def test_a_date_before_the_earliest_is_refused_naming_row_column_and_range(day):
    assert refusal(f"{HEADER}\n{day},morning,3,,,,,,,\n") == (
        f"row 2, column date: {day} is before 1900-01-01: BackTrack keeps dates from "
        "1900-01-01 to today"
    )


def test_a_number_of_thousands_of_digits_gets_the_rule_not_pythons_int_limit():
    text = f"{HEADER}\n2026-11-01,morning,{'9' * 5000},{'1' * 5000},,,,,,\n"
    errors = refusal(text).splitlines()
    assert errors[0].startswith("row 2, column pain: '99999") and errors[0].endswith(
        "is outside 0-10: must be a whole number from 0 to 10"
    )
    assert errors[1].startswith("row 2, column knee_hugs: '1111")
    assert all("int" not in e and "digits" not in e for e in errors)
