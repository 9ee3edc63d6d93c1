"""A report as an A4 PDF: bilingual title and headings, one table per section, two charts.

Text goes through core/pdf.py (embedded Noto fonts, HarfBuzz shaping), so Bengali prints
shaped. reportlab's charts do not shape text, so their labels are English only.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.conf import settings
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, Spacer, Table, TableStyle

from core.pdf import LATIN, bengali_digits, document_build, para, style

from ..models import Report
from .tables import REPORT_TYPE_NAMES, Cell, Section, day_text, scope_text, summary_rows

GREEN = colors.HexColor("#1b5e20")
LIGHT = colors.HexColor("#e8f5e9")
GRID = colors.HexColor("#bbbbbb")
PALETTE = [
    colors.HexColor(c)
    for c in ("#2e7d32", "#1565c0", "#f9a825", "#c62828", "#6a1b9a", "#00838f", "#795548")
]
MARGIN = 14 * mm
WIDTH = A4[0] - 2 * MARGIN


def cell_text(value: Cell) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    return str(value)


class _Styles:
    def __init__(self):
        self.title = style("report-title", size=16, alignment=1)
        self.subtitle = style("report-subtitle", size=10.5, alignment=1, textColor=GREEN)
        self.heading = style("report-heading", size=11.5, textColor=GREEN, spaceBefore=4)
        self.cell = style("report-cell", size=8.5)
        self.number = style("report-number", size=8.5, alignment=2)
        self.head = style("report-head", size=8, textColor=colors.white)
        self.note = style("report-note", size=7.5, textColor=colors.HexColor("#555555"))


def _table(rows: list[list], widths, *, header: bool = True, total: bool = False) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
    commands = [
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("GRID", (0, 0), (-1, -1), 0.3, GRID),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), GREEN))
    if total:
        commands.append(("BACKGROUND", (0, -1), (-1, -1), LIGHT))
    table.setStyle(TableStyle(commands))
    return table


def _widths(section: Section) -> list[float]:
    count = len(section.columns)
    first = 0.42 if count > 3 else 0.55
    if section.sheet == "Ward ranking":
        return [WIDTH * share for share in (0.12, 0.13, 0.13, 0.17, 0.24, 0.21)]
    rest = (1 - first) / (count - 1)
    return [WIDTH * first, *[WIDTH * rest] * (count - 1)]


def _section_flowables(section: Section, s: _Styles) -> list:
    def row(cells: list[Cell], *, bold: bool = False) -> list:
        return [
            para(cell_text(c), s.cell if isinstance(c, str) else s.number, bold=bold) for c in cells
        ]

    rows = [[para(column, s.head, bold=True) for column in section.columns]]
    rows += [row(cells) for cells in section.rows]
    if not section.rows:
        rows.append([para("কোনো তথ্য নেই / No data", s.cell)] + [""] * (len(section.columns) - 1))
    if section.total is not None:
        rows.append(row(section.total, bold=True))
    table = _table(rows, _widths(section), total=section.total is not None)
    if not section.rows:
        table.setStyle(TableStyle([("SPAN", (0, 1), (-1, 1))]))
    heading = [para(section.title, s.heading, bold=True), Spacer(1, 1.5 * mm)]
    notes = [para(note, s.note) for note in section.notes]
    return [CondPageBreak(40 * mm), KeepTogether([*heading, table]), *notes, Spacer(1, 4 * mm)]


def category_chart(categories: list[dict]) -> Drawing:
    """Complaints per category as bars (English codes: chart text is not shaped)."""
    drawing = Drawing(WIDTH, 62 * mm)
    chart = VerticalBarChart()
    chart.x, chart.y = 14 * mm, 12 * mm
    chart.width, chart.height = WIDTH - 22 * mm, 44 * mm
    chart.data = [[c["count"] for c in categories] or [0]]
    chart.categoryAxis.categoryNames = [c["code"] for c in categories] or ["-"]
    chart.categoryAxis.labels.fontName = LATIN
    chart.categoryAxis.labels.fontSize = 7.5
    chart.valueAxis.labels.fontName = LATIN
    chart.valueAxis.labels.fontSize = 7.5
    chart.valueAxis.valueMin = 0
    top = max(chart.data[0]) if chart.data[0] else 0
    chart.valueAxis.valueMax = max(top, 4) * 1.15
    chart.valueAxis.labelTextFormat = lambda v: f"{v:,.0f}"
    chart.bars[0].fillColor = PALETTE[0]
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = LATIN
    chart.barLabels.fontSize = 7
    chart.barLabels.nudge = 6
    drawing.add(chart)
    drawing.add(
        String(WIDTH / 2, 58 * mm, "Complaints by category", fontName=LATIN, fontSize=9,
               textAnchor="middle")
    )  # fmt: skip
    return drawing


def method_chart(methods: list[dict]) -> Drawing | None:
    """Revenue by payment method as a pie, or None when there is no revenue to share out."""
    shares = [m for m in methods if m["amount"] > 0]
    if not shares:
        return None
    drawing = Drawing(WIDTH, 58 * mm)
    pie = Pie()
    pie.x, pie.y = WIDTH / 2 - 22 * mm, 6 * mm
    pie.width = pie.height = 44 * mm
    pie.data = [float(m["amount"]) for m in shares]
    pie.labels = [f"{m['payment_method']} {m['amount']:,.2f}" for m in shares]
    pie.simpleLabels = 0
    pie.slices.fontName = LATIN
    pie.slices.fontSize = 7.5
    pie.slices.label_pointer_piePad = 4
    pie.sideLabels = 1
    for index in range(len(shares)):
        pie.slices[index].fillColor = PALETTE[index % len(PALETTE)]
        pie.slices[index].strokeColor = colors.white
    drawing.add(pie)
    drawing.add(
        String(WIDTH / 2, 54 * mm, "Revenue by payment method (BDT)", fontName=LATIN,
               fontSize=9, textAnchor="middle")
    )  # fmt: skip
    return drawing


def _footer(canvas, document) -> None:
    canvas.saveState()
    canvas.setFont(LATIN, 7.5)
    canvas.setFillColor(colors.HexColor("#666666"))
    canvas.drawString(
        MARGIN, 8 * mm, f"Clean Care Bangladesh — {settings.CITY_CORPORATION_NAME_EN}"
    )
    canvas.drawRightString(A4[0] - MARGIN, 8 * mm, f"Page {document.page}")
    canvas.restoreState()


def report_pdf(report: Report, figures: dict, sections: list[Section], *, generated: datetime):
    """The report's PDF bytes."""
    s = _Styles()
    type_bn, type_en = REPORT_TYPE_NAMES[report.report_type]
    first, last = day_text(report.period_start), day_text(report.period_end)
    summary = [
        [para(label, s.cell, bold=True), para(cell_text(value), s.cell)]
        for label, value in summary_rows(report, figures, generated=generated)[2:]
    ]
    story = [
        para(settings.CITY_CORPORATION_NAME_BN, s.title, bold=True),
        para(settings.CITY_CORPORATION_NAME_EN, s.subtitle, bold=True),
        Spacer(1, 2 * mm),
        para(f"{type_bn} প্রতিবেদন / {type_en} report", s.title, bold=True),
        para(
            f"{bengali_digits(first)} – {bengali_digits(last)} ({first} – {last}), "
            f"{scope_text(report.scope)}",
            s.subtitle,
        ),
        Spacer(1, 4 * mm),
        _table(summary, [WIDTH * 0.45, WIDTH * 0.55], header=False),
        Spacer(1, 5 * mm),
    ]
    for section in sections:
        story += _section_flowables(section, s)
        if section.sheet == "Categories":
            story += [KeepTogether(category_chart(figures["categories"])), Spacer(1, 4 * mm)]
        if section.sheet == "Revenue by method":
            chart = method_chart(figures["financial"]["revenue_by_method"])
            if chart is not None:
                story += [KeepTogether(chart), Spacer(1, 4 * mm)]
    return document_build(
        story,
        pagesize=A4,
        title=f"{type_en} report {first} - {last}",
        margins=MARGIN,
        on_page=_footer,
    )
