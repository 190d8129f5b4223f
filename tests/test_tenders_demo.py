"""The demo county's tender packages: realistic, each bidding warning carried by two or three projects,
and built once."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest

from demo import works as works_demo
from projects.models import Project
from regions.models import Region
from works import warnings
from works.models import Kind, Method, SupervisionRecord, TenderPackage
from works.rates import discount_rate

pytestmark = pytest.mark.django_db


def test_the_demo_county_has_tenders_with_each_warning(demo):
    projects = Project.objects.filter(region__name="秀山县")
    started = warnings.started_ids(projects, 2020)
    with_construction = set(
        TenderPackage.objects.filter(kind=Kind.CONSTRUCTION).values_list("project_id", flat=True)
    )
    assert len(started - with_construction) == 0  # every started project has its construction package
    assert TenderPackage.objects.filter(kind=Kind.SUPERVISION).exclude(chief_engineer="").count() == len(
        started
    )
    rates = [
        discount_rate(p.budget, p.contract_price) for p in TenderPackage.objects.exclude(contract_price=None)
    ]
    typical = [r for r in rates if Decimal(3) <= r <= Decimal(12)]
    assert len(typical) >= len(rates) - 2
    direct = TenderPackage.objects.filter(method__in=[Method.DIRECT, Method.SINGLE_SOURCE])
    assert direct.count() >= 2 and not direct.filter(legal_basis="").exists()
    assert SupervisionRecord.objects.filter(problem_found=True).exclude(follow_up="").exists()
    found = warnings.of_projects(projects, 2020)
    for code in (warnings.NO_CONTRACT, warnings.ABOVE_BUDGET, warnings.LATE):
        carrying = [pid for pid, ws in found.items() if any(w.kind == code for w in ws)]
        assert 2 <= len(carrying) <= 3, code


def test_the_demo_is_built_once(demo):
    before = TenderPackage.objects.count()
    out = io.StringIO()
    works_demo.seed(region=Region.objects.get(name="秀山县"), year=2020, stdout=out)
    assert TenderPackage.objects.count() == before
    assert "nothing to do" in out.getvalue()
