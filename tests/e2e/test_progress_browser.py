from __future__ import annotations

from datetime import date, timedelta

import pytest

from backtrack.entries import Entry
from backtrack.programme import load_programme
from backtrack.store import JournalStore
from tests.e2e.conftest import wait_ready
from tests.factories import journal

pytestmark = pytest.mark.browser


def metric(page, label: str) -> str:
    box = page.get_by_test_id("stMetric").filter(has_text=label)
    return box.get_by_test_id("stMetricValue").inner_text()


def charts_png(page) -> list[bytes]:
    charts = page.get_by_test_id("stVegaLiteChart")
    charts.first.wait_for()
    page.wait_for_timeout(500)  # let Vega finish drawing
    return [charts.nth(i).screenshot() for i in range(charts.count())]


def test_logging_a_session_updates_today_and_the_progress_charts(server, page):
    programme = load_programme()
    yesterday = date.today() - timedelta(days=1)
    store = JournalStore(server.db)
    store.import_entries(journal(programme, yesterday, 5, pain=lambda i: 6))

    page.set_viewport_size({"width": 1000, "height": 2400})
    page.goto(server.url)
    page.get_by_role("heading", name="Today").wait_for()
    wait_ready(page)
    assert metric(page, "Sessions today") == "0 of 2"
    assert metric(page, "Programme day") == "6"

    page.get_by_test_id("stSidebarNav").get_by_text("Progress", exact=True).click()
    page.get_by_role("heading", name="Progress").wait_for()
    wait_ready(page)
    before = charts_png(page)
    assert len(before) == 4

    page.get_by_test_id("stSidebarNav").get_by_text("Log", exact=True).click()
    page.get_by_role("heading", name="Log a session").wait_for()
    wait_ready(page)
    page.get_by_role("radiogroup", name="Back pain now, 0-10").get_by_text("1", exact=True).click()
    wait_ready(page)
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("Saved:").wait_for()

    page.get_by_test_id("stSidebarNav").get_by_text("Today", exact=True).click()
    page.get_by_role("heading", name="Today").wait_for()
    wait_ready(page)
    assert metric(page, "Sessions today") == "1 of 2"

    page.get_by_test_id("stSidebarNav").get_by_text("Progress", exact=True).click()
    page.get_by_role("heading", name="Progress").wait_for()
    wait_ready(page)
    after = charts_png(page)
    assert after[0] != before[0]  # the pain trend has today's point
    assert after[1] != before[1]  # the calendar has today's session
    assert store.get(date.today(), "morning") == Entry(
        date.today(), "morning", 1, {e.id: e.reps_max for e in programme.exercises})  # fmt: skip
