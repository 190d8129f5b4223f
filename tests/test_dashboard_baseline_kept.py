"""The dashboard's largest overruns and delays (projects.baseline.largest) read their candidates
through a statement compiled once per process under the user's scope and the year (lib.statements):
kept, they must be what the query compiled afresh gives, for every role, and follow the data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from lib import statements
from projects import baseline
from projects.models import Project
from reports.figures import scope_key

pytestmark = pytest.mark.django_db

WHO = ("office", "water_user", "transport_user", "leader_user", "viewer", "city_office", "outsider")


def revise(project, *, total: str, end: dt.date | None = None) -> None:
    """The project revised in place, as an approved revision would leave it."""
    changes = {"total_investment": Decimal(total)}
    if end:
        changes["planned_end"] = end
    Project.objects.filter(pk=project.pk).update(**changes)


@pytest.fixture
def revised(world):
    Project.objects.filter(pk__in=[world.reservoir.pk, world.road.pk]).update(
        planned_end=dt.date(2020, 12, 31)
    )
    for p in (world.reservoir, world.road):
        p.baseline.planned_end = dt.date(2020, 12, 31)
        p.baseline.save()
    revise(world.reservoir, total="15000.00", end=dt.date(2021, 3, 31))  # +25%, 3 months late
    revise(world.road, total="8400.00", end=dt.date(2021, 9, 30))  # +5%, 9 months late
    revise(world.far, total="9999.00")  # another county's
    return world


@pytest.mark.parametrize("who", WHO)
def test_the_kept_statement_lists_what_the_query_compiled_afresh_lists(revised, who):
    user = getattr(revised, who)
    statements.forget()
    fresh = baseline.largest(user, year=2020)
    for _ in range(2):  # compiled, then kept
        assert baseline.largest(user, year=2020, scope=scope_key(user)) == fresh
    assert baseline.largest(user, year=2019, scope=scope_key(user)) == baseline.largest(user, year=2019)


def test_the_kept_lists_show_the_projects_as_they_are(revised):
    office = revised.office
    before = baseline.largest(office, year=2020, scope=scope_key(office))
    assert [(p["name"], p["overrun_pct"]) for p in before["overruns"]] == [
        ("洪安水库工程", 25.0),
        ("中和至平凯公路改造", 5.0),
    ]
    assert [(p["name"], p["months_late"]) for p in before["delays"]] == [
        ("中和至平凯公路改造", 9),
        ("洪安水库工程", 3),
    ]
    revise(revised.bridge, total="99999.00")
    after = baseline.largest(office, year=2020, scope=scope_key(office))
    assert after["overruns"][0]["id"] == revised.bridge.pk
    assert after == baseline.largest(office, year=2020)
    mine = baseline.largest(revised.transport_user, year=2020, scope=scope_key(revised.transport_user))
    assert revised.reservoir.pk not in [p["id"] for p in mine["overruns"]]
