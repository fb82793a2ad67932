from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.downloads import downloads  # noqa: F401  (a fixture: what a download sends)


def open_app(page: str | None = None) -> AppTest:
    """The whole app (frame + navigation), optionally switched to one page."""
    at = AppTest.from_file("../../app.py", default_timeout=30).run()
    assert not at.exception
    if page:
        at.switch_page(page).run()
        assert not at.exception
    return at


@pytest.fixture
def app():
    return open_app


@pytest.fixture
def answered():
    """The safety questions answered (all skipped), so the app opens on Today, not on the
    first-run screen."""
    from datetime import date

    from backtrack.screening import SCREEN_KEY, ScreenAnswers
    from backtrack.store import JournalStore

    JournalStore().set_setting(SCREEN_KEY, ScreenAnswers(date.today()).to_json())
