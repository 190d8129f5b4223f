"""Write tables the way county offices print them: a title row, "单位：万元", merged group headers,
subtotal and total rows, a frozen header, landscape and fit-to-width print set-up.

Sheets are streamed in openpyxl's write-only mode: a province's ledger (20,000 rows) took ~9 s in
the normal mode, nearly all of it openpyxl keeping every cell as an object and styling it. Write-only
mode writes each row as XML when it is appended, so everything that belongs before the rows in the
file (column widths, frozen panes) is set before the first row, and a row's height before that row.
Merged cells and the print set-up are written after the rows and may be set at any time.

Knows nothing of Django: callers pass plain values (str, int, Decimal, date).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import IO

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PERCENT = "0.00"  # a rate in percent, in a column headed "(%)"
POINTS = "+0.00;-0.00;0.00"  # percentage points ahead (+) or behind (-) the schedule
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
SUBTOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
FONT = "宋体"
LINE_HEIGHT = 13.5  # points per line of 10-point text
A4_WIDTH = 180  # column-width units that still read on landscape A4; wider sheets print on A3
PROGRESS_EVERY = 1000  # rows between two progress reports: often enough for a bar, rarely enough to be free

# progress(rows written, rows in all), called every PROGRESS_EVERY rows and once at the end of a sheet.
Progress = Callable[[int, int], None]


def safe_text(value: object) -> object:
    """Escape text that a spreadsheet would run as a formula (CSV/formula injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def period_text(start: dt.date | None, end: dt.date | None) -> str:
    """A construction period with its exact dates, "2019-04-02~2022-07-31", as offices read it and
    exchange.cells.period reads it back (a year range would lose the days)."""
    if not start and not end:
        return ""
    return "~".join(d.isoformat() if d else "" for d in (start, end))


@dataclass
class Column:
    title: str
    width: float = 12
    money: bool = False
    group: str = ""  # a merged header above consecutive columns with the same group
    wrap: bool = False
    # A number column other than money: its Excel number format ("0.00" for a rate in percent).
    number_format: str = ""


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


def _cell_value(value: object) -> object:
    # Numbers stay numbers (openpyxl writes a Decimal as a number, keeping its digits): only text is
    # escaped, so a gap of -3.98 is a negative number, not the text '-3.98.
    if isinstance(value, (Decimal, int, float)):
        return value
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    return safe_text(value)


def display_width(text: str) -> int:
    """Width in column units: a Chinese character takes two, as Excel and WPS draw them."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrapped_lines(value: object, width: float) -> int:
    """How many lines a wrapped cell needs, so its row can be made tall enough to show it all."""
    if not isinstance(value, str) or not value:
        return 1
    usable = max(width - 1.5, 1)
    if 2 * len(value) <= usable and "\n" not in value:
        return 1  # fits even if every character is wide: most cells, and no per-character look-up
    return sum(max(1, math.ceil(display_width(part) / usable)) for part in value.split("\n"))


class _Styles:
    """One style per kind of cell (column × emphasis × date), registered with the workbook once.

    Assigning a Font, Border and Alignment to a cell hashes them into the workbook's style tables
    (~50 µs a cell); a cell built with the style array of its kind costs nothing more than its value.
    """

    def __init__(self, ws: WriteOnlyWorksheet, columns: list[Column]) -> None:
        self.ws = ws
        self.columns = columns
        self.arrays: dict[tuple[int, bool, bool], object] = {}

    def cell(self, index: int, value: object, *, strong: bool) -> Cell:
        date = isinstance(value, dt.date)
        key = (index, strong, date)
        array = self.arrays.get(key)
        if array is None:
            model = WriteOnlyCell(self.ws)
            _style_cell(model, self.columns[index], strong=strong, date=date)
            array = self.arrays[key] = model._style
        return Cell(self.ws, row=1, column=1, value=value, style_array=array)


def _style_cell(cell: Cell, column: Column, *, strong: bool, date: bool) -> None:
    cell.border = BORDER
    cell.font = Font(name=FONT, size=10, bold=strong)
    if strong:
        cell.fill = SUBTOTAL_FILL
    if column.money or column.number_format:
        cell.number_format = "#,##0.00" if column.money else column.number_format
        cell.alignment = Alignment(horizontal="right", vertical="center")
    else:
        cell.alignment = Alignment(vertical="center", wrap_text=column.wrap)
    if date:
        cell.number_format = "yyyy-mm-dd"


def _header_rows(sheet: Sheet) -> list[list[str]]:
    """The header's text, one or two rows; a merged cell's text stands in its top-left cell only."""
    columns = sheet.columns
    if not any(c.group for c in columns):
        return [[c.title for c in columns]]
    top = [c.title if not c.group else "" for c in columns]
    bottom = [c.title if c.group else "" for c in columns]
    for i, column in enumerate(columns):
        if column.group and (i == 0 or columns[i - 1].group != column.group):
            top[i] = column.group
    return [top, bottom]


def _header_merges(sheet: Sheet, top: int, bottom: int) -> list[str]:
    """Ungrouped titles merged down both header rows; each run of one group merged across."""
    if top == bottom:
        return []
    merges = []
    i, columns = 0, sheet.columns
    while i < len(columns):
        group, j = columns[i].group, i
        while group and j + 1 < len(columns) and columns[j + 1].group == group:
            j += 1
        first, last = get_column_letter(i + 1), get_column_letter(j + 1)
        merges.append(f"{first}{top}:{last}{top}" if group else f"{first}{top}:{first}{bottom}")
        i = j + 1
    return merges


def _header_heights(sheet: Sheet, header: list[list[str]]) -> list[float | None]:
    """The height of each header row that must grow to show its wrapped titles (None: default).

    A title merged down both rows may use the two rows' lines; a group title spans its columns.
    """
    columns = sheet.columns
    if len(header) == 1:
        lines = [max((wrapped_lines(c.title, c.width) for c in columns), default=1)]
    else:
        spans: dict[str, float] = {}
        for c in columns:
            if c.group:
                spans[c.group] = spans.get(c.group, 0) + c.width
        top = max((wrapped_lines(g, w) for g, w in spans.items()), default=1)
        bottom = max((wrapped_lines(c.title, c.width) for c in columns if c.group), default=1)
        down = max((wrapped_lines(c.title, c.width) for c in columns if not c.group), default=1)
        lines = [top, max(bottom, down - top)]
    return [n * LINE_HEIGHT + 2 if n > 1 else None for n in lines]


def write_sheet(ws: WriteOnlyWorksheet, sheet: Sheet, *, progress: Progress | None = None) -> None:
    """Stream `sheet` into the empty write-only worksheet `ws`, with its print set-up."""
    ncols = len(sheet.columns)
    last = get_column_letter(ncols)
    ws.title = sheet.name[:31]
    header = _header_rows(sheet)
    header_top, header_bottom = 3, 2 + len(header)
    first_data = header_bottom + 1

    # Before the first row: the sheet's properties (fit to page), views (frozen panes) and column
    # widths are written ahead of the rows; the rest of the print set-up follows them.
    for i, column in enumerate(sheet.columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = column.width
    ws.freeze_panes = f"{get_column_letter(3 if ncols > 3 else 1)}{first_data}"
    ws.print_title_rows = f"{header_top}:{header_bottom}"
    ws.page_setup.orientation = "landscape"
    wide = sum(c.width for c in sheet.columns) > A4_WIDTH
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A3 if wide else Worksheet.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"

    title = WriteOnlyCell(ws, safe_text(sheet.title))
    title.font = Font(name="方正小标宋简体", size=16, bold=True)
    title.alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 32
    ws.append([title])
    note = WriteOnlyCell(ws, " ".join(x for x in (sheet.subtitle, sheet.unit_note) if x))
    note.alignment = Alignment(horizontal="right")
    note.font = Font(name=FONT, size=10)
    ws.append([note])
    ws.merged_cells.add(f"A1:{last}1")
    ws.merged_cells.add(f"A2:{last}2")

    # Every header cell is drawn, the ones a merge covers too, so that its borders and fill show.
    model = WriteOnlyCell(ws)
    model.font = Font(name=FONT, size=10, bold=True)
    model.fill = HEADER_FILL
    model.border = BORDER
    model.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row, (texts, height) in enumerate(zip(header, _header_heights(sheet, header), strict=True)):
        if height:
            ws.row_dimensions[header_top + row].height = height
        ws.append([Cell(ws, row=1, column=1, value=t or None, style_array=model._style) for t in texts])
    for merge in _header_merges(sheet, header_top, header_bottom):
        ws.merged_cells.add(merge)

    styles = _Styles(ws, sheet.columns)
    wrapping = [(i, c.width) for i, c in enumerate(sheet.columns) if c.wrap]
    total = len(sheet.rows)
    for offset, values in enumerate(sheet.rows):
        strong = offset in sheet.emphasis
        # Spreadsheet programs do not grow rows for wrapped text on opening a file: set the height.
        lines = max((wrapped_lines(values[i], w) for i, w in wrapping if i < len(values)), default=1)
        if lines > 1:
            ws.row_dimensions[first_data + offset].height = lines * LINE_HEIGHT + 2
        # A short row (a subtotal stops after its amounts) is padded with empty cells that still
        # carry the row's border and shading across the whole table.
        padded = [*values[:ncols], *[None] * (ncols - len(values))]
        ws.append([styles.cell(i, _cell_value(v), strong=strong) for i, v in enumerate(padded)])
        if progress and (offset + 1) % PROGRESS_EVERY == 0:
            progress(offset + 1, total)
    if progress:
        progress(total, total)

    ws.print_area = f"A1:{last}{max(first_data + total - 1, header_bottom)}"


def write_workbook(
    sheets: Iterable[Sheet], target: str | Path | IO[bytes], *, progress: Progress | None = None
) -> None:
    """Write the sheets as one .xlsx to a path or a binary file object."""
    wb = Workbook(write_only=True)
    for sheet in sheets:
        write_sheet(wb.create_sheet(), sheet, progress=progress)
    wb.save(target)


def workbook_bytes(sheets: Iterable[Sheet], *, progress: Progress | None = None) -> bytes:
    buffer = io.BytesIO()
    write_workbook(sheets, buffer, progress=progress)
    return buffer.getvalue()
