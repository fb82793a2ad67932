"""The clinic database: a pooled engine for $BACKTRACK_DATABASE_URL and its migrations.

Migrations are Alembic's, kept in backtrack/clinic/migrations and configured here in code
(no alembic.ini to keep in step): `python -m backtrack.clinic migrate` brings a database up
to date, and so does the app on start.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url

from backtrack.modes import DATABASE_URL_ENV

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Connections each app process keeps open, and how many more it may open at a peak. The
# peak covers 20 sessions saving at once (scripts/bench.py --clinic): with 15 connections
# for 20 busy sessions, some waited the pool's 30 s out and their save failed.
POOL_SIZE, POOL_OVERFLOW = 5, 20


class ClinicConfigError(ValueError):
    """The database URL cannot be used; the message says why."""


def make_engine(url: str) -> Engine:
    """A pooled engine for a postgresql:// URL, on psycopg 3. Connections are checked
    before use, so a database restart costs one retry, not an error page."""
    try:
        parsed = make_url(url)
    except Exception:
        raise ClinicConfigError(f"{DATABASE_URL_ENV} is not a database URL") from None
    if parsed.get_backend_name() != "postgresql":
        raise ClinicConfigError(
            f"{DATABASE_URL_ENV} must be a postgresql:// URL (it is {parsed.drivername}://)"
        )
    return create_engine(
        parsed.set(drivername="postgresql+psycopg"),
        pool_size=POOL_SIZE,
        max_overflow=POOL_OVERFLOW,
        pool_pre_ping=True,
    )


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["engine"] = engine
    return config


def migrate(engine: Engine) -> None:
    """Bring the clinic database up to the latest schema (from empty, too)."""
    command.upgrade(alembic_config(engine), "head")


def schema_current(engine: Engine) -> bool:
    """Whether the database is at the latest migration (the app refuses to run otherwise)."""
    head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision() == head
