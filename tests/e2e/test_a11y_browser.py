"""WCAG 2.2 AA, checked by axe-core in Chromium: every page, light and dark themes, desktop
and phone widths, an empty and a three-week journal, the hands-free guided session
running and paused (its clock's shadow DOM included, and its targets at least 24 px)
and stopped, and every "Show the numbers" table open. Any violation fails, except the
one Streamlit-internal case the README names (Accessibility)."""

from __future__ import annotations

import dataclasses
import time
from datetime import date, timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe

from backtrack.outcomes import Outcome
from backtrack.programme import load_programme
from backtrack.store import JournalStore
from tests.e2e.conftest import Server, wait_ready
from tests.factories import journal

pytestmark = pytest.mark.browser

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_22_AA}, "resultTypes": ["violations"]}
AXE = Axe()

PAGES = [
    ("", "Today"),
    ("log", "Log a session"),
    ("session", "Guided session"),
    ("exercises", "Your exercises"),
    ("progress", "Progress"),
    ("report", "Report for your practitioner"),
    ("data", "Your data"),
]
# With an empty journal only these pages differ (no charts, no entries); on first use the
# app opens on the safety questions ("Before you start") instead of Today.
EMPTY_PAGES = [("", "Before you start")] + [
    p for p in PAGES if p[0] in ("log", "progress", "report", "data")
]
BACKGROUND = {"light": "rgb(255, 255, 255)", "dark": "rgb(23, 22, 20)"}


def allowed(page, rule: str, node: dict) -> bool:
    """The documented Streamlit-internal violation (README, Accessibility): st.table's
    scroll wrapper, when a table is wider than a phone screen, cannot take keyboard focus;
    Streamlit gives it no tabindex and no setting adds one."""
    if rule != "scrollable-region-focusable":
        return False
    return page.evaluate(
        "s => document.querySelector(s)?.parentElement?.dataset.testid === 'stTable'",
        node["target"][0],
    )


def scan(page, where: str) -> list[str]:
    """axe over the page as it is now: one line per element that breaks a rule."""
    results = AXE.run(page, options=OPTIONS).response["violations"]
    return [
        f"{where}: {v['id']} ({v['impact']}) {node['target']} {node['html'][:120]} -- "
        + "; ".join(c["message"] for c in node["any"] + node["all"] + node["none"])
        for v in results
        for node in v["nodes"]
        if not allowed(page, v["id"], node)
    ]


def target_sizes(page, where: str) -> list[str]:
    """WCAG 2.5.8: every button and control of the session clock is at least 24 x 24 px."""
    small = page.evaluate("""() => {
      const root = document.querySelector('[data-testid=stBidiComponentIsolated]').shadowRoot;
      return [...root.querySelectorAll('button, input')]
        .filter(e => e.offsetParent !== null)
        .map(e => ({name: e.innerText || e.type, ...e.getBoundingClientRect().toJSON()}))
        .filter(r => r.width < 24 || r.height < 24)
        .map(r => `${r.name} ${r.width}x${r.height}`);
    }""")
    return [f"{where}: target smaller than 24 px: {s}" for s in small]


def open_page(page, server: Server, path: str, heading: str) -> None:
    page.goto(f"{server.url}/{path}")
    page.get_by_role("heading", name=heading).first.wait_for()
    wait_ready(page)
    for numbers in page.get_by_text("Show the numbers", exact=True).all():
        numbers.click()  # axe checks what is shown: open every table of numbers
    wait_ready(page)


def seed(db) -> None:
    """Three weeks, twice daily: pain falling, leg pain on some days, a red flag, some notes;
    the PSFS activities rated on day 2, so Today asks for the re-rating and the PGIC and
    Progress draws the PSFS chart."""
    entries = journal(
        load_programme(),
        date.today(),
        21,
        pain=lambda i: 6 if i < 7 else 3,
        flags=lambda i, slot: ("fever",) if (i, slot) == (16, "morning") else (),
        notes=lambda i, slot: "Stiff in the morning" if i % 5 == 0 else "",
    )
    store = JournalStore(db)
    store.import_entries(
        [
            dataclasses.replace(e, leg_pain=e.date.day % 4) if e.slot == "evening" else e
            for e in entries
        ]
    )
    day2 = date.today() - timedelta(days=19)
    store.save_outcomes(
        [
            Outcome(day2, "psfs", 1, 3, "Putting on socks"),
            Outcome(day2, "psfs", 2, 4, "Sitting for an hour"),
        ]
    )


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    empty = Server(tmp_path_factory.mktemp("empty") / "journal.db")
    full_db = tmp_path_factory.mktemp("full") / "journal.db"
    seed(full_db)
    full = Server(full_db)
    yield {"empty": empty, "full": full}
    empty.stop()
    full.stop()


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_page_and_state_meets_wcag_22_aa(browser, servers, theme, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=theme)
    page = context.new_page()
    page.set_default_timeout(20_000)
    found: list[str] = []
    started = time.monotonic()
    try:
        for state, pages in (("empty", EMPTY_PAGES), ("full", PAGES)):
            for path, heading in pages:
                open_page(page, servers[state], path, heading)
                found += scan(page, f"{state} journal, /{path}")
        # The theme followed the browser's colour scheme (else we checked one theme twice).
        background = page.get_by_test_id("stApp").evaluate(
            "e => getComputedStyle(e).backgroundColor"
        )
        assert background == BACKGROUND[theme]

        # The safety questions answered with a "yes": the advice shown before the programme.
        open_page(page, servers["full"], "safety", "Before you start")
        page.get_by_role("radiogroup", name="Have you ever had cancer?").get_by_text(
            "Yes", exact=True).click()  # fmt: skip
        page.get_by_role("button", name="Save my answers").click()
        page.get_by_text("Because of your answers").wait_for()
        wait_ready(page)
        found += scan(page, "safety questions with advice")

        # The guided session, hands-free: the clock running a hold, then paused.
        open_page(page, servers["full"], "session", "Guided session")
        page.get_by_role("button", name="Start session").click()
        word = page.locator("[data-ref='word']")
        word.get_by_text("Next: Knee Hugs").wait_for()
        wait_ready(page)
        found += scan(page, "guided session, running")
        page.keyboard.press("Space")
        word.get_by_text("Paused").wait_for()
        found += scan(page, "guided session, paused")
        found += target_sizes(page, "guided session clock")
        page.get_by_role("button", name="Quit session").click()
        page.get_by_role("heading", name="Session stopped").wait_for()
        wait_ready(page)
        found += scan(page, "guided session, stopped")
        page.get_by_role("button", name="Discard").click()  # the next theme starts afresh
        page.get_by_role("button", name="Start session").wait_for()
    finally:
        context.close()
    print(f"axe, {theme} {width} px: {time.monotonic() - started:.0f} s")
    assert not found, f"{len(found)} WCAG 2.2 AA violation(s):\n" + "\n".join(found)
