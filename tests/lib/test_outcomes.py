"""Outcome measures (PSFS, PGIC): their rules, when each is due, the outcomes CSV (hostile
and malformed files rejected whole), the store's upsert and the CLI."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from backtrack.backup import snapshot_bytes
from backtrack.cli import main
from backtrack.csvio import (
    CsvError,
    export_outcomes_csv,
    is_outcomes_csv,
    parse_outcomes_csv,
)
from backtrack.entries import Entry, EntryError
from backtrack.journalfile import backup_problems
from backtrack.outcomes import (
    Due,
    Outcome,
    due,
    label_clashes,
    pgic_record,
    psfs_baseline_records,
    psfs_follow_up_records,
    validate_outcome,
)
from backtrack.store import APP_ID_FROM, MIGRATIONS, JournalStore

TODAY = date(2026, 11, 20)
D1 = date(2026, 11, 1)
HEADER = "date,measure,item,score,label"


def parse(text: str, stored=()) -> list[Outcome]:
    return parse_outcomes_csv(text.encode(), TODAY, stored)


def problems(text: str, stored=()) -> list[str]:
    with pytest.raises(CsvError) as err:
        parse(text, stored)
    return err.value.errors


# ---------------------------------------------------------------- the rules


@pytest.mark.parametrize(
    ("values", "field", "rule"),
    [
        ({"measure": "psfs", "item": 6, "score": 3, "label": "Walk"}, "item", "outside 1-5"),
        ({"measure": "psfs", "item": 0, "score": 3, "label": "Walk"}, "item", "outside 1-5"),
        ({"measure": "psfs", "item": 1, "score": 11, "label": "Walk"}, "score", "outside 0-10"),
        ({"measure": "psfs", "item": 1, "score": 3, "label": ""}, "label", "is required"),
        ({"measure": "psfs", "item": 1, "score": 3, "label": "x" * 101}, "label", "at most 100"),
        ({"measure": "psfs", "item": 1, "score": 3, "label": "a\x00b"}, "label", "control"),
        ({"measure": "pgic", "item": 2, "score": 3, "label": ""}, "item", "outside 1-1"),
        ({"measure": "pgic", "item": 1, "score": 0, "label": ""}, "score", "outside 1-7"),
        ({"measure": "pgic", "item": 1, "score": 8, "label": ""}, "score", "outside 1-7"),
        ({"measure": "pgic", "item": 1, "score": 3, "label": "x"}, "label", "must be empty"),
        ({"measure": "odi", "item": 1, "score": 3, "label": ""}, "measure", "not a measure"),
        ({"measure": "psfs", "item": "1.5", "score": 3, "label": "W"}, "item", "whole number"),
    ],
)
def test_each_rule_names_its_field(values, field, rule):
    with pytest.raises(EntryError) as err:
        validate_outcome({"date": "2026-11-02", **values}, TODAY)
    assert [e.field for e in err.value.errors] == [field]
    assert rule in str(err.value)


def test_a_future_date_is_refused():
    with pytest.raises(EntryError, match="date: 2026-11-21 is in the future"):
        validate_outcome({"date": "2026-11-21", "measure": "pgic", "item": 1, "score": 2}, TODAY)


def test_a_label_is_trimmed_and_inner_space_collapsed():
    o = validate_outcome(
        {"date": D1, "measure": "psfs", "item": 1, "score": 4, "label": "  Putting  on socks "},
        TODAY,
    )
    assert o.label == "Putting on socks"


def test_each_psfs_item_keeps_one_activity():
    records = [
        Outcome(D1, "psfs", 1, 2, "Walking"),
        Outcome(D1 + timedelta(14), "psfs", 1, 5, "Running"),
    ]
    assert [(o.label, known) for o, known in label_clashes(records)] == [("Running", "Walking")]


# ---------------------------------------------------------------- when each is due


def _day(n: int) -> date:
    return D1 + timedelta(days=n - 1)


PSFS_1 = [Outcome(_day(2), "psfs", 1, 3, "Walking")]


@pytest.mark.parametrize(
    ("today", "records", "expected"),
    [
        (_day(1), [], Due("baseline", False)),
        (_day(7), [], Due("baseline", False)),
        (_day(3), PSFS_1, Due(None, False)),
        (_day(8), [], Due(None, False)),  # the first week is over: no late baseline
        (_day(13), PSFS_1, Due(None, False)),
        (_day(14), PSFS_1, Due("follow_up", True)),
        (_day(14), [], Due(None, True)),  # no activities: only the PGIC
        (_day(20), PSFS_1 + [Outcome(_day(15), "psfs", 1, 5, "Walking")], Due(None, True)),
        (_day(20), PSFS_1 + [Outcome(_day(14), "pgic", 1, 3)], Due("follow_up", False)),
        (
            _day(27),
            PSFS_1 + [Outcome(_day(14), "psfs", 1, 5, "Walking"), Outcome(_day(14), "pgic", 1, 3)],
            Due(None, False),
        ),  # fmt: skip
        (
            _day(28),
            PSFS_1 + [Outcome(_day(14), "psfs", 1, 5, "Walking"), Outcome(_day(14), "pgic", 1, 3)],
            Due("follow_up", True),
        ),  # fmt: skip
        (_day(0), [], Due(None, False)),  # before day 1
    ],
)
def test_due_schedule(today, records, expected):
    assert due(D1, today, records) == expected


def test_nothing_is_due_without_a_programme():
    assert not due(None, TODAY, [])


# ---------------------------------------------------------------- the page's form


def test_baseline_form_skips_blank_rows_numbers_items_and_names_bad_rows():
    rows = [("Walking", 3), ("", None), ("Lifting", 5), (None, None), (None, None)]
    records = psfs_baseline_records(TODAY, rows, TODAY)
    assert [(o.item, o.label) for o in records] == [(1, "Walking"), (2, "Lifting")]
    with pytest.raises(EntryError) as err:
        psfs_baseline_records(
            TODAY, [("Walking", None), ("", 4), ("walking", 2), ("Sit", 11)], TODAY
        )
    messages = [str(e) for e in err.value.errors]
    assert messages[0] == "activity 1: rate it from 0 to 10"
    assert messages[1] == "activity 2: name the activity you rated"
    assert messages[2].startswith("activity 4: score:")
    with pytest.raises(EntryError, match="name at least one activity"):
        psfs_baseline_records(TODAY, [("", None)] * 5, TODAY)
    with pytest.raises(EntryError, match="activity 2: is the same as activity 1"):
        psfs_baseline_records(TODAY, [("Walking", 3), ("WALKING", 4)], TODAY)


def test_follow_up_form_rates_the_known_activities():
    known = {1: "Walking", 2: "Lifting"}
    records = psfs_follow_up_records(TODAY, known, {1: 6, 2: None}, TODAY)
    assert [(o.item, o.score, o.label) for o in records] == [(1, 6, "Walking")]
    with pytest.raises(EntryError, match="rate at least one"):
        psfs_follow_up_records(TODAY, known, {}, TODAY)
    with pytest.raises(EntryError, match="Lifting: 12 is outside 0-10"):
        psfs_follow_up_records(TODAY, known, {2: 12}, TODAY)


@pytest.mark.parametrize(("score", "rule"), [(None, "choose one answer"), (9, "outside 1-7"),
                                             ("much", "whole number")])  # fmt: skip
def test_pgic_form_names_its_field(score, rule):
    with pytest.raises(EntryError, match=f"change since starting: .*{rule}"):
        pgic_record(TODAY, score, TODAY)


# ---------------------------------------------------------------- the outcomes CSV


def test_export_then_import_is_exact_and_protects_formulas():
    records = [
        Outcome(D1, "psfs", 1, 3, "=HYPERLINK(1)"),
        Outcome(D1, "psfs", 2, 0, "Putting on socks, shoes"),
        Outcome(_day(14), "pgic", 1, 2),
    ]
    text = export_outcomes_csv(records)
    assert text.splitlines() == [
        HEADER,
        "2026-11-01,psfs,1,3,'=HYPERLINK(1)",
        '2026-11-01,psfs,2,0,"Putting on socks, shoes"',
        "2026-11-14,pgic,1,2,",
    ]
    assert parse(text) == records
    assert export_outcomes_csv(parse(text)) == text


labels = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp", "Zs")), min_size=1, max_size=30
)


@st.composite
def outcome_sets(draw):
    days = draw(st.lists(st.dates(date(1990, 1, 1), TODAY), min_size=1, max_size=6, unique=True))
    names = draw(st.lists(labels, min_size=5, max_size=5))
    records = []
    for d in days:
        for item in draw(st.sets(st.integers(1, 5), max_size=5)):
            records.append(Outcome(d, "psfs", item, draw(st.integers(0, 10)), names[item - 1]))
        if draw(st.booleans()):
            records.append(Outcome(d, "pgic", 1, draw(st.integers(1, 7))))
    return records


@given(outcome_sets())
def test_any_valid_set_round_trips_exactly(records):
    if not records:
        return
    text = export_outcomes_csv(records)
    back = parse(text)
    assert sorted(back, key=lambda o: o.key) == sorted(records, key=lambda o: o.key)
    assert export_outcomes_csv(back) == text


def test_a_malformed_file_is_rejected_whole_with_row_messages():
    text = (
        f"{HEADER}\n"
        "2026-11-01,psfs,1,3,Walking\n"
        "2026-11-01,psfs,1,4,Walking\n"  # the same record twice
        "2026-11-02,pgic,1,9,\n"
        "2026-11-03,psfs,1,5,Running\n"  # item 1 is Walking
        "2026-13-01,psfs,2,5,Lifting\n"
        "2026-11-04,psfs,2,5\n"
    )
    errors = problems(text)
    assert errors == [
        "row 3, columns date+measure+item: 2026-11-01 psfs item 1 is already on row 2 (each once).",
        "row 4, column score: 9 is outside 1-7: must be a whole number from 1 to 7",
        "row 6, column date: '2026-13-01' is not a real date",
        "row 7: has 4 cells, the header has 5.",
        "row 5, column label: psfs item 1 is 'Walking' elsewhere: each item keeps one activity "
        "throughout.",
    ]


def test_a_label_clash_with_what_is_stored_is_named_but_a_replaced_record_is_not():
    stored = [Outcome(D1, "psfs", 1, 3, "Walking")]
    assert problems(f"{HEADER}\n2026-11-15,psfs,1,5,Running\n", stored)[0].startswith(
        "row 2, column label: psfs item 1 is 'Walking'"
    )
    # The file replaces the stored record itself: its new label is the item's label.
    assert parse(f"{HEADER}\n2026-11-01,psfs,1,5,Running\n", stored)[0].label == "Running"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty"),
        (f"{HEADER}\n".encode(), "no records"),
        (b"date,measure,item,score\n2026-11-01,pgic,1,2\n", "missing column(s): label"),
        (f"{HEADER},extra\n".encode(), "unknown column(s): 'extra'"),
        (b"PK\x03\x04rest", "ZIP archive"),
        (f'{HEADER}\n2026-11-01,psfs,1,3,"Walking\n'.encode(), "never closed"),
        (f"{HEADER}\n2026-11-01,psfs,1,3,W\n".encode("utf-16"), "UTF-16"),
        (b"x" * (5 * 1024 * 1024 + 1), "the limit is 5 MB"),
    ],
)
def test_hostile_and_foreign_files_are_refused_plainly(data, message):
    with pytest.raises(CsvError) as err:
        parse_outcomes_csv(data, TODAY)
    assert message in "\n".join(err.value.errors)


def test_the_header_tells_an_outcomes_file_from_a_journal_csv():
    assert is_outcomes_csv(f"{HEADER}\n".encode())
    assert is_outcomes_csv(b"\xef\xbb\xbfsep=;\ndate;measure;item;score;label\n")
    assert not is_outcomes_csv(b"date,slot,pain,flags,notes\n")
    assert not is_outcomes_csv(b"\x00\x01binary")


# ---------------------------------------------------------------- the store and the CLI


def test_store_upserts_by_date_measure_item_and_keeps_labels(tmp_path):
    store = JournalStore(tmp_path / "j.db")
    first = [Outcome(D1, "psfs", 1, 3, "Walking"), Outcome(D1, "pgic", 1, 4)]
    assert str(store.save_outcomes(first)).startswith("2 added, 0 replaced, 0 unchanged")
    again = store.save_outcomes([Outcome(D1, "psfs", 1, 5, "Walking"), Outcome(D1, "pgic", 1, 4)])
    assert (again.added, again.replaced, again.unchanged) == (0, 1, 1)
    assert store.outcomes()[0].score == 5
    revision = store.revision()
    with pytest.raises(ValueError, match="PSFS item 1 is 'Walking'"):
        store.save_outcomes([Outcome(_day(2), "pgic", 1, 2), Outcome(_day(2), "psfs", 1, 5, "Run")])
    assert len(store.outcomes()) == 2 and store.revision() == revision  # nothing half-saved


def test_a_backup_with_a_bad_outcome_row_is_refused(tmp_path):
    db = tmp_path / "j.db"
    JournalStore(db).save_outcomes([Outcome(D1, "psfs", 1, 3, "Walking")])
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO outcomes VALUES ('2026-11-02', 'pgic', 1, 9, '', 'x')")
    conn.execute("INSERT INTO outcomes VALUES ('2026-11-03', 'psfs', 1, 4, 'Run', 'x')")
    conn.commit()
    conn.close()
    found = backup_problems(db, MIGRATIONS, app_id_from=APP_ID_FROM, today=TODAY)
    assert any("outcome 2026-11-02 pgic item 1, score: 9 is outside 1-7" in p for p in found)
    assert any("psfs item 1, label: 'Run' differs from 'Walking'" in p for p in found)


def test_the_whole_journal_file_moves_everything(tmp_path):
    db = tmp_path / "a b#%?.db"
    store = JournalStore(db)
    store.save(Entry(D1, "morning", 4, {"clam": 10}, leg_pain=2))
    store.save_outcomes([Outcome(D1, "psfs", 1, 3, "Walking")])
    store.set_setting("safety_screen", '{"answered_on": "2026-11-01"}')
    store.set_start_date(D1)
    moved = tmp_path / "other" / "backtrack.db"
    moved.parent.mkdir()
    moved.write_bytes(snapshot_bytes(db))
    copy = JournalStore(moved)
    assert copy.entries() == store.entries() and copy.outcomes() == store.outcomes()
    assert copy.get_setting("safety_screen") == store.get_setting("safety_screen")
    assert copy.start_date() == D1


def test_cli_imports_an_outcomes_file_by_its_header_and_exports_it(tmp_path, capsys):
    db, src, out = tmp_path / "j.db", tmp_path / "o.csv", tmp_path / "out.csv"
    JournalStore(db)
    text = f"{HEADER}\n2026-11-01,psfs,1,3,Walking\n2026-11-14,pgic,1,2,\n"
    src.write_text(text, encoding="utf-8")
    assert main(["import", str(src), "--db", str(db)]) == 0
    assert "2 added" in capsys.readouterr().out
    assert main(["export", "--outcomes", "--db", str(db), "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == text
    src.write_text(f"{HEADER}\n2026-11-01,psfs,1,3,\n", encoding="utf-8")
    assert main(["import", str(src), "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert "the journal is unchanged" in err and "row 2, column label: is required" in err
    assert len(JournalStore(db).outcomes()) == 2


def test_the_store_returns_answers_in_outcome_order(tmp_path):
    from backtrack.outcomes import outcome_order

    store = JournalStore(tmp_path / "j.db")
    records = [Outcome(_day(15), "pgic", 1, 3), Outcome(_day(15), "psfs", 2, 5, "Lifting"),
               Outcome(_day(2), "psfs", 2, 4, "Lifting"), Outcome(_day(15), "psfs", 1, 6, "Walk"),
               Outcome(_day(2), "psfs", 1, 3, "Walk")]  # fmt: skip
    store.save_outcomes(records)
    assert store.outcomes() == sorted(records, key=outcome_order)
    from backtrack.outcomes import activities, psfs_ratings

    assert [list(r.scores) for r in psfs_ratings(reversed(records))] == [[1, 2], [1, 2]]
    assert activities(reversed(records)) == {1: "Walk", 2: "Lifting"}
