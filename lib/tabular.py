"""Read .xlsx, .xls and .csv into plain rows, with merged cells resolved.

Every cell of a merged range carries the range's value, so that a group header such as
"投资情况" over three columns, or a name merged down two header rows, reads the same in every
column and row it covers. Workbook numbers come back as Decimal (never float: 0.1 stays 0.1),
dates as datetime.date, everything else as str; CSV cells are all str; empty cells are None.

Read by content, never by what the file declares: a workbook's <dimension> may name XFD1048576
for a single cell, so only the cells it stores are visited, and reading stops with UploadRejected
at the first populated cell beyond the caps (Limits: rows, columns, merged ranges and the cells they
cover). Memory and time follow the cells the file holds, not the area it claims.

Knows nothing of Django. The caller checks the bytes first (lib.uploads.sniff).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass, field
from decimal import Decimal
from xml.parsers import expat

from .uploads import CSV, XLS, XLSX, Limits, UploadRejected, assert_safe_xml, decode_text

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


def read_tables(data: bytes, kind: str, *, limits: Limits | None = None) -> list[Table]:
    """Every sheet of the workbook (a CSV is one sheet named "csv"), within `limits`."""
    limits = limits or Limits()
    if kind == XLSX:
        return _read_xlsx(data, limits)
    if kind == XLS:
        return _read_xls(data, limits)
    if kind == CSV:
        return [_read_csv(data, limits)]
    raise ValueError(f"unknown kind {kind!r}")


# Stored but empty rows past the last row read (Excel keeps a formatted row); more is a refusal.
MAX_EMPTY_ROWS_BEYOND = 1000


def column_letter(column: int) -> str:
    """1 → A, 16384 → XFD."""
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class Grid:
    """The rows of one sheet built from the cells it stores, refusing any beyond the caps."""

    def __init__(self, sheet: str, limits: Limits) -> None:
        self.sheet = sheet
        self.limits = limits
        self.rows: list[list[Value]] = []
        self.empty_beyond = 0
        self.cells = 0  # populated cells kept: what reading cost

    def put(self, row: int, column: int, value: Value) -> None:
        """Place a populated cell (1-based row and column)."""
        self._check(row, column)
        while len(self.rows) < row:
            self.rows.append([])
        cells = self.rows[row - 1]
        if len(cells) < column:
            cells.extend([None] * (column - len(cells)))
        cells[column - 1] = value
        self.cells += 1
        if self.cells > self.limits.max_cells:
            raise UploadRejected(
                "too_many_cells",
                "Sheet %(sheet)s holds more than %(limit)d filled cells.",
                sheet=self.sheet,
                limit=self.limits.max_cells,
            )

    def stored_empty_row(self, row: int) -> None:
        """A row the file stores without a value: harmless, unless there are thousands past the caps."""
        if row > self.limits.max_rows:
            self.empty_beyond += 1
            if self.empty_beyond > MAX_EMPTY_ROWS_BEYOND:
                self._refuse_row(row)

    def _check(self, row: int, column: int) -> None:
        if row > self.limits.max_rows:
            self._refuse_row(row)
        if column > self.limits.max_columns:
            raise UploadRejected(
                "too_many_columns",
                "Sheet %(sheet)s has a value in cell %(cell)s, beyond column %(limit)s.",
                sheet=self.sheet,
                cell=f"{column_letter(column)}{row}",
                limit=column_letter(self.limits.max_columns),
            )

    def _refuse_row(self, row: int) -> None:
        raise UploadRejected(
            "too_many_rows",
            "Sheet %(sheet)s holds rows beyond row %(limit)d (row %(row)d).",
            sheet=self.sheet,
            row=row,
            limit=self.limits.max_rows,
        )


def check_merges(sheet: str, ranges: list[tuple[int, int, int, int]], limits: Limits) -> None:
    """Merged ranges (0-based, inclusive) within the caps: how many, how far, how many cells."""
    if len(ranges) > limits.max_merges:
        raise UploadRejected(
            "too_many_merges",
            "Sheet %(sheet)s has more than %(limit)d merged ranges.",
            sheet=sheet,
            limit=limits.max_merges,
        )
    covered = 0
    for r1, c1, r2, c2 in ranges:
        if r2 >= limits.max_rows or c2 >= limits.max_columns:
            raise UploadRejected(
                "merge_too_large",
                "Sheet %(sheet)s merges %(range)s, beyond row %(rows)d or column %(columns)s.",
                sheet=sheet,
                range=f"{column_letter(c1 + 1)}{r1 + 1}:{column_letter(c2 + 1)}{r2 + 1}",
                rows=limits.max_rows,
                columns=column_letter(limits.max_columns),
            )
        covered += (r2 - r1 + 1) * (c2 - c1 + 1)
        if covered > limits.max_merged_cells:
            raise UploadRejected(
                "merge_too_large",
                "Sheet %(sheet)s merges more than %(limit)d cells in all.",
                sheet=sheet,
                limit=limits.max_merged_cells,
            )


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


def _read_xlsx(data: bytes, limits: Limits) -> list[Table]:
    assert_safe_xml()
    from openpyxl import load_workbook

    try:
        # Read-only: sheets are streamed from the archive, nothing is sized by <dimension>.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise UploadRejected("damaged", f"The workbook cannot be read ({exc.__class__.__name__}).")
    try:
        return [_read_sheet(workbook, ws, limits) for ws in workbook.worksheets]
    except UploadRejected:
        raise
    except Exception as exc:  # a damaged sheet: bad numbers, dates, XML
        raise UploadRejected("damaged", f"The workbook cannot be read ({exc.__class__.__name__}).")
    finally:
        workbook.close()


def _sheet_parser(workbook, ws):
    # openpyxl's own sheet parser, the one its read-only rows use, without their padding to the
    # declared dimension: it yields only the rows and cells the file stores.
    from openpyxl.worksheet._reader import WorkSheetParser

    return WorkSheetParser(
        ws._get_source(),
        ws._shared_strings,
        data_only=True,
        epoch=workbook.epoch,
        date_formats=workbook._date_formats,
        timedelta_formats=workbook._timedelta_formats,
    )


MAX_CELLS_STORED_IN_A_ROW = 16_384  # Excel's last column, XFD


def _survey(ws, sheet: str, limits: Limits) -> list[tuple[int, int, int, int]]:
    """A first pass over the sheet's XML that stops at the caps, before openpyxl's parser builds
    anything: how many rows the sheet stores, how many cells in a row (the parser holds a whole row
    at a time), how many elements in all (it keeps every element outside the rows), and its merged
    ranges, 0-based (it would build every one of a million <mergeCell> before they could be
    counted). Expat's start events only: no tree is built, so the pass holds almost nothing."""
    from openpyxl.utils.cell import range_boundaries

    ranges: list[tuple[int, int, int, int]] = []
    most_elements = 4 * limits.max_cells + limits.max_rows + 100_000  # <c><v> per cell, and rows
    counts = {"rows": 0, "cells": 0, "elements": 0}

    def start(name: str, attrs: dict[str, str]) -> None:
        counts["elements"] += 1
        tag = name.rpartition("}")[2]
        if tag == "c":
            counts["cells"] += 1
            if counts["cells"] > MAX_CELLS_STORED_IN_A_ROW:
                raise UploadRejected("damaged", "The workbook is damaged and cannot be read.")
        elif tag == "row":
            counts["rows"] += 1
            counts["cells"] = 0
            if counts["rows"] > limits.max_rows + MAX_EMPTY_ROWS_BEYOND:
                raise UploadRejected(
                    "too_many_rows",
                    "Sheet %(sheet)s holds rows beyond row %(limit)d (row %(row)d).",
                    sheet=sheet,
                    row=counts["rows"],
                    limit=limits.max_rows,
                )
        elif tag == "mergeCell":
            c1, r1, c2, r2 = range_boundaries(attrs.get("ref", ""))
            ranges.append((r1 - 1, c1 - 1, r2 - 1, c2 - 1))
            if len(ranges) > limits.max_merges:
                check_merges(sheet, ranges, limits)
        if counts["elements"] > most_elements:
            raise UploadRejected(
                "too_many_cells", "Sheet %(sheet)s holds too many cells.", sheet=sheet, limit=limits.max_cells
            )

    def no_dtd(*args: object) -> None:
        raise UploadRejected("dtd", "The workbook contains a document type declaration; refused.")

    parser = expat.ParserCreate(namespace_separator="}")
    parser.StartElementHandler = start
    parser.StartDoctypeDeclHandler = no_dtd
    parser.EntityDeclHandler = no_dtd
    with ws._get_source() as source:
        try:
            parser.ParseFile(source)
        except expat.ExpatError:
            raise UploadRejected("damaged", "The workbook is damaged and cannot be read.")
    check_merges(sheet, ranges, limits)
    return ranges


