from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

import pandas as pd

from backtrack.audit import AUDIT_COLUMNS, audit_table


@dataclass(frozen=True)
class Event:
    at: datetime
    text: str


def test_the_audit_table_shows_each_event_in_the_patients_time_in_order():
    events = [
        Event(datetime(2026, 11, 3, 9, 5, tzinfo=UTC), "Dr Ames viewed your Report"),
        Event(datetime(2026, 11, 2, 23, 30, tzinfo=UTC), "Dr Ames viewed your Progress page"),
    ]
    table = audit_table(events, timezone(timedelta(hours=1)))
    expected = pd.DataFrame(
        [("Tue 3 Nov 2026 10:05", "Dr Ames viewed your Report"),
         ("Tue 3 Nov 2026 00:30", "Dr Ames viewed your Progress page")],
        columns=list(AUDIT_COLUMNS),
    )  # fmt: skip
    pd.testing.assert_frame_equal(table, expected)
