"""GET /api/v1/lights: exact gap points."""

from __future__ import annotations

import pytest

from .conftest import login
from .page_builders import awkward_project

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]


@pytest.fixture
def awkward(reported):
    """A project at 79.74 % against the 75 % schedule: 79.74 - 75 is 4.739999999999995 in floating point."""
    return awkward_project(reported)


def test_it_serves_exact_gap_points_in_the_lights_api(awkward, reported):
    projects = login(reported.office).get("/api/v1/lights?year=2020&month=9").json()["projects"]
    row = next(p for p in projects if p["id"] == awkward.pk)
    assert (row["completion_rate"], row["gap_points"]) == (79.74, 4.74)
