"""The ledger's year select: every year from the first plan to the last, newest first, read in one
query whose statement is kept (projects.selectors.ledger_years, lib.statements)."""

from __future__ import annotations

import pytest
from django.db.models import Max, Min

from lib import statements
from projects.models import YearPlan
from projects.selectors import ledger_years

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]


def test_it_offers_no_year_without_plans(world, django_assert_num_queries):
    YearPlan.objects.all().delete()
    statements.forget()
    with django_assert_num_queries(1):
        assert ledger_years(world.office) == []


def test_it_offers_every_year_from_the_first_plan_to_the_last(world, django_assert_num_queries):
    statements.forget()
    span = YearPlan.objects.aggregate(first=Min("year"), last=Max("year"))
    assert ledger_years(world.office) == list(range(span["last"], span["first"] - 1, -1))
    first = span["first"] - 2
    YearPlan.objects.create(project=world.road, year=first, stage="new", planned_investment="1.00")
    with django_assert_num_queries(1):  # the kept statement reads the new plan
        assert ledger_years(world.office) == list(range(span["last"], first - 1, -1))


def test_each_end_is_one_probe_of_the_year_index(world):
    """SQLite answers a lone MIN or MAX off an index but scans every plan for both in one aggregate
    (8.6 ms on the province bench): each end is read by its own ordered probe of the year index."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's plan: PostgreSQL plans both ends off the index either way")
    statements.forget()
    captured = []

    def keep(execute, sql, params, many, context):
        captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep):
        ledger_years(world.office)
    [(sql, params)] = captured
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = [row[-1] for row in cursor.fetchall()]
    probes = [step for step in plan if "INDEX projects_ye_year" in step]
    assert len(probes) == 2, plan
    assert all("COVERING INDEX" in step for step in probes), plan
