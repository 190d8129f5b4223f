"""lib.xlsx: the office layout, written in openpyxl's write-only mode."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from decimal import Decimal

from openpyxl import load_workbook

from lib.xlsx import LINE_HEIGHT, PROGRESS_EVERY, Column, Sheet, workbook_bytes, write_workbook


def sheet(rows: int = 3, *, wide: bool = False) -> Sheet:
    columns = [
        Column("序号", 6),
        Column("项目名称", 10, wrap=True),
        Column("开工日期", 12),
        Column("总投资", 12, money=True, group="投资"),
        Column("计划投资", 12, money=True, group="投资"),
    ]
    if wide:
        columns.append(Column("备注", 160, wrap=True))
    result = Sheet(title="秀山县 重点项目", columns=columns, name="台账")
    result.rows.append(["一", "交通（2个）", "", Decimal("3.50"), Decimal("1.25")])
    result.emphasis.add(0)
    for i in range(rows):
        result.rows.append(
            [i + 1, "洪安至中和公路改造工程" * (i + 1), dt.date(2020, 3, 1), Decimal("1.75"), 2]
        )
    return result


def opened(body: bytes):
    return load_workbook(io.BytesIO(body)).active


def test_it_writes_numbers_as_numbers_and_dates_as_dates():
    ws = opened(workbook_bytes([sheet()]))
    assert ws["D6"].value == Decimal("1.75") or ws["D6"].value == 1.75
    assert ws["D6"].data_type == "n" and ws["D6"].number_format == "#,##0.00"
    assert ws["E6"].value == 2 and ws["C6"].is_date and ws["C6"].number_format == "yyyy-mm-dd"


def test_it_grows_rows_of_wrapped_text_and_the_header():
    ws = opened(workbook_bytes([sheet()]))
    # "洪安至中和公路改造工程" is 22 units wide, 8.5 fit a line of a column of 10: 3 lines, 6 for two, 8 for three.
    assert [ws.row_dimensions[r].height for r in (6, 7, 8)] == [
        3 * LINE_HEIGHT + 2,
        6 * LINE_HEIGHT + 2,
        8 * LINE_HEIGHT + 2,
    ]
    assert ws.row_dimensions[1].height == 32
    assert ws["B6"].alignment.wrap_text and ws["B3"].alignment.wrap_text


def test_a_subtotal_row_is_bold_and_shaded_across_the_whole_table():
    ws = opened(workbook_bytes([sheet()]))
    assert ws["B5"].value == "交通（2个）" and ws["B5"].font.b
    assert ws["E5"].fill.fgColor.rgb.endswith("F2F2F2") and ws["E5"].border.right.style == "thin"
    assert not ws["B6"].font.b


def test_it_merges_the_title_and_group_headers_and_draws_every_header_cell():
    body = workbook_bytes([sheet()])
    ws = opened(body)
    assert {"A1:E1", "A2:E2", "D3:E3", "A3:A4", "B3:B4", "C3:C4"} <= {str(r) for r in ws.merged_cells.ranges}
    assert ws["D3"].value == "投资" and ws["D4"].value == "总投资" and ws["B3"].value == "项目名称"
    assert ws["A2"].value == "单位：万元"
    # A cell a merge covers is still written with the header's style, so its border and fill show
    # (openpyxl drops the style of covered cells when reading, so look at the sheet's XML).
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert re.search(r'<c r="E3" s="(\d+)"', xml).group(1) == re.search(r'<c r="D3" s="(\d+)"', xml).group(1)


def test_it_prints_wide_sheets_on_a3_landscape_with_the_header_repeated():
    narrow, wide = opened(workbook_bytes([sheet()])), opened(workbook_bytes([sheet(wide=True)]))
    assert narrow.page_setup.paperSize == 9 and wide.page_setup.paperSize == 8  # A4, A3
    assert wide.page_setup.orientation == "landscape" and wide.print_title_rows == "$3:$4"
    assert wide.freeze_panes == "C5" and wide.sheet_properties.pageSetUpPr.fitToPage
    assert wide.oddFooter.center.text == "第 &P 页，共 &N 页"


def test_it_reports_progress_while_writing(tmp_path):
    calls: list[tuple[int, int]] = []
    rows = PROGRESS_EVERY * 2 + 5
    write_workbook(
        [sheet(rows)], tmp_path / "big.xlsx", progress=lambda done, total: calls.append((done, total))
    )
    total = rows + 1
    assert calls == [(PROGRESS_EVERY, total), (2 * PROGRESS_EVERY, total), (total, total)]
    assert opened((tmp_path / "big.xlsx").read_bytes()).max_row == 4 + total


def test_it_escapes_formulas():
    s = sheet(0)
    s.rows.append([1, "=1+1", "", Decimal("0"), Decimal("0")])
    assert opened(workbook_bytes([s]))["B6"].value == "'=1+1"
