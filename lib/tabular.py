"""Read .xlsx, .xls and .csv into plain rows, with merged cells resolved.

Every cell of a merged range carries the range's value, so that a group header such as
"投资情况" over three columns, or a name merged down two header rows, reads the same in every
column and row it covers. Workbook numbers come back as Decimal (never float: 0.1 stays 0.1),
dates as datetime.date, everything else as str; CSV cells are all str; empty cells are None.

Knows nothing of Django. The caller checks the bytes first (lib.uploads.sniff).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal

from .uploads import CSV, XLS, XLSX, UploadRejected, assert_safe_xml, decode_text

Value = str | Decimal | dt.date | None


@dataclass
class Table:
    """One sheet: rows[r][c] is the value at row r+1, column c+1 (Excel numbering)."""

    name: str
    rows: list[list[Value]]
    # (row, col) 0-based of cells that copy a merged range's value rather than hold their own.
    merged_copies: set[tuple[int, int]] = field(default_factory=set)

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def cell(self, r: int, c: int) -> Value:
        row = self.rows[r] if r < len(self.rows) else []
        return row[c] if c < len(row) else None


def read_tables(data: bytes, kind: str) -> list[Table]:
    """Every sheet of the workbook (a CSV is one sheet named "csv")."""
    if kind == XLSX:
        return _read_xlsx(data)
    if kind == XLS:
        return _read_xls(data)
    if kind == CSV:
        return [_read_csv(data)]
    raise ValueError(f"unknown kind {kind!r}")


def number(value: float | int) -> Decimal:
    """A spreadsheet number as Decimal, through repr so that 0.1 stays 0.1."""
    if isinstance(value, bool):
        return Decimal(int(value))
    if isinstance(value, int):
        return Decimal(value)
    result = Decimal(repr(value))
    return result.to_integral_value() if result == result.to_integral_value() else result


def _clean(value: object) -> Value:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time(0) else value
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)):
        return number(value)
    if isinstance(value, Decimal):
        return value
    text = str(value).replace("\r\n", "\n").strip()
    return text or None


def _spread(rows: list[list[Value]], ranges: list[tuple[int, int, int, int]]) -> set[tuple[int, int]]:
    """Copy each merged range's top-left value into its other cells (ranges are 0-based, inclusive)."""
    copies: set[tuple[int, int]] = set()
    for r1, c1, r2, c2 in ranges:
        if r1 >= len(rows):
            continue
        top_left = rows[r1][c1] if c1 < len(rows[r1]) else None
        for r in range(r1, min(r2, len(rows) - 1) + 1):
            row = rows[r]
            if len(row) <= c2:
                row.extend([None] * (c2 + 1 - len(row)))
            for c in range(c1, c2 + 1):
                if (r, c) != (r1, c1):
                    row[c] = top_left
                    copies.add((r, c))
    return copies


def _trim(rows: list[list[Value]]) -> list[list[Value]]:
    while rows and not any(v is not None for v in rows[-1]):
        rows.pop()
    return rows


def _read_xlsx(data: bytes) -> list[Table]:
    assert_safe_xml()
    from openpyxl import load_workbook

    try:
        # Not read_only: merged ranges are only known to a fully loaded sheet.
        workbook = load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise UploadRejected("damaged", f"The workbook cannot be read ({exc.__class__.__name__}).")
    tables = []
    for ws in workbook.worksheets:
        rows = [[_clean(v) for v in row] for row in ws.iter_rows(values_only=True)]
        ranges = [
            (m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1) for m in ws.merged_cells.ranges
        ]
        copies = _spread(rows, ranges)
        tables.append(Table(ws.title, _trim(rows), copies))
    workbook.close()
    return tables


def _read_xls(data: bytes) -> list[Table]:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True)
    except Exception as exc:  # xlrd.XLRDError, CompDocError, struct errors ...
        raise UploadRejected("damaged", f"The .xls workbook cannot be read ({exc.__class__.__name__}).")
    tables = []
    for sheet in book.sheets():
        rows: list[list[Value]] = []
        for r in range(sheet.nrows):
            row: list[Value] = []
            for c in range(sheet.ncols):
                cell = sheet.cell(r, c)
                if cell.ctype == xlrd.XL_CELL_DATE:
                    row.append(_clean(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)))
                elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                    row.append(None)
                else:
                    row.append(_clean(cell.value))
            rows.append(row)
        ranges = [(r1, c1, r2 - 1, c2 - 1) for r1, r2, c1, c2 in sheet.merged_cells]
        copies = _spread(rows, ranges)
        tables.append(Table(sheet.name, _trim(rows), copies))
    return tables


def _read_csv(data: bytes) -> Table:
    text = decode_text(data)
    if text is None:
        raise UploadRejected("encoding", "The CSV file is neither UTF-8 nor GBK text.")
    sample = text[:4096]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    # CSV cells stay text (a code such as "0012" keeps its zeros); the caller parses amounts.
    rows = [[(v.strip() or None) for v in row] for row in csv.reader(io.StringIO(text), dialect)]
    return Table("csv", _trim(rows))
