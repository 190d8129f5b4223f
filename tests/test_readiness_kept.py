"""approvals.readiness.missing reads through statements compiled once per process (lib.statements): what it
says must stay what approvals.selectors.missing_nodes and land.selectors.gaps say, for projects and
for candidates, with nodes in plan order, land by township order, soft-deleted rows left out, and a
kept statement must read as a fresh one."""

from __future__ import annotations

import datetime as dt

import pytest

from approvals.models import ApprovalNode
from approvals.readiness import Missing, missing
from approvals.selectors import missing_nodes
from land.selectors import gaps
from lib import statements

from . import factories as f
from .land_builders import land_plan

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


def the_selectors_say(ids: list[int]) -> dict[int, list[Missing]]:
    """What the two selectors say, put together as readiness always did."""
    planned = set(ApprovalNode.objects.filter(project_id__in=ids).values_list("project_id", flat=True))
    nodes, land = missing_nodes(ids), gaps(ids)
    found = {}
    for pk in ids:
        lacks = [Missing(n.name, n.department.name if n.department else "") for n in nodes.get(pk, [])]
        if pk not in planned:
            lacks.append(Missing("前期手续节点计划", "县重点项目办"))
        lacks += [Missing(g.what, g.owner) for g in land.get(pk, [])]
        if lacks:
            found[pk] = lacks
    return found


@pytest.fixture
def varied(world):
    eco = f.unit(world.county, "县生态环境局")
    zhonghe = f.township(world.county, "涌洞乡")
    # The bridge: two nodes out of plan order, one with no department, land in two townships.
    node(world.bridge, "环评批复", eco, sort=3)
    node(world.bridge, "用地预审", None, sort=1)
    node(world.bridge, "可研批复", world.transport, approved=dt.date(2020, 5, 1), sort=2)
    node(world.bridge, "节能审查", eco, sort=0, required=False)
    land_plan(world.bridge, zhonghe, needed="7.5")
    land_plan(
        world.bridge,
        world.hongan_town,
        needed="40",
        months=[{"year": 2020, "month": 8, "acquired": "40", "handed_over": "27.75"}],
    )
    # The road: every node approved, its land all handed over: ready.
    node(world.road, "可研批复", world.transport, approved=dt.date(2020, 5, 1))
    land_plan(world.road, zhonghe, needed="3", months=[{"year": 2020, "month": 7, "handed_over": "3"}])
    # The reservoir: no node plan, and a soft-deleted plan of land that no longer counts.
    land_plan(world.reservoir, zhonghe, needed="9").soft_delete(by=None)
    return world


def test_it_says_what_the_selectors_say(varied):
    ids = [varied.bridge.pk, varied.road.pk, varied.reservoir.pk]
    assert missing(ids) == the_selectors_say(ids)
    assert missing(ids)[varied.bridge.pk] == [
        Missing("用地预审", ""),
        Missing("环评批复", "县生态环境局"),
        *[Missing(g.what, g.owner) for g in gaps(ids)[varied.bridge.pk]],
    ]
    assert varied.road.pk not in missing(ids)


def test_a_kept_statement_reads_as_a_fresh_one(varied):
    ids = [varied.bridge.pk, varied.road.pk, varied.reservoir.pk]
    statements.forget()
    fresh = missing(ids)
    assert missing(ids) == fresh  # the kept statements, now with a different number of ids below
    assert missing(ids[:1]) == {varied.bridge.pk: fresh[varied.bridge.pk]}
    assert missing([*ids, 987654]) == {**fresh, 987654: [Missing("前期手续节点计划", "县重点项目办")]}


def test_it_reads_nothing_for_no_holders(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert missing([]) == {}
