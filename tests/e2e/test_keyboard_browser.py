"""Keyboard only: log a session, change an entry, run and pause a guided session and
download the report with page.keyboard alone (no clicks), and at every stop of the Tab
key the focused element looks different from the same element unfocused."""

from __future__ import annotations

import re
from datetime import date

import pytest

from backtrack.entries import Entry
from backtrack.store import JournalStore
from tests.e2e.conftest import wait_ready

pytestmark = pytest.mark.browser

ACTIVE = """() => {
  let a = document.activeElement;
  while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;  // the session clock
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
    page.evaluate("""() => {
      let a = document.activeElement;
      while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
      window.__kb = a; a.blur(); }""")
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
) -> None:
    """Press Tab (Shift+Tab with `back`) until an element whose text matches `name` has
    focus, checking on the way that every element reached shows where the focus is."""
    pattern = re.compile(name)
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        active = page.evaluate(ACTIVE)
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


def test_guided_session_and_report_download_with_the_keyboard_only(server, page, tmp_path):
    # Desktop width: on a phone Streamlit keeps the collapsed sidebar's links in the Tab
    # order while they are off screen (README, Accessibility).
    page.set_viewport_size({"width": 1280, "height": 900})
    go(page, f"{server.url}/session", "Guided session")
    tab_to(page, "Start session$")
    page.keyboard.press("Enter")
    word = page.locator("[data-ref='word']")
    word.get_by_text("Next: Knee Hugs").wait_for()
    page.keyboard.press("Space")  # from anywhere on the page
    word.get_by_text("Paused").wait_for()
    # The clock's own buttons are reached by Tab, show their focus, and keep it (the
    # screen is no longer re-drawn from the server while the time runs).
    tab_to(page, "^Resume$")
    page.keyboard.press("Enter")
    word.get_by_text("Next: Knee Hugs").wait_for()
    assert page.evaluate(ACTIVE)["label"] == "Pause"
    page.keyboard.press("Enter")
    word.get_by_text("Paused").wait_for()
    page.wait_for_timeout(600)  # paused: the session does not move on
    assert page.locator("[data-ref='labels']").inner_text() == "Exercise 1 of 5 · Rep 1 of 10"
    tab_to(page, "^Skip rep$")
    page.keyboard.press("Enter")
    page.locator("[data-ref='labels']").get_by_text("Rep 2 of 10").wait_for()

    JournalStore(server.db).save(Entry(date.today(), "morning", 4, {"knee_hugs": 10}))
    go(page, f"{server.url}/report", "Report for your practitioner")
    tab_to(page, "Download PDF$")
    with page.expect_download(timeout=30_000) as info:
        page.keyboard.press("Enter")
    path = tmp_path / "report.pdf"
    info.value.save_as(path)
    assert path.read_bytes().startswith(b"%PDF")
