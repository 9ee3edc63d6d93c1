"""A report as an XLSX workbook: a Summary sheet, then one sheet per section, numbers as numbers."""

from __future__ import annotations

import io
from datetime import datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..models import Report
from .tables import Cell, Section, summary_rows

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1B5E20")
TOTAL_FONT = Font(bold=True)
MONEY_FORMAT = "#,##0.00"
COUNT_FORMAT = "#,##0"
MIN_WIDTH, MAX_WIDTH = 10, 60


def _put(sheet: Worksheet, row: int, column: int, value: Cell) -> None:
    """Write a value keeping its type: int and Decimal land as numbers, None as an empty cell."""
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, Decimal):
        cell.number_format = MONEY_FORMAT
    elif isinstance(value, int):
        cell.number_format = COUNT_FORMAT


def _fit_columns(sheet: Worksheet) -> None:
    for index, column in enumerate(sheet.iter_cols(), 1):
        longest = max((len(f"{c.value:,}" if isinstance(c.value, int | Decimal) else str(c.value))
                       for c in column if c.value is not None), default=0)  # fmt: skip
        width = min(max(longest + 2, MIN_WIDTH), MAX_WIDTH)
        sheet.column_dimensions[get_column_letter(index)].width = width


def _header(sheet: Worksheet, columns: list[str]) -> None:
    for index, title in enumerate(columns, 1):
        cell = sheet.cell(row=1, column=index, value=title)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(vertical="center")
    sheet.freeze_panes = "A2"


def _section_sheet(workbook: Workbook, section: Section) -> None:
    sheet = workbook.create_sheet(section.sheet)
    _header(sheet, section.columns)
    for row_number, cells in enumerate(section.rows, 2):
        for column, value in enumerate(cells, 1):
            _put(sheet, row_number, column, value)
    if section.total is not None:
        row_number = len(section.rows) + 2
        for column, value in enumerate(section.total, 1):
            _put(sheet, row_number, column, value)
            sheet.cell(row=row_number, column=column).font = TOTAL_FONT
    _fit_columns(sheet)  # before the notes, which may overflow their cell
    first_note = sheet.max_row + 2
    for offset, note in enumerate(section.notes):
        sheet.cell(row=first_note + offset, column=1, value=note)


def report_xlsx(report: Report, figures: dict, sections: list[Section], *, generated: datetime):
    """The report's XLSX bytes."""
    workbook = Workbook()
    summary = workbook.active
    summary.title = "Summary"
    _header(summary, ["বিষয় / Item", "মান / Value"])
    for row_number, (label, value) in enumerate(
        summary_rows(report, figures, generated=generated), 2
    ):
        _put(summary, row_number, 1, label)
        _put(summary, row_number, 2, value)
    _fit_columns(summary)
    for section in sections:
        _section_sheet(workbook, section)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
