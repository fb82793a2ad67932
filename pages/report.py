"""Report page: the one-minute summary a practitioner reads, its charts, and the downloads
(the PDF, and the journal CSV of the range)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

import ui
from backtrack.csvio import export_csv
from backtrack.entries import EARLIEST_DATE
from backtrack.report import NAME_MAX, default_range, render_pdf

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
report, specs = ui.report_view(today, start, end)

pdf_name = f"backtrack-report-{start.isoformat()}-to-{end.isoformat()}.pdf"
c1, c2 = st.columns(2)
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

st.subheader(
    f"{start:%a %d %b %Y} to {end:%a %d %b %Y}" + (f" · {ui.plain(name.strip())}" if name else "")
)
if report.empty:
    st.info("No entries in this range.")
else:
    ui.check_card(report.check)
    ui.table(pd.DataFrame(report.summary_rows(), columns=["", "Summary"]).set_index(""))
    if report.red_flags:
        st.markdown("**Red-flag symptoms reported in this range**")
        ui.table(
            pd.DataFrame(
                [(f"{d:%a %d %b %Y}", "; ".join(labels)) for d, labels in report.red_flags],
                columns=["Date", "Symptoms reported"],
            ).set_index("Date")
        )

st.markdown("**Current prescription**")
ui.table(
    pd.DataFrame(
        [(r.name, r.reps, r.hold or "none", r.sessions) for r in report.prescription],
        columns=["Exercise", "Dose", "Hold", "How often"],
    ).set_index("Exercise")
)
if report.empty:
    st.stop()

ui.show_specs(specs)
st.markdown("**Each exercise: reps done against the prescribed dose**")
ui.table(
    pd.DataFrame(
        report.exercise_rows(),
        columns=["Exercise", "Dose per session", "Reps done", "Reps prescribed", "% of dose"],
    ).set_index("Exercise")
)
st.markdown("**Notes**")
if report.notes:
    shown = report.notes[-NOTES_SHOWN:]
    if len(report.notes) > len(shown):
        st.caption(f"The latest {len(shown)} of {len(report.notes)} notes; the PDF has them all.")
    ui.table(
        pd.DataFrame(
            [(f"{n.date:%a %d %b %Y}", n.slot, n.note) for n in shown],
            columns=["Date", "Session", "Note"],
        ).set_index("Date")
    )
else:
    st.caption("No notes in this range.")
