"""The bench generator at a tiny scale: every table it fills holds the rows the scale asks for."""

from __future__ import annotations

import pytest

from accounts.models import User
from bench.generate import Scale, bench_exists, generate
from blockers.models import Blocker
from projects.models import Project, YearPlan
from regions.models import Region
from reports.models import MonthlyReport

pytestmark = pytest.mark.django_db


def test_it_builds_a_province_of_counties_projects_plans_reports_and_blockers():
    scale = Scale(factor=0.02, projects_per_county=20, blockers_per_county=10)  # 2 counties
    assert not bench_exists()
    counts = generate(scale, log=lambda line: None)
    assert bench_exists()
    assert Region.objects.filter(level="province").count() == 1
    assert Region.objects.filter(level="city").count() == 10
    assert Region.objects.filter(level="county").count() == 2
    assert Project.objects.count() == 40
    assert YearPlan.objects.count() == 200  # one plan a year over five years
    assert set(YearPlan.objects.values_list("year", flat=True)) == {2016, 2017, 2018, 2019, 2020}
    assert Blocker.objects.count() == 20
    reports = MonthlyReport.objects.count()
    assert 0 < reports <= 40 * (4 * 12 + 9)
    assert not MonthlyReport.objects.filter(year=2020, month__gt=9).exists()
    assert not MonthlyReport.objects.filter(
        project__actual_start__isnull=True
    ).exists()  # no investment unstarted
    assert counts.rows["reports_monthlyreport"] == reports
    assert counts.total == sum(counts.rows.values())


def test_it_lets_the_bench_users_see_their_scope():
    generate(Scale(factor=0.02, projects_per_county=10, blockers_per_county=0), log=lambda line: None)
    province, county = User.objects.get(username="bench_province"), User.objects.get(username="bench_county")
    assert Project.objects.for_user(province).count() == 20
    assert Project.objects.for_user(county).count() == 10
    assert province.check_password("Keyproj-2020")


def test_it_adds_to_an_existing_database_without_clashing_ids(world):
    generate(Scale(factor=0.01, projects_per_county=5, blockers_per_county=2), log=lambda line: None)
    Project.objects.create(
        region=world.county,
        code="NEW-1",
        name="新项目",
        sector=world.reservoir.sector,
        content="x",
        lead_unit=world.water,
        total_investment=1,
    )  # the sequence moved on
    assert Project.objects.count() == 4 + 5 + 1
