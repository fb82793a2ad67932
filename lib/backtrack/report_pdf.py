"""The practitioner report as an A4 PDF: fpdf2 lays out the rows of backtrack.report, the
charts drawn by vl-convert.

Tables use fpdf2's own FPDF.table(): it keeps each row on one page, repeats the heading
row at the top of each new page and never leaves a heading alone at a page foot. Hand code
remains only for what it cannot do:
- a row taller than a whole page (a long note) makes FPDF.table() raise; such a row is cut
  here into rows of a page each, marked "(continued)";
- right-to-left text (Hebrew, Arabic) is reordered by fpdf2 only with its optional
  HarfBuzz shaping engine; here each wrapped line is reordered with fpdf2's bidi algorithm
  and right-aligned.
The person's name is an argument of render_pdf only: it is printed, never stored.
"""

from __future__ import annotations

import io
import unicodedata

from fpdf import FPDF, FontFace
from fpdf.bidi import BidiParagraph, auto_detect_base_direction
from fpdf.enums import Align, MethodReturnValue, TableBordersLayout, TextDirection, XPos, YPos

from backtrack import charts
from backtrack.fmt import fmt_date, plural
from backtrack.programme import DATA_DIR, sessions_text
from backtrack.report import (
    EXERCISE_TABLE_NOTE,
    NO_ENTRIES,
    Report,
    Table,
    exercise_table,
    headline_table,
    notes_table,
    prescription_table,
    reactions_table,
    red_flag_table,
    screen_table,
)

FONT_DIR = DATA_DIR / "fonts"
FONT = "DejaVu"
DISCLAIMER = "BackTrack supports self-management and does not diagnose."
CHART_SCALE = 2  # PNG pixels per CSS pixel: about 200 dpi at the printed width
CHART_WIDTH = 640  # CSS pixels of the plot area; the image is scaled to the page width
PDF_CHART_HEIGHTS = {"pain": 220, "calendar": 150, "adherence": 150}
PRINT_SUBTITLE_COLOR = "#4d4d4d"  # the screen's muted grey is too faint on paper

BODY_PT, SMALL_PT, TABLE_PT = 10, 8, 9
LINE_MM = 5.0  # line height of body text
ROW_LINE_MM = 4.4  # line height in tables
PAD_MM = 1.2  # vertical padding of a table row
CELL_PAD_MM = 1.0  # left and right padding of a table cell
GREY_FILL = (232, 232, 232)
DARK_RED = (150, 0, 0)
MID_GREY = (90, 90, 90)
RUNNING_HEADER_MM = 8  # the running header's height from page 2 on (ln 5 + ln 3)
CONTINUED = "(continued)"
RED_FLAG_MARK = "RED FLAG"


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
    _paragraph(pdf, f"{span} ({plural(report.days, 'day')})")
    pdf.set_text_color(*MID_GREY)
    _paragraph(pdf, f"{report.programme_title}. Generated on {fmt_date(report.generated)}.")
    pdf.set_text_color(0, 0, 0)
    pdf.ln(3)

    if not report.empty:
        _table(pdf, headline_table(report), widths=(50, None), header=False)
    screen = screen_table(report)
    if screen.rows:
        _table(pdf, screen, widths=(120, None), header=False, bold_first=False)
    if report.empty:
        _empty_body(pdf, report)
    else:
        _summary(pdf, report)
        _red_flags(pdf, report)
        _table(pdf, prescription_table(report), widths=(40, 50, None, 30))
        _charts(pdf, report)
        _table(pdf, exercise_table(report), widths=(38, 52, 28, 34, None), right=(2, 3, 4),
               keep_with=30)  # fmt: skip
        _small_print(
            pdf, EXERCISE_TABLE_NOTE.format(sessions=sessions_text(report.sessions_per_day))
        )
        feelings = reactions_table(report)
        if feelings.rows:
            _table(pdf, feelings, widths=(38, None))
        _notes(pdf, report)
    return bytes(pdf.output())


