"""The practitioner report: one summary a doctor or osteopath can read in a minute.

build_report gathers every figure and frame once (pure pandas, reusing the progress check
and the summaries), so the Progress page and the PDF show the same data; render_pdf lays
it out on A4 with fpdf2, the charts drawn by vl-convert. The person's name is an argument
of render_pdf only: it is printed, never stored.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from datetime import date

import pandas as pd
from fpdf import FPDF
from fpdf.bidi import BidiParagraph, auto_detect_base_direction
from fpdf.enums import Align, MethodReturnValue, TextDirection, XPos, YPos

from backtrack import charts
from backtrack.programme import DATA_DIR, Programme, sessions_text
from backtrack.progress import (
    CheckResult,
    RedFlagDates,
    fmt_adherence,
    fmt_change,
    fmt_date,
    fmt_pain,
    fmt_pct,
    two_week_check,
)
from backtrack.progress import programme_start as first_day
from backtrack.summaries import ChartFrames, chart_frames, date_range
from backtrack.symptoms import flag_label

FONT_DIR = DATA_DIR / "fonts"
FONT = "DejaVu"
DISCLAIMER = "BackTrack supports self-management and does not diagnose."
NAME_MAX = 80  # characters of the name or initials printed on the report (page and CLI)
NO_ENTRIES = "No entries in this range"
CHART_SCALE = 2  # PNG pixels per CSS pixel: about 200 dpi at the printed width
CHART_WIDTH = 640  # CSS pixels of the plot area; the image is scaled to the page width
PDF_CHART_HEIGHTS = {"pain": 220, "calendar": 150, "adherence": 150}
PRINT_SUBTITLE_COLOR = "#4d4d4d"  # the screen's muted grey is too faint on paper


@dataclass(frozen=True)
class PrescriptionRow:
    """One exercise of the current prescription, worded as the programme file gives it."""

    name: str
    reps: str
    hold: str  # '' when the exercise has no hold
    sessions: str


@dataclass(frozen=True)
class NoteRow:
    """A dated note from the journal, with the slot it was written in."""

    date: date
    slot: str
    note: str


@dataclass(frozen=True, eq=False)
class Report:
    """Everything the report shows for one date range (inclusive); the chart frames are
    the Progress page's (summaries.chart_frames)."""

    start: date
    end: date
    generated: date
    programme_title: str
    sessions_per_day: int
    programme_start: date | None  # day 1 (the start date set, else the first entry)
    day: int | None  # day N of the programme on the range's end date
    entries: int  # journal entries in the range
    sessions_done: int  # in the range, at most sessions_per_day a day
    sessions_prescribed: int  # sessions_per_day for every day of the range
    check: CheckResult  # two_week_check as of the range's end date
    red_flags: RedFlagDates  # (date, labels) for each day in the range with a red flag
    prescription: tuple[PrescriptionRow, ...]
    frames: ChartFrames
    notes: tuple[NoteRow, ...]

    @property
    def empty(self) -> bool:
        """True when the range holds no journal entries."""
        return self.entries == 0

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def adherence(self) -> float | None:
        """Sessions done as a fraction of those prescribed in the range."""
        return self.sessions_done / self.sessions_prescribed if self.sessions_prescribed else None

    def summary_rows(self) -> tuple[tuple[str, str], ...]:
        """The summary as (label, text) rows, worded and rounded as the Progress page."""
        c = self.check
        start = (
            f"{fmt_date(self.programme_start)} (day 1)" if self.programme_start else "not started"
        )
        day = f"Day {self.day} on {fmt_date(self.end)}" if self.day and self.day > 0 else "n/a"
        sessions = (
            f"{self.sessions_done} of {self.sessions_prescribed} prescribed "
            f"({fmt_adherence(self.adherence)}) in this range; prescribed "
            f"{sessions_text(self.sessions_per_day)}"
        )
        baseline = _pain_text(c.baseline_pain, c.baseline_days, "days 1-7")
        recent = _pain_text(c.recent_pain, c.recent_days, f"the 7 days to {fmt_date(c.as_of)}")
        change = "n/a"
        if c.change is not None:
            pct = "" if c.change_pct is None else f" ({fmt_pct(c.change_pct)})"
            change = f"{fmt_change(c.change)} points{pct}"
        flags = (
            f"Reported on {len(self.red_flags)} day{'s' if len(self.red_flags) > 1 else ''} "
            "in this range: see the list below"
            if self.red_flags
            else "None reported in this range"
        )
        return (
            ("Programme start", start),
            ("Day of the programme", day),
            ("Entries in this range", str(self.entries)),
            ("Sessions done", sessions),
            ("Pain, first week", baseline),
            ("Pain, last 7 days", recent),
            ("Change in pain", change),
            ("Red-flag symptoms", flags),
        )

    def exercise_rows(self) -> tuple[tuple[str, str, str, str, str], ...]:
        """Per exercise: (name, dose per session, reps done, reps prescribed, % of dose)."""
        doses = {row.name: row.reps for row in self.prescription}
        return tuple(
            (
                str(r.exercise),
                doses.get(r.exercise, ""),
                str(int(r.reps_done)),
                str(int(r.reps_prescribed)),
                fmt_adherence(r.percent / 100),
            )
            for r in self.frames.shares.itertuples(index=False)
        )


