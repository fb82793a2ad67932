"""Clinic mode in Chromium, logging in through the real OpenID Connect redirect flow: a
real `streamlit run` server on a throwaway PostgreSQL database, st.login against a local
OIDC provider for tests (oidc-provider-mock, in its own .venv-oidc: it needs pydantic 2,
the app pydantic 1). Nothing leaves localhost: the provider's login page links a CDN
stylesheet, and that request is aborted (and checked to be the only one)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from datetime import date, timedelta
from urllib.parse import urlsplit

import pytest

from backtrack.clinic.practice import PractitionerView
from backtrack.clinic.store import ClinicStore
from backtrack.entries import Entry
from backtrack.modes import DATABASE_URL_ENV
from tests.e2e.conftest import ROOT, Server, _free_port, wait_ready

pytestmark = [pytest.mark.browser, pytest.mark.clinic]

OIDC_MOCK = ROOT / ".venv-oidc" / "bin" / "oidc-provider-mock"
LOCAL_HOSTS = {"localhost", "127.0.0.1"}


@pytest.fixture
def oidc(tmp_path):
    """The provider's base URL (http://127.0.0.1:PORT): any client id and secret, a login
    form where the tester types the subject ("sub") to sign in as."""
    if not OIDC_MOCK.exists():
        pytest.fail(f"{OIDC_MOCK} is missing: run 'bash scripts/setup.sh --test'")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "oidc.log"
    proc = subprocess.Popen([OIDC_MOCK, "--host", "127.0.0.1", "--port", str(port)],
                            stdout=log.open("w"), stderr=subprocess.STDOUT)  # fmt: skip
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{url}/.well-known/openid-configuration", timeout=1):
                break
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                raise RuntimeError(f"oidc-provider-mock did not start: {log.read_text()}") from None
            time.sleep(0.2)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture
def clinic_server(tmp_path, engine, oidc):
    """The app in clinic mode. Its [auth] secrets come from a file of the test's own
    (--secrets.files), so nothing is written into .streamlit/."""
    port = _free_port()
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        f'redirect_uri = "http://localhost:{port}/oauth2callback"\n'
        'cookie_secret = "a-test-cookie-secret-that-is-long-enough"\n'
        'client_id = "backtrack-test"\n'
        'client_secret = "backtrack-test-secret"\n'
        f'server_metadata_url = "{oidc}/.well-known/openid-configuration"\n'
    )
    url = engine.url.render_as_string(hide_password=False)
    srv = Server(tmp_path / "unused.db", env={DATABASE_URL_ENV: url},
                 args=["--secrets.files", str(secrets)], port=port)  # fmt: skip
    srv.database_url = url
    yield srv
    srv.stop()


class Browsing:
    """A browser context of its own (its own login cookie) that aborts https requests and
    records every request it makes."""

    def __init__(self, browser):
        self.context = browser.new_context(viewport={"width": 1280, "height": 1200})
        self.requests: list[str] = []
        self.context.on("request", lambda r: self.requests.append(r.url))
        self.context.route("https://**", lambda route: route.abort())
        self.page = self.context.new_page()
        self.page.set_default_timeout(30_000)

    def sign_in(self, base: str, subject: str) -> None:
        page = self.page
        page.goto(base)
        page.get_by_role("button", name="Sign in").click()
        page.locator("input[name=sub]").fill(subject)  # the provider's own login form
        page.get_by_role("button", name="Authorize", exact=True).click()
        page.wait_for_url(f"{base}/**")
        wait_ready(page)

    def sign_out(self) -> None:
        """The sidebar's Sign out: Streamlit clears its login cookie and sends the browser to
        the provider's end-session endpoint (OIDC RP-initiated logout), which sends it back."""
        self.page.get_by_role("button", name="Sign out").click()
        self.page.get_by_role("button", name="End session").click()
        self.page.get_by_role("button", name="Sign in").wait_for()

    def heading(self, name: str) -> None:
        self.page.get_by_role("heading", name=name).wait_for()


