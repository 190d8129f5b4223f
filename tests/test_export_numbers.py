"""Exports as offices print them (issue 12): numbers are numeric cells with number formats, only text
is formula-escaped; the ledger carries year to date, rate, gap and light; headings and titles read right."""

from __future__ import annotations

import io
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import translation
from openpyxl import load_workbook

from lib.xlsx import workbook_bytes
from reports.exports import monthly_sheet, units_sheet
from reports.figures import Figures

from .conftest import login

pytestmark = pytest.mark.django_db


def sheet_of(sheets):
    return load_workbook(io.BytesIO(workbook_bytes(sheets))).active


def monthly_row(project, gap: str, rate: str):
    return SimpleNamespace(
        project=project,
        planned_investment=Decimal("1000.00"),
        month_amount=Decimal("10.00"),
        ytd=Decimal("500.00"),
        since_start=Decimal("900.00"),
        rate=Decimal(rate),
        gap=Decimal(gap),
        light="yellow",
        light_reason="",
        report_status="approved",
    )


def test_a_negative_gap_and_a_rate_are_numbers_with_formats_not_text(world):
    with translation.override("zh-hans"):
        ws = sheet_of(
            [
                monthly_sheet(
                    [monthly_row(world.road, "-3.98", "50.00")], year=2020, month=9, region=world.county
                )
            ]
        )
    rate, gap = ws["I5"], ws["J5"]
    assert (rate.value, rate.data_type, rate.number_format) == (50, "n", "0.00")
    assert (gap.value, gap.data_type) == (-3.98, "n") and gap.number_format == "+0.00;-0.00;0.00"
    assert ws["F3"].value == "完成投资"  # the group over month, year to date and since start


def test_text_that_looks_like_a_formula_is_still_escaped(world):
    world.road.name = "-3.98 不是公式"
    with translation.override("en"):
        ws = sheet_of(
            [
                monthly_sheet(
                    [monthly_row(world.road, "1.00", "9.00")], year=2020, month=9, region=world.county
                )
            ]
        )
    assert ws["C5"].value == "'-3.98 不是公式"


def test_the_unit_ranking_is_titled_to_the_month_and_holds_numbers(world):
    figures = Figures(
        key=1,
        label="县水利局",
        projects=2,
        planned=Decimal("100.00"),
        ytd=Decimal("40.00"),
        rate=Decimal("40.00"),
        target=Decimal("75.00"),
        gap=Decimal("-35.00"),
        lights={"red": 1, "yellow": 0, "green": 1},
    )
    with translation.override("zh-hans"):
        ws = sheet_of([units_sheet([figures], year=2020, month=9, region=world.county)])
    assert ws["A1"].value.endswith("（截至9月）")
    assert [ws.cell(row=4, column=c).value for c in (3, 6, 7, 8)] == [2, 40, 75, -35]
    assert all(ws.cell(row=4, column=c).data_type == "n" for c in (3, 4, 5, 6, 7, 8))


def test_the_ledger_export_carries_year_to_date_rate_gap_and_light_as_numbers(world):
    with translation.override("en"):
        ws = load_workbook(
            io.BytesIO(
                login(world.office)
                .get("/projects/export.xlsx?year=2020&month=9", HTTP_ACCEPT_LANGUAGE="en")
                .content
            )
        ).active
    heads = {ws.cell(row=4, column=c).value: c for c in range(1, ws.max_column + 1)}
    assert ws.cell(row=3, column=heads["Year to date"]).value == "By the end of month 9"
    for r in range(5, ws.max_row + 1):
        for title in ("Total investment", "2020 planned investment", "Year to date"):
            cell = ws.cell(row=r, column=heads[title])
            assert cell.data_type == "n" and cell.number_format == "#,##0.00", (r, title, cell.value)
    road = next(r for r in range(5, ws.max_row + 1) if ws.cell(row=r, column=3).value == world.road.name)
    rate = ws.cell(row=road, column=heads["Completion rate (%)"])
    gap = ws.cell(row=road, column=heads["Gap (points)"])
    assert (rate.value, rate.data_type, rate.number_format) == (0, "n", "0.00")
    assert gap.data_type == "n" and gap.value < 0 and gap.number_format == "+0.00;-0.00;0.00"
    assert ws.cell(row=road, column=heads["Light"]).value == "Red"
