from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import streamlit as st

from backtrack.programme import load_programme
from backtrack.store import JournalStore
from tests.clinic_fixtures import empty_engine, engine, migrated, people, pg  # noqa: F401

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    """Each test: its own journal file and cold Streamlit caches; never the user's journal."""
    monkeypatch.setenv("BACKTRACK_DB", str(tmp_path / "journal.db"))
    monkeypatch.delenv("BACKTRACK_PROGRAMME", raising=False)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def programme():
    return load_programme()


@pytest.fixture
def store(tmp_path) -> JournalStore:
    return JournalStore(tmp_path / "journal.db")


@pytest.fixture
def today() -> date:
    return date.today()


def pytest_collection_modifyitems(config, items):
    """`-m clinic` must select exactly the tests that need PostgreSQL (the `pg` fixture):
    a test that uses it unmarked would run, and fail, on a machine without it."""
    unmarked = [
        i.nodeid
        for i in items
        if "pg" in getattr(i, "fixturenames", ()) and not i.get_closest_marker("clinic")
    ]
    if unmarked:
        raise pytest.UsageError(
            "these tests use PostgreSQL but are not marked clinic "
            "(pytestmark = pytest.mark.clinic): " + ", ".join(unmarked)
        )