def add_practitioner_from_the_cli(database_url: str, subject: str, name: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "backtrack.clinic", "add-practitioner", subject, "--name", name],
        env={**os.environ, DATABASE_URL_ENV: database_url}, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


def test_practitioner_and_patient_sign_in_through_the_provider(
    clinic_server, browser, engine, people
):
    add_practitioner_from_the_cli(clinic_server.database_url, "dr-ames", "Dr Ames")
    people.patient("ann", of="dr-ames")  # another patient of hers, with a private note
    yesterday = date.today() - timedelta(days=1)
    ClinicStore(engine, "ann").save(Entry(yesterday, "morning", 6, {}, (), "ann-secret"))

    # The practitioner signs in, sees her caseload, and creates an invite code.
    ames = Browsing(browser)
    ames.sign_in(clinic_server.url, "dr-ames")
    ames.heading("Your patients")
    assert "Signed in as" in ames.page.get_by_test_id("stSidebar").inner_text()
    ames.page.get_by_role("button", name="Create an invite code").click()
    code = ames.page.get_by_test_id("stCode").inner_text().strip()
    assert len(code.replace("-", "")) >= 12

    # A new login redeems it, logs a session, and sees only their own journal.
    dee = Browsing(browser)
    dee.sign_in(clinic_server.url, "dee")
    dee.heading("Join your practitioner")
    dee.page.get_by_label("Invite code").fill(code)
    dee.page.get_by_label("Your name, as your practitioner knows you").fill("Dee")
    dee.page.get_by_role("button", name="Join", exact=True).click()
    dee.heading("Before you start")
    dee.page.goto(f"{clinic_server.url}/log")
    dee.heading("Log a session")
    wait_ready(dee.page)
    pain = dee.page.get_by_role("radiogroup", name="Back pain now, 0-10")
    pain.get_by_text("3", exact=True).click()
    wait_ready(dee.page)
    dee.page.get_by_label("Notes (optional)").fill("dee-note")
    dee.page.get_by_role("button", name="Save", exact=True).click()
    dee.page.get_by_text("Saved:").wait_for()
    (entry,) = ClinicStore(engine, "dee").entries()
    assert (entry.date, entry.pain, entry.notes) == (date.today(), 3, "dee-note")
    dee.page.reload()
    dee.heading("Recent entries")
    wait_ready(dee.page)
    table = dee.page.get_by_test_id("stTable")
    table.get_by_role("row").filter(has_text="dee-note").wait_for()
    assert "ann-secret" not in dee.page.get_by_test_id("stMain").inner_text()
    dee.page.goto(f"{clinic_server.url}/report")
    dee.heading("Report for your practitioner")
    dee.page.get_by_test_id("stTable").filter(has_text="dee-note").wait_for()
    assert "ann-secret" not in dee.page.get_by_test_id("stMain").inner_text()
    assert [p.name for p in PractitionerView(engine, "dr-ames").patients()] == ["Ann", "Dee"]

    # The practitioner's Patients page now lists Dee.
    ames.page.reload()
    ames.heading("Your patients")
    wait_ready(ames.page)
    assert "Dee" in ames.page.get_by_test_id("stTable").inner_text()

    # Signing out returns to the sign-in page; a deep link then lands there too.
    dee.sign_out()
    dee.page.goto(f"{clinic_server.url}/log")
    dee.page.get_by_role("button", name="Sign in").wait_for()
    wait_ready(dee.page)
    text = dee.page.get_by_test_id("stMain").inner_text()
    assert "Log a session" not in text and "dee-note" not in text

    # Every request stayed on localhost but the provider's CDN stylesheet (aborted).
    for browsing in (ames, dee):
        away = {urlsplit(u).hostname for u in browsing.requests} - LOCAL_HOSTS
        assert away == {"cdn.jsdelivr.net"}, browsing.requests
    ames.context.close()
    dee.context.close()
