"""The dashboard's headline is its sectors added up (reports.figures.MonthPlans.figures_and_by): for
a grouping in which each plan falls in one group, the groups' counts and sums added up must be the
scope's own figures — for every role and month, with lights of every colour, plans not started and
plans with no leader — and the groups the same as figures_by's."""

from __future__ import annotations

import pytest

from projects.models import YearPlan
from reports.figures import GROUPS, ONE_GROUP_EACH, month_plans

from .report_builders import report, started

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]

WHO = (
    "office",
    "water_user",
    "transport_user",
    "hongan_user",
    "leader_user",
    "viewer",
    "city_office",
    "outsider",
)


@pytest.fixture
def county(world):
    """Reservoir on schedule, road lagging, bridge not started (planned for June), far reporting."""
    for project in (world.reservoir, world.road, world.far):
        started(project)
    for m in range(1, 10):
        report(world.reservoir, m, "250.00", by=world.office, started=True)
        report(world.road, m, "100.33", by=world.office, started=True)
        report(world.far, m, "12.07", by=world.office, started=True)
    YearPlan.objects.filter(project=world.bridge).update(stage=YearPlan.Stage.NEW, planned_start_month=6)
    return world


@pytest.mark.parametrize("who", WHO)
def test_the_groups_add_up_to_the_scopes_figures(county, who):
    user = getattr(county, who)
    for month in (1, 5, 6, 9, 12):
        for by in ONE_GROUP_EACH:
            plans = month_plans(user, year=2020, month=month)
            total, groups = plans.figures_and_by(by)
            assert total == plans.figures(), (month, by)
            assert groups == plans.figures_by(by), (month, by)


def test_the_headline_counts_every_light_and_start(county):
    total, sectors = month_plans(county.office, year=2020, month=9).figures_and_by("sector")
    assert total.projects == 3 and total.started == 2 and total.not_started == 1
    assert sum(total.lights.values()) == 3 and total.lights["green"] < 3
    assert total.planned == sum(g.planned for g in sectors) and total.ytd > 0


def test_a_scope_with_no_plans_adds_up_to_nothing(county):
    YearPlan.objects.filter(project=county.far).delete()
    plans = month_plans(county.outsider, year=2020, month=9)
    total, groups = plans.figures_and_by("sector")
    assert groups == [] and total == plans.figures() and total.projects == 0


def test_townships_do_not_add_up(county):
    assert set(ONE_GROUP_EACH) < set(GROUPS)
    with pytest.raises(ValueError):
        month_plans(county.office, year=2020, month=9).figures_and_by("township")
