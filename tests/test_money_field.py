"""Amounts as an office types them (lib.forms.MoneyField over lib.money.parse_amount), in every money
field of every form, in the Excel import's cells, and through the API."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from exchange import cells
from projects.forms import PlanMonthForm, ProjectForm, YearPlanForm
from reports.forms import ReportForm
from reports.models import MonthlyReport

from .conftest import login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]

ACCEPTED = [
    ("1,325.45", "1325.45"),
    ("1325.45", "1325.45"),
    ("１，３２５．４５", "1325.45"),
    ("８０", "80.00"),
]
REFUSED = ["约3亿", "1e3", "3亿", "Infinity", "13,25.4", "1325.455", "-5"]


def report_data(amount: str) -> dict:
    return {"amount": amount, "progress": "施工中", "completion_pct": "10", "workers": "5"}


@pytest.mark.parametrize(("typed", "stored"), ACCEPTED)
def test_the_report_page_saves_what_an_office_types(world, typed, stored):
    response = login(world.water_user).post(f"/reports/{world.reservoir.pk}/2020/9/", report_data(typed))
    assert response.status_code == 302
    assert MonthlyReport.objects.get().amount == D(stored)


@pytest.mark.parametrize("typed", REFUSED)
def test_the_report_page_refuses_anything_else_with_a_chinese_message(world, typed):
    response = login(world.water_user).post(f"/reports/{world.reservoir.pk}/2020/9/", report_data(typed))
    assert response.status_code == 400
    message = " ".join(response.context["form"].errors["amount"])
    assert any(words in message for words in ("请用数字填写金额", "最多保留两位小数", "不能为负数")), message
    assert not MonthlyReport.objects.exists()


def test_the_amount_input_is_text_with_a_decimal_keyboard(world):
    body = login(world.water_user).get(f"/reports/{world.reservoir.pk}/2020/9/").content.decode()
    tag = body[body.index('name="amount"') - 200 : body.index('name="amount"') + 200]
    assert 'type="text"' in tag and 'inputmode="decimal"' in tag and 'type="number"' not in tag


def test_every_money_field_of_every_form_is_a_money_field():
    forms = [
        (ReportForm(), ["amount"]),
        (YearPlanForm(), ["planned_investment", "invested_before"]),
        (PlanMonthForm(), ["amount"]),
    ]
    for form, names in forms:
        for name in names:
            bound = form.__class__(data={name: "１，２００．５０"})
            bound.is_valid()
            assert name not in bound.errors, (form.__class__.__name__, name, bound.errors.get(name))
            assert bound.cleaned_data[name] == D("1200.50")
            refused = form.__class__(data={name: "1e3"})
            assert name in refused.errors


def test_the_project_form_reads_the_total_investment_the_same_way(world):
    form = ProjectForm(data={"total_investment": "１２，０００"}, user=world.office)
    form.is_valid()
    assert "total_investment" not in form.errors and form.cleaned_data["total_investment"] == D("12000.00")
    assert "total_investment" in ProjectForm(data={"total_investment": "约1.2亿"}, user=world.office).errors


def test_the_excel_import_reads_cells_with_the_same_parser():
    assert cells.amount("１，３２５．４５", D(1)) == D("1325.45")
    assert cells.amount("1.23456", D("10000")) == D("12345.60")  # 亿元 columns keep their places
    for bad in ("1e3", "约3亿"):
        with pytest.raises(cells.CellError):
            cells.amount(bad, D(1))
    with pytest.raises(cells.CellError, match="负"):
        cells.amount("-5", D(1))


def test_the_api_accepts_full_width_digits_as_the_form_does(world):
    body = {
        "project": world.reservoir.pk,
        "year": 2020,
        "month": 9,
        "amount": "１，３２５．４５",
        "progress": "施工中",
    }
    response = login(world.water_user).post("/api/v1/reports", body, content_type="application/json")
    assert response.status_code == 201 and response.json()["amount"] == "1325.45"
