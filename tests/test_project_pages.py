"""The project page, create and edit: who may see, who may change, and what a bad form does."""

from __future__ import annotations

from decimal import Decimal

import pytest

from projects.models import Project, YearPlan

from .conftest import login
from .project_forms import edit_data, office_data

pytestmark = pytest.mark.django_db


def test_it_shows_a_unit_its_own_project(world):
    response = login(world.water_user).get(f"/projects/{world.reservoir.pk}/")
    assert response.status_code == 200
    assert "洪安水库工程" in response.content.decode()


def test_it_hides_another_units_project_behind_a_404(world):
    client = login(world.transport_user)
    assert client.get(f"/projects/{world.reservoir.pk}/").status_code == 404
    assert client.get(f"/projects/{world.reservoir.pk}/edit/").status_code == 404
    response = client.post(f"/projects/{world.reservoir.pk}/edit/", edit_data(world.reservoir, owner="x"))
    assert response.status_code == 404
    world.reservoir.refresh_from_db()
    assert world.reservoir.owner == ""


def test_it_hides_the_other_countys_project_from_an_office(world):
    assert login(world.office).get(f"/projects/{world.far.pk}/").status_code == 404
    assert login(world.city_office).get(f"/projects/{world.far.pk}/").status_code == 200


def test_it_keeps_another_units_project_out_of_the_export(world):
    from io import BytesIO

    from openpyxl import load_workbook

    response = login(world.transport_user).get("/projects/export.xlsx?year=2020")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    text = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    assert "梅江河大桥" in text and "中和至平凯公路改造" in text
    assert "洪安水库工程" not in text


@pytest.mark.parametrize("who", ["viewer", "supervisor", "leader_user"])
def test_it_refuses_an_edit_by_a_reader_with_403(world, who):
    client = login(getattr(world, who))
    response = client.post(f"/projects/{world.reservoir.pk}/edit/", edit_data(world.reservoir, owner="改了"))
    assert response.status_code == 403
    world.reservoir.refresh_from_db()
    assert world.reservoir.owner == ""


def test_it_lets_a_unit_edit_its_project_and_records_the_change(world):
    client = login(world.water_user)
    response = client.post(
        f"/projects/{world.reservoir.pk}/edit/", edit_data(world.reservoir, contact_phone="023-76660001")
    )
    assert response.status_code == 302
    world.reservoir.refresh_from_db()
    assert world.reservoir.contact_phone == "023-76660001"
    page = client.get(f"/projects/{world.reservoir.pk}/").content.decode()
    assert "023-76660001" in page
    history = world.reservoir.history.first()
    assert history.history_user == world.water_user


def test_it_lets_a_cooperating_unit_edit_but_not_a_township_that_only_hosts_it(world):
    assert login(world.water_user).get(f"/projects/{world.road.pk}/edit/").status_code == 200
    assert login(world.hongan_user).get(f"/projects/{world.reservoir.pk}/").status_code == 200
    assert login(world.hongan_user).get(f"/projects/{world.reservoir.pk}/edit/").status_code == 403


def test_it_does_not_let_a_unit_change_money_or_ownership_fields(world):
    client = login(world.water_user)
    data = edit_data(world.reservoir, total_investment="1.00", lead_unit=world.transport.pk)
    client.post(f"/projects/{world.reservoir.pk}/edit/", data)
    world.reservoir.refresh_from_db()
    assert world.reservoir.total_investment == Decimal("12000.00")
    assert world.reservoir.lead_unit == world.water


