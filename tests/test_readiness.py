"""Ready to start (具备开工条件, approvals.readiness): required nodes not approved, land not handed over,
no node plan; and the not-started board, the meeting page and the monthly study pack saying it."""

from __future__ import annotations

import datetime as dt

import docx
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from approvals.models import ApprovalNode
from approvals.readiness import Missing, missing, summary
from cadence.periods import month_period
from cadence.services import document_generate
from meetings.models import Meeting

from . import factories as f
from .conftest import login
from .land_builders import land_plan
from .page_builders import file_september
from .report_builders import set_plan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]


def node(project, name, department=None, *, approved=None, required=True, sort=0):
    return ApprovalNode.objects.create(
        project=project,
        procedure="approval",
        name=name,
        department=department,
        required_for_start=required,
        approved_on=approved,
        submitted_on=approved - dt.timedelta(days=30) if approved else None,
        sort=sort,
    )


@pytest.fixture
def eco(world):
    return f.unit(world.county, "县生态环境局")


@pytest.fixture
def bridge_lacking(world, eco):
    """The bridge: 可研批复 approved, 环评批复 not, 12 亩 of 洪安镇 still to hand over."""
    node(world.bridge, "可研批复", world.transport, approved=dt.date(2020, 5, 1), sort=1)
    node(world.bridge, "环评批复", eco, sort=2)
    node(world.bridge, "节能审查", eco, sort=3, required=False)  # not needed to start
    land_plan(
        world.bridge,
        world.hongan_town,
        needed="40",
        months=[{"year": 2020, "month": 8, "acquired": "40", "handed_over": "28"}],
    )
    return world


def test_it_says_which_nodes_and_land_a_project_lacks_and_who_owns_them(bridge_lacking):
    lacks = missing([bridge_lacking.bridge.pk])[bridge_lacking.bridge.pk]
    assert lacks == [Missing("环评批复", "县生态环境局"), Missing("交地 12 亩", "洪安镇")]
    assert summary(lacks) == "环评批复（县生态环境局）；交地 12 亩（洪安镇）"


def test_nodes_missing_alone(world, eco):
    node(world.bridge, "环评批复", eco)
    assert missing([world.bridge]) == {world.bridge.pk: [Missing("环评批复", "县生态环境局")]}


def test_land_missing_alone(world):
    node(world.bridge, "环评批复", approved=dt.date(2020, 7, 1))
    land_plan(world.bridge, world.hongan_town, needed="12")
    assert missing([world.bridge]) == {world.bridge.pk: [Missing("交地 12 亩", "洪安镇")]}


def test_nodes_approved_and_land_handed_over_is_ready(world, eco):
    node(world.bridge, "环评批复", eco, approved=dt.date(2020, 7, 1))
    land_plan(
        world.bridge,
        world.hongan_town,
        needed="12",
        months=[{"year": 2020, "month": 8, "acquired": "12", "handed_over": "12"}],
    )
    node(world.road, "可研批复", approved=dt.date(2020, 7, 1))  # needs no land at all
    assert missing([world.bridge, world.road]) == {}


def test_a_project_with_no_node_plan_is_not_ready(world):
    assert missing([world.bridge]) == {world.bridge.pk: [Missing("前期手续节点计划", "县重点项目办")]}


def test_it_runs_a_fixed_number_of_queries(world, eco, django_assert_num_queries):
    projects = [world.bridge, world.road, world.reservoir]
    for p in projects:
        node(p, "环评批复", eco)
        land_plan(p, world.hongan_town, needed="5")
    with django_assert_num_queries(3):
        assert len(missing(projects)) == 3


def test_the_board_says_what_each_project_lacks(bridge_lacking):
    file_september(bridge_lacking)
    response = login(bridge_lacking.office).get("/reports/not-started/?year=2020&month=9")
    assert [r.project.name for r in response.context["rows"]] == ["梅江河大桥"]
    body = response.content.decode()
    assert "缺：</span>环评批复（县生态环境局）；交地 12 亩（洪安镇）" in body


def test_the_board_says_ready_when_nothing_is_missing(world):
    file_september(world)
    node(world.bridge, "环评批复", approved=dt.date(2020, 7, 1))
    body = login(world.transport_user).get("/reports/not-started/?year=2020&month=9").content.decode()
    assert "具备开工条件" in body and "缺：" not in body


def board_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/reports/not-started/?year=2020&month=9").status_code == 200
    return len(captured)


def test_the_board_issues_as_many_queries_for_many_projects_as_for_one(bridge_lacking, eco):
    file_september(bridge_lacking)
    client = login(bridge_lacking.office)
    board_queries(client)  # the first request also reads the session's caches
    one = board_queries(client)
    for n in range(6):
        extra = f.project(
            region=bridge_lacking.county,
            lead_unit=bridge_lacking.transport,
            sector=bridge_lacking.bridge.sector,
            name=f"新建项目{n}",
        )
        set_plan(extra, start_month=5)
        node(extra, "环评批复", eco)
        land_plan(extra, bridge_lacking.hongan_town, needed="3")
    assert board_queries(client) == one


def test_the_meeting_page_says_what_its_unstarted_projects_lack(bridge_lacking):
    meeting = Meeting.objects.create(
        region=bridge_lacking.county, title="县长办公会", date=dt.date(2020, 10, 11)
    )
    meeting.projects.add(bridge_lacking.bridge)
    body = login(bridge_lacking.office).get(f"/meetings/{meeting.pk}/").content.decode()
    assert (
        '梅江河大桥：<span class="text-danger">缺：</span>环评批复（县生态环境局）；交地 12 亩（洪安镇）'
        in body
    )


def test_the_monthly_study_pack_says_what_each_unstarted_project_lacks(bridge_lacking, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    file_september(bridge_lacking)
    made = document_generate(kind="monthly", region=bridge_lacking.county, period=month_period(2020, 9))
    with made.file.open("rb") as fh:
        cells = [c.text for t in docx.Document(fh).tables for row in t.rows for c in row.cells]
    assert "缺少的开工条件" in cells
    assert "环评批复（县生态环境局）；交地 12 亩（洪安镇）" in cells