def _read_sheet(workbook, ws, limits: Limits) -> Table:
    ranges = _survey(ws, ws.title, limits)
    grid = Grid(ws.title, limits)
    parser = _sheet_parser(workbook, ws)
    try:
        for index, cells in parser.parse():
            kept = False
            for cell in cells:
                value = _clean(cell["value"])
                if value is not None:
                    grid.put(cell["row"], cell["column"], value)
                    kept = True
            if not kept:
                grid.stored_empty_row(index)
    finally:
        parser.source.close()
    copies = _spread(grid.rows, ranges)
    return Table(ws.title, _trim(grid.rows), copies)


def _read_xls(data: bytes, limits: Limits) -> list[Table]:
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=data, formatting_info=True)
    except Exception as exc:  # xlrd.XLRDError, CompDocError, struct errors ...
        raise UploadRejected("damaged", f"The .xls workbook cannot be read ({exc.__class__.__name__}).")
    empty = (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR)
    tables = []
    for sheet in book.sheets():
        ranges = [(r1, c1, r2 - 1, c2 - 1) for r1, r2, c1, c2 in sheet.merged_cells]
        check_merges(sheet.name, ranges, limits)
        grid = Grid(sheet.name, limits)
        for r in range(sheet.nrows):
            types = sheet.row_types(r)
            kept = False
            for c, ctype in enumerate(types):
                if ctype in empty:
                    continue
                value = sheet.cell_value(r, c)
                if ctype == xlrd.XL_CELL_DATE:
                    value = xlrd.xldate.xldate_as_datetime(value, book.datemode)
                value = _clean(value)
                if value is not None:
                    grid.put(r + 1, c + 1, value)
                    kept = True
            if not kept:
                grid.stored_empty_row(r + 1)
        copies = _spread(grid.rows, ranges)
        tables.append(Table(sheet.name, _trim(grid.rows), copies))
    return tables


