"""The demo county's land: a plan for every project with a 征地拆迁 blocker, agreeing with the blocker
("尚有12户未签订补偿协议" → 12 households still to relocate); the open ones behind and lacking land."""

from __future__ import annotations

import re

import pytest

from approvals.readiness import missing
from blockers.models import Blocker
from land import selectors
from land.models import LandPlan
from projects.models import Project
from reports import warnings

pytestmark = pytest.mark.django_db


def test_every_land_blocker_has_plans_that_agree_with_it(demo):
    county = demo.county
    land_blockers = Blocker.objects.filter(project__region=county, kind=Blocker.Kind.LAND)
    assert land_blockers.exists()
    plans = {p.project_id: p for p in selectors.with_totals(LandPlan.objects.filter(project__region=county))}
    assert set(plans) == set(land_blockers.values_list("project_id", flat=True))
    open_ = land_blockers.filter(status__in=[Blocker.Status.OPEN, Blocker.Status.COORDINATING])
    assert open_.exists()
    for blocker in open_:
        left = int(re.search(r"(\d+)户", blocker.description).group(1))
        plan = plans[blocker.project_id]
        assert plan.households - plan.households_done == left
        assert plan.handed_total < plan.area_needed


def test_open_land_blockers_put_the_warning_and_lack_land_to_start(demo):
    county = demo.county
    stuck = set(
        Blocker.objects.filter(
            project__region=county,
            kind=Blocker.Kind.LAND,
            status__in=[Blocker.Status.OPEN, Blocker.Status.COORDINATING],
        ).values_list("project_id", flat=True)
    )
    found = warnings.for_projects(Project.objects.filter(region=county), 2020)
    behind = {pk for pk, ws in found.items() if any(w.kind == "land_behind" for w in ws)}
    assert behind == stuck
    lacking = missing(list(stuck))
    assert all(any(m.what.startswith("交地") for m in lacking[pk]) for pk in stuck)
