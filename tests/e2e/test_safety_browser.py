"""The safety layer in Chromium: the first-run screen, its advice, "I have had this
checked", and the stop advice after "Symptoms down my leg" in a guided session."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from backtrack.entries import Entry
from backtrack.pacing import Pacing
from backtrack.screening import HISTORY_ADVICE, SCREEN_KEY, ScreenAnswers
from backtrack.store import JournalStore
from backtrack.symptoms import STOP_ADVICE
from tests.e2e.conftest import wait_ready

pytestmark = pytest.mark.browser


def test_first_run_asks_the_safety_questions_and_advises_on_a_yes(server, page):
    page.goto(server.url)
    page.get_by_role("heading", name="Before you start").wait_for()
    wait_ready(page)
    page.get_by_role("radiogroup", name="Have you ever had cancer?").get_by_text(
        "Yes", exact=True).click()  # fmt: skip
    page.get_by_role("button", name="Save my answers").click()
    page.get_by_text(HISTORY_ADVICE).wait_for()
    page.get_by_role("link", name="Go on to the exercises").click()
    page.get_by_role("heading", name="Your exercises").wait_for()
    saved = ScreenAnswers.from_json(JournalStore(server.db).get_setting(SCREEN_KEY))
    assert saved.history == {"cancer": True}


def test_i_have_had_this_checked_stops_the_red_flag_banner(server, page):
    store = JournalStore(server.db)
    store.set_setting(SCREEN_KEY, ScreenAnswers(date.today()).to_json())
    store.save(Entry(date.today() - timedelta(days=1), "morning", 6, {}, ("chest_pain",)))
    page.goto(server.url)
    page.get_by_role("heading", name="Today").wait_for()
    wait_ready(page)
    banner = page.get_by_text("call 999 or go to A&E")
    assert banner.count() == 1
    page.get_by_role("button", name="I have had this checked").click()
    page.get_by_text("you said they have been checked").wait_for()
    assert page.get_by_text("call 999 or go to A&E").count() == 0


def test_symptoms_down_my_leg_shows_the_stop_advice_at_once(server, page):
    JournalStore(server.db).set_setting(SCREEN_KEY, ScreenAnswers(date.today()).to_json())
    page.clock.install()
    page.goto(f"{server.url}/session")
    page.get_by_role("heading", name="Guided session").wait_for()
    wait_ready(page)
    page.get_by_role("button", name="Start session").click()
    labels = page.locator("[data-ref='labels']")
    for rep in range(1, 10):  # to the last knee hug, then do that one
        page.get_by_role("button", name="Skip rep").click()
        labels.get_by_text(f"Rep {rep + 1} of 10").wait_for()
    page.clock.run_for(int((Pacing().get_ready + 5 + 1.5) * 1000))  # its get-ready and 5 s hold
    page.get_by_text("How did Knee Hugs feel?").wait_for(timeout=30_000)
    page.get_by_role("button", name="Symptoms down my leg").click()
    page.get_by_text(STOP_ADVICE).wait_for()
    assert page.get_by_text("How did Knee Hugs feel?").count() == 0
