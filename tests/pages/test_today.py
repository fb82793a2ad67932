from __future__ import annotations

from datetime import date, timedelta

from backtrack.entries import Entry
from backtrack.store import JournalStore
from tests.factories import full_session, journal


def test_today_is_the_default_page(app, answered):
    assert app().title[0].value == "Today"


def test_empty_journal_shows_a_first_run_path(app, answered):
    at = app()
    assert at.subheader[0].value == "Welcome to BackTrack"
    assert not at.metric and not at.error
    links = [link.proto.label for link in at.get("page_link")]
    assert links == [
        "Read the exercises",
        "Do your first session, guided step by step",
        "Log your first session",
    ]


def test_two_day_journal(app, programme):
    today = date.today()
    store = JournalStore()
    store.import_entries(journal(programme, today - timedelta(days=1), 1))
    store.save(Entry(today, "morning", 3, full_session(programme)))
    at = app()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Sessions today"] == "1 of 2"
    assert metrics["Programme day"] == "2"
    assert metrics["Days with both sessions"] == "1 of last 7"
    assert "Still to log today: **evening**." in [m.value for m in at.markdown]
    assert "Too early to judge" in at.subheader[0].value
    assert any("day 14" in m.value for m in at.markdown)


def test_two_month_journal_with_improvement_and_a_red_flag(app, programme):
    today = date.today()
    JournalStore().import_entries(
        journal(
            programme, today, 60,
            pain=lambda i: 7 if i < 7 else 3,
            flags=lambda i, slot: ("bladder_bowel",) if (i, slot) == (55, "morning") else (),
        )
    )  # fmt: skip
    at = app()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Sessions today"] == "2 of 2"
    assert metrics["Baseline pain (days 1-7)"] == "7.0"
    assert metrics["Pain, last 7 days"] == "3.0"
    assert metrics["Change (points)"] == "-4.0"
    assert metrics["Change (%)"] == "-57%"
    assert metrics["Sessions done"] == "100%"
    assert "Improving" in at.subheader[0].value
    # The urgent advice comes before the result.
    assert "999" in at.error[0].value
    assert "Both of today's sessions are logged" in at.markdown[0].value