def _pain_text(value: float | None, rated: int, window: str) -> str:
    if value is None:
        return f"no pain ratings in {window}"
    return f"{fmt_pain(value)}/10 (mean of daily ratings, {window}; rated on {rated} of 7 days)"


def default_range(
    journal: pd.DataFrame, programme_start: date | None, today: date
) -> tuple[date, date]:
    """The whole programme so far: day 1 (the start date set, else the first entry) to today."""
    first = first_day(journal, programme_start)
    return date_range("All", today, first if first is not None and first <= today else None)


def build_report(
    journal: pd.DataFrame,
    programme: Programme,
    start: date,
    end: date,
    *,
    programme_start: date | None,
    today: date,
) -> Report:
    """Every figure and frame of the report for start..end (inclusive).

    programme_start is the start date the person set (None: day 1 is the first entry);
    the two-week check is made as of `end`, exactly as on the Progress page.
    """
    if start > end:
        raise ValueError(f"report range: start {start} is after end {end}")
    spd = programme.sessions_per_day
    check = two_week_check(journal, as_of=end, start=programme_start, sessions_per_day=spd)
    inside = journal[
        (journal["date"] >= pd.Timestamp(start)) & (journal["date"] <= pd.Timestamp(end))
    ]
    frames = chart_frames(journal, programme, start, end)
    day1 = _day_one(journal, programme_start, end)
    return Report(
        start=start,
        end=end,
        generated=today,
        programme_title=programme.title,
        sessions_per_day=spd,
        programme_start=day1,
        day=(end - day1).days + 1 if day1 is not None and day1 <= end else None,
        entries=len(inside),
        sessions_done=int(frames.adherence["done"].sum()),
        sessions_prescribed=int(frames.adherence["prescribed"].sum()),
        check=check,
        red_flags=_red_flags(frames.daily),
        prescription=tuple(
            PrescriptionRow(ex.name, ex.reps_text, ex.hold_text or "", programme.sessions_text)
            for ex in programme.exercises
        ),
        frames=frames,
        notes=_notes(inside),
    )


def _day_one(journal: pd.DataFrame, start_setting: date | None, end: date) -> date | None:
    """Day 1 as the two-week check sees it on `end`: the start set, else the first entry."""
    return first_day(journal[journal["date"] <= pd.Timestamp(end)], start_setting)


def _red_flags(daily: pd.DataFrame) -> RedFlagDates:
    flagged = daily[daily["flags"] != ""]
    return tuple(
        (when.date(), tuple(_label(f) for f in flags.split(";") if f))
        for when, flags in zip(flagged["date"], flagged["flags"], strict=True)
    )


def _label(flag_id: str) -> str:
    try:
        return flag_label(flag_id)
    except KeyError:
        return flag_id


