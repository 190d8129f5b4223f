"""Every surface shows the same warnings (预警) from the one registry, read from statements compiled once
per process (reports.warnings.read): the ledger's badges, the project page, its API and the dashboard's
tiles agree for every kind, a kept statement gives what a freshly compiled one gives for other projects,
and the ledger's queries do not grow with the number of projects carrying warnings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from funds.models import FundMonth, FundPlan
from milestones.models import Milestone
from projects.models import Project, YearPlan
from reports import warnings
from safety.models import Hazard

from . import factories as f
from .approval_builders import late_eia, unsubmitted
from .conftest import login
from .land_builders import land_plan
from .report_builders import started_report
from .safety_builders import hazard
from .tender_builders import awarded

pytestmark = pytest.mark.django_db


def _every_kind(world, reservoir: Project, road: Project, bridge: Project, fresh: Project) -> None:
    """Warnings of every registered kind on four projects of the county (September 2020 reported)."""
    for p in (reservoir, road):
        p.actual_start = dt.date(2019, 5, 1)  # started, no construction contract: tender_no_contract
        p.save()
        started_report(p, 9, "800.00", by=world.office)
    late_eia(reservoir, world.water)  # approval_department_late
    unsubmitted(road)  # approval_owner_late
    land_plan(bridge, world.hongan_town, needed="120", due=dt.date(2020, 9, 1))  # land_behind
    plan = FundPlan.objects.create(project=reservoir, year=2020, source="county", planned=Decimal("3000"))
    FundMonth.objects.create(plan=plan, month=6, arrived=Decimal("100.00"), paid=Decimal("0"))  # funds_behind
    hazard(road, level=Hazard.Level.MAJOR)  # hazard_major_open
    Milestone.objects.create(
        project=bridge, year=2020, name="大坝填筑完成", planned_date=dt.date(2020, 9, 30)
    )
    awarded(bridge, price="1100.00")  # tender_above_budget
    YearPlan.objects.filter(project=fresh, year=2020).update(planned_start_month=10)  # tender_late


def _new_project(world) -> Project:
    return f.project(region=world.county, lead_unit=world.water, sector=world.reservoir.sector, stage="new")


@pytest.fixture
def warned(world, pinned_today):
    _every_kind(world, world.reservoir, world.road, world.bridge, _new_project(world))
    return world


def test_every_surface_shows_the_same_warnings_of_every_kind(warned):
    found = warnings.for_projects(Project.objects.for_user(warned.office), 2020)
    kinds = {w.kind for ws in found.values() for w in ws}
    assert kinds == {kind.code for kind in warnings.kinds()}
    client = login(warned.office)
    ledger = client.get("/projects/?year=2020").content.decode()
    assert ledger.count('class="kp-warning ') == sum(len(ws) for ws in found.values())
    for project_id, ws in found.items():
        page = client.get(f"/projects/{project_id}/").content.decode()
        api = client.get(f"/api/v1/projects/{project_id}").json()
        assert [(w["kind"], w["reason"]) for w in api["warnings"]] == [(w.kind, w.reason) for w in ws]
        for w in ws:
            assert f'data-warning="{w.kind}" title="{escape(w.reason)}"' in ledger
            assert escape(w.reason) in page
    tiles = dict((kind.code, n) for kind, n in client.get("/battlemap/").context["warning_counts"])
    per_kind = {
        kind.code: {pid for pid, ws in found.items() if any(w.kind == kind.code for w in ws)}
        for kind in warnings.kinds()
    }
    assert tiles == {code: len(ids) for code, ids in per_kind.items()}
    assert all(tiles.values())


def test_a_kept_statement_gives_what_a_fresh_one_gives_for_other_projects(warned):
    everyone = Project.objects.for_user(warned.office)
    one = Project.objects.filter(pk=warned.road.pk)
    warnings.forget_statements()
    fresh_all = warnings.for_projects(everyone, 2020)
    kept_one = warnings.for_projects(one, 2020)  # every statement kept from the county's call
    warnings.forget_statements()
    assert warnings.for_projects(one, 2020) == kept_one  # compiled afresh for the road alone
    assert warnings.for_projects(everyone, 2020) == fresh_all  # kept from the road's call
    assert set(kept_one) == {warned.road.pk} and set(fresh_all) > {warned.road.pk}
    assert warnings.for_projects(Project.objects.filter(pk__in=[]), 2020) == {}
    # A joined, DISTINCT and ordered queryset binds in as Django's own `__in=` would write it.
    joined = Project.objects.filter(region=warned.county, plans__year=2020).distinct().order_by("-code")
    assert warnings.for_projects(joined, 2020) == fresh_all


def test_a_page_of_ids_gets_the_warnings_its_projects_get_as_a_query(warned):
    """A page's projects (pk__in=[ids]) go into the statements as their ids; any other queryset as the
    query selecting them: both give every kind, for the same projects, and none of another's."""
    everyone = Project.objects.for_user(warned.office)
    as_query = warnings.for_projects(everyone, 2020)
    ids = sorted(as_query)[:3] + [warned.road.pk, 999_999]  # an id matching no project is harmless
    page = warnings.for_projects(Project.objects.filter(pk__in=ids), 2020)
    assert page == {pk: found for pk, found in as_query.items() if pk in ids}
    assert page == warnings.for_projects(everyone.filter(pk__in=ids), 2020)  # a query, not the ids
    assert {w.kind for ws in as_query.values() for w in ws} == {kind.code for kind in warnings.kinds()}
    assert warnings.for_projects(Project.objects.filter(pk__in=[999_999]), 2020) == {}


def test_a_kept_statement_follows_the_day_and_the_year(warned, today_is):
    assert "milestone_slipped" in {
        w.kind for w in warnings.for_projects(Project.objects.all(), 2020)[warned.bridge.pk]
    }
    today_is(dt.date(2020, 9, 30))  # the milestone's planned day: not yet slipped
    assert "milestone_slipped" not in {
        w.kind for w in warnings.for_projects(Project.objects.all(), 2020).get(warned.bridge.pk, [])
    }
    assert not any(
        w.kind == "milestone_slipped"
        for ws in warnings.for_projects(Project.objects.all(), 2021).values()
        for w in ws
    )


def _ledger_queries(user) -> int:
    client = login(user)
    client.get("/projects/?year=2020")  # warm: statements kept, as for a county's next request
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/projects/?year=2020")
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_ledgers_queries_do_not_grow_with_the_projects_carrying_warnings(warned):
    small = _ledger_queries(warned.office)
    for _ in range(10):
        _every_kind(warned, *(_new_project(warned) for _ in range(4)))
    found = warnings.for_projects(Project.objects.for_user(warned.office), 2020)
    assert len(found) > 40
    assert _ledger_queries(warned.office) == small
