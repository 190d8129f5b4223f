"""Write tables the way county offices print them: a title row, "单位：万元", merged group headers,
subtotal and total rows, a frozen header, landscape and fit-to-width print set-up.

Knows nothing of Django: callers pass plain values (str, int, Decimal, date).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import unicodedata
from collections.abc import Iterable, Sequence
from copy import copy
from dataclasses import dataclass, field
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
SUBTOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
FONT = "宋体"


def safe_text(value: object) -> object:
    """Escape text that a spreadsheet would run as a formula (CSV/formula injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@dataclass
class Column:
    title: str
    width: float = 12
    money: bool = False
    group: str = ""  # a merged header above consecutive columns with the same group
    wrap: bool = False


@dataclass
class Sheet:
    title: str
    columns: list[Column]
    rows: list[Sequence[object]] = field(default_factory=list)
    # Indexes into rows that are subtotal / total rows, drawn bold and shaded.
    emphasis: set[int] = field(default_factory=set)
    unit_note: str = "单位：万元"
    subtitle: str = ""
    name: str = "Sheet1"


def _cell_value(value: object, column: Column) -> object:
    if isinstance(value, Decimal):
        return value  # openpyxl writes Decimal as a number, keeping its digits
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    return safe_text(value)


LINE_HEIGHT = 13.5  # points per line of 10-point text
A4_WIDTH = 180  # column-width units that still read on landscape A4; wider sheets print on A3


def display_width(text: str) -> int:
    """Width in column units: a Chinese character takes two, as Excel and WPS draw them."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrapped_lines(value: object, width: float) -> int:
    """How many lines a wrapped cell needs, so its row can be made tall enough to show it all."""
    if not isinstance(value, str) or not value:
        return 1
    usable = max(width - 1.5, 1)
    return sum(max(1, math.ceil(display_width(part) / usable)) for part in value.split("\n"))


def write_sheet(ws: Worksheet, sheet: Sheet) -> None:
    ncols = len(sheet.columns)
    last = get_column_letter(ncols)
    ws.title = sheet.name[:31]
    ws.merge_cells(f"A1:{last}1")
    ws["A1"] = safe_text(sheet.title)
    ws["A1"].font = Font(name="方正小标宋简体", size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 32
    ws.merge_cells(f"A2:{last}2")
    ws["A2"] = " ".join(x for x in (sheet.subtitle, sheet.unit_note) if x)
    ws["A2"].alignment = Alignment(horizontal="right")
    ws["A2"].font = Font(name=FONT, size=10)

    grouped = any(c.group for c in sheet.columns)
    header_top = 3
    header_bottom = 4 if grouped else 3
    for i, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = column.width
        if grouped and not column.group:
            ws.merge_cells(f"{letter}{header_top}:{letter}{header_bottom}")
            ws[f"{letter}{header_top}"] = column.title
        else:
            ws[f"{letter}{header_bottom}"] = column.title
    if grouped:
        i = 0
        while i < ncols:
            group = sheet.columns[i].group
            j = i
            while j + 1 < ncols and group and sheet.columns[j + 1].group == group:
                j += 1
            if group:
                ws.merge_cells(
                    f"{get_column_letter(i + 1)}{header_top}:{get_column_letter(j + 1)}{header_top}"
                )
                ws[f"{get_column_letter(i + 1)}{header_top}"] = group
            i = j + 1
    for row in ws.iter_rows(min_row=header_top, max_row=header_bottom, max_col=ncols):
        for cell in row:
            cell.font = Font(name=FONT, size=10, bold=True)
            cell.fill = HEADER_FILL
            cell.border = BORDER
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)

    first_data = header_bottom + 1
    # Styling a cell through openpyxl's descriptors hashes the Font, Border and Alignment into the
    # workbook's style tables: ~50 µs a cell, a minute for a province's 20,000 rows. Each kind of
    # cell (column × emphasis × date) is styled once; the others copy its style ids.
    styles: dict[tuple[int, bool, bool], object] = {}
    wrapping = [(i, c.width) for i, c in enumerate(sheet.columns) if c.wrap]
    for offset, values in enumerate(sheet.rows):
        r = first_data + offset
        strong = offset in sheet.emphasis
        # Spreadsheet programs do not grow rows for wrapped text on opening a file: set the height.
        lines = max((wrapped_lines(values[i], w) for i, w in wrapping if i < len(values)), default=1)
        if lines > 1:
            ws.row_dimensions[r].height = lines * LINE_HEIGHT + 2
        for i, (value, column) in enumerate(zip(values, sheet.columns, strict=False), start=1):
            cell = ws.cell(row=r, column=i, value=_cell_value(value, column))
            key = (i, strong, isinstance(value, dt.date))
            if key in styles:
                cell._style = copy(styles[key])
                continue
            _style_cell(cell, column, strong=strong, date=key[2])
            styles[key] = copy(cell._style)

    ws.freeze_panes = ws.cell(row=first_data, column=3 if ncols > 3 else 1)
    ws.print_title_rows = f"{header_top}:{header_bottom}"
    ws.print_area = f"A1:{last}{max(first_data + len(sheet.rows) - 1, header_bottom)}"
    ws.page_setup.orientation = "landscape"
    wide = sum(c.width for c in sheet.columns) > A4_WIDTH
    ws.page_setup.paperSize = ws.PAPERSIZE_A3 if wide else ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"


def _style_cell(cell, column: Column, *, strong: bool, date: bool) -> None:
    cell.border = BORDER
    cell.font = Font(name=FONT, size=10, bold=strong)
    if strong:
        cell.fill = SUBTOTAL_FILL
    if column.money:
        cell.number_format = "#,##0.00"
        cell.alignment = Alignment(horizontal="right", vertical="center")
    else:
        cell.alignment = Alignment(vertical="center", wrap_text=column.wrap)
    if date:
        cell.number_format = "yyyy-mm-dd"


def workbook_bytes(sheets: Iterable[Sheet]) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in sheets:
        write_sheet(wb.create_sheet(), sheet)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
