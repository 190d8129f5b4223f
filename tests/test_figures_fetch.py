"""A page of the month's plans read in one statement (reports.figures.MonthPlans.fetch_rows): with no
joins to cut, the ordered slice is read at once and gives exactly the rows, in the same order and with
the same figures, that cutting the ids first and reading the rows by id gives — for every role, order
and slice — in one query instead of two, kept or compiled afresh."""

from __future__ import annotations

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.models import YearPlan
from reports import figures
from reports.figures import month_plans

from .report_builders import report, started

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]


@pytest.fixture
def county(world):
    """Reservoir on schedule, road lagging, bridge not started (planned for June)."""
    for project in (world.reservoir, world.road):
        started(project)
    for m in range(1, 10):
        report(world.reservoir, m, "250.00", by=world.office, started=True)
        report(world.road, m, "100.00", by=world.office, started=True)
    YearPlan.objects.filter(project=world.bridge).update(stage=YearPlan.Stage.NEW, planned_start_month=6)
    return world


def _row(plan) -> tuple:
    return (
        plan.pk,
        plan.project_id,
        plan.ytd,
        plan.rate,
        plan.gap,
        plan.light,
        plan.started_flag,
        plan.target,
    )


ORDERS = {
    "code": lambda plans: plans.order_by("project__code"),
    "most overdue first": lambda plans: plans.most_overdue_first(),
    "furthest behind first": lambda plans: plans.furthest_behind_first(),
    "not started": lambda plans: plans.not_started().most_overdue_first(),
    "lagging": lambda plans: plans.lagging().furthest_behind_first(),
}


def _read(chosen, start, stop) -> tuple[list, int]:
    with CaptureQueriesContext(connection) as ctx:
        rows = chosen.fetch_rows(start, stop)
    return [_row(p) for p in rows], len(ctx.captured_queries)


def test_one_statement_reads_the_rows_ids_then_rows_read(county):
    users = [county.office, county.water_user, county.hongan_user, county.leader_user, county.viewer]
    users.append(county.city_office)
    seen = 0
    for user, month, (name, order), (start, stop) in itertools.product(
        users, (6, 9), ORDERS.items(), ((0, 15), (0, 1), (1, 3), (2, None))
    ):
        plans = order(month_plans(user, year=2020, month=month))
        figures.forget_statements()
        # The two-step read (ids, then rows by id) is what a queryset with joins still takes.
        two_step, two_queries = _read(plans.select_related("project"), start, stop)
        one, one_queries = _read(plans, start, stop)
        kept, kept_queries = _read(plans, start, stop)
        assert one == two_step == kept, (user.username, month, name, start, stop)
        if two_step:
            assert (two_queries, one_queries, kept_queries) == (2, 1, 1)
        seen += len(one)
    assert seen > 100


def test_the_ledger_page_is_one_statement_of_plans_and_one_of_projects(county):
    """The ledger's page: its plans in one statement, their projects and townships after it."""
    plans = month_plans(county.office, year=2020, month=9).order_by("project__code")
    with CaptureQueriesContext(connection) as ctx:
        rows = plans.fetch_rows(0, 50)
    assert len(ctx.captured_queries) == 1
    assert [p.project.code for p in rows] == sorted(p.project.code for p in rows)
    assert len(rows) == YearPlan.objects.filter(year=2020, project__region=county.county).count()