def _notes(inside: pd.DataFrame) -> tuple[NoteRow, ...]:
    """The range's notes in journal order (the journal frame is sorted by date and slot)."""
    rows = inside[inside["notes"].str.strip() != ""]
    return tuple(
        NoteRow(when.date(), str(slot), note)
        for when, slot, note in zip(rows["date"], rows["slot"], rows["notes"], strict=True)
    )


# ---------------------------------------------------------------- charts for print


def report_specs(report: Report) -> dict[str, dict]:
    """The report's charts, as on the Progress page: pain trend, calendar, adherence bars
    (the per-exercise shares print as a table)."""
    specs = charts.progress_specs(
        report.frames, report.check.baseline_pain, report.sessions_per_day
    )
    return {key: specs[key] for key in PDF_CHART_HEIGHTS}


def chart_png(spec: dict, height: int) -> bytes:
    """A chart as a PNG for print: a fixed width, the given height, CHART_SCALE pixels."""
    import vl_convert

    return vl_convert.vegalite_to_png(
        print_spec({**spec, "width": CHART_WIDTH, "height": height}), scale=CHART_SCALE
    )


def print_spec(spec: dict) -> dict:
    """A screen chart's spec adapted to paper: the light grey subtitles are darkened."""

    def walk(node):
        if isinstance(node, dict):
            out = {k: walk(v) for k, v in node.items()}
            if "subtitleColor" in out:
                out["subtitleColor"] = PRINT_SUBTITLE_COLOR
            return out
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    return walk(spec)


def _png_size(png: bytes) -> tuple[int, int]:
    """Width and height in pixels, from the PNG header."""
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


# ---------------------------------------------------------------- the PDF

BODY_PT, SMALL_PT, TABLE_PT = 10, 8, 9
LINE_MM = 5.0  # line height of body text
ROW_LINE_MM = 4.4  # line height in tables
PAD_MM = 1.2  # vertical padding of a table row
GREY_FILL = (232, 232, 232)
DARK_RED = (150, 0, 0)
MID_GREY = (90, 90, 90)
RUNNING_HEADER_MM = 8  # the running header's height from page 2 on (ln 5 + ln 3)


@dataclass(frozen=True)
class _Col:
    title: str
    width: float  # mm
    align: str = "L"
    bold: bool = False
    color: tuple[int, int, int] = (0, 0, 0)


class _ReportPDF(FPDF):
    """A4 portrait with DejaVu Sans, a running header from page 2 and a numbered footer."""

    def __init__(self, running_title: str):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.running_title = running_title
        self.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(auto=True, margin=18)
        self.set_font(FONT, size=BODY_PT)

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.set_font(FONT, size=SMALL_PT)
        self.set_text_color(*MID_GREY)
        title = _visual(_printable(self, self.running_title))
        self.cell(0, 4, _fit(self, title, self.epw), align="L")
        self.ln(5)
        self.set_draw_color(*MID_GREY)
        self.line(self.l_margin, self.y, self.w - self.r_margin, self.y)
        self.ln(3)
        self.set_text_color(0, 0, 0)
        self.set_font(FONT, size=BODY_PT)

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(FONT, size=SMALL_PT)
        self.set_text_color(*MID_GREY)
        # Said once, on the first page, not on every page.
        self.cell(self.epw * 0.75, 5, DISCLAIMER if self.page_no() == 1 else "", align="L")
        self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="R")
        self.set_text_color(0, 0, 0)


