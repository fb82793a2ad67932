from __future__ import annotations

from datetime import date

import pytest

from backtrack.store import JournalStore
from backtrack.symptoms import flag_label
from tests.e2e.conftest import wait_ready

pytestmark = pytest.mark.browser


def pick_pain(page, value: int) -> None:
    group = page.get_by_role("radiogroup", name="Back pain now, 0-10")
    group.get_by_text(str(value), exact=True).click()
    wait_ready(page)


def test_log_a_session_reload_and_see_it_listed(server, page):
    page.goto(f"{server.url}/log")
    page.get_by_role("heading", name="Log a session").wait_for()
    wait_ready(page)
    page.get_by_text("Knee Drops", exact=False).first.click()  # untick one exercise
    wait_ready(page)
    pick_pain(page, 4)
    page.get_by_label("Notes (optional)").fill("Felt looser after the bridge")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("Saved:").wait_for()

    (entry,) = JournalStore(server.db).entries()
    assert (entry.date, entry.pain, entry.notes) == (
        date.today(),
        4,
        "Felt looser after the bridge",
    )
    assert "knee_drops" not in entry.reps and entry.reps["knee_hugs"] == 10

    page.reload()
    page.get_by_role("heading", name="Recent entries").wait_for()
    wait_ready(page)
    table = page.get_by_test_id("stTable")
    row = table.get_by_role("row").filter(has_text=date.today().isoformat())
    row.first.wait_for()
    assert row.count() == 1
    assert "Felt looser after the bridge" in row.inner_text()
    assert "4 of 5" in row.inner_text()


def test_ticking_a_red_flag_shows_urgent_advice(server, page):
    page.goto(f"{server.url}/log")
    page.get_by_role("heading", name="Log a session").wait_for()
    wait_ready(page)
    page.get_by_text("New or worrying symptoms (optional)").click()
    page.get_by_text(flag_label("saddle_numbness")).click()
    wait_ready(page)
    alert = page.get_by_test_id("stAlertContentError")
    alert.wait_for()
    assert "call 999 or go to A&E" in alert.inner_text()
    page.screenshot(path=server.db.with_name("red-flag.png"))
