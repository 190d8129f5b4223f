"""Figures for any grouping and month, derived from reports, for every role's scope."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from reports.figures import month_plans
from reports.selectors import missing_reports

from .report_builders import corrected, report, started

pytestmark = pytest.mark.django_db


@pytest.fixture
def filed(world):
    started(world.reservoir)
    started(world.road)
    report(world.reservoir, 1, "300.00")
    report(world.reservoir, 2, "450.00")
    report(world.road, 2, "500.00", status="submitted")
    report(world.far, 2, "999.00")
    return world


def test_it_sums_the_county_up_to_the_month(filed):
    world = filed
    fig = month_plans(world.office, year=2020, month=2).figures()
    assert (fig.projects, fig.planned, fig.ytd) == (3, D("5500.00"), D("1250.00"))
    assert fig.rate == D("22.73")
    assert fig.target == D("16.67")
    assert fig.gap == D("6.06")
    assert fig.started == 2 and fig.not_started == 1
    assert sum(fig.lights.values()) == 3


def test_it_reads_a_month_before_the_first_report_as_zero(filed):
    fig = month_plans(filed.office, year=2020, month=1).figures()
    assert fig.ytd == D("300.00")
    assert month_plans(filed.office, year=2019, month=12).figures().ytd == D("0.00")


def test_it_changes_later_figures_when_an_earlier_month_is_corrected(filed):
    world = filed
    assert month_plans(world.office, year=2020, month=2).figures().ytd == D("1250.00")
    corrected(world.reservoir, 1, "100.00", by=world.office)
    assert month_plans(world.office, year=2020, month=2).figures().ytd == D("1050.00")
    assert month_plans(world.office, year=2020, month=1).figures().ytd == D("100.00")


def test_it_groups_by_unit_sector_township_leader_and_region(filed):
    world = filed
    by_unit = {f.label: f for f in month_plans(world.office, year=2020, month=2).figures_by("unit")}
    assert by_unit["县水利局"].ytd == D("750.00") and by_unit["县水利局"].rate == D("25.00")
    assert by_unit["县交通局"].projects == 2 and by_unit["县交通局"].planned == D("2500.00")
    by_sector = {f.label: f.ytd for f in month_plans(world.office, year=2020, month=2).figures_by("sector")}
    assert by_sector == {"水利": D("750.00"), "交通": D("500.00")}
    by_town = {
        f.label: f.projects for f in month_plans(world.office, year=2020, month=2).figures_by("township")
    }
    assert by_town == {"洪安镇": 1, "中和街道": 2}
    by_leader = {
        f.label: f.projects for f in month_plans(world.office, year=2020, month=2).figures_by("leader")
    }
    assert by_leader == {"分管交通水利的副县长": 1, "—": 2}
    regions = {
        f.label: f.ytd for f in month_plans(world.city_office, year=2020, month=2).figures_by("region")
    }
    assert regions == {"秀山县": D("1250.00"), "酉阳县": D("999.00")}


def test_it_scopes_figures_to_the_user(filed):
    world = filed
    assert month_plans(world.water_user, year=2020, month=2).figures().ytd == D(
        "1250.00"
    )  # lead + cooperating
    assert month_plans(world.hongan_user, year=2020, month=2).figures().ytd == D("750.00")
    assert month_plans(world.leader_user, year=2020, month=2).figures().projects == 1
    assert month_plans(world.outsider, year=2020, month=2).figures().ytd == D("999.00")
    assert month_plans(world.city_office, year=2020, month=2).figures().projects == 4


def test_it_lists_projects_missing_a_report(filed):
    world = filed
    report(world.bridge, 2, "1.00", status="draft")
    missing = {p.project.name for p in missing_reports(world.office, year=2020, month=2)}
    assert missing == {"梅江河大桥"}
    assert {p.project.name for p in missing_reports(world.office, year=2020, month=3)} == {
        "洪安水库工程",
        "中和至平凯公路改造",
        "梅江河大桥",
    }
    assert {p.project.name for p in missing_reports(world.water_user, year=2020, month=3)} == {"洪安水库工程"}
