"""The Report page's FHIR download: a valid R4 Bundle of the range, named as typed."""

from __future__ import annotations

from datetime import date, timedelta

from fhir.resources.bundle import Bundle

from backtrack.fhir_export import PAIN_LOINC
from backtrack.store import JournalStore
from tests.factories import journal


def fhir_button(at):
    (button,) = [b for b in at.get("download_button") if b.proto.id.endswith("report_fhir")]
    return button


def test_fhir_download_holds_the_ranges_ratings_and_the_name_typed(app, programme, downloads):
    today = date.today()
    skip = lambda i, slot: slot == "evening" and i < 4  # noqa: E731
    JournalStore().import_entries(journal(programme, today, 10, pain=lambda i: i % 11, skip=skip))
    at = app("pages/report.py")
    at.date_input(key="report_range").set_value((today - timedelta(days=6), today))
    at.text_input(key="report_name").set_value("Zoë #1 ?%").run()
    assert not at.exception
    button = fhir_button(at)
    assert button.proto.label == "Download FHIR (JSON)" and not button.proto.disabled
    bundle = Bundle.parse_raw(downloads(button))
    kinds = [e.resource.resource_type for e in bundle.entry]
    # Days 4-10 of the journal: 7 days, 1 with only a morning entry.
    assert kinds.count("Observation") == kinds.count("Procedure") == 13
    assert {e.resource.code.coding[0].code for e in bundle.entry
            if e.resource.resource_type == "Observation"} == {PAIN_LOINC}  # fmt: skip
    assert bundle.entry[0].resource.name[0].text == "Zoë #1 ?%"
    assert JournalStore().get_setting("report_name") is None


def test_a_name_fhir_cannot_carry_is_explained_and_the_button_disabled(app, programme):
    JournalStore().import_entries(journal(programme, date.today(), 2))
    at = app("pages/report.py")
    at.text_input(key="report_name").set_value("tab\there").run()
    assert "control characters" in at.error[0].value
    assert fhir_button(at).proto.disabled
