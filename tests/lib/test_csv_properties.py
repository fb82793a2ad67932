"""Properties of the journal CSV: every valid journal survives export and import, through
the store too, and a damaged file is imported whole or not at all."""

from __future__ import annotations

import csv
import io
import random
import tempfile
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from backtrack.csvio import CsvError, export_csv, parse_csv
from backtrack.entries import EARLIEST_DATE, NOTES_MAX, SLOTS, Entry
from backtrack.store import JournalStore
from backtrack.symptoms import FLAG_IDS, REACTION_IDS

IDS = ("knee_hugs", "knee_drops", "clam", "glute_bridge", "psoas_stretch")
TODAY = date(2026, 11, 23)
PROPERTY = settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# Notes may hold any text, tab and newline; no other control character and no \r (import
# turns \r into \n).
FORBIDDEN = "".join(chr(c) for c in [*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F])
note_chars = st.characters(codec="utf-8", exclude_characters=FORBIDDEN)
TRICKY_PIECES = [
    '"', '""', ",", ";", "\n", "\t", " ", "'", "=", "+", "-", "@", "😀", "👍🏽", "🇬🇧",
    "שלום", "עולם", "مرحبا", "ألم الظهر", "\u200f", "\u202e", "\ufeff", "\u2028", "\x85",
    "é", "ß", "=SUM(A1:A2)", "sep=;", "2026-11-01,morning,4,,,,,,,",
]  # fmt: skip
LEADING = ["", "=", "+", "-", "@", "'", "''", "'=", "'+", "'-", "'@", "''=", " =", "\n"]
notes = st.one_of(
    st.text(note_chars, max_size=60),
    st.builds(
        "".join,
        st.tuples(
            st.sampled_from(LEADING),
            st.lists(
                st.sampled_from(TRICKY_PIECES) | st.text(note_chars, max_size=8), max_size=30
            ).map("".join),
        ),
    ),
    st.text(note_chars, min_size=NOTES_MAX - 20, max_size=NOTES_MAX),
).filter(lambda n: len(n) <= NOTES_MAX)
reps = st.integers(0, 100) | st.just(0)
flags = st.sets(st.sampled_from(FLAG_IDS)).map(lambda s: tuple(f for f in FLAG_IDS if f in s))


def _sorted(entries) -> list[Entry]:
    return sorted(entries, key=lambda e: (e.date, SLOTS.index(e.slot)))


@st.composite
def journals(draw, first=EARLIEST_DATE, last=TODAY, min_size=1, max_size=12) -> list[Entry]:
    """Valid journals: unique (date, slot), oldest first as the store returns them."""
    keys = draw(
        st.lists(
            st.tuples(st.dates(first, last), st.sampled_from(SLOTS)),
            min_size=min_size,
            max_size=max_size,
            unique=True,
        )
    )
    entries = []
    for day, slot in keys:
        counts = draw(st.tuples(*[reps] * len(IDS)))
        done = {ex: n for ex, n in zip(IDS, counts, strict=True) if n > 0}
        reactions = draw(st.dictionaries(st.sampled_from(IDS), st.sampled_from(REACTION_IDS),
                                         max_size=3))  # fmt: skip
        entries.append(Entry(day, slot, draw(st.integers(0, 10)), done, draw(flags), draw(notes),
                             reactions))  # fmt: skip
    return _sorted(entries)


def parse(data: bytes) -> list[Entry]:
    return parse_csv(data, IDS, TODAY)


def rewrite(text: str, **dialect) -> str:
    """The same cells written again by the csv module with another separator or line end."""
    rows = list(csv.reader(io.StringIO(text, newline="")))
    out = io.StringIO()
    csv.writer(out, **dialect).writerows(rows)
    return out.getvalue()


@PROPERTY
@given(journals())
def test_any_valid_journal_exports_and_imports_back_identically(journal):
    text = export_csv(journal, IDS)
    assert parse(text.encode()) == journal
    assert parse(b"\xef\xbb\xbf" + text.encode()) == journal


@PROPERTY
@given(journals())
def test_a_semicolon_or_crlf_rewrite_of_an_export_imports_identically(journal):
    text = export_csv(journal, IDS)
    semicolons = rewrite(text, delimiter=";", lineterminator="\n")
    assert semicolons.splitlines()[0].count(";") == len(IDS) + 6
    assert parse(semicolons.encode()) == journal
    assert parse(("sep=;\n" + semicolons).encode()) == journal
    assert parse(b"\xef\xbb\xbf" + rewrite(text, lineterminator="\r\n").encode()) == journal


