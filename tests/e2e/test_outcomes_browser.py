"""In Chromium: the due PSFS/PGIC questions on Today, then the leg-pain line and the PSFS
chart on Progress."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest

from backtrack.outcomes import Outcome
from backtrack.programme import load_programme
from backtrack.store import JournalStore
from tests.e2e.conftest import wait_ready
from tests.factories import journal

pytestmark = pytest.mark.browser


def test_day_14_questions_then_the_new_charts(server, page, tmp_path):
    programme = load_programme()
    today = date.today()
    store = JournalStore(server.db)
    entries = journal(programme, today, 14, pain=lambda i: 5 if i < 7 else 4)
    store.import_entries([dataclasses.replace(e, leg_pain=3) for e in entries])
    day2 = today - timedelta(days=12)
    store.save_outcomes([Outcome(day2, "psfs", 1, 2, "Walking"),
                         Outcome(day2, "psfs", 2, 3, "Putting on socks")])  # fmt: skip

    page.set_viewport_size({"width": 1000, "height": 2600})
    page.goto(server.url)
    page.get_by_role("heading", name="A few questions about your back").wait_for()
    wait_ready(page)
    page.get_by_role("radiogroup", name="Walking: how able today").get_by_text(
        "6", exact=True).click()  # fmt: skip
    page.get_by_role("radiogroup", name="Putting on socks: how able today").get_by_text(
        "5", exact=True).click()  # fmt: skip
    page.get_by_role("radiogroup", name="Since starting this programme").get_by_text(
        "2. Much improved").click()  # fmt: skip
    page.get_by_role("button", name="Save answers").click()
    page.get_by_text("Saved your answers").wait_for()
    wait_ready(page)
    assert len(store.outcomes()) == 5
    page.get_by_role("heading", name="Improving").wait_for()
    assert page.get_by_role("heading", name="A few questions about your back").count() == 0

    page.get_by_test_id("stSidebarNav").get_by_text("Progress", exact=True).click()
    page.get_by_role("heading", name="Progress").wait_for()
    wait_ready(page)
    charts = page.get_by_test_id("stVegaLiteChart")
    charts.nth(4).wait_for()
    page.wait_for_timeout(500)  # let Vega finish drawing
    assert charts.count() == 5
    # Vega's accessible marks and axes carry the tooltips' and axes' titles.
    pain, function = charts.nth(0).inner_html(), charts.nth(4).inner_html()
    assert "Leg pain (day mean): 3" in pain
    assert "Y-axis titled 'Ability (PSFS, 0-10)'" in function
    assert "Walking" in function and "Putting on socks" in function
    charts.nth(4).screenshot(path=str(tmp_path / "psfs.png"))
