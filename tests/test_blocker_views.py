"""Blocker pages: scoping for every role, the register with filters and counts, export, overdue under a
frozen clock, the project section."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from blockers.models import Blocker
from blockers.views import badges_html

from .blocker_builders import raise_blocker
from .conftest import login

pytestmark = pytest.mark.usefixtures("pinned_today")


@pytest.fixture
def blockers(world):
    return {
        "reservoir": raise_blocker(
            world.reservoir, deadline=dt.date(2020, 10, 1), description="库区移民安置"
        ),
        "road": raise_blocker(
            world.road, kind="approvals", deadline=dt.date(2020, 12, 1), description="用地预审未批"
        ),
        "bridge": raise_blocker(world.bridge, kind="funds", description="资金缺口"),
        "far": raise_blocker(world.far, description="酉阳的卡点"),
    }


def visible(client) -> set[str]:
    html = client.get(reverse("blockers:register")).content.decode()
    return {d for d in ("库区移民安置", "用地预审未批", "资金缺口", "酉阳的卡点") if d in html}


def test_it_shows_each_role_only_the_blockers_of_its_projects(world, blockers):
    assert visible(login(world.office)) == {"库区移民安置", "用地预审未批", "资金缺口"}
    assert visible(login(world.viewer)) == {"库区移民安置", "用地预审未批", "资金缺口"}
    assert visible(login(world.supervisor)) == {"库区移民安置", "用地预审未批", "资金缺口"}
    assert visible(login(world.water_user)) == {"库区移民安置", "用地预审未批"}
    assert visible(login(world.transport_user)) == {"用地预审未批", "资金缺口"}
    assert visible(login(world.hongan_user)) == {"库区移民安置"}
    assert visible(login(world.leader_user)) == {"库区移民安置"}
    assert visible(login(world.outsider)) == {"酉阳的卡点"}
    assert visible(login(world.city_office)) == {"库区移民安置", "用地预审未批", "资金缺口", "酉阳的卡点"}


def test_it_answers_404_for_a_blocker_out_of_scope(world, blockers):
    b = blockers["bridge"]
    assert login(world.water_user).get(reverse("blockers:detail", args=[b.pk])).status_code == 404
    assert login(world.outsider).get(reverse("blockers:detail", args=[b.pk])).status_code == 404
    assert (
        login(world.outsider).post(reverse("blockers:comment", args=[b.pk]), {"text": "x"}).status_code == 404
    )
    assert (
        login(world.leader_user).get(reverse("blockers:for_project", args=[world.bridge.pk])).status_code
        == 404
    )


def test_it_answers_403_to_readers_posting(world, blockers):
    b = blockers["reservoir"]
    viewer = login(world.viewer)
    assert viewer.get(reverse("blockers:detail", args=[b.pk])).status_code == 200
    for name, data in [
        ("blockers:comment", {"text": "x"}),
        ("blockers:measures", {"measures": "x"}),
        ("blockers:move", {"to": "resolved"}),
        ("blockers:escalate", {"level": 3, "reason": "x"}),
    ]:
        assert viewer.post(reverse(name, args=[b.pk]), data).status_code == 403
    assert viewer.post(reverse("blockers:create"), {"project": world.reservoir.pk}).status_code == 403
    # the hongan township sees the reservoir built on its land but is not responsible for the blocker
    assert (
        login(world.hongan_user).post(reverse("blockers:move", args=[b.pk]), {"to": "resolved"}).status_code
        == 403
    )
    assert Blocker.objects.get(pk=b.pk).status == "open"


def test_it_marks_overdue_blockers_red_on_a_frozen_day(world, blockers):
    html = (
        login(world.office).get(reverse("blockers:detail", args=[blockers["reservoir"].pk])).content.decode()
    )
    assert "kp-overdue-badge" in html
    html = login(world.office).get(reverse("blockers:detail", args=[blockers["road"].pk])).content.decode()
    assert "kp-overdue-badge" not in html


def test_it_stops_being_overdue_on_the_day_before_the_deadline_passes(world, blockers, today_is):
    today_is(dt.date(2020, 10, 1))
    html = (
        login(world.office).get(reverse("blockers:detail", args=[blockers["reservoir"].pk])).content.decode()
    )
    assert "kp-overdue-badge" not in html


def test_it_filters_the_register_and_counts_by_kind_and_unit(world, blockers):
    client = login(world.office)
    response = client.get(reverse("blockers:register"), {"overdue": "yes"})
    page = response.context["page"]
    assert [b.description for b in page] == ["库区移民安置"]
    response = client.get(reverse("blockers:register"), {"kind": "approvals"})
    assert [b.description for b in response.context["page"]] == ["用地预审未批"]
    response = client.get(reverse("blockers:register"), {"unit": world.water.pk})
    assert {b.description for b in response.context["page"]} == {"库区移民安置"}
    response = client.get(reverse("blockers:register"))
    by_kind = {r["kind"]: (r["n"], r["overdue"]) for r in response.context["by_kind"]}
    assert by_kind["land"] == (1, 1) and by_kind["funds"] == (1, 0)
    by_unit = {r["lead_unit__name"]: r["n"] for r in response.context["by_unit"]}
    assert by_unit == {"县交通局": 2, "县水利局": 1}


def test_it_filters_by_age_and_level(world, blockers):
    Blocker.objects.filter(pk=blockers["bridge"].pk).update(
        raised_at=timezone.make_aware(dt.datetime(2020, 5, 1, 9)), level=Blocker.Level.MEETING
    )
    client = login(world.office)
    old = client.get(reverse("blockers:register"), {"age": "old"}).context["page"]
    assert [b.description for b in old] == ["资金缺口"]
    top = client.get(reverse("blockers:register"), {"level": "3"}).context["page"]
    assert [b.description for b in top] == ["资金缺口"]


def test_it_shows_the_register_in_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    client = login(world.office)
    projects = [world.reservoir, world.road, world.bridge]
    for i in range(10):
        b = raise_blocker(projects[i % 3], deadline=dt.date(2020, 9, 1))
        b.cooperating_units.set([world.water, world.transport])
    with django_assert_max_num_queries(16) as small:
        assert client.get(reverse("blockers:register")).status_code == 200
    for i in range(290):
        b = raise_blocker(projects[i % 3], kind=Blocker.Kind.values[i % 8])
        b.cooperating_units.set([world.hongan])
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(reverse("blockers:register"))
    assert response.context["page"].paginator.count == 300


def test_it_exports_the_filtered_register(world, blockers):
    response = login(world.office).get(reverse("blockers:export"), {"status": "active"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active
    values = [c for row in ws.iter_rows(values_only=True) for c in row if c]
    assert "库区移民安置" in values and "资金缺口" in values and "酉阳的卡点" not in values
    assert "征地拆迁未完成" not in values


def test_it_serves_the_project_section(world, blockers):
    response = login(world.water_user).get(reverse("blockers:for_project", args=[world.reservoir.pk]))
    html = response.content.decode()
    assert "库区移民安置" in html and "kp-overdue-badge" in html
    assert reverse("blockers:create") in html  # the water bureau may raise one here


def test_it_raises_a_blocker_through_the_form(world):
    client = login(world.water_user)
    response = client.post(
        reverse("blockers:create"),
        {
            "project": world.reservoir.pk,
            "kind": "land",
            "description": "坟墓迁移未完成",
            "deadline": "2020-10-30",
        },
    )
    blocker = Blocker.objects.get(description="坟墓迁移未完成")
    assert response.status_code == 302 and blocker.raised_by == world.water_user
    # bad input: a project outside the unit's own, nothing saved
    response = client.post(
        reverse("blockers:create"), {"project": world.bridge.pk, "kind": "land", "description": "x"}
    )
    assert response.status_code == 200 and "project" in response.context["form"].errors
    assert not Blocker.objects.filter(description="x").exists()


def test_it_moves_and_escalates_through_the_page(world, blockers):
    b = blockers["reservoir"]
    unit = login(world.water_user)
    unit.post(reverse("blockers:measures", args=[b.pk]), {"measures": "分户签约"})
    unit.post(reverse("blockers:move", args=[b.pk]), {"to": "coordinating"})
    response = login(world.leader_user).post(
        reverse("blockers:escalate", args=[b.pk]), {"level": 3, "reason": ""}
    )
    assert response.status_code == 400 and "reason" in response.context["escalate_form"].errors
    login(world.leader_user).post(
        reverse("blockers:escalate", args=[b.pk]), {"level": 3, "reason": "需县政府决策"}
    )
    b.refresh_from_db()
    assert (b.measures, b.status, b.level) == ("分户签约", "coordinating", 3)
    html = login(world.office).get(reverse("blockers:detail", args=[b.pk])).content.decode()
    assert "需县政府决策" in html and "分户签约" in html


def test_it_raises_a_blocker_from_a_monthly_report(world):
    from .report_builders import report

    filed = report(world.reservoir, 9, "100.00")
    client = login(world.water_user)
    page = client.get(reverse("blockers:create"), {"report": filed.pk})
    assert page.context["form"].initial["project"] == world.reservoir
    client.post(
        reverse("blockers:create"),
        {
            "report": filed.pk,
            "project": world.reservoir.pk,
            "kind": "land",
            "description": "月报反映征地滞后",
        },
    )
    blocker = Blocker.objects.get(description="月报反映征地滞后")
    assert (blocker.source, blocker.source_report) == ("report", filed)
    # someone else's report is not found
    assert (
        login(world.transport_user).get(reverse("blockers:create"), {"report": filed.pk}).status_code == 404
    )


def test_it_lets_the_office_edit_and_logs_what_changed(world, blockers):
    b = blockers["road"]
    assert login(world.transport_user).get(reverse("blockers:edit", args=[b.pk])).status_code == 403
    response = login(world.office).post(
        reverse("blockers:edit", args=[b.pk]),
        {
            "kind": "approvals",
            "description": "用地预审未批",
            "lead_unit": world.transport.pk,
            "cooperating_units": [world.water.pk],
            "deadline": "2020-11-15",
        },
    )
    assert response.status_code == 302
    b.refresh_from_db()
    assert b.deadline == dt.date(2020, 11, 15) and list(b.cooperating_units.all()) == [world.water]
    edited = b.events.get(kind="edited").text
    assert "2020-11-15" in edited


@pytest.mark.parametrize("status", [s.value for s in Blocker.Status])
@pytest.mark.parametrize(("level", "overdue"), [(1, False), (3, True)])
def test_it_draws_the_registers_badges_as_the_badges_template_does(status, level, overdue):
    # The register writes its rows in Python; its badges must stay the ones blockers/_badges.html draws.
    blocker = Blocker(status=status, level=level)
    drawn = render_to_string("blockers/_badges.html", {"b": blocker, "overdue": overdue})
    assert badges_html(blocker, overdue=overdue) == drawn.strip()
