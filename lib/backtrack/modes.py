"""Which way BackTrack runs: local (the default: one journal file, no login) or clinic
(PostgreSQL behind a login), chosen by $BACKTRACK_DATABASE_URL. Kept apart from
backtrack.clinic so that local mode can ask without importing the clinic's database code."""

from __future__ import annotations

import os

DATABASE_URL_ENV = "BACKTRACK_DATABASE_URL"


def database_url() -> str | None:
    """$BACKTRACK_DATABASE_URL, or None: local mode."""
    return os.environ.get(DATABASE_URL_ENV) or None
