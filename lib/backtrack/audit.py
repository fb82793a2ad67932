"""The clinic's audit log as a patient reads it on their Data page: when, and who did what
with their journal (events from backtrack.clinic.store.ClinicStore.audit_log)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo
from typing import Protocol

import pandas as pd

from backtrack.fmt import fmt_date_time

AUDIT_COLUMNS = ("When", "What happened")


class Event(Protocol):
    at: datetime
    text: str


def audit_table(events: Sequence[Event], zone: tzinfo | None = None) -> pd.DataFrame:
    """One row per event, in the given order, times in `zone` (None: this computer's)."""
    rows = [(fmt_date_time(e.at.astimezone(zone)), e.text) for e in events]
    return pd.DataFrame(rows, columns=list(AUDIT_COLUMNS))
