from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from backtrack.caseload import (
    CASELOAD_COLUMNS,
    PatientStatus,
    caseload_order,
    caseload_table,
    patient_status,
)
from backtrack.frames import load_frame
from backtrack.progress import HEADLINES, WINDOW_DAYS, Status
from backtrack.screening import checks_json
from backtrack.symptoms import LEVEL_TITLES, Level, flag_label
from tests.factories import journal

TODAY = date(2026, 11, 20)


def status_of(store, programme, checks=None, start=None) -> PatientStatus:
    frame = load_frame(store, programme.exercise_ids)
    return patient_status(7, "Ann", frame, TODAY, start=start, outcomes=[], barrier=None,
                          sessions_per_day=programme.sessions_per_day, checks=checks)  # fmt: skip


def test_a_patient_getting_worse_with_an_unchecked_flag(store, programme):
    fever_day = TODAY - timedelta(days=2)
    store.import_entries(journal(
        programme, TODAY, 20, pain=lambda i: 3 if i < 7 else 7,
        skip=lambda i, slot: i >= 17 and slot == "evening",  # the last 3 evenings missed
        flags=lambda i, slot: ("fever",) if i == 17 and slot == "morning" else (),
    ))  # fmt: skip
    row = status_of(store, programme)
    assert (row.day, row.last_entry, row.status) == (20, TODAY, Status.WORSE)
    assert row.sessions_week == 2 * WINDOW_DAYS - 3
    assert (row.open_flags, row.level) == (("fever",), Level.URGENT)
    checked = status_of(store, programme, checks=checks_json({"fever": fever_day}))
    assert (checked.open_flags, checked.level) == ((), None)
    unreadable = status_of(store, programme, checks="not json")  # never hides a flag
    assert unreadable.open_flags == ("fever",)


def test_a_patient_with_nothing_logged(store, programme):
    row = status_of(store, programme)
    assert (row.day, row.last_entry, row.sessions_week, row.open_flags) == (None, None, 0, ())
    assert status_of(store, programme, start=TODAY - timedelta(days=2)).day == 3


def test_flags_come_first_emergency_before_urgent_then_worse_then_by_name():
    def row(name, level=None, status=Status.NO_CLEAR_PROGRESS):
        return PatientStatus(1, name, 20, TODAY, 10, status, ("x",) if level else (), level)

    rows = [row("Ann"), row("Bob", status=Status.WORSE), row("Cy", Level.URGENT),
            row("Dee", Level.EMERGENCY), row("Abe", Level.URGENT, Status.WORSE)]  # fmt: skip
    assert [r.name for r in caseload_order(rows)] == ["Dee", "Abe", "Cy", "Bob", "Ann"]


def test_the_caseload_table_says_each_row_in_words_in_the_caseload_order():
    rows = [
        PatientStatus(3, "Cy", 20, TODAY, 11, Status.WORSE, ("fever",), Level.URGENT),
        PatientStatus(4, "Dee", None, None, 0, Status.TOO_EARLY, (), None),
    ]
    expected = pd.DataFrame(
        [
            ("Cy", "20", "Fri 20 Nov 2026", 11, HEADLINES[Status.WORSE],
             f"{LEVEL_TITLES[Level.URGENT]}: {flag_label('fever')}"),
            ("Dee", "n/a", "n/a", 0, HEADLINES[Status.TOO_EARLY], ""),
        ],
        columns=list(CASELOAD_COLUMNS),
    )  # fmt: skip
    pd.testing.assert_frame_equal(caseload_table(rows), expected)