def _paragraph(pdf: _ReportPDF, text: str, line: float = LINE_MM) -> None:
    pdf.multi_cell(0, line, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _small_print(pdf: _ReportPDF, text: str) -> None:
    pdf.set_font(FONT, size=SMALL_PT)
    pdf.set_text_color(*MID_GREY)
    _paragraph(pdf, text, 4)
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(FONT, size=BODY_PT)


def _empty_body(pdf: _ReportPDF, report: Report) -> None:
    pdf.set_font(FONT, "B", 14)
    _paragraph(pdf, NO_ENTRIES, 8)
    pdf.set_font(FONT, size=BODY_PT)
    start = (
        f" The programme started on {fmt_date(report.programme_start)}."
        if report.programme_start
        else ""
    )
    _paragraph(
        pdf,
        f"The journal has no entries from {fmt_date(report.start)} to {fmt_date(report.end)}."
        f"{start} Choose a range with logged sessions to see pain, sessions and notes.",
    )
    pdf.ln(4)
    _table(pdf, prescription_table(report), widths=(40, 50, None, 30))


def _heading(pdf: _ReportPDF, text: str, keep_with: float = 20) -> None:
    """A section heading, moved to a new page with what follows if it would be orphaned."""
    if pdf.y + 9 + keep_with > pdf.page_break_trigger:
        pdf.add_page()
    pdf.ln(2)
    pdf.set_font(FONT, "B", 13)
    pdf.cell(0, 7, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, size=BODY_PT)


def _summary(pdf: _ReportPDF, report: Report) -> None:
    """The summary rows, with the two-week check (headline in bold, then its message) before
    the red-flag row."""
    _heading(pdf, "Summary")
    rows = list(report.summary_rows())
    flags = [row for row in rows if row[0] == "Red-flag symptoms"]
    check = report.check
    rows = [row for row in rows if row not in flags]
    rows += [("Two-week check", check.headline), ("", check.summary), *flags]
    bold = {len(rows) - len(flags) - 2}  # the headline
    table = Table("Summary", ("", ""), tuple(rows))
    _table(pdf, table, widths=(50, None), header=False, bold_rows=bold, show_title=False)


def _red_flags(pdf: _ReportPDF, report: Report) -> None:
    if not report.red_flags:
        return
    table = red_flag_table(report)
    _heading(pdf, table.title)
    pdf.set_font(FONT, size=TABLE_PT)
    _paragraph(
        pdf,
        "Symptoms the person ticked as new or worrying. They call for urgent medical "
        "advice, not exercise.",
        ROW_LINE_MM,
    )
    pdf.ln(1)
    # Printed with a mark column, so the rows stand out in black and white too.
    marked = Table(
        table.title, ("", *table.columns), tuple((RED_FLAG_MARK, *r) for r in table.rows)
    )
    _table(pdf, marked, widths=(24, 45, None, 60), mark_first=True, show_title=False)


def _charts(pdf: _ReportPDF, report: Report) -> None:
    for key, chart in report_specs(report).items():
        png = chart_png(chart, PDF_CHART_HEIGHTS[key])
        px_w, px_h = _png_size(png)
        width = pdf.epw
        height = width * px_h / px_w
        full = pdf.page_break_trigger - pdf.t_margin - RUNNING_HEADER_MM
        if height > full:
            width, height = width * full / height, full
        if pdf.y + height + 4 > pdf.page_break_trigger:
            pdf.add_page()
        pdf.ln(2)
        pdf.image(io.BytesIO(png), x=pdf.l_margin + (pdf.epw - width) / 2, w=width, h=height)
        pdf.ln(2)


def _notes(pdf: _ReportPDF, report: Report) -> None:
    table = notes_table(report)
    if not table.rows:
        _heading(pdf, table.title)
        _paragraph(pdf, "No notes in this range.")
        return
    _table(pdf, table, widths=(30, 20, None), bold_first=False)


# ---------------------------------------------------------------- tables and text


def _table(
    pdf: _ReportPDF,
    table: Table,
    *,
    widths: tuple[float | None, ...],
    right: tuple[int, ...] = (),
    header: bool = True,
    bold_first: bool = True,
    bold_rows: set[int] | frozenset[int] = frozenset(),
    mark_first: bool = False,
    show_title: bool = True,
    keep_with: float = 20,
) -> None:
    """One of the report's tables with FPDF.table(); `widths` in mm (None: the rest)."""
    if show_title:
        _heading(pdf, table.title, keep_with=keep_with)
    rest = pdf.epw - sum(w for w in widths if w is not None)
    mm = [rest if w is None else w for w in widths]
    pdf.set_font(FONT, size=TABLE_PT)
    # The most lines a row may have: a page, less the running header and a heading row.
    room = pdf.page_break_trigger - pdf.t_margin - RUNNING_HEADER_MM - 2 * PAD_MM
    max_lines = max(1, int((room - (ROW_LINE_MM + 2 * PAD_MM if header else 0)) // ROW_LINE_MM))
    plain = FontFace(emphasis=None)
    bold = FontFace(emphasis="BOLD")
    mark = FontFace(emphasis="BOLD", color=DARK_RED)
    heading = FontFace(emphasis="BOLD", fill_color=GREY_FILL)
    with pdf.table(
        width=pdf.epw,
        col_widths=tuple(mm),
        line_height=ROW_LINE_MM,
        padding=(PAD_MM, CELL_PAD_MM, PAD_MM, CELL_PAD_MM),
        first_row_as_headings=header,
        headings_style=heading,
        repeat_headings=1,
        borders_layout=TableBordersLayout.ALL if header else TableBordersLayout.NONE,
        text_align="LEFT",
        v_align="TOP",
    ) as out:
        if header:
            head = out.row()
            for title in table.columns:
                head.cell(title)
        for number, row in enumerate(table.rows):
            cells = []
            for col, text in enumerate(row):
                style = mark if (mark_first and col == 0) else bold if (
                    (bold_first and col == 0) or number in bold_rows) else plain  # fmt: skip
                pdf.set_font(FONT, "B" if style.emphasis else "", TABLE_PT)
                align = Align.R if col in right else Align.L
                cells.append((_lines(pdf, str(text), mm[col], align, max_lines), style))
            pdf.set_font(FONT, size=TABLE_PT)
            lines = max(len(c) for c, _ in cells)
            for first in range(0, lines, max_lines):  # more than once: taller than a page
                line = out.row()
                for col, (wrapped, style) in enumerate(cells):
                    part = wrapped[first : first + max_lines]
                    text = "\n".join(t for t, _ in part)
                    if first and col == 0 and not text.strip():
                        text = CONTINUED
                    align = part[0][1] if part else Align.L
                    line.cell(text, style=style, align=align)
    pdf.set_font(FONT, size=BODY_PT)
    pdf.ln(1)


def _lines(
    pdf: FPDF, text: str, width: float, align: Align, max_lines: int
) -> list[tuple[str, Align]]:
    """A cell's text as lines for FPDF.table(). Most cells are short, left-to-right text:
    those pass as one line that the table wraps itself, which halves the work of long
    tables. Only text that may be taller than a page, or runs right to left, is wrapped
    here (see _wrap)."""
    clean = _printable(pdf, _clean(text))
    if not _has_rtl(clean):
        inner = width - 2 * CELL_PAD_MM
        # At least half of each line is filled before a word wraps, unless a word is longer.
        estimate = sum(
            1 + int(pdf.get_string_width(para) / (inner * 0.5)) for para in clean.split("\n")
        )
        if estimate <= max_lines:
            return [(clean, align)]
    return _wrap(pdf, text, width, align, CELL_PAD_MM)


def _text_block(pdf: _ReportPDF, text: str, width: float, line_h: float) -> None:
    """Wrapped user text (any script) at the current position, printed literally."""
    for line, align in _wrap(pdf, text, width, Align.L):
        pdf.cell(width, line_h, line, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _wrap(
    pdf: FPDF, text: str, width: float, align: Align, pad: float = 0.0
) -> list[tuple[str, Align]]:
    """Text broken into lines that fit `width` (less `pad` each side, as a table cell wraps)
    in the current font, each in visual order.

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
            width, ROW_LINE_MM, para, dry_run=True, output=MethodReturnValue.LINES,
            padding=(0, pad, 0, pad) if pad else 0,
        )  # fmt: skip
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
