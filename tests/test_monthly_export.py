"""The month table's and the unit ranking's Excel exports."""

from __future__ import annotations

import io
from decimal import Decimal as D

import openpyxl
import pytest

from .conftest import login
from .page_builders import file_september

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]


@pytest.fixture
def filed(world):
    return file_september(world)


def test_it_exports_the_month_and_the_ranking_to_excel(filed):
    client = login(filed.office)
    monthly = client.get("/reports/export.xlsx?year=2020&month=9")
    assert monthly["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(monthly.content)).active
    values = [c for row in sheet.iter_rows(values_only=True) for c in row]
    assert "洪安水库工程" in values and D("2250.00") in [
        D(str(v)) for v in values if isinstance(v, (int, float))
    ]
    units = client.get("/reports/units.xlsx?year=2020&month=9")
    cells = [
        c
        for row in openpyxl.load_workbook(io.BytesIO(units.content)).active.iter_rows(values_only=True)
        for c in row
    ]
    assert "县水利局" in cells