def render_pdf(report: Report, name: str | None = None) -> bytes:
    """The report as an A4 PDF. `name` (a name or initials) is printed in the title only."""
    name = " ".join(_clean(name or "").split()) or None
    title = f"BackTrack report: {name}" if name else "BackTrack report"
    span = f"{fmt_date(report.start)} to {fmt_date(report.end)}"
    pdf = _ReportPDF(f"{title}  ·  {span}")
    pdf.set_title(title)
    pdf.set_creator("BackTrack")
    pdf.set_lang("en")
    pdf.add_page()

    pdf.set_font(FONT, "B", 18)
    _text_block(pdf, title, pdf.epw, 8.5)
    pdf.set_font(FONT, size=BODY_PT)
    days = f"{report.days} day" + ("s" if report.days != 1 else "")
    pdf.multi_cell(0, LINE_MM, f"{span} ({days})", align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(*MID_GREY)
    pdf.multi_cell(
        0,
        LINE_MM,
        f"{report.programme_title}. Generated on {fmt_date(report.generated)}.",
        align="L",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.set_text_color(0, 0, 0)
    pdf.ln(3)

    if report.empty:
        _empty_body(pdf, report)
    else:
        _summary(pdf, report)
        _red_flag_table(pdf, report)
        _prescription(pdf, report)
        _charts(pdf, report)
        _exercise_table(pdf, report)
        _notes_table(pdf, report)
    return bytes(pdf.output())


def _empty_body(pdf: _ReportPDF, report: Report) -> None:
    pdf.set_font(FONT, "B", 14)
    pdf.multi_cell(0, 8, NO_ENTRIES, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, size=BODY_PT)
    start = (
        f" The programme started on {fmt_date(report.programme_start)}."
        if report.programme_start
        else ""
    )
    pdf.multi_cell(
        0,
        LINE_MM,
        f"The journal has no entries from {fmt_date(report.start)} to {fmt_date(report.end)}."
        f"{start} Choose a range with logged sessions to see pain, sessions and notes.",
        align="L",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.ln(4)
    _prescription(pdf, report)


def _heading(pdf: _ReportPDF, text: str, keep_with: float = 20) -> None:
    """A section heading, moved to a new page with what follows if it would be orphaned."""
    _need(pdf, 9 + keep_with)
    pdf.ln(2)
    pdf.set_font(FONT, "B", 13)
    pdf.cell(0, 7, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, size=BODY_PT)


def _need(pdf: _ReportPDF, height: float) -> None:
    """Start a new page unless `height` mm still fit above the bottom margin."""
    if pdf.y + height > pdf.page_break_trigger:
        pdf.add_page()


def _summary(pdf: _ReportPDF, report: Report) -> None:
    _heading(pdf, "Summary")
    cols = [_Col("", 50, bold=True), _Col("", pdf.epw - 50)]
    rows = list(report.summary_rows())
    check = report.check
    flags = [row for row in rows if row[0] == "Red-flag symptoms"]
    _table(pdf, cols, [row for row in rows if row not in flags], header=False, border=False)
    # The two-week check: headline in bold words, then its message.
    _need(pdf, 3 * LINE_MM)
    pdf.set_font(FONT, "B", TABLE_PT)
    x = pdf.l_margin
    pdf.set_x(x)
    pdf.cell(50, ROW_LINE_MM + 2 * PAD_MM, "Two-week check")
    pdf.set_font(FONT, "B", 11)
    pdf.cell(
        0, ROW_LINE_MM + 2 * PAD_MM, check.headline, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    pdf.set_font(FONT, size=TABLE_PT)
    pdf.set_x(x + 50)
    pdf.multi_cell(
        pdf.epw - 50, ROW_LINE_MM, check.message, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    pdf.ln(1)
    _table(pdf, cols, flags, header=False, border=False)


def _red_flag_table(pdf: _ReportPDF, report: Report) -> None:
    if not report.red_flags:
        return
    _heading(pdf, "Red-flag symptoms reported in this range")
    pdf.set_font(FONT, size=TABLE_PT)
    pdf.multi_cell(
        0,
        ROW_LINE_MM,
        "Symptoms the person ticked as new or worrying. They call for urgent medical "
        "advice, not exercise (NICE NG59).",
        align="L",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.ln(1)
    cols = [
        _Col("", 24, bold=True, color=DARK_RED),
        _Col("Date", 50),
        _Col("Symptoms reported", pdf.epw - 74),
    ]
    rows = [("RED FLAG", fmt_date(d), "\n".join(labels)) for d, labels in report.red_flags]
    _table(pdf, cols, rows)


def _prescription(pdf: _ReportPDF, report: Report) -> None:
    _heading(pdf, "Current prescription")
    cols = [
        _Col("Exercise", 40, bold=True),
        _Col("Dose", 50),
        _Col("Hold", pdf.epw - 40 - 50 - 30),
        _Col("How often", 30),
    ]
    rows = [(r.name, r.reps, r.hold or "-", r.sessions) for r in report.prescription]
    _table(pdf, cols, rows)


def _charts(pdf: _ReportPDF, report: Report) -> None:
    for key, chart in report_specs(report).items():
        png = chart_png(chart, PDF_CHART_HEIGHTS[key])
        px_w, px_h = _png_size(png)
        width = pdf.epw
        height = width * px_h / px_w
        full = pdf.page_break_trigger - pdf.t_margin - RUNNING_HEADER_MM
        if height > full:
            width, height = width * full / height, full
        _need(pdf, height + 4)
        pdf.ln(2)
        pdf.image(io.BytesIO(png), x=pdf.l_margin + (pdf.epw - width) / 2, w=width, h=height)
        pdf.ln(2)


def _exercise_table(pdf: _ReportPDF, report: Report) -> None:
    _heading(pdf, "Each exercise in this range", keep_with=30)
    cols = [
        _Col("Exercise", 38, bold=True),
        _Col("Dose per session", 52),
        _Col("Reps done", 28, align="R"),
        _Col("Reps prescribed", 34, align="R"),
        _Col("% of dose", pdf.epw - 152, align="R"),
    ]
    _table(pdf, cols, report.exercise_rows())
    pdf.set_font(FONT, size=SMALL_PT)
    pdf.set_text_color(*MID_GREY)
    pdf.multi_cell(
        0,
        4,
        f"Reps prescribed: the lower number of the dose, {sessions_text(report.sessions_per_day)}"
        " for every day of the range. % of dose counts at most the dose per session, so extra "
        "reps one day do not make up for a skipped one (rounded down).",
        align="L",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.set_text_color(0, 0, 0)


def _notes_table(pdf: _ReportPDF, report: Report) -> None:
    _heading(pdf, "Notes")
    if not report.notes:
        pdf.multi_cell(0, LINE_MM, "No notes in this range.", align="L", new_x=XPos.LMARGIN)
        return
    cols = [_Col("Date", 30), _Col("Slot", 20), _Col("Note", pdf.epw - 50)]
    rows = [(_short_date(n.date), n.slot, n.note) for n in report.notes]
    _table(pdf, cols, rows)


def _short_date(day: date) -> str:
    """'Mon 3 Nov 2025', locale-independent (from fmt_date)."""
    weekday, number, month, year = fmt_date(day).split()
    return f"{weekday[:3]} {number} {month[:3]} {year}"


# ---------------------------------------------------------------- tables and text


def _table(
    pdf: _ReportPDF,
    cols: list[_Col],
    rows,
    *,
    header: bool = True,
    border: bool = True,
) -> None:
    """Rows of wrapped text; no row is split across pages (unless taller than a page) and
    the header row is repeated at the top of each new page."""
    pdf.set_font(FONT, size=TABLE_PT)
    head = [[(c.title, Align.L)] for c in cols]
    head_h = ROW_LINE_MM + 2 * PAD_MM if header else 0.0
    pending_head = header  # drawn with the first row below it, never alone
    for row in rows:
        cells = []
        for col, text in zip(cols, row, strict=True):
            pdf.set_font(FONT, "B" if col.bold else "", TABLE_PT)
            cells.append(_wrap(pdf, str(text), col.width, Align.coerce(col.align)))
        pdf.set_font(FONT, size=TABLE_PT)
        lines = max(len(c) for c in cells)
        first = 0
        while first < lines:  # more than once only for a row taller than a page
            rest = lines - first
            room = _room(pdf, pdf.y + (head_h if pending_head else 0))
            fresh = _room(pdf, pdf.t_margin + RUNNING_HEADER_MM + head_h)
            if rest > room and (rest <= fresh or room < 3):
                pdf.add_page()
                pending_head = header
            if pending_head:
                _draw_row(pdf, cols, head, head_h, border, heading=True)
                pending_head = False
            take = min(rest, _room(pdf, pdf.y))
            chunk = [c[first : first + take] for c in cells]
            if first and not any(text for text, _ in chunk[0]):
                chunk[0] = [("(continued)", Align.L)]
            _draw_row(pdf, cols, chunk, take * ROW_LINE_MM + 2 * PAD_MM, border)
            first += take
    pdf.set_font(FONT, size=BODY_PT)


def _room(pdf: _ReportPDF, top: float) -> int:
    """How many table lines fit in one row starting at `top` (mm) on this page."""
    return max(0, int((pdf.page_break_trigger - top - 2 * PAD_MM + 1e-6) // ROW_LINE_MM))


def _draw_row(pdf, cols, cells, height: float, border: bool, heading: bool = False) -> None:
    y = pdf.y
    x = pdf.l_margin
    for col, lines in zip(cols, cells, strict=True):
        if heading:
            pdf.set_fill_color(*GREY_FILL)
        if border or heading:
            pdf.set_draw_color(150, 150, 150)
            pdf.rect(x, y, col.width, height, style="DF" if heading else "D")
        pdf.set_font(FONT, "B" if (col.bold or heading) else "", TABLE_PT)
        pdf.set_text_color(*((0, 0, 0) if heading else col.color))
        for i, (text, align) in enumerate(lines):
            pdf.set_xy(x, y + PAD_MM + i * ROW_LINE_MM)
            pdf.cell(col.width, ROW_LINE_MM, text, align=align)
        x += col.width
    pdf.set_text_color(0, 0, 0)
    pdf.set_xy(pdf.l_margin, y + height)


def _text_block(pdf: _ReportPDF, text: str, width: float, line_h: float) -> None:
    """Wrapped user text (any script) at the current position, printed literally."""
    for line, align in _wrap(pdf, text, width, Align.L):
        pdf.cell(width, line_h, line, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _wrap(pdf: FPDF, text: str, width: float, align: Align) -> list[tuple[str, Align]]:
    """Text broken into lines that fit `width` in the current font, each in visual order.

    Right-to-left paragraphs (Hebrew, Arabic) are reordered line by line with fpdf2's
    bidi algorithm and right-aligned, since fpdf2 only reorders with its optional
    HarfBuzz shaping engine.
    """
    out: list[tuple[str, Align]] = []
    for para in _printable(pdf, _clean(text)).split("\n"):
        if not para.strip():
            out.append(("", align))
            continue
        lines = pdf.multi_cell(
            width, ROW_LINE_MM, para, dry_run=True, output=MethodReturnValue.LINES
        )
        if not _has_rtl(para):
            out.extend((line, align) for line in lines)
            continue
        direction = auto_detect_base_direction(para)
        line_align = Align.R if direction == TextDirection.RTL else align
        out.extend((_visual(line, direction), line_align) for line in lines)
    return out or [("", align)]


def _has_rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text)


def _visual(text: str, direction: TextDirection | None = None) -> str:
    """One line in the order it is drawn (left to right), right-to-left runs reversed."""
    if not _has_rtl(text):
        return text
    return BidiParagraph(text=text, base_direction=direction).get_reordered_string()


def _clean(text: str) -> str:
    """User text as printable lines: tabs as spaces, other control characters dropped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    return "".join(ch for ch in text if ch == "\n" or unicodedata.category(ch) != "Cc")


def _printable(pdf: FPDF, text: str) -> str:
    """Characters the font has no glyph for (e.g. Chinese in DejaVu Sans) shown as U+FFFD,
    so the reader sees that something was there instead of a silent gap."""
    cmap = getattr(pdf.current_font, "cmap", None)
    if not cmap:
        return text
    return "".join(ch if ch == "\n" or ord(ch) in cmap else "\ufffd" for ch in text)


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """Text shortened with an ellipsis to fit one line of `width` mm."""
    room = width - 2 * pdf.c_margin
    if pdf.get_string_width(text) <= room:
        return text
    while text and pdf.get_string_width(text + "…") > room:
        text = text[:-1]
    return text + "…"
