from __future__ import annotations

import pytest

from backtrack.store import JournalStore
from tests.e2e.conftest import wait_ready
from tests.factories import as_exported_now

pytestmark = pytest.mark.browser

HEADER = "date,slot,pain,knee_hugs,knee_drops,clam,glute_bridge,psoas_stretch,flags,notes"
GOOD = f"{HEADER}\n2026-11-01,morning,5,10,5,10,10,3,,first\n2026-11-01,evening,4,0,0,0,0,0,,rest\n"


def open_data(page, server):
    page.goto(f"{server.url}/data")
    page.get_by_role("heading", name="Your data").wait_for()
    wait_ready(page)


def test_first_visit_straight_to_a_page_gets_the_apps_navigation(server, page):
    open_data(page, server)  # a fresh server: this is its first visit
    nav = page.get_by_test_id("stSidebarNav")
    assert nav.get_by_text("Today", exact=True).count() == 1
    assert nav.get_by_text("app", exact=True).count() == 0
    assert "does not diagnose" in page.get_by_test_id("stSidebar").inner_text()


def upload(page, tmp_path, text: str) -> None:
    path = tmp_path / "journal.csv"
    path.write_text(text, encoding="utf-8")
    page.locator("input[type='file']").set_input_files(path)
    page.get_by_role("button", name="Import", exact=True).click()


def test_import_a_csv_then_export_it_back(server, page, tmp_path):
    open_data(page, server)
    upload(page, tmp_path, GOOD)
    page.get_by_text("2 added, 0 replaced, 0 unchanged").wait_for()
    assert len(JournalStore(server.db).entries()) == 2

    page.reload()
    wait_ready(page)
    with page.expect_download() as info:
        page.get_by_role("button", name="Download the journal as CSV (2 entries)").click()
    exported = tmp_path / "out.csv"
    info.value.save_as(exported)
    # Exported with the (empty) reactions column the imported file did not have.
    assert exported.read_text(encoding="utf-8") == as_exported_now(GOOD)


def test_a_bad_file_is_rejected_whole_with_row_and_column(server, page, tmp_path):
    open_data(page, server)
    upload(page, tmp_path, f"{HEADER}\n2026-11-01,morning,5,,,,,,,\n2026-11-02,noon,11,,,,,,,\n")
    page.get_by_text("was not imported; your journal is unchanged").wait_for()
    page.get_by_text("row 3, column slot").wait_for()
    body = page.get_by_test_id("stMain").inner_text()
    assert "2 problem(s)" in body
    assert "row 3, column slot: 'noon' is not a slot" in body
    assert "row 3, column pain: 11 is outside 0-10" in body
    assert JournalStore(server.db).entries() == []
