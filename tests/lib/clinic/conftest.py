"""The clinic data-layer tests: the shared fixtures are in tests/clinic_fixtures.py; here, the
`store` they run the shared contract tests against."""

from __future__ import annotations

import pytest

from backtrack.clinic.store import ClinicStore


@pytest.fixture
def store(engine, people) -> ClinicStore:
    """A patient's own journal (overrides the local `store`: the shared contract tests
    imported into this folder run against PostgreSQL)."""
    people.practitioner("dr-ames")
    return ClinicStore(engine, people.patient("pat", of="dr-ames"))
