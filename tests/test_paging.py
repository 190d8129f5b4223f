"""A page of the month's plans read as tuples (reports.paging.PagedPlans, the ledger's and the wall
chart's) holds what the same page read as YearPlans (PagedRows) holds, column for column, in the
same order, for every role, order and slice, in one query."""

from __future__ import annotations

import itertools

import pytest
from django.core.paginator import Paginator

from reports.figures import month_plans
from reports.paging import PLAN_COLUMNS, PagedPlans, PagedRows

from .report_builders import report, started

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]


def test_it_holds_what_the_model_rows_hold(world, django_assert_num_queries):
    for project in (world.reservoir, world.road):
        started(project)
    for m in range(1, 10):
        report(world.reservoir, m, "250.00", by=world.office, started=True)
        report(world.road, m, "90.00", by=world.office, started=True)
    users = [world.office, world.city_office, world.transport_user]
    orders = [("project__code",), ("-rate", "project__code"), ("light", "-ytd", "project__code")]
    for user, order, (size, number) in itertools.product(users, orders, [(1, 1), (2, 2), (50, 1)]):
        plans = month_plans(user, year=2020, month=9).order_by(*order)
        total = plans.count()
        as_models = Paginator(PagedRows(plans, count=total), size).get_page(number).object_list
        with django_assert_num_queries(1):
            as_lines = Paginator(PagedPlans(plans, count=total), size).get_page(number).object_list
        wanted = [tuple(getattr(plan, column) for column in PLAN_COLUMNS) for plan in as_models]
        assert [tuple(getattr(line, column) for column in PLAN_COLUMNS) for line in as_lines] == wanted, (
            user,
            order,
        )
        assert wanted, (user, order)