def _read_csv(data: bytes, limits: Limits) -> Table:
    text = decode_text(data)
    if text is None:
        raise UploadRejected("encoding", "The CSV file is neither UTF-8 nor GBK text.")
    sample = text[:4096]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    # CSV cells stay text (a code such as "0012" keeps its zeros); the caller parses amounts.
    grid = Grid("csv", limits)
    try:
        for r, row in enumerate(csv.reader(io.StringIO(text), dialect), start=1):
            kept = False
            for c, raw in enumerate(row, start=1):
                if value := raw.strip():
                    grid.put(r, c, value)
                    kept = True
            if not kept:
                grid.stored_empty_row(r)
    except csv.Error:
        raise UploadRejected("damaged", "The CSV file cannot be read.")
    return Table("csv", _trim(grid.rows))


def dump_tables(tables: list[Table]) -> bytes:
    """The sheets as JSON, kept beside an upload so that it is parsed once (load_tables reads it)."""
    return json.dumps(
        [
            {
                "name": t.name,
                "rows": [[_dump_value(v) for v in row] for row in t.rows],
                "merged_copies": sorted(t.merged_copies),
            }
            for t in tables
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()


def load_tables(data: bytes) -> list[Table]:
    """The sheets dump_tables wrote, every value of the type it was read as."""
    return [
        Table(
            t["name"],
            [[_load_value(v) for v in row] for row in t["rows"]],
            {(r, c) for r, c in t["merged_copies"]},
        )
        for t in json.loads(data)
    ]


def _dump_value(value: Value) -> object:
    # Text stays a JSON string; anything else is tagged, so that no text can pass for a number.
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, Decimal):
        return {"n": str(value)}
    if isinstance(value, dt.datetime):
        return {"t": value.isoformat()}
    return {"d": value.isoformat()}


def _load_value(value: object) -> Value:
    if value is None or isinstance(value, str):
        return value
    if "n" in value:
        return Decimal(value["n"])
    if "t" in value:
        return dt.datetime.fromisoformat(value["t"])
    return dt.date.fromisoformat(value["d"])
