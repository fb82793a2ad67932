from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from backtrack.programme import load_programme
from backtrack.store import JournalStore
from tests.e2e.conftest import wait_ready
from tests.factories import journal

pytestmark = pytest.mark.browser

HOSTILE = "**not bold** <script>window.pwned=1</script> [link](http://example.com) - ok"


def seed(server) -> None:
    JournalStore(server.db).import_entries(
        journal(load_programme(), date.today(), 20, pain=lambda i: 6 if i < 7 else 3,
                notes=lambda i, slot: HOSTILE if (i, slot) == (19, "morning") else "")
    )  # fmt: skip


def test_report_pdf_downloads_with_the_summary(server, page, tmp_path):
    seed(server)
    page.set_viewport_size({"width": 1000, "height": 1800})
    page.goto(f"{server.url}/report")
    page.get_by_role("heading", name="Report for your practitioner").wait_for()
    wait_ready(page)
    page.get_by_role("textbox", name="Name or initials (optional)").fill("Zoë Ł.")
    page.keyboard.press("Enter")
    wait_ready(page)
    with page.expect_download(timeout=30_000) as info:
        page.get_by_role("button", name="Download PDF").click()
    path = tmp_path / "report.pdf"
    info.value.save_as(path)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(path.read_bytes())).pages)
    assert "Zoë Ł." in text and "Improving" in text and "-50%" in text
    assert HOSTILE.split(" <")[0] in text  # the note prints literally


def test_user_text_shows_literally_and_never_as_html(server, page):
    seed(server)
    for path, heading in (("/report", "Report for your practitioner"), ("/log", "Recent entries")):
        page.goto(f"{server.url}{path}")
        page.get_by_role("heading", name=heading).wait_for()
        wait_ready(page)
        cell = page.get_by_test_id("stTable").get_by_text("**not bold**", exact=False)
        cell.first.wait_for()
        assert HOSTILE in cell.first.inner_text()
        assert page.evaluate("window.pwned") is None
        # The Markdown link stays as typed; a bare address may be made clickable, but a link
        # never hides where it goes behind other text.
        for link in cell.first.locator("a").all():
            assert link.inner_text() == link.get_attribute("href")
