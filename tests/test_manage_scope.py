"""Who reaches user and unit management (/manage/users/, /manage/units/): the office, of its own county."""

from __future__ import annotations

import pytest

from .conftest import login

pytestmark = pytest.mark.django_db


def test_it_keeps_user_management_for_the_office(world):
    for who in ("water_user", "viewer", "supervisor", "leader_user"):
        client = login(getattr(world, who))
        assert client.get("/manage/users/").status_code == 403
        assert client.get("/manage/units/").status_code == 403


def test_it_keeps_another_countys_users_and_units_out_of_reach(world):
    client = login(world.outsider)
    assert client.get(f"/manage/users/{world.water_user.pk}/").status_code == 404
    assert client.get(f"/manage/units/{world.water.pk}/").status_code == 404
    assert "县水利局" not in client.get("/manage/units/").content.decode().replace("酉阳县水利局", "")
