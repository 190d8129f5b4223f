"""The land register by township (/land/): to-date sums per township with the total, scoped per role,
a fixed number of queries; its .xlsx export."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from . import factories as f
from .conftest import login
from .land_builders import land_plan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]


@pytest.fixture
def land(world):
    zhonghe = world.road.townships.get()
    land_plan(
        world.reservoir,
        world.hongan_town,
        needed="120",
        farmland="100",
        households=20,
        compensation="800",
        due=dt.date(2020, 8, 31),
        months=[
            {
                "year": 2020,
                "month": 7,
                "acquired": "90",
                "handed_over": "80",
                "households_relocated": 8,
                "compensation_paid": "300",
            },
            {"year": 2021, "month": 1, "acquired": "30", "handed_over": "40"},  # after the year asked
        ],
    )
    land_plan(
        world.road,
        world.hongan_town,
        needed="30.5",
        households=5,
        compensation="100.25",
        months=[
            {
                "year": 2020,
                "month": 9,
                "acquired": "30.5",
                "handed_over": "30.5",
                "households_relocated": 5,
                "compensation_paid": "100.25",
            }
        ],
    )
    land_plan(world.road, zhonghe, needed="10", households=2, compensation="50")
    land_plan(world.far, f.township(world.other_county, "钟多街道"), needed="999")
    return world


def register(user, year=2020):
    return login(user).get(f"/land/?year={year}")


def test_it_sums_each_township_and_the_total(land):
    response = register(land.office)
    rows, total = response.context["rows"], response.context["total"]
    by_name = {r.name: r for r in rows}
    assert list(by_name) == ["中和街道", "洪安镇"]  # the county's order (by name when unsorted)
    hongan = by_name["洪安镇"]
    assert (hongan.plans, hongan.area_needed, hongan.handed_over) == (2, Decimal("150.50"), Decimal("110.50"))
    assert (hongan.households, hongan.households_done, hongan.behind) == (25, 13, 1)
    assert (hongan.compensation_needed, hongan.compensation_paid) == (Decimal("900.25"), Decimal("400.25"))
    assert (total.plans, total.area_needed, total.handed_over) == (3, Decimal("160.50"), Decimal("110.50"))
    assert total.area_left == Decimal("50.00") and total.households_left == 14
    body = response.content.decode()
    assert "160.5" in body and "900.25" in body


def test_a_unit_sees_its_own_projects_land_only(land):
    rows = register(land.transport_user).context["rows"]
    assert [(r.name, r.plans, r.area_needed) for r in rows] == [
        ("中和街道", 1, Decimal("10.00")),
        ("洪安镇", 1, Decimal("30.50")),
    ]
    assert register(land.outsider).context["total"].area_needed == Decimal("999.00")
    assert register(land.leader_user).context["total"].area_needed == Decimal("120.00")


def test_a_year_with_no_project_on_its_list_is_empty(land):
    response = register(land.office, 2019)
    assert response.context["rows"] == [] and "本年度清单中没有需要征地的项目" in response.content.decode()


def test_the_register_issues_a_fixed_number_of_queries(land):
    client = login(land.office)
    client.get("/land/?year=2020")

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/land/?year=2020").status_code == 200
        return len(captured)

    few = count()
    for n in range(8):
        extra = f.project(
            region=land.county, lead_unit=land.water, sector=land.reservoir.sector, name=f"水利项目{n}"
        )
        land_plan(extra, f.township(land.county, f"新镇{n}"), needed="5", due=dt.date(2020, 6, 30))
    assert count() == few


def test_the_export_has_the_townships_with_the_total_and_the_plans(land):
    response = login(land.office).get("/land/export.xlsx?year=2020")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    first, plans = book.worksheets
    values = [[c for c in row] for row in first.iter_rows(values_only=True)]
    names = [row[0] for row in values]
    assert "洪安镇" in names and "中和街道" in names and "合计" in names
    total = values[names.index("合计")]
    assert Decimal(str(total[2])) == Decimal("160.50")
    plan_names = [row[2] for row in plans.iter_rows(values_only=True)]
    assert "洪安水库工程" in plan_names and "酉阳水厂" not in plan_names


def test_odd_parameters_never_break_the_page(land):
    client = login(land.office)
    assert client.get("/land/?year=2020&township=²").status_code == 200
    assert client.get("/land/?year=2020&township=99999999999999999999999").status_code == 200
    assert client.get("/land/?year=2020&page=abc").status_code == 200
    odd_year = client.get("/land/?year=²")
    assert odd_year.status_code == 200 and odd_year.context["year"] == 2020  # this year instead
