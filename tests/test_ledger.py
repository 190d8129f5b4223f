from __future__ import annotations

from decimal import Decimal

import pytest
from django.template.loader import render_to_string

from projects.models import Project, YearPlan
from reports.ledger import light_cell

from . import factories as f
from .conftest import login

pytestmark = pytest.mark.django_db


def names(response) -> set[str]:
    return {plan.project.name for _, plan in response.context["rows"]}


def test_it_shows_the_office_every_project_of_its_county(world):
    response = login(world.office).get("/projects/?year=2020")
    assert response.status_code == 200
    assert names(response) == {"洪安水库工程", "中和至平凯公路改造", "梅江河大桥"}
    totals = response.context["totals"]
    assert totals.count == 3
    assert totals.planned_investment == Decimal("5500.00")
    assert totals.total_investment == Decimal("21500.00")
    assert "5,500.00" in response.content.decode()


def test_it_shows_a_unit_its_lead_and_cooperating_projects_only(world):
    response = login(world.water_user).get("/projects/?year=2020")
    assert names(response) == {"洪安水库工程", "中和至平凯公路改造"}
    assert response.context["totals"].planned_investment == Decimal("5000.00")


def test_it_shows_a_township_the_projects_built_in_it(world):
    response = login(world.hongan_user).get("/projects/?year=2020")
    assert names(response) == {"洪安水库工程"}


def test_it_shows_a_leader_the_projects_in_their_charge(world):
    response = login(world.leader_user).get("/projects/?year=2020")
    assert names(response) == {"洪安水库工程"}


@pytest.mark.parametrize("who", ["viewer", "supervisor"])
def test_it_lets_readers_see_the_whole_county(world, who):
    response = login(getattr(world, who)).get("/projects/?year=2020")
    assert len(names(response)) == 3


def test_it_lets_a_city_office_see_and_filter_by_county(world):
    client = login(world.city_office)
    assert len(names(client.get("/projects/?year=2020"))) == 4
    filtered = client.get(f"/projects/?year=2020&region={world.other_county.pk}")
    assert names(filtered) == {"酉阳水厂"}


def test_it_filters_by_sector_unit_township_stage_started_and_text(world):
    client = login(world.office)
    water_sector = world.reservoir.sector
    assert names(client.get(f"/projects/?year=2020&sector={water_sector.pk}")) == {"洪安水库工程"}
    assert names(client.get(f"/projects/?year=2020&unit={world.water.pk}")) == {
        "洪安水库工程",
        "中和至平凯公路改造",
    }
    assert names(client.get(f"/projects/?year=2020&township={world.hongan_town.pk}")) == {"洪安水库工程"}
    assert names(client.get("/projects/?year=2020&q=大桥")) == {"梅江河大桥"}
    Project.objects.filter(pk=world.bridge.pk).update(actual_start="2020-03-01")
    assert names(client.get("/projects/?year=2020&started=yes")) == {"梅江河大桥"}
    assert len(names(client.get("/projects/?year=2020&started=no"))) == 2
    YearPlan.objects.filter(project=world.road).update(stage="new")
    assert names(client.get("/projects/?year=2020&stage=new")) == {"中和至平凯公路改造"}
    assert names(client.get(f"/projects/?year=2020&leader={world.leader.pk}")) == {"洪安水库工程"}


def test_it_sorts_by_annual_plan(world):
    response = login(world.office).get("/projects/?year=2020&sort=-plan")
    ordered = [plan.project.name for _, plan in response.context["rows"]]
    assert ordered == ["洪安水库工程", "中和至平凯公路改造", "梅江河大桥"]


def test_it_paginates_and_totals_cover_every_page(world):
    for _ in range(60):
        f.project(region=world.county, lead_unit=world.water, sector=world.reservoir.sector, planned="1.00")
    response = login(world.office).get("/projects/?year=2020")
    assert len(response.context["rows"]) == 50
    assert response.context["totals"].count == 63
    second = login(world.office).get("/projects/?year=2020&page=2")
    assert second.context["rows"][0][0] == 51


@pytest.mark.parametrize("count", [10, 500])
def test_it_keeps_a_fixed_number_of_queries_as_rows_grow(world, django_assert_max_num_queries, count):
    for _i in range(count):
        f.project(
            region=world.county,
            lead_unit=world.water,
            sector=world.reservoir.sector,
            townships=[world.hongan_town],
            cooperating=[world.transport],
            leader=world.leader,
        )
    client = login(world.office)
    # 14 for the ledger itself, 9 for the warnings
    # beside the lights (reports.warnings: approvals' nodes and the working-day calendar, land, funds,
    # quality and safety, milestones, bidding ×3) — read once for the page, the same for 10 rows as for 500.
    with django_assert_max_num_queries(23):
        response = client.get("/projects/?year=2020&size=500")
    assert response.context["totals"].count == count + 3


def test_it_answers_htmx_with_the_table_only(world):
    response = login(world.office).get("/projects/?year=2020", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'id="ledger"' in body
    assert "<html" not in body


def test_it_narrows_a_unit_to_the_projects_it_leads_when_asked(world):
    client = login(world.office)
    lead_only = client.get(f"/projects/?year=2020&unit={world.water.pk}&unit_role=lead")
    assert names(lead_only) == {"洪安水库工程"}  # not the road, where water only cooperates
    assert lead_only.context["totals"].count == 1
    assert names(client.get("/projects/?year=2020&unit_role=lead")) == {
        "洪安水库工程",
        "中和至平凯公路改造",
        "梅江河大桥",
    }


@pytest.mark.parametrize("size, rows", [("abc", 3), ("0", 3), ("100000", 3)])
def test_it_keeps_the_page_size_sensible(world, size, rows):
    response = login(world.office).get(f"/projects/?year=2020&size={size}")
    assert response.status_code == 200
    assert len(response.context["rows"]) == rows
    assert response.context["page"].paginator.per_page in (10, 50, 500)


@pytest.mark.parametrize("light", ["green", "yellow", "red"])
def test_it_draws_a_rows_light_as_the_light_template_does(light):
    # The ledger writes its rows in Python; its light cell must stay the one reports/_light.html draws.
    words = 'Planned to start in month 3 & <"late">'
    drawn = render_to_string("reports/_light.html", {"light": light, "reason": words})
    assert light_cell(light, words) == drawn.strip()