@PROPERTY
@given(journals())
def test_a_journal_imported_into_the_store_exports_the_identical_text(journal):
    text = export_csv(journal, IDS)
    with tempfile.TemporaryDirectory() as tmp:
        store = JournalStore(Path(tmp) / "journal.db")
        first = store.import_entries(parse(text.encode()))
        assert (first.added, first.replaced, first.unchanged) == (len(journal), 0, 0)
        assert export_csv(store.entries(), IDS) == text
        again = store.import_entries(parse(text.encode()))
        assert (again.added, again.replaced, again.unchanged) == (0, 0, len(journal))
        assert export_csv(store.entries(), IDS) == text


# -- damaged files: all or nothing -------------------------------------------------------
# Old and new journals share a few weeks, so an import both adds and replaces entries.
FIRST, LAST = date(2026, 10, 20), TODAY
CELL_VALUES = st.one_of(
    st.sampled_from(["", "0", "5", "10", "11", "-1", "100", "101", "morning", "evening",
                     "noon", "fever", "fever;injury", "2026-11-02", "2026-02-30",
                     "2099-01-01", '"', "'=1", "date", "notes", "\r", "\x00", "\ufeff"]),
    st.text(max_size=12),
)  # fmt: skip


# Positions are spread evenly from a drawn seed (hypothesis favours the start of the file).
positions = st.integers(0, 2**32).map(random.Random)


def _table(text: str) -> list[list[str]]:
    """The records of `text` that hold at least one cell."""
    return [r for r in csv.reader(io.StringIO(text, newline="")) if r]


def _pick_row(draw, rows: list[list[str]]) -> int:
    """Mostly a data row; the header one time in ten."""
    if len(rows) > 1 and draw(st.integers(0, 9)):
        return draw(positions).randrange(1, len(rows))
    return 0


def _write(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


@st.composite
def change_cell(draw, text: str) -> str:
    rows = _table(text)
    if not rows:
        return text
    row = _pick_row(draw, rows)
    col = draw(positions).randrange(len(rows[row]))
    rows[row][col] = draw(CELL_VALUES)
    return _write(rows)


@st.composite
def drop_or_copy_column(draw, text: str) -> str:
    rows = _table(text)
    if not rows:
        return text
    col = draw(positions).randrange(len(rows[0]))
    copy = draw(st.booleans())
    return _write([[*r[: col + 1], *r[col : col + 1], *r[col + 1 :]] if copy
                   else r[:col] + r[col + 1 :] for r in rows])  # fmt: skip


@st.composite
def drop_or_copy_row(draw, text: str) -> str:
    rows = _table(text)
    if not rows:
        return text
    i = _pick_row(draw, rows)
    rows[i:i + 1] = [rows[i]] * draw(st.sampled_from([0, 2]))  # fmt: skip
    return _write(rows)


@st.composite
def truncate(draw, data: bytes) -> bytes:
    """Cut at a random byte, or just after a random line end (as a full disk would)."""
    rnd = draw(positions)
    line_ends = [i + 1 for i, b in enumerate(data) if b == ord("\n")]
    if line_ends and draw(st.booleans()):
        return data[: rnd.choice(line_ends)]
    return data[: rnd.randint(0, len(data))]


@st.composite
def insert_bytes(draw, data: bytes) -> bytes:
    at = draw(positions).randint(0, len(data))
    return data[:at] + draw(st.binary(min_size=1, max_size=8)) + data[at:]


@st.composite
def damaged(draw) -> bytes:
    """A valid export with up to two cell, column or row changes, then perhaps cut short or
    given stray bytes: at least one change in all."""
    text = export_csv(draw(journals(FIRST, LAST, max_size=10)), IDS)
    changes = draw(st.integers(0, 2))
    for _ in range(changes):
        text = draw(draw(st.sampled_from([change_cell, drop_or_copy_column,
                                          drop_or_copy_row]))(text))  # fmt: skip
    byte_changes = [truncate, insert_bytes] if not changes else [None, truncate, insert_bytes]
    byte_level = draw(st.sampled_from(byte_changes))
    return draw(byte_level(text.encode())) if byte_level else text.encode()


@settings(PROPERTY, max_examples=150)
@given(journals(FIRST, LAST, max_size=10), damaged())
def test_a_damaged_file_is_imported_whole_or_not_at_all(old, data):
    with tempfile.TemporaryDirectory() as tmp:
        store = JournalStore(Path(tmp) / "journal.db")
        store.import_entries(old)
        before = store.entries()
        assert before == old
        try:
            parsed = parse(data)
        except CsvError as exc:
            event("rejected")
            assert exc.errors and all(isinstance(e, str) and e.strip() for e in exc.errors)
            assert store.entries() == before
            return
        event("imported")
        report = store.import_entries(parsed)
        expected = {e.key: e for e in old} | {e.key: e for e in parsed}
        assert store.entries() == _sorted(expected.values())
        assert report.added == len({e.key for e in parsed} - {e.key for e in old})
        assert report.added + report.replaced + report.unchanged == len(parsed)
