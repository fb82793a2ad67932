from __future__ import annotations

import json
from datetime import date, timedelta

import pyarrow as pa

from backtrack.fmt import fmt_range
from backtrack.store import JournalStore
from tests.factories import journal


def chart_specs(at) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]


def chart_titles(at) -> list[str]:
    return [spec["title"]["text"] for spec in chart_specs(at)]


def test_empty_journal_shows_a_friendly_message_not_an_empty_chart(app):
    at = app("pages/progress.py")
    assert "No entries yet" in at.info[0].value
    assert at.get("vega_lite_chart") == []


def test_two_day_journal_draws_every_chart(app, programme):
    JournalStore().import_entries(journal(programme, date.today(), 2))
    at = app("pages/progress.py")
    assert chart_titles(at) == [
        "Pain: daily points, 7-day mean line",
        "Sessions done per day",
        "Weekly adherence",
        "Each exercise: share of the prescribed dose",
    ]
    assert "Too early to judge" in at.subheader[0].value
    # "Last 4 weeks" starts at day 1 here, so the range is the two days logged.
    yesterday = date.today() - timedelta(days=1)
    assert fmt_range(yesterday, date.today()) in [
        c.value for c in at.caption]  # fmt: skip


def test_two_month_journal_and_the_range_control(app, programme):
    today = date.today()
    JournalStore().import_entries(
        journal(
            programme,
            today,
            60,
            pain=lambda i: 6 if i < 7 else 5,
            skip=lambda i, slot: slot == "evening" and i % 2 == 0,
        )  # fmt: skip
    )
    at = app("pages/progress.py")
    assert not at.exception
    assert "No clear progress" in at.subheader[0].value

    def pain_days(at) -> int:
        """Rows of daily data the pain chart ships (Streamlit sends it beside the spec)."""
        chart = at.get("vega_lite_chart")[0].proto
        return max(pa.ipc.open_stream(d.data.data).read_all().num_rows for d in chart.datasets)

    assert pain_days(at) == 28  # Last 4 weeks (default)
    at.radio(key="progress_range").set_value("Last 14 days").run()
    assert pain_days(at) == 14
    at.radio(key="progress_range").set_value("All").run()
    assert pain_days(at) == 60
    at.radio(key="progress_range").set_value("Custom").run()
    at.date_input(key="progress_custom").set_value(
        (today - timedelta(days=9), today - timedelta(days=5))).run()  # fmt: skip
    assert pain_days(at) == 5
    assert not at.exception


def test_a_save_shows_up_at_once(app, programme):
    store = JournalStore()
    store.import_entries(journal(programme, date.today() - timedelta(days=1), 1))
    at = app("pages/progress.py")
    assert "Programme day" in [m.label for m in at.metric]
    assert {m.label: m.value for m in at.metric}["Programme day"] == "2"
    store.import_entries(journal(programme, date.today() + timedelta(days=0), 1))
    store.set_start_date(date.today() - timedelta(days=4))
    at.run()
    assert {m.label: m.value for m in at.metric}["Programme day"] == "5"


def test_each_chart_is_described_and_has_its_numbers_under_it(app, programme):
    JournalStore().import_entries(journal(programme, date.today(), 3, pain=lambda i: 6 - i))
    at = app("pages/progress.py")
    specs = chart_specs(at)
    assert all(spec["description"].startswith(spec_start) for spec, spec_start in zip(
        specs, ("Pain (0-10)", "Calendar", "Adherence", "Each exercise"), strict=True))  # fmt: skip
    assert "3 days with pain, from 4.0 to 6.0" in specs[0]["description"]
    numbers = [e for e in at.expander if e.label == "Show the numbers"]
    assert len(numbers) == 4
    pain_rows = numbers[0].table[0].value
    # ui.table escapes Markdown: "6.0" is sent as "6\\.0" and shown as 6.0.
    assert [v.replace("\\", "") for v in pain_rows["Pain (day mean)"]] == ["6.0", "5.0", "4.0"]


def test_a_saved_entry_keeps_the_cached_answers_and_a_new_answer_shows_at_once(
    app, programme, monkeypatch
):
    """Settings and outcome answers are cached on the revision of the latest write that was
    not an entry write: logging a session does not read them again, and an answer (or a
    setting) saved anywhere shows at the next run."""
    from backtrack.entries import Entry
    from backtrack.outcomes import Outcome

    today = date.today()
    store = JournalStore()
    store.import_entries(journal(programme, today - timedelta(days=1), 20))
    socks = "Putting on socks"
    store.save_outcomes([Outcome(today - timedelta(days=19), "psfs", 1, 3, socks)])
    reads = []
    real = JournalStore.outcomes
    monkeypatch.setattr(JournalStore, "outcomes", lambda self: reads.append(1) or real(self))
    at = app("pages/progress.py")
    assert chart_titles(at)[-1].startswith("Activities you find hard (PSFS)")
    read_before = len(reads)

    store.save(Entry(today, "morning", 9, {}, (), ""))  # an entry: answers stay cached
    at.run()
    assert len(reads) == read_before
    pain = at.table[0].value  # the pain chart's numbers: the entry itself shows at once
    assert pain.iloc[-1].iloc[0] == "9.0"

    store.save_outcomes([Outcome(today, "psfs", 1, 8, socks)])  # an answer: read again
    at.run()
    assert len(reads) > read_before
    numbers = at.table[-1].value  # the PSFS chart's numbers, the last table on the page
    assert list(numbers[socks]) == ["3", "8"]

    store.set_start_date(today - timedelta(days=10))  # a setting: the check moves at once
    at.run()
    assert any("Programme day" == m.label and m.value == "11" for m in at.metric)
