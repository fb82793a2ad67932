from __future__ import annotations

import time
from datetime import date

import pytest

from backtrack.store import JournalStore
from tests.e2e.conftest import Server, wait_ready

pytestmark = pytest.mark.browser

SHORT_PROGRAMME = """
[groups]
g = "Test group"

[[exercise]]
id = "knee_hugs"
name = "Knee Hugs"
group = "g"
why = "Short test dose."
steps = ["Lie down.", "Hold the knees.", "Hold for 2 seconds."]
reps = 2
sided = false
hold_seconds = 2
picture = "knee_hugs.svg"

[[exercise]]
id = "clam"
name = "The Clam"
group = "g"
why = "Short test dose."
steps = ["Lie on your side.", "Lift the top knee."]
reps = 1
sided = true
side_word = "leg"
"""


@pytest.fixture
def short_server(tmp_path):
    path = tmp_path / "short.toml"
    path.write_text(SHORT_PROGRAMME, encoding="utf-8")
    srv = Server(tmp_path / "journal.db", env={"BACKTRACK_PROGRAMME": str(path)})
    yield srv
    srv.stop()


def click_until(page, button: str, shows: str, tries: int = 3) -> None:
    """Click a button of the ticking exercise screen until `shows` appears: a click that
    lands while the screen re-renders (five times a second) can be lost."""
    for _ in range(tries):
        page.get_by_role("button", name=button).click()
        try:
            page.get_by_text(shows).first.wait_for(timeout=5000)
            return
        except Exception:  # noqa: BLE001 - retried; the last wait below reports it
            continue
    page.get_by_text(shows).first.wait_for()


def step_label(page) -> str:
    return page.get_by_test_id("stProgress").first.inner_text()


def test_short_guided_session_counts_down_and_logs_what_was_done(short_server, page):
    page.goto(f"{short_server.url}/session")
    page.get_by_role("heading", name="Guided session").wait_for()
    wait_ready(page)
    page.get_by_role("button", name="Start session").click()
    page.get_by_role("button", name="Start 2 s hold").wait_for()
    assert "Exercise 1 of 2 · Rep 1 of 2" in step_label(page)
    # The doses come from the programme file: a 2 s hold, 2 reps.
    page.get_by_role("button", name="Start 2 s hold").click()
    page.get_by_role("button", name="Pause").wait_for()
    seen = set()
    deadline = time.monotonic() + 6
    while "Rep 2 of 2" not in step_label(page) and time.monotonic() < deadline:
        values = page.get_by_test_id("stMetricValue").all_inner_texts()
        seen.update(values)
        page.wait_for_timeout(100)
    assert "Rep 2 of 2" in step_label(page), "the hold did not end"
    assert "1 s" in seen  # it counted down on the page
    page.get_by_role("button", name="Start 2 s hold").click()
    page.get_by_text("Exercise 2 of 2").wait_for(timeout=6000)
    click_until(page, "Done: next rep", "Right leg")  # no side labels in this programme
    click_until(page, "Done: next rep", "Session complete")

    page.get_by_role("button", name="Log this session").click()
    page.get_by_role("heading", name="Log a session").wait_for()
    wait_ready(page)
    page.get_by_role("radiogroup", name="Back pain now, 0-10").get_by_text("2", exact=True).click()
    wait_ready(page)
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("Saved:").wait_for()
    (entry,) = JournalStore(short_server.db).entries()
    assert (entry.date, entry.pain, entry.reps) == (date.today(), 2, {"knee_hugs": 2, "clam": 1})
