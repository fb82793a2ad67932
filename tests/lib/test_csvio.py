from __future__ import annotations

from datetime import date

import pytest

from backtrack.csvio import CsvError, export_csv, parse_csv, protect_note, unprotect_note
from backtrack.entries import Entry

IDS = ("knee_hugs", "knee_drops", "clam", "glute_bridge", "psoas_stretch")
TODAY = date(2026, 11, 23)
HEADER = "date,slot,pain,knee_hugs,knee_drops,clam,glute_bridge,psoas_stretch,flags,notes"
EXPORT_HEADER = HEADER.replace("flags,notes", "flags,reactions,notes").replace(
    "pain,", "pain,leg_pain,", 1
)


def parse(text: str | bytes) -> list[Entry]:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return parse_csv(data, IDS, TODAY)


def rejected(text: str | bytes) -> list[str]:
    with pytest.raises(CsvError) as err:
        parse(text)
    return err.value.errors


def test_export_has_the_contract_columns_and_plain_newlines():
    entries = [Entry(date(2026, 11, 1), "morning", 5, {"knee_hugs": 10, "clam": 8},
                     ("fever",), "ok")]  # fmt: skip
    text = export_csv(entries, IDS)
    assert text == f"{EXPORT_HEADER}\n2026-11-01,morning,5,,10,0,8,0,0,fever,,ok\n"


def test_an_added_exercise_gets_its_own_column_after_psoas_stretch():
    text = export_csv([Entry(date(2026, 11, 1), "evening", 2, {"wall_sit": 8})],
                      (*IDS, "wall_sit"))  # fmt: skip
    assert text.splitlines()[0] == EXPORT_HEADER.replace(
        "psoas_stretch,", "psoas_stretch,wall_sit,"
    )
    assert text.splitlines()[1] == "2026-11-01,evening,2,,0,0,0,0,0,8,,,"


TRICKY_NOTES = [
    "=SUM(A1:A3)",
    "+44 20",
    "-3 better",
    "@home",
    "\ttabbed",
    "'\tquoted tab",
    "'quoted",
    "'=x",
    "''=y",
    "'",
    "''",
    'commas, "quotes"',
    "two\nlines",
    "emoji 😀",
    "שלום עולם",
    "",
    " spaced ",
]


@pytest.mark.parametrize("note", TRICKY_NOTES)
def test_export_then_import_gives_back_the_identical_note(note):
    entry = Entry(date(2026, 11, 1), "morning", 3, {}, (), note)
    assert parse(export_csv([entry], IDS)) == [entry]


@pytest.mark.parametrize("note", ["=1+1", "+1", "-1", "@x", "\t=1+1", "\r=1+1"])
def test_formula_notes_are_protected_for_spreadsheets(note):
    assert protect_note(note) == "'" + note
    assert unprotect_note(protect_note(note)) == note


def test_an_exported_note_starting_with_a_tab_is_protected_and_imports_back():
    """OWASP's CSV injection list includes tab and carriage return (a note's \r is stored
    as a new line): a spreadsheet may strip them and run the formula behind."""
    entry = Entry(date(2026, 11, 1), "morning", 3, {}, (), "\t=HYPERLINK(1)")
    text = export_csv([entry], IDS)
    assert text.split("\n")[1] == "2026-11-01,morning,3,,0,0,0,0,0,,,'\t=HYPERLINK(1)"
    assert parse(text) == [entry]


def test_a_csv_exported_before_an_exercise_was_added_imports_as_not_done():
    old_header = HEADER.replace("psoas_stretch,", "")
    entries = parse_csv(f"{old_header}\n2026-11-01,morning,4,10,5,10,10,,ok\n".encode(),
                        (*IDS, "psoas_stretch"), TODAY)  # fmt: skip
    assert entries == [Entry(date(2026, 11, 1), "morning", 4,
                             {"knee_hugs": 10, "knee_drops": 5, "clam": 10, "glute_bridge": 10},
                             (), "ok")]  # fmt: skip


def test_a_plain_leading_quote_is_kept_on_import():
    assert unprotect_note("'tis fine") == "'tis fine"


def test_import_accepts_bom_and_semicolons():
    text = HEADER.replace(",", ";") + '\n2026-11-01;morning;4;10;;;;;"fever;injury";a, b\n'
    entries = parse(b"\xef\xbb\xbf" + text.encode())
    assert entries == [Entry(date(2026, 11, 1), "morning", 4, {"knee_hugs": 10},
                             ("fever", "injury"), "a, b")]  # fmt: skip


def test_import_accepts_columns_in_any_order_and_crlf():
    text = "notes,flags,psoas_stretch,glute_bridge,clam,knee_drops,knee_hugs,pain,slot,date\r\n"
    text += "hi,,3,,,,,2,evening,2026-11-02\r\n"
    assert parse(text) == [Entry(date(2026, 11, 2), "evening", 2, {"psoas_stretch": 3}, (), "hi")]


