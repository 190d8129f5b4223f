"""The figures core keeps the SQL it compiled (reports/figures.py, "Compiled once"): a statement run
again from its kept text gives exactly what compiling it afresh gives — for every role, month,
grouping, short list and count — and reads the data afresh every time; the scope key names the
scope; a step it cannot name is compiled as usual."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import F, Sum
from django.db.models.sql.compiler import SQLCompiler
from django.test.utils import CaptureQueriesContext

from projects.models import Project, YearPlan, visible_to
from reports import figures
from reports.figures import GROUPS, month_plans, scope_key
from reports.models import ProjectMonth

from . import factories as f
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
    return (plan.pk, plan.ytd, plan.rate, plan.gap, plan.light, plan.started_flag, plan.target)


def everything(user, month: int) -> dict:
    """What the pages read of the month's plans, through every kept statement."""
    plans = month_plans(user, year=2020, month=month)
    figures_, extra = plans.figures_with(total=Sum("project__total_investment"))
    return {
        "figures": figures_.as_json(),
        "total": extra["total"],
        **{f"by {by}": [g.as_json() for g in plans.figures_by(by)] for by in GROUPS},
        "months": plans.month_amounts(),
        "count": plans.count(),
        "not started": [_row(p) for p in plans.not_started().most_overdue_first().fetch_rows(0, 15)],
        "lagging": [_row(p) for p in plans.lagging().furthest_behind_first().fetch_rows(0, 15)],
        "red": plans.with_light("red").count(),
        "ledger page": [_row(p) for p in plans.all().order_by("project__code").fetch_rows(1, 3)],
        "one sector": plans.filter(project__sector=Project.objects.order_by("pk").first().sector)
        .figures()
        .as_json(),
    }


class Compilations:
    """Counts the month plans' statements compiled afresh (kept ones are not compiled)."""

    def __init__(self, monkeypatch) -> None:
        self.n = 0
        original = SQLCompiler.as_sql

        def counting(compiler, *args, **kwargs):
            if compiler.query.model in (YearPlan, ProjectMonth):
                self.n += 1
            return original(compiler, *args, **kwargs)

        monkeypatch.setattr(SQLCompiler, "as_sql", counting)


def test_a_kept_statement_gives_what_compiling_it_afresh_gives(county, monkeypatch):
    compiled = Compilations(monkeypatch)
    users = [
        county.office,
        county.water_user,
        county.hongan_user,
        county.leader_user,
        county.viewer,
        county.city_office,
    ]
    for user, month in itertools.product(users, (6, 9)):
        figures.forget_statements()
        afresh = everything(user, month)
        before = compiled.n
        kept = everything(user, month)
        assert kept == afresh, (user.username, month)
        assert compiled.n == before, "the second time nothing of the month's plans is compiled"
    assert afresh["figures"]["projects"] > 0


def test_a_kept_statement_reads_the_data_afresh(county):
    figures.forget_statements()
    before = everything(county.office, 9)
    report(county.bridge, 9, "40.00", by=county.office, started=True)
    after_kept = everything(county.office, 9)
    figures.forget_statements()
    after_afresh = everything(county.office, 9)
    assert after_kept == after_afresh
    assert (
        Decimal(after_kept["figures"]["ytd_investment"]) == Decimal(before["figures"]["ytd_investment"]) + 40
    )
    assert after_kept["figures"]["not_started"] == before["figures"]["not_started"] - 1


def test_kept_statements_cost_the_same_number_of_queries(county):
    figures.forget_statements()
    with CaptureQueriesContext(connection) as afresh:
        everything(county.office, 9)
    with CaptureQueriesContext(connection) as kept:
        everything(county.office, 9)
    assert len(kept.captured_queries) == len(afresh.captured_queries)
    assert [q["sql"] for q in kept.captured_queries] == [q["sql"] for q in afresh.captured_queries]


def test_equal_scope_keys_mean_the_same_scope(county):
    second_office = f.user("office2", "office", county.county)
    unit_without = f.user("nounit", "unit", county.county)
    users = [
        county.office,
        second_office,
        county.supervisor,
        county.viewer,
        county.water_user,
        county.transport_user,
        county.hongan_user,
        county.leader_user,
        county.city_office,
        county.outsider,
        unit_without,
    ]

    def scope_sql(user) -> str:
        try:
            return str(YearPlan.objects.filter(visible_to(user, via="project")).query)
        except EmptyResultSet:  # sees nothing
            return ""

    for a, b in itertools.combinations(users, 2):
        if scope_key(a) == scope_key(b):
            assert scope_sql(a) == scope_sql(b), (a.username, b.username)
        else:
            assert scope_sql(a) != scope_sql(b) or a.role != b.role, (a.username, b.username)
    assert scope_key(county.office) == scope_key(second_office)
    assert scope_key(county.water_user) != scope_key(county.transport_user)


def test_values_equal_in_python_but_not_in_sql_are_named_apart():
    names = [figures._name(v) for v in (1, True, Decimal(1), Decimal("1.00"), 1.0, "1")]
    assert len(set(names)) == len(names)
    asc = figures._name(F("gap").asc())
    assert asc != figures._name(F("gap").asc(nulls_last=True))
    assert asc == figures._name(F("gap").asc())


def test_a_step_it_cannot_name_is_compiled_as_usual(county):
    plans = month_plans(county.office, year=2020, month=9)
    assert plans._recipe is not None
    assert plans.not_started().with_light("red")._recipe is not None
    odd = plans.filter(project__in=Project.objects.filter(name__startswith="洪"))
    assert odd._recipe is None
    assert odd.not_started()._recipe is None
    figures.forget_statements()
    assert odd.figures().projects == plans.filter(project__name__startswith="洪").figures().projects
    assert all(None not in key for key in figures._memo)
