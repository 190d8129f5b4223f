"""Ready to start (具备开工条件) for reserve candidates, from the one rule (approvals.readiness.missing):
what a candidate lacks and who owns it, on the pool's list (a fixed number of queries whatever the
number of candidates) and on the candidate's page."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from approvals.models import ApprovalNode
from approvals.readiness import Missing, missing
from land.models import LandMonth, LandPlan
from lists import services as list_services
from pool import readiness as pool_readiness
from pool.models import Candidate

from . import factories as f
from . import pool_builders as pb
from .conftest import login
from .list_builders import ready_candidate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]


def node(candidate, name, department=None, *, approved=None, required=True, sort=0):
    return ApprovalNode.objects.create(
        candidate=candidate,
        procedure="approval",
        name=name,
        department=department,
        required_for_start=required,
        approved_on=approved,
        submitted_on=approved - dt.timedelta(days=30) if approved else None,
        doc_number="秀发改投〔2020〕1号" if approved else "",
        sort=sort,
    )


def land(candidate, township, *, needed: str, handed: str = "0") -> LandPlan:
    plan = LandPlan.objects.create(candidate=candidate, township=township, area_needed=Decimal(needed))
    if handed != "0":
        LandMonth.objects.create(
            plan=plan, year=2020, month=8, acquired=Decimal(needed), handed_over=Decimal(handed)
        )
    return plan


@pytest.fixture
def eco(world):
    return f.unit(world.county, "县生态环境局")


@pytest.fixture
def levee(world, eco):
    """可研批复 approved, 环评批复 not, 12 亩 of 洪安镇 still to hand over."""
    levee = ready_candidate(region=world.county, lead_unit=world.water, sector=world.reservoir.sector)
    node(levee, "可研批复", world.water, approved=dt.date(2020, 5, 1), sort=1)
    node(levee, "环评批复", eco, sort=2)
    node(levee, "节能审查", eco, sort=3, required=False)
    land(levee, world.hongan_town, needed="40", handed="28")
    return levee


def test_it_says_which_nodes_and_land_a_candidate_lacks_and_who_owns_them(levee):
    assert missing([levee], of="candidate") == {
        levee.pk: [Missing("环评批复", "县生态环境局"), Missing("交地 12 亩", "洪安镇")]
    }
    # The pool asks through its hook, which the approvals app provides: the same answer.
    assert pool_readiness.lacking([levee.pk]) == missing([levee], of="candidate")


def test_a_candidate_with_no_node_plan_is_not_ready(world):
    bare = pb.candidate(region=world.county, lead_unit=world.water, sector=world.reservoir.sector)
    assert missing([bare], of="candidate") == {bare.pk: [Missing("前期手续节点计划", "县重点项目办")]}


def test_approved_nodes_and_land_handed_over_make_a_candidate_ready(world, levee):
    ApprovalNode.objects.filter(candidate=levee, name="环评批复").update(
        submitted_on=dt.date(2020, 8, 1), approved_on=dt.date(2020, 9, 1), doc_number="秀环准〔2020〕9号"
    )
    LandMonth.objects.create(plan=levee.land_plans.get(), year=2020, month=9, handed_over=Decimal("12"))
    assert missing([levee], of="candidate") == {}


def test_a_candidates_plan_is_not_read_as_a_projects_of_the_same_id(levee):
    """Ids of candidates and projects overlap: asked about projects, the candidate's nodes and land
    count for nothing (no project has a node plan here)."""
    assert missing([levee.pk]) == {levee.pk: [Missing("前期手续节点计划", "县重点项目办")]}


def test_it_runs_a_fixed_number_of_queries_for_candidates(world, eco, django_assert_num_queries):
    many = []
    for _ in range(5):
        c = pb.candidate(region=world.county, lead_unit=world.water, sector=world.reservoir.sector)
        node(c, "环评批复", eco)
        land(c, world.hongan_town, needed="5")
        many.append(c)
    with django_assert_num_queries(3):
        assert len(missing(many, of="candidate")) == 5


def readiness_cell(body: str, candidate: Candidate) -> str:
    found = re.search(rf'data-candidate="{candidate.pk}">(.*?)</td>', body, re.S)
    assert found, f"no readiness cell for {candidate}"
    return found.group(1).strip()


def test_the_pool_list_says_which_candidates_are_ready_and_what_the_others_lack(world, levee, eco):
    ready = ready_candidate(
        region=world.county, lead_unit=world.water, sector=world.reservoir.sector, name="平凯污水管网"
    )
    node(ready, "环评批复", eco, approved=dt.date(2020, 7, 1))
    body = login(world.office).get("/pool/").content.decode()
    assert "具备开工条件" in readiness_cell(body, ready) and "缺" not in readiness_cell(body, ready)
    cell = readiness_cell(body, levee)
    assert "缺 2 项" in cell
    assert "环评批复（县生态环境局）；交地 12 亩（洪安镇）" in cell  # in its tooltip, read out too
    assert f"/approvals/candidate/{levee.pk}/" in cell


def test_a_promoted_candidate_shows_no_readiness_of_its_own(world, levee):
    Candidate.objects.filter(pk=levee.pk).update(project=world.bridge)
    body = login(world.office).get("/pool/").content.decode()
    assert readiness_cell(body, levee) == "—"


def pool_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/pool/").status_code == 200
    return len(captured)


def test_the_pool_list_issues_as_many_queries_for_many_candidates_as_for_one(world, levee, eco):
    client = login(world.office)
    pool_queries(client)  # the first request also reads the session's caches
    one = pool_queries(client)
    for n in range(12):
        c = pb.candidate(region=world.county, lead_unit=world.water, sector=world.reservoir.sector)
        node(c, "环评批复", eco)
        node(c, "可研批复", world.water, approved=dt.date(2020, 5, 1))
        land(c, world.hongan_town, needed=str(n + 1), handed="1")
    assert pool_queries(client) == one


def test_the_candidate_page_says_what_it_lacks_and_who_owns_it(world, levee):
    body = login(world.water_user).get(f"/pool/{levee.pk}/").content.decode()
    block = body[body.index('id="candidate-readiness"') :]
    block = block[: block.index("</ul>")]
    assert "尚不具备开工条件" in block
    assert "环评批复（县生态环境局）" in block and "交地 12 亩（洪安镇）" in block
    # Its maturity was set by hand to ready to start: the page says the plan disagrees.
    assert "成熟度标为“具备开工条件”" in body


def test_the_candidate_page_says_ready_when_nothing_is_missing(world, eco):
    ready = ready_candidate(region=world.county, lead_unit=world.water, sector=world.reservoir.sector)
    node(ready, "环评批复", eco, approved=dt.date(2020, 7, 1))
    body = login(world.office).get(f"/pool/{ready.pk}/").content.decode()
    assert "具备开工条件：所需审批均已批复" in body and "尚不具备开工条件" not in body


def test_the_draft_lists_picker_says_what_each_ready_candidate_still_lacks(world, levee, eco):
    checked = ready_candidate(
        region=world.county, lead_unit=world.water, sector=world.reservoir.sector, name="平凯污水管网"
    )
    node(checked, "环评批复", eco, approved=dt.date(2020, 7, 1))
    list_services.list_draft(user=world.office, year=2021)
    client = login(world.office)
    body = client.get("/lists/2021/add/").content.decode()
    assert "缺 2 项" in readiness_cell(body, levee)
    assert "具备开工条件" in readiness_cell(body, checked) and "缺" not in readiness_cell(body, checked)

    def picker_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/lists/2021/add/").status_code == 200
        return len(captured)

    few = picker_queries()
    for n in range(8):
        c = ready_candidate(
            region=world.county, lead_unit=world.water, sector=world.reservoir.sector, name=f"储备{n}"
        )
        node(c, "环评批复", eco)
        land(c, world.hongan_town, needed="3")
    assert picker_queries() == few
