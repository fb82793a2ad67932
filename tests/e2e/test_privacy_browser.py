from __future__ import annotations

from urllib.parse import urlparse

import pytest

from tests.e2e.conftest import wait_ready

pytestmark = pytest.mark.browser

PAGES = [
    ("", "Today"),
    ("log", "Log a session"),
    ("session", "Guided session"),
    ("exercises", "Your exercises"),
    ("progress", "Progress"),
    ("report", "Report for your practitioner"),
    ("data", "Your data"),
]


def test_every_request_stays_on_this_machine(server, page):
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("websocket", lambda ws: requests.append(ws.url))

    # Log a session so the charts, tables and report have something to show.
    page.goto(f"{server.url}/log")
    page.get_by_role("heading", name="Log a session").wait_for()
    wait_ready(page)
    page.get_by_role("radiogroup", name="Back pain now, 0-10").get_by_text("3", exact=True).click()
    wait_ready(page)
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("Saved:").wait_for()
    for path, heading in PAGES:
        page.goto(f"{server.url}/{path}")
        page.get_by_role("heading", name=heading).first.wait_for()
        wait_ready(page)
        page.wait_for_timeout(300)  # fonts, icons and images the page asks for

    assert len(requests) > 20
    hosts = {urlparse(url).hostname for url in requests if urlparse(url).scheme not in (
        "data", "blob", "about")}  # fmt: skip
    assert hosts == {"localhost"}, sorted(set(requests) - {u for u in requests if "localhost" in u})
