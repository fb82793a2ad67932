"""Fixtures of the clinic tests: a throwaway PostgreSQL cluster for the session, a new
database per test, and people in it (practitioners, and patients who joined by invite).
Registered in tests/conftest.py, so the data-layer, page and browser tests share one
cluster."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine

from backtrack.clinic.accounts import add_practitioner, create_invite, redeem_invite
from backtrack.clinic.db import make_engine, migrate
from backtrack.clinic.store import ClinicStore
from tests.postgres import cluster

NOW = datetime(2026, 11, 3, 9, 0, tzinfo=UTC)
_names = itertools.count()


@pytest.fixture(scope="session")
def pg():
    with cluster() as c:
        yield c


@contextmanager
def database(pg, template: str = "template1") -> Iterator[Engine]:
    """An engine on a new database of the throwaway cluster, a copy of `template`."""
    name = f"t{next(_names)}"
    with pg.admin() as conn:
        conn.execute(f"CREATE DATABASE {name} TEMPLATE {template}")
    engine = make_engine(pg.url(name))
    try:
        yield engine
    finally:
        engine.dispose()
        with pg.admin() as conn:
            conn.execute(f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture(scope="session")
def migrated(pg) -> str:
    """A database migrated once, copied for each test (faster than migrating each)."""
    with pg.admin() as conn:
        conn.execute("CREATE DATABASE migrated")
    engine = make_engine(pg.url("migrated"))
    migrate(engine)
    engine.dispose()
    return "migrated"


@pytest.fixture
def empty_engine(pg):
    with database(pg) as engine:
        yield engine


@pytest.fixture
def engine(pg, migrated):
    """An engine on a new database at the latest schema."""
    with database(pg, migrated) as engine:
        yield engine


class People:
    """Make practitioners and patients the way the app does: the CLI adds a practitioner,
    a patient redeems that practitioner's invite."""

    def __init__(self, engine):
        self.engine = engine

    def practitioner(self, subject: str, name: str | None = None) -> str:
        add_practitioner(self.engine, subject, name or f"Dr {subject}", NOW)
        return subject

    def patient(self, subject: str, of: str) -> str:
        code = create_invite(self.engine, of, NOW)
        redeem_invite(self.engine, subject, subject.title(), code, NOW)
        return subject

    def patient_id(self, subject: str) -> int:
        return ClinicStore(self.engine, subject).patient_id


@pytest.fixture
def people(engine) -> People:
    return People(engine)
