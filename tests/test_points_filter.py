"""The `points` template filter: gaps signed, with two places, on the pages that show them."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from projects.templatetags.kp import points

from .conftest import login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]
LONG_DECIMAL = re.compile(r"\d\.\d{5,}")


def test_it_signs_gap_points_with_two_places():
    assert points(Decimal("4.73999999999999")) == "+4.74"
    assert points(Decimal("-3.98000000000000")) == "\u22123.98"
    assert points(-5) == "\u22125.00"
    assert (points(Decimal("0.001")), points(None)) == ("0.00", "—")


def test_it_shows_gaps_signed_and_rounded_on_the_report_pages(reported):
    client = login(reported.office)
    monthly = client.get("/reports/?year=2020&month=9").content.decode()
    assert "\u221230.00" in monthly  # the road: 45 % against 75 %
    assert not LONG_DECIMAL.search(monthly)
    for path in ("/reports/units/?year=2020&month=9", "/", "/battlemap/?year=2020&month=9"):
        page = client.get(path).content.decode()
        assert not LONG_DECIMAL.search(page), path
