"""The unit plans ranking (/reports/units/)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from .conftest import login
from .page_builders import file_september

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]


@pytest.fixture
def filed(world):
    return file_september(world)


def test_it_ranks_units_by_completion_rate(filed):
    response = login(filed.office).get("/reports/units/?year=2020&month=9")
    ranked = response.context["ranked"]
    assert [f.label for f in ranked] == ["县水利局", "县交通局"]
    assert ranked[0].rate == D("75.00")
