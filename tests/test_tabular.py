"""Reading sheets into rows (lib.tabular): merged cells, numbers, dates, CSV encodings, .xls."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from lib.tabular import read_tables

from .sheets import xlsx


def test_it_copies_a_merged_value_into_every_cell_it_covers():
    data = xlsx(
        [["序号", "投资情况", None, "责任单位"], [None, "总投资", "计划", None]], ["B1:C1", "A1:A2", "D1:D2"]
    )
    [table] = read_tables(data, "xlsx")
    assert table.rows[0] == ["序号", "投资情况", "投资情况", "责任单位"]
    assert table.rows[1] == ["序号", "总投资", "计划", "责任单位"]
    assert (0, 2) in table.merged_copies and (0, 1) not in table.merged_copies


def test_it_reads_numbers_as_exact_decimals_and_dates_as_dates():
    [table] = read_tables(xlsx([[0.1, 3, dt.datetime(2020, 3, 15), "  text  "]]), "xlsx")
    assert table.rows[0] == [Decimal("0.1"), Decimal("3"), dt.date(2020, 3, 15), "text"]


def test_it_reads_every_sheet():
    tables = read_tables(xlsx([["a"]], title="交通", more={"水利": [["b"]]}), "xlsx")
    assert [t.name for t in tables] == ["交通", "水利"]


def test_it_reads_csv_in_utf8_with_bom_and_gbk_keeping_codes_as_text():
    for data in ("\ufeff编号,名称\n0012,水厂\n".encode(), "编号,名称\n0012,水厂\n".encode("gbk")):
        [table] = read_tables(data, "csv")
        assert table.rows == [["编号", "名称"], ["0012", "水厂"]]


def test_it_reads_the_xls_fixture_with_its_merged_header():
    data = (Path(__file__).parent / "fixtures" / "projects_2020.xls").read_bytes()
    [table] = read_tables(data, "xls")
    assert table.rows[1][3:6] == ["投资情况（亿元）"] * 3
    assert table.rows[4][:3] == [Decimal("1"), "XS-001", "县城至机场快速通道"]
