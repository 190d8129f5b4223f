"""The demo county's 2021 reserve pool: about 60 candidates, every sector at every maturity, some
with funding applications, valid and unique project codes."""

from __future__ import annotations

import pytest

from lib.national_code import validate
from pool.models import Candidate, FundingApplication
from projects.models import Sector

pytestmark = pytest.mark.django_db


def test_it_holds_a_2021_pool_across_every_sector_and_maturity(demo):
    pool = Candidate.objects.filter(region=demo.county)
    assert 55 <= pool.count() <= 65
    assert pool.filter(proposed_start_year=2021).count() >= 50
    pairs = set(pool.values_list("sector__name", "maturity"))
    assert pairs == {
        (s, m) for s in Sector.objects.values_list("name", flat=True) for m in Candidate.Maturity.values
    }
    assert FundingApplication.objects.filter(candidate__region=demo.county).count() >= 15
    assert pool.filter(review_state=Candidate.Review.RETURNED).exclude(return_reason="").exists()
    codes = [c for c in pool.values_list("national_code", flat=True) if c]
    assert len(codes) == len(set(codes)) >= 20
    assert all(validate(c, this_year=2020) == c for c in codes)