def test_it_lets_only_the_office_create_projects(world):
    assert login(world.water_user).get("/projects/new/").status_code == 403
    assert login(world.viewer).post("/projects/new/", office_data(world)).status_code == 403
    response = login(world.office).post("/projects/new/", office_data(world))
    assert response.status_code == 302
    project = Project.objects.get(code="XS-NEW-1")
    assert project.plans.get().planned_investment == Decimal("1200.00")
    assert project.total_investment == Decimal("3500.50")


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"total_investment": "-5"}, "total_investment", "cannot be negative"),
        ({"total_investment": "12.345"}, "total_investment", "at most two decimal places"),
        ({"name": ""}, "name", "required"),
        ({"planned_start": "2020-06-01", "planned_end": "2020-01-01"}, "planned_end", "cannot be before"),
        ({"plan-planned_investment": "-1"}, "planned_investment", "cannot be negative"),
    ],
)
def test_it_refuses_bad_input_with_an_error_at_the_field_and_saves_nothing(world, changes, field, message):
    client = login(world.office)
    client.cookies["django_language"] = "en"
    response = client.post("/projects/new/", office_data(world, **changes), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    forms = [response.context["form"], response.context["plan_form"]]
    errors = {name: " ".join(errs) for form in forms for name, errs in form.errors.items()}
    assert message in errors[field]
    assert message in response.content.decode()
    assert not Project.objects.filter(code="XS-NEW-1").exists()


def test_it_shows_errors_in_chinese_by_default(world):
    response = login(world.office).post("/projects/new/", office_data(world, total_investment="-5"))
    assert "金额不能为负数" in response.content.decode()


def test_it_refuses_a_unit_from_another_region_as_lead(world):
    response = login(world.office).post("/projects/new/", office_data(world, lead_unit=world.other_unit.pk))
    assert response.status_code == 200
    assert "lead_unit" in response.context["form"].errors
    assert not Project.objects.filter(code="XS-NEW-1").exists()


def test_it_lets_the_office_edit_a_year_plan_with_a_monthly_plan(world):
    client = login(world.office)
    data = {
        "year": "2020",
        "stage": "continuing",
        "planned_investment": "3600.00",
        "invested_before": "100.00",
        "planned_start_month": "",
        "progress_target": "主体完工",
        "months-TOTAL_FORMS": "2",
        "months-INITIAL_FORMS": "0",
        "months-0-month": "1",
        "months-0-amount": "300.00",
        "months-1-month": "2",
        "months-1-amount": "300.00",
    }
    response = client.post(f"/projects/{world.reservoir.pk}/plans/2020/", data)
    assert response.status_code == 302
    plan = YearPlan.objects.get(project=world.reservoir, year=2020)
    assert plan.planned_investment == Decimal("3600.00")
    assert list(plan.months.values_list("month", "amount")) == [
        (1, Decimal("300.00")),
        (2, Decimal("300.00")),
    ]


def test_it_refuses_a_monthly_plan_above_the_annual_plan(world):
    data = {
        "year": "2020",
        "stage": "continuing",
        "planned_investment": "100.00",
        "invested_before": "0",
        "planned_start_month": "",
        "progress_target": "",
        "months-TOTAL_FORMS": "1",
        "months-INITIAL_FORMS": "0",
        "months-0-month": "1",
        "months-0-amount": "300.00",
    }
    client = login(world.office)
    response = client.post(f"/projects/{world.reservoir.pk}/plans/2020/", data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert YearPlan.objects.get(project=world.reservoir, year=2020).planned_investment == Decimal("3000.00")


def test_it_keeps_plans_for_the_office_only(world):
    assert login(world.water_user).get(f"/projects/{world.reservoir.pk}/plans/2020/").status_code == 403


def test_it_refuses_cooperating_units_and_townships_of_another_county(world):
    from regions.models import Township

    other_town = Township.objects.create(region=world.other_county, name="龙潭镇")
    client = login(world.city_office)
    data = office_data(world, cooperating_units=[world.other_unit.pk], townships=[other_town.pk])
    response = client.post("/projects/new/", data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "cooperating_units" in errors and "townships" in errors
    assert not Project.objects.filter(code="XS-NEW-1").exists()


@pytest.mark.parametrize(
    ("system", "typed", "stored"),
    [
        # 秀山 county seat as 高德 (GCJ-02) and 百度 (BD-09) show it; stored as WGS-84 (GPS, 天地图).
        ("gcj02", ("108.994400", "28.441597"), (Decimal("108.990000"), Decimal("28.445000"))),
        ("bd09", ("109.000921", "28.447523"), (Decimal("108.990000"), Decimal("28.445000"))),
        ("wgs84", ("108.990000", "28.445000"), (Decimal("108.990000"), Decimal("28.445000"))),
    ],
)
def test_it_stores_coordinates_typed_from_amap_or_baidu_as_wgs84(world, system, typed, stored):
    data = edit_data(world.reservoir, longitude=typed[0], latitude=typed[1], coordinate_system=system)
    response = login(world.water_user).post(f"/projects/{world.reservoir.pk}/edit/", data)
    assert response.status_code == 302
    world.reservoir.refresh_from_db()
    lng, lat = world.reservoir.longitude, world.reservoir.latitude
    assert abs(lng - stored[0]) <= Decimal("0.000002") and abs(lat - stored[1]) <= Decimal("0.000002")