def test_bad_cells_name_row_and_column_and_reject_the_whole_file():
    text = "\n".join([
        HEADER,
        "2026-11-01,morning,4,,,,,,,fine",
        "2026-11-01,noon,11,,,,,,,",
        "2026-02-30,evening,7.5,-3,1000,,,,migraine,",
        "2099-01-01,morning,seven,,,,,,,",
    ])  # fmt: skip
    errors = rejected(text)
    assert "row 3, column slot: 'noon' is not a slot: use morning or evening" in errors
    assert "row 3, column pain: 11 is outside 0-10: must be a whole number from 0 to 10" in errors
    assert any(e.startswith("row 4, column date: '2026-02-30' is not a real date") for e in errors)
    assert any(e.startswith("row 4, column pain: '7.5'") for e in errors)
    assert any(e.startswith("row 4, column knee_hugs: -3") for e in errors)
    assert any(e.startswith("row 4, column knee_drops: 1000") for e in errors)
    assert any(e.startswith("row 4, column flags: unknown symptom 'migraine'") for e in errors)
    assert any(e.startswith("row 5, column date:") and "future" in e for e in errors)
    assert any(e.startswith("row 5, column pain: 'seven'") for e in errors)
    assert not any(e.startswith("row 2") for e in errors)


def test_row_numbers_count_records_not_lines():
    text = f'{HEADER}\n2026-11-01,morning,4,,,,,,,"two\nlines"\n2026-11-01,evening,x,,,,,,,\n'
    assert rejected(text) == ["row 3, column pain: 'x' is not a whole number from 0 to 10"]


def test_duplicate_date_and_slot_is_rejected():
    text = f"{HEADER}\n2026-11-01,morning,4,,,,,,,\n2026-11-01,morning,5,,,,,,,\n"
    assert rejected(text) == [
        "row 3, columns date+slot: 2026-11-01 morning is already on row 2 (each date and "
        "slot once)."
    ]


def test_twenty_thousand_character_note_is_rejected():
    errors = rejected(f"{HEADER}\n2026-11-01,morning,4,,,,,,,{'x' * 20_000}\n")
    assert errors == ["row 2, column notes: is 20,000 characters long: at most 2,000 allowed"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            HEADER.replace(",flags", "") + "\n2026-11-01,morning,4,,,,,,\n",
            "missing column(s): flags",
        ),
        (HEADER + ",mood\n2026-11-01,morning,4,,,,,,,,ok\n", "unknown column(s): 'mood'"),
        (HEADER + ",pain\n", "given twice: pain"),
        ("", "The file is empty"),
        ("\n\n", "The file is empty"),
        (HEADER + "\n", "no entries"),
        (HEADER + "\n2026-11-01,morning,4\n", "row 2: has 3 cells, the header has 10"),
    ],
)
def test_file_level_problems_are_explained(text, message):
    assert any(message in e for e in rejected(text))


def test_binary_utf16_and_latin1_files_are_refused_clearly():
    assert "not a text file" in rejected(b"PK\x03\x04\x00\x00binary")[0]
    assert "UTF-16" in rejected((HEADER + "\n").encode("utf-16"))[0]
    latin1 = f"{HEADER}\n2026-11-01,morning,4,,,,,,,café\n".encode("latin-1")
    assert "not UTF-8 text (byte 0xE9" in rejected(latin1)[0]


def test_reactions_round_trip_and_a_file_without_the_column_imports():
    entry = Entry(date(2026, 11, 1), "morning", 3, {"clam": 10}, (), "",
                  {"clam": "fine", "glute_bridge": "worse"})  # fmt: skip
    text = export_csv([entry], IDS)
    assert text.splitlines()[1] == "2026-11-01,morning,3,,0,0,10,0,0,,clam=fine;glute_bridge=worse,"
    assert parse(text) == [entry]
    assert parse(f"{HEADER}\n2026-11-01,morning,3,,,10,,,,\n")[0].reactions == {}


@pytest.mark.parametrize(
    ("cell", "rule"),
    [("clam=great", "'great' is not an answer"), ("clam", "is not exercise=reaction"),
     ("Clam Shell=fine", "is not an exercise id"), ("clam=fine;clam=worse", "given twice")],
)  # fmt: skip
def test_bad_reactions_are_refused_with_row_and_column(cell, rule):
    text = f"{EXPORT_HEADER}\n2026-11-01,morning,3,,,,10,,,,{cell},\n"
    with pytest.raises(CsvError) as err:
        parse(text)
    assert any(e.startswith("row 2, column reactions:") and rule in e for e in err.value.errors)
