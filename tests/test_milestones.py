"""Key milestones (关键节点): the one slip rule at its boundary, the warning beside the light with its
reason, the project's page (editors add, change and remove; others read), the register slipped first
with its export, scoping per role, a fixed number of queries, and the wall chart's marks."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from milestones import selectors
from milestones.models import Milestone
from projects.models import Project
from reports import warnings

from . import factories as f
from .conftest import login

pytestmark = [pytest.mark.django_db]

SEPT_30 = dt.date(2020, 9, 30)


def milestone(project, name="主体工程完工", planned=SEPT_30, actual=None, year=2020) -> Milestone:
    return Milestone.objects.create(
        project=project, year=year, name=name, planned_date=planned, actual_date=actual
    )


def test_a_milestone_slips_the_day_after_its_planned_date(world, today_is):
    m = milestone(world.reservoir)
    today_is(SEPT_30)
    assert selectors.state(m, SEPT_30) == "ahead"
    assert not warnings.for_projects(Project.objects.for_user(world.office), 2020)
    today_is(dt.date(2020, 10, 1))
    assert selectors.state(m, dt.date(2020, 10, 1)) == "slipped"
    found = warnings.for_projects(Project.objects.for_user(world.office), 2020)
    (w,) = found[world.reservoir.pk]
    assert w.kind == "milestone_slipped"
    assert w.reason == "关键节点滞后：主体工程完工（计划 2020-09-30，已超 1 天）"
    assert w.url == reverse("milestones:project", args=[world.reservoir.pk])


def test_a_milestone_reached_late_is_history_not_a_warning(world, today_is):
    today_is(dt.date(2020, 10, 11))
    m = milestone(world.reservoir, actual=dt.date(2020, 10, 5))
    assert selectors.state(m, dt.date(2020, 10, 11)) == "reached_late"
    assert selectors.days_late(m, dt.date(2020, 10, 11)) == 5
    assert not warnings.for_projects(Project.objects.for_user(world.office), 2020)


def test_the_warning_counts_and_never_touches_the_light(world, today_is):
    today_is(dt.date(2020, 10, 11))
    milestone(world.reservoir)
    milestone(world.reservoir, name="附属工程完工")
    counted = dict(
        (kind.code, n) for kind, n in warnings.counts(Project.objects.for_user(world.office), 2020)
    )
    assert counted["milestone_slipped"] == 1  # projects, not milestones
    assert len(warnings.for_projects(Project.objects.for_user(world.office), 2020)[world.reservoir.pk]) == 2


def test_an_editor_adds_changes_and_removes_milestones(world, today_is):
    today_is(dt.date(2020, 10, 11))
    client = login(world.water_user)
    url = reverse("milestones:create", args=[world.reservoir.pk])
    response = client.post(url, {"year": "2020", "name": "大坝填筑完成", "planned_date": "2020-11-30"})
    assert response.status_code == 302
    m = Milestone.objects.get(project=world.reservoir)
    assert (m.year, m.planned_date, m.actual_date) == (2020, dt.date(2020, 11, 30), None)
    response = client.post(
        reverse("milestones:edit", args=[m.pk]),
        {"name": "大坝填筑完成", "planned_date": "2020-11-30", "actual_date": "2020-10-10", "note": "提前"},
    )
    assert response.status_code == 302
    m.refresh_from_db()
    assert m.actual_date == dt.date(2020, 10, 10)
    page = client.get(
        reverse("milestones:project", args=[world.reservoir.pk]) + "?year=2020"
    ).content.decode()
    assert "大坝填筑完成" in page and 'data-state="reached"' in page
    assert client.post(reverse("milestones:delete", args=[m.pk])).status_code == 302
    assert not Milestone.objects.exists()
    # the removal is kept: the row marked who and when (a soft delete), and in its history
    assert Milestone.all_objects.get(pk=m.pk).deleted_by == world.water_user
    assert m.history.latest("history_id").deleted_by_id == world.water_user.pk


@pytest.mark.parametrize(
    "fields, error",
    [
        ({"name": "", "planned_date": "2020-11-30"}, "name"),
        ({"name": "x", "planned_date": "2021-01-31"}, "planned_date"),  # not in the year
        ({"name": "x", "planned_date": "9999-12-31"}, "planned_date"),
        ({"name": "x", "planned_date": "2020-11-30", "actual_date": "2020-12-01"}, "actual_date"),  # future
        ({"name": "已有", "planned_date": "2020-11-30"}, "name"),  # same name this year
    ],
)
def test_a_bad_milestone_is_refused_with_a_message_and_nothing_saved(world, today_is, fields, error):
    today_is(dt.date(2020, 10, 11))
    milestone(world.reservoir, name="已有")
    response = login(world.office).post(
        reverse("milestones:create", args=[world.reservoir.pk]), {"year": "2020", **fields}
    )
    assert response.status_code == 400
    assert error in response.context["form"].errors
    assert Milestone.objects.count() == 1


def test_only_editors_change_and_others_see_only_their_scope(world, today_is):
    today_is(dt.date(2020, 10, 11))
    m = milestone(world.reservoir)
    far = milestone(world.far, name="酉阳节点")
    create = reverse("milestones:create", args=[world.reservoir.pk])
    for reader in (world.viewer, world.supervisor, world.leader_user):
        assert (
            login(reader)
            .post(create, {"year": "2020", "name": "x", "planned_date": "2020-11-30"})
            .status_code
            == 403
        )
        assert login(reader).post(reverse("milestones:delete", args=[m.pk])).status_code == 403
    assert login(world.transport_user).post(reverse("milestones:delete", args=[m.pk])).status_code == 404
    assert (
        login(world.outsider).get(reverse("milestones:project", args=[world.reservoir.pk])).status_code == 404
    )

    def seen(user) -> set[str]:
        return set(Milestone.objects.for_user(user).values_list("name", flat=True))

    assert seen(world.office) == seen(world.viewer) == seen(world.water_user) == {m.name}
    assert seen(world.transport_user) == set()
    assert seen(world.outsider) == {far.name}
    register = login(world.transport_user).get(reverse("milestones:register") + "?year=2020&state=all")
    assert "主体工程完工" not in register.content.decode()


def test_the_register_lists_slipped_first_and_exports_what_it_shows(world, today_is):
    today_is(dt.date(2020, 10, 11))
    milestone(world.road, name="路基完成", planned=dt.date(2020, 12, 31))
    milestone(world.reservoir, name="主体工程完工", planned=SEPT_30)
    milestone(world.bridge, name="桩基完成", planned=dt.date(2020, 6, 30))
    client = login(world.office)
    page = client.get(reverse("milestones:register") + "?year=2020&state=all").content.decode()
    assert page.index("桩基完成") < page.index("主体工程完工") < page.index("路基完成")
    assert "路基完成" not in client.get(reverse("milestones:register") + "?year=2020").content.decode()
    response = client.get(reverse("milestones:export") + "?year=2020&state=all")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    names = [row[4] for row in sheet.iter_rows(values_only=True) if row[0] in (1, 2, 3)]
    assert names == ["桩基完成", "主体工程完工", "路基完成"]


@pytest.mark.parametrize("rows", [3, 40])
def test_the_register_keeps_a_fixed_number_of_queries(world, today_is, rows, django_assert_max_num_queries):
    today_is(dt.date(2020, 10, 11))
    for n in range(rows):
        p = f.project(region=world.county, lead_unit=world.water, sector=world.reservoir.sector)
        milestone(p, name=f"节点{n}")
    client = login(world.office)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("milestones:register") + "?year=2020&state=all").status_code == 200


def test_bad_parameters_are_no_error(world, today_is):
    today_is(dt.date(2020, 10, 11))
    client = login(world.office)
    for query in ("?year=²", "?year=99999999999999999999999", "?state=<script>", "?page=abc"):
        assert client.get(reverse("milestones:register") + query).status_code == 200
    assert client.get(reverse("milestones:project", args=[world.reservoir.pk]) + "?year=²").status_code == 200


def test_the_api_serves_the_years_milestones_scoped(world, today_is):
    today_is(dt.date(2020, 10, 11))
    milestone(world.reservoir)
    milestone(world.road, name="路基完成", planned=dt.date(2020, 12, 31))
    body = login(world.office).get("/api/v1/milestones?year=2020").json()
    assert body["count"] == 2
    first = body["results"][0]
    assert (first["name"], first["state"], first["days_late"]) == ("主体工程完工", "slipped", 11)
    assert login(world.office).get("/api/v1/milestones?year=2020&state=slipped").json()["count"] == 1
    assert (
        login(world.transport_user).get("/api/v1/milestones?year=2020").json()["results"][0]["name"]
        == "路基完成"
    )
    assert login(world.office).get("/api/v1/milestones?year=1999").status_code == 400
    schema = login(world.office).get("/api/v1/openapi.json").json()
    assert "/api/v1/milestones" in schema["paths"]


def test_the_wall_chart_marks_milestones_in_their_month(reported, today_is):
    today_is(dt.date(2020, 10, 11))
    milestone(reported.reservoir, name="主体工程完工", planned=SEPT_30)
    milestone(reported.reservoir, name="导流洞完成", planned=dt.date(2020, 6, 30), actual=dt.date(2020, 7, 2))
    html = login(reported.office).get("/battlemap/wall/?year=2020&month=9").content.decode()
    assert "bm-mark milestone_slipped" in html and "关键节点滞后：主体工程完工" in html
    assert "bm-mark milestone_done" in html and "导流洞完成 · 2020-06-30" in html
