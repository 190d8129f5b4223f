"""Quality and safety figures: the overdue boundary, the hazard_major_open warning (on, still on when
rectified, off when verified), scoping per role on pages, exports and the API, fixed query counts, the
statistics per unit, and the demo."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from demo.build import build_demo
from projects.models import Project
from reports import warnings
from safety import selectors
from safety.models import Accident, Hazard, SafetyInspection

from . import factories as f
from .conftest import login
from .safety_builders import accident, hazard, inspection

pytestmark = [pytest.mark.django_db]
State, Level = Hazard.State, Hazard.Level


def test_a_hazard_is_overdue_from_the_day_after_its_deadline_while_open(world, today_is):
    open_ = hazard(world.reservoir, deadline=dt.date(2020, 9, 30))
    rectified = hazard(world.reservoir, deadline=dt.date(2020, 9, 1), state=State.RECTIFIED)
    today_is(dt.date(2020, 9, 30))
    assert not open_.is_overdue(dt.date(2020, 9, 30))
    assert not Hazard.objects.overdue_on(dt.date(2020, 9, 30)).exists()
    body = login(world.office).get("/api/v1/hazards?overdue=true").json()
    assert body["count"] == 0
    today_is(dt.date(2020, 10, 1))
    assert list(Hazard.objects.overdue_on(dt.date(2020, 10, 1))) == [open_]
    assert open_.days_overdue(dt.date(2020, 10, 1)) == 1
    body = login(world.office).get("/api/v1/hazards?overdue=true").json()
    assert [(r["id"], r["overdue"], r["days_overdue"]) for r in body["results"]] == [(open_.pk, True, 1)]
    assert not rectified.is_overdue(dt.date(2020, 10, 1))  # rectified on time or not, it waits for the check
    page = login(world.office).get(reverse("safety:register") + "?overdue=yes").content.decode()
    assert f'data-hazard="{open_.pk}"' in page and f'data-hazard="{rectified.pk}"' not in page


def test_an_open_major_hazard_warns_until_it_is_verified(world, pinned_today):
    scoped = Project.objects.for_user(world.office)
    hazard(world.reservoir, level=Level.GENERAL)
    assert not warnings.for_projects(scoped, 2020)  # a general hazard is no warning
    major = hazard(
        world.reservoir, level=Level.MAJOR, deadline=dt.date(2020, 10, 20), description="深基坑支护出现裂缝"
    )
    (w,) = warnings.for_projects(scoped, 2020)[world.reservoir.pk]
    assert w.kind == "hazard_major_open"
    assert w.reason == "重大隐患未销号：深基坑支护出现裂缝（整改期限 2020-10-20）"
    assert w.url == reverse("safety:hazard", args=[major.pk])
    assert warnings.for_projects(scoped, 2021)[world.reservoir.pk]  # it stays until closed off, year or not
    major.state = State.RECTIFIED
    major.save()
    assert warnings.for_projects(scoped, 2020)[world.reservoir.pk][0].kind == "hazard_major_open"
    major.state = State.VERIFIED
    major.save()
    assert not warnings.for_projects(scoped, 2020)
    assert dict((k.code, n) for k, n in warnings.counts(scoped, 2020))["hazard_major_open"] == 0


def test_the_warning_names_the_earliest_deadline_and_keeps_to_the_callers_scope(world, pinned_today):
    hazard(world.reservoir, level=Level.MAJOR, deadline=dt.date(2020, 10, 20), description="后")
    hazard(world.reservoir, level=Level.MAJOR, deadline=dt.date(2020, 10, 5), description="先")
    (w,) = warnings.for_projects(Project.objects.for_user(world.office), 2020)[world.reservoir.pk]
    assert "先" in w.reason and "2020-10-05" in w.reason
    assert not warnings.for_projects(Project.objects.for_user(world.transport_user), 2020)
    assert not warnings.for_projects(Project.objects.for_user(world.outsider), 2020)
    counts = dict((k.code, n) for k, n in warnings.counts(Project.objects.for_user(world.leader_user), 2020))
    assert counts["hazard_major_open"] == 1


def test_the_warning_shows_on_the_project_page_and_the_major_list(world, pinned_today):
    hazard(
        world.reservoir, level=Level.MAJOR, deadline=dt.date(2020, 10, 5), description="深基坑支护出现裂缝"
    )
    leader = login(world.leader_user)
    detail = leader.get(reverse("projects:detail", args=[world.reservoir.pk])).content.decode()
    assert "重大隐患未销号：深基坑支护出现裂缝（整改期限 2020-10-05）" in detail
    major = leader.get(reverse("safety:major")).content.decode()
    assert f'data-project="{world.reservoir.pk}"' in major and "逾期 6 天" in major
    assert 'data-project="' not in login(world.transport_user).get(reverse("safety:major")).content.decode()


def _world_of_hazards(world):
    for project in (world.reservoir, world.road, world.bridge, world.far):
        found = inspection(project)
        hazard(project, of=found, level=Level.MAJOR)
        hazard(project, of=found, state=State.VERIFIED)


@pytest.mark.parametrize(
    ("who", "projects"),
    [
        ("office", {"reservoir", "road", "bridge"}),
        ("supervisor", {"reservoir", "road", "bridge"}),
        ("viewer", {"reservoir", "road", "bridge"}),
        ("city_office", {"reservoir", "road", "bridge", "far"}),
        ("water_user", {"reservoir", "road"}),
        ("transport_user", {"road", "bridge"}),
        ("hongan_user", {"reservoir"}),
        ("leader_user", {"reservoir"}),
        ("outsider", {"far"}),
    ],
)
def test_every_role_sees_its_scope_on_the_register_the_export_the_major_list_and_the_api(
    world, pinned_today, who, projects
):
    _world_of_hazards(world)
    client = login(getattr(world, who))
    expected = {getattr(world, name).pk for name in projects}
    body = client.get("/api/v1/hazards?page_size=500").json()
    assert {r["project"]["id"] for r in body["results"]} == expected and body["count"] == 2 * len(expected)
    page = client.get(reverse("safety:register")).content.decode()
    assert page.count("data-hazard=") == 2 * len(expected)
    book = openpyxl.load_workbook(io.BytesIO(client.get(reverse("safety:export")).content))
    codes = {row[1] for row in book.active.iter_rows(min_row=4, values_only=True) if row[1]}
    assert codes == {getattr(world, name).code for name in projects}
    major = client.get(reverse("safety:major")).content.decode()
    assert major.count("data-project=") == len(expected)
    for name in {"reservoir", "road", "bridge", "far"} - projects:
        assert client.get(reverse("safety:project", args=[getattr(world, name).pk])).status_code == 404


def test_an_unauthenticated_call_gets_no_hazards(world):
    _world_of_hazards(world)
    from django.test import Client

    assert Client().get("/api/v1/hazards").status_code in (401, 403)
    assert Client().get(reverse("safety:register")).status_code == 302


def test_the_api_filters_and_refuses_bad_parameters(world, pinned_today):
    _world_of_hazards(world)
    office = login(world.office)
    assert office.get("/api/v1/hazards?level=major").json()["count"] == 3
    assert office.get("/api/v1/hazards?state=verified").json()["count"] == 3
    assert office.get("/api/v1/hazards?state=pending&level=general").json()["count"] == 0
    body = office.get(f"/api/v1/hazards?project={world.road.pk}&level=major").json()
    (row,) = body["results"]
    assert (
        row["project"]["code"] == world.road.code
        and row["state"] == "open"
        and row["deadline"] == "2020-09-30"
    )
    assert office.get(f"/api/v1/hazards?project={world.far.pk}").json()["count"] == 0
    for bad in ("state=closed", "level=huge", "overdue=maybe", "project=x", "page_size=501"):
        response = office.get(f"/api/v1/hazards?{bad}")
        assert response.status_code == 400, bad
    assert "/api/v1/hazards" in office.get("/api/v1/openapi.json").json()["paths"]


def _many(world, n: int) -> None:
    units = [f.unit(world.county, f"县第{i}局") for i in range(n)]
    for i, unit in enumerate(units):
        project = f.project(
            region=world.county, lead_unit=unit, sector=world.reservoir.sector, name=f"项目{i}"
        )
        found = inspection(project)
        hazard(project, of=found, level=Level.MAJOR)
        hazard(project, of=found, state=State.VERIFIED)
        accident(project)


@pytest.mark.parametrize("n", [2, 30])
def test_the_pages_keep_a_fixed_number_of_queries(world, pinned_today, n, django_assert_max_num_queries):
    _many(world, n)
    client = login(world.office)
    scoped = Project.objects.for_user(world.office)
    with django_assert_max_num_queries(1):
        list(selectors.hazard_warnings(scoped, 2020))
    for url in (
        reverse("safety:register"),
        reverse("safety:export"),
        reverse("safety:major"),
        reverse("safety:units"),
        reverse("safety:units_export"),
        "/api/v1/hazards?page_size=500",
        reverse("safety:project", args=[world.reservoir.pk]),
    ):
        with django_assert_max_num_queries(12):
            assert client.get(url).status_code == 200, url


def test_the_statistics_per_unit_add_up(world, pinned_today):
    found = inspection(world.reservoir)
    hazard(world.reservoir, of=found, state=State.VERIFIED)
    hazard(world.reservoir, of=found, state=State.VERIFIED)
    hazard(world.reservoir, of=found, state=State.RECTIFIED)
    hazard(world.reservoir, of=found, deadline=dt.date(2020, 10, 10))  # open, overdue
    hazard(world.reservoir, of=found, level=Level.MAJOR, deadline=dt.date(2020, 10, 11))  # open, due today
    hazard(world.road, unit=world.water, state=State.VERIFIED)  # water answers for it on transport's road
    hazard(world.road, found=dt.date(2019, 9, 1))  # another year: not counted in 2020
    accident(world.road, injuries=2)
    accident(world.road, date=dt.date(2019, 3, 1))
    accident(world.reservoir, deaths=1, injuries=0)
    on = dt.date(2020, 10, 11)
    hazards, accidents = selectors.in_year(
        Hazard.objects.for_user(world.office), Accident.objects.for_user(world.office), 2020
    )
    rows, total = selectors.by_unit(hazards, accidents, on=on)
    water, transport = rows
    assert (water.unit, water.found, water.rectified, water.verified, water.open, water.overdue) == (
        world.water,
        6,
        4,
        3,
        2,
        1,
    )
    assert (water.major_open, water.accidents, water.deaths) == (1, 1, 1)
    assert water.rectification_rate == Decimal("66.67") and water.verification_rate == Decimal("50.00")
    assert (transport.unit, transport.found, transport.accidents, transport.injuries) == (
        world.transport,
        0,
        1,
        2,
    )
    assert transport.rectification_rate is None
    assert (total.found, total.rectified, total.open, total.accidents) == (6, 4, 2, 2)
    book = openpyxl.load_workbook(
        io.BytesIO(login(world.office).get(reverse("safety:units_export") + "?year=2020").content)
    )
    sheet_rows = [r for r in book.active.iter_rows(values_only=True) if r[0] in ("县水利局", "合计")]
    assert sheet_rows[0][:8] == ("县水利局", 6, 4, 3, 2, 1, 1, 66.67)
    assert sheet_rows[-1][1] == 6
    page = login(world.office).get(reverse("safety:units") + "?year=2020").content.decode()
    assert "66.67%" in page and "50.00%" in page


def test_the_demo_has_open_hazards_two_open_major_ones_and_an_accident_once(demo):
    open_ = Hazard.objects.filter(state=State.OPEN)
    assert Hazard.objects.filter(state=State.VERIFIED).count() > Hazard.objects.count() / 2
    assert open_.overdue_on(dt.date(2020, 10, 11)).exists() and open_.filter(
        deadline__gte=dt.date(2020, 10, 11)
    )
    assert Hazard.objects.filter(level=Level.MAJOR).not_verified().count() == 2
    assert Accident.objects.count() == 1
    county = demo.county
    projects = Project.objects.filter(region=county)
    assert (
        sum(
            1
            for ws in warnings.for_projects(projects, 2020).values()
            for w in ws
            if w.kind == "hazard_major_open"
        )
        == 2
    )
    hazards = Hazard.objects.select_related("inspection")
    assert all(
        h.deadline >= h.inspection.date and (h.rectified_on or h.deadline) >= h.inspection.date
        for h in hazards
    )
    assert all(h.verified_on is None or h.verified_on <= dt.date(2020, 10, 11) for h in hazards)
    before = (SafetyInspection.objects.count(), Hazard.objects.count())
    build_demo(stdout=io.StringIO())
    assert (SafetyInspection.objects.count(), Hazard.objects.count()) == before


def test_a_leader_opens_the_open_major_hazard_list_from_the_dashboards_warnings(world, pinned_today):
    hazard(world.reservoir, level=Level.MAJOR)
    leader = login(world.leader_user)
    dashboard = leader.get(reverse("battlemap:dashboard")).content.decode()
    link = f'href="{reverse("safety:major")}"'
    assert link in dashboard
    assert leader.get(reverse("safety:major")).content.decode().count("data-project=") == 1


def test_the_register_lists_overdue_then_open_then_awaiting_verification_then_verified(world, pinned_today):
    verified = hazard(world.reservoir, state=State.VERIFIED, deadline=dt.date(2020, 9, 2))
    rectified = hazard(world.reservoir, state=State.RECTIFIED, deadline=dt.date(2020, 9, 3))
    due = hazard(world.reservoir, deadline=dt.date(2020, 10, 30))
    overdue = hazard(world.reservoir, deadline=dt.date(2020, 10, 10))
    expected = [overdue.pk, due.pk, rectified.pk, verified.pk]
    office = login(world.office)
    assert [r["id"] for r in office.get("/api/v1/hazards").json()["results"]] == expected
    page = office.get(reverse("safety:register")).content.decode()
    assert sorted(expected, key=lambda pk: page.index(f'data-hazard="{pk}"')) == expected
