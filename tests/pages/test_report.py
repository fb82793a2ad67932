from __future__ import annotations

from datetime import date, timedelta

from backtrack.store import JournalStore
from tests.factories import journal


def test_empty_journal_explains_instead_of_an_empty_report(app):
    at = app("pages/report.py")
    assert "No entries yet" in at.info[0].value
    assert at.get("download_button") == []


def test_two_month_report_summary_charts_tables_and_downloads(app, programme):
    today = date.today()
    JournalStore().import_entries(
        journal(
            programme,
            today,
            60,
            pain=lambda i: 6 if i < 7 else 3,
            notes=lambda i, slot: (
                "**not bold** - <b>raw</b>" if i == 59 and slot == "morning" else ""
            ),
        )  # fmt: skip
    )
    at = app("pages/report.py")
    assert not at.exception
    assert at.date_input(key="report_range").value == (today - timedelta(days=59), today)
    headline = at.table[0].value  # the clinician's headline block opens the report
    assert headline.columns.tolist() == ["What the journal shows"]
    verdict = headline.iloc[0, 0]
    assert verdict.startswith("Improving") and "meaningful improvement" in verdict
    assert " you" not in verdict  # about the person, not to them
    summary = at.table[1].value
    assert "Sessions done" in list(summary.index)
    assert summary.loc["Change in pain"].iloc[0] == "\\-3\\.0 points \\(\\-50%\\)"
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Download PDF", "Download CSV of this range", "Download FHIR (JSON)"]
    assert len(at.get("vega_lite_chart")) == 3
    notes = at.table[-1].value
    # Notes are escaped so Markdown and HTML show as typed, not formatted.
    assert notes["Note"].tolist() == ["\\*\\*not bold\\*\\* \\- \\<b\\>raw\\</b\\>"]


def test_a_range_without_entries_says_so(app, programme):
    JournalStore().import_entries(journal(programme, date.today() - timedelta(days=30), 5))
    at = app("pages/report.py")
    recent = (date.today() - timedelta(days=3), date.today())
    at.date_input(key="report_range").set_value(recent).run()
    assert not at.exception
    assert "No entries in this range." in [i.value for i in at.info]
    assert at.get("vega_lite_chart") == []
    assert "Current prescription" in [m.value.strip("*") for m in at.markdown]


def test_page_tables_are_the_reports_row_builders(app, programme):
    from backtrack.report import NO_HOLD

    JournalStore().import_entries(journal(programme, date.today(), 20))
    at = app("pages/report.py")
    prescription = next(t.value for t in at.table if t.value.index.name == "Exercise"
                        and "Hold" in t.value.columns)  # fmt: skip
    assert prescription.loc["The Clam", "Hold"] == NO_HOLD
