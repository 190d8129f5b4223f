"""The dashboard's short lists read their plans through MonthPlans.first_rows: tuples of the columns
asked for, their statement kept under the choice's recipe (reports/figures.py) — the same rows, in
the same order, as the values_list compiled afresh, for every role, month and list, kept or not."""

from __future__ import annotations

import pytest

from battlemap.selectors import PLAN_COLUMNS
from projects.models import YearPlan
from reports import figures
from reports.figures import RED, month_plans

from .report_builders import report, started

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]

WHO = ("office", "water_user", "transport_user", "leader_user", "city_office", "outsider")


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


def choices(plans):
    return {
        "lagging": plans.lagging().furthest_behind_first(),
        "not started": plans.not_started().most_overdue_first(),
        "red": plans.with_light(RED).furthest_behind_first(),
    }


@pytest.mark.parametrize("who", WHO)
def test_first_rows_are_the_values_list_read_afresh(county, who):
    user = getattr(county, who)
    for month in (3, 6, 9):
        figures.forget_statements()
        for size in (1, 15):
            fresh = {
                name: list(chosen.values_list(*PLAN_COLUMNS)[:size])
                for name, chosen in choices(month_plans(user, year=2020, month=month)).items()
            }
            for _ in range(2):  # compiled, then kept
                plans = month_plans(user, year=2020, month=month)
                got = {name: chosen.first_rows(PLAN_COLUMNS, size) for name, chosen in choices(plans).items()}
                assert got == fresh, (month, size)


def test_the_lists_show_the_county_as_it_is(county):
    plans = month_plans(county.office, year=2020, month=9)
    lagging = plans.lagging().furthest_behind_first().first_rows(PLAN_COLUMNS, 15)
    not_started = plans.not_started().most_overdue_first().first_rows(PLAN_COLUMNS, 15)
    assert [row[0] for row in lagging] == [county.road.pk]
    assert [row[0] for row in not_started] == [county.bridge.pk]
    assert all(isinstance(row, tuple) and len(row) == len(PLAN_COLUMNS) for row in lagging + not_started)
