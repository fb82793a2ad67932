from __future__ import annotations

import subprocess
import sys

import pytest

from backtrack.clinic.accounts import role_of
from backtrack.clinic.cli import main
from backtrack.clinic.db import DATABASE_URL_ENV
from backtrack.clinic.practice import PractitionerView
from tests.clinic_fixtures import database

pytestmark = pytest.mark.clinic


def test_a_new_clinic_is_migrated_and_gets_its_first_practitioner(pg, monkeypatch, capsys):
    with database(pg) as engine:
        url = engine.url.render_as_string(hide_password=False)
        monkeypatch.setenv(DATABASE_URL_ENV, url.replace("+psycopg", ""))
        assert main(["add-practitioner", "sub-1", "--name", "Dr Ames"]) == 1
        assert "migrate' first" in capsys.readouterr().err
        done = subprocess.run([sys.executable, "-m", "backtrack.clinic", "migrate"],
                              capture_output=True, text=True)  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert main(["add-practitioner", "sub-1", "--name", "Dr Ames"]) == 0
        assert "Dr Ames (sub-1) can now sign in as a practitioner" in capsys.readouterr().out
        assert role_of(engine, "sub-1") == "practitioner"
        assert PractitionerView(engine, "sub-1").patients() == []
        assert main(["add-practitioner", "sub-1", "--name", "Dr Ames"]) == 1
        assert "subject: 'sub-1' is already a user here" in capsys.readouterr().err


def test_the_database_must_be_given_and_reachable(pg, monkeypatch, capsys):
    monkeypatch.delenv(DATABASE_URL_ENV, raising=False)
    assert main(["migrate"]) == 1
    assert f"set {DATABASE_URL_ENV}" in capsys.readouterr().err
    assert main(["--database-url", "sqlite:///x.db", "migrate"]) == 1
    assert "must be a postgresql:// URL" in capsys.readouterr().err
    assert main(["--database-url", pg.url("no_such_db"), "migrate"]) == 1
    assert "cannot reach the clinic database" in capsys.readouterr().err


def test_an_invite_from_the_command_line_lets_one_person_join(engine, people, monkeypatch, capsys):
    from datetime import UTC, datetime

    from backtrack.clinic.accounts import redeem_invite

    url = engine.url.render_as_string(hide_password=False)
    monkeypatch.setenv(DATABASE_URL_ENV, url)
    assert main(["invite", "nobody"]) == 1
    assert "only a practitioner can create invite codes" in capsys.readouterr().err
    people.practitioner("me-admin", "Me")
    assert main(["invite", "me-admin", "--days", "2"]) == 0
    code, rest = capsys.readouterr().out.split("  ", 1)
    assert "works once, for 2 days" in rest
    redeem_invite(engine, "me-on-my-phone", "Me", code, datetime.now(UTC))
    assert [p.name for p in PractitionerView(engine, "me-admin").patients()] == ["Me"]
