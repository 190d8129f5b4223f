"""reports.figures.month_plans at province scale: rates and gaps with exactly two places."""

from __future__ import annotations

from decimal import Decimal

import pytest

from reports.figures import month_plans

from .page_builders import awkward_project

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]


@pytest.fixture
def awkward(reported):
    """A project at 79.74 % against the 75 % schedule: 79.74 - 75 is 4.739999999999995 in floating point."""
    return awkward_project(reported)


def test_it_returns_rates_and_gaps_with_exactly_two_places(awkward, reported):
    row = month_plans(reported.office, year=2020, month=9).with_projects().get(project=awkward)
    assert (row.rate, row.gap) == (Decimal("79.74"), Decimal("4.74"))
    assert str(row.gap) == "4.74"
