"""Keyboard only: log a session, change an entry, run and pause a guided session and
download the report with page.keyboard alone (no clicks), and at every stop of the Tab
key the focused element looks different from the same element unfocused."""

from __future__ import annotations

import re
from datetime import date

import pytest

from backtrack.entries import Entry
from backtrack.store import JournalStore
from tests.e2e.conftest import Server, wait_ready

pytestmark = pytest.mark.browser

ACTIVE = """() => {
  const a = document.activeElement;
  if (!a || a === document.body) return null;
  const r = a.getBoundingClientRect();
  const label = a.getAttribute('aria-label') || (a.labels?.[0]?.innerText) || a.innerText || '';
  const group = a.closest('[role=radiogroup]')?.getAttribute('aria-label') || '';
  return {label: label.replace(/\\s+/g, ' ').trim(), role: a.getAttribute('role') || a.tagName,
          group: group,
          x: r.x, y: r.y, width: r.width, height: r.height, visible: a.matches(':focus-visible')};
}"""
PAIN = "Back pain now, 0-10"
MARGIN = 6  # a focus ring may be drawn around the element (outline, box-shadow)


def focus_ring_shows(page) -> bool:
    """The focused element's surroundings look different with focus than without."""
    box = page.evaluate(ACTIVE)
    vw, vh = page.viewport_size["width"], page.viewport_size["height"]
    x, y = max(box["x"] - MARGIN, 0), max(box["y"] - MARGIN, 0)
    clip = {"x": x, "y": y, "width": min(box["width"] + 2 * MARGIN, vw - x),
            "height": min(box["height"] + 2 * MARGIN, vh - y)}  # fmt: skip
    focused = page.screenshot(clip=clip, animations="disabled")
    page.evaluate("() => { window.__kb = document.activeElement; window.__kb.blur(); }")
    unfocused = page.screenshot(clip=clip, animations="disabled")
    page.evaluate("() => window.__kb.focus()")
    return focused != unfocused


def tab_to(
    page,
    name: str,
    *,
    group: str | None = None,
    back: bool = False,
    limit: int = 80,
    ticking: bool = False,
) -> None:
    """Press Tab (Shift+Tab with `back`) until an element whose text matches `name` has
    focus, checking on the way that every element reached shows where the focus is.
    `ticking`: the screen re-renders while a hold runs, which can drop the focus back to
    the page (README, Accessibility): then Tab starts again from the top."""
    pattern = re.compile(name)
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        active = page.evaluate(ACTIVE)
        if active is None and ticking:
            continue
        assert active is not None, "Tab left the page"
        assert active["visible"], f"focus on {active} does not match :focus-visible"
        assert focus_ring_shows(page), f"no visible focus on {active['role']} {active['label']!r}"
        if active["role"] == "MAIN":
            continue  # the main area takes focus too; its text is the whole page
        if pattern.search(active["label"]) and (group is None or active["group"] == group):
            return
    raise AssertionError(f"Tab never reached {name!r}")


def go(page, url: str, heading: str) -> None:
    page.goto(url)
    page.get_by_role("heading", name=heading).first.wait_for()
    wait_ready(page)


def test_log_and_change_an_entry_with_the_keyboard_only(server, page):
    page.set_viewport_size({"width": 1280, "height": 900})
    go(page, f"{server.url}/log", "Log a session")
    # Pain: Tab into the 0-10 radio group (on 0), then arrow keys to 4.
    tab_to(page, "^0$", group=PAIN)
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    wait_ready(page)
    tab_to(page, "^Save$")
    page.keyboard.press("Enter")
    page.get_by_text("Saved:").wait_for()
    (entry,) = JournalStore(server.db).entries()
    assert (entry.date, entry.pain) == (date.today(), 4)

    # Change it: the entry is picked in the list; Edit fills the form.
    go(page, f"{server.url}/log", "Log a session")
    tab_to(page, "(^| )Edit$")  # the icon ("edit") is part of its text
    page.keyboard.press("Enter")
    page.get_by_text("Editing the entry for").wait_for()
    wait_ready(page)
    tab_to(page, "^4$", group=PAIN, back=True)  # the form is above the list
    page.keyboard.press("ArrowLeft")  # 3
    wait_ready(page)
    tab_to(page, "^Save changes$")  # on from the pain
    page.keyboard.press("Enter")
    page.get_by_text("Updated:").wait_for()
    assert JournalStore(server.db).get(date.today(), entry.slot).pain == 3


LONG_HOLD = """
[groups]
g = "Test group"

[[exercise]]
id = "knee_hugs"
name = "Knee Hugs"
group = "g"
why = "A hold long enough to reach Pause by Tab on a slow machine."
steps = ["Lie down.", "Hold your knees for 60 seconds."]
reps = 10
sided = false
hold_seconds = 60
hold_step = 2
"""


@pytest.fixture
def long_hold_server(tmp_path):
    """The programme with a 60 s hold: pressing Tab to the Pause button must not race the
    end of the hold (5 s in the real programme) on a loaded machine."""
    path = tmp_path / "long.toml"
    path.write_text(LONG_HOLD, encoding="utf-8")
    srv = Server(tmp_path / "journal.db", env={"BACKTRACK_PROGRAMME": str(path)})
    yield srv
    srv.stop()


def test_guided_session_and_report_download_with_the_keyboard_only(
    long_hold_server, page, tmp_path
):
    server = long_hold_server
    # Desktop width: on a phone Streamlit keeps the collapsed sidebar's links in the Tab
    # order while they are off screen (README, Accessibility).
    page.set_viewport_size({"width": 1280, "height": 900})
    go(page, f"{server.url}/session", "Guided session")
    tab_to(page, "Start session$")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Start 60 s hold").wait_for()
    tab_to(page, "Start 60 s hold$", ticking=True)
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Pause").wait_for()
    tab_to(page, "Pause$", ticking=True)
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Resume").wait_for()
    page.wait_for_timeout(600)  # paused: the hold does not run out
    assert "Rep 1 of 10" in page.get_by_test_id("stProgress").first.inner_text()

    JournalStore(server.db).save(Entry(date.today(), "morning", 4, {"knee_hugs": 10}))
    go(page, f"{server.url}/report", "Report for your practitioner")
    tab_to(page, "Download PDF$")
    with page.expect_download(timeout=30_000) as info:
        page.keyboard.press("Enter")
    path = tmp_path / "report.pdf"
    info.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
