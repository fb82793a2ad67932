"""Report page: the one-minute summary a practitioner reads, its charts, and the downloads
(the PDF, and the journal CSV of the range)."""

from __future__ import annotations

from datetime import date, datetime

import streamlit as st

import ui
from backtrack.csvio import export_csv
from backtrack.entries import EARLIEST_DATE
from backtrack.fhir_export import FhirExportError, bundle_json, clean_name, fhir_bundle
from backtrack.fmt import fmt_range
from backtrack.report import NAME_MAX, NO_ENTRIES, default_range
from backtrack.report_pdf import render_pdf

NOTES_SHOWN = 30  # on screen; the PDF lists every note

ui.ensure_frame()
programme = ui.programme()
store = ui.store()
journal = ui.journal_frame()
today = date.today()

st.title("Report for your practitioner")
ui.stop_if_empty(
    journal, "No entries yet: the report summarises your journal once you have logged sessions."
)

start_setting = ui.start_date()
first, last = default_range(journal, start_setting, today)
cols = st.columns([3, 2])
picked = cols[0].date_input(
    "Date range",
    value=(first, last),
    min_value=EARLIEST_DATE,
    max_value=today,
    key="report_range",
    format="YYYY-MM-DD",
)
name = cols[1].text_input(
    "Name or initials (optional)", key="report_name", max_chars=NAME_MAX,
    help="Printed on the report only; BackTrack does not save it.",
)  # fmt: skip
if len(picked) != 2:
    st.info("Choose the end date of the range.")
    st.stop()
start, end = picked
report, specs, tables = ui.report_view(today, start, end, NOTES_SHOWN)

pdf_name = f"backtrack-report-{start.isoformat()}-to-{end.isoformat()}.pdf"
try:
    fhir_name, fhir_error = clean_name(name), None
except FhirExportError as exc:
    fhir_name, fhir_error = None, str(exc)
    st.error(f"The FHIR file needs another name: {exc}.", icon=":material/error:")
c1, c2, c3 = st.columns(3)
c1.download_button(
    "Download PDF", data=lambda: render_pdf(report, name.strip() or None), file_name=pdf_name,
    mime="application/pdf", icon=":material/picture_as_pdf:", key="report_pdf", type="primary",
)  # fmt: skip
c2.download_button(
    "Download CSV of this range",
    data=lambda: export_csv(store.entries(start, end), programme.exercise_ids),
    file_name=f"backtrack-journal-{start.isoformat()}-to-{end.isoformat()}.csv",
    mime="text/csv", icon=":material/download:", key="report_csv",
)  # fmt: skip
c3.download_button(
    "Download FHIR (JSON)",
    data=lambda: bundle_json(fhir_bundle(store.entries(start, end), programme, name=fhir_name,
                                         now=datetime.now().astimezone())),  # made on click
    file_name=f"backtrack-fhir-{start.isoformat()}-to-{end.isoformat()}.json",
    mime="application/fhir+json", icon=":material/medical_information:", key="report_fhir",
    disabled=fhir_error is not None,
    help="For a practitioner's record system: a FHIR R4 Bundle of this range's pain ratings "
    "and sessions.",
)  # fmt: skip

st.subheader(fmt_range(start, end) + (f" · {ui.plain(name.strip())}" if name else ""))
if not report.empty:
    ui.show_table(tables["headline"])
if "screen" in tables:
    ui.show_table(tables["screen"])
if report.empty:
    st.info(NO_ENTRIES + ".")
else:
    ui.show_table(tables["summary"], title=False)
    if "red_flags" in tables:
        ui.show_table(tables["red_flags"])

ui.show_table(tables["prescription"])
if report.empty:
    st.stop()

ui.show_specs(specs)
ui.show_table(tables["exercises"])
if "reactions" in tables:
    ui.show_table(tables["reactions"])
if len(report.notes) > NOTES_SHOWN:
    st.caption(f"The latest {NOTES_SHOWN} of {len(report.notes)} notes; the PDF has them all.")
if "notes" in tables:
    ui.show_table(tables["notes"])
else:
    st.markdown("**Notes**")
    st.caption("No notes in this range.")
