"""The office's user form (/manage/users/new/): password rules, a unit user who then sees their projects, a
unit user needs a unit."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import User

from .conftest import login

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "password, ok",
    [
        ("short1A", False),
        ("alllowercase", False),
        ("lowercase123", False),
        ("Lowercase123", True),
        ("abc-def-123", True),
    ],
)
def test_it_applies_the_password_rules(world, password, ok):
    client = login(world.office)
    data = {
        "username": "newclerk",
        "first_name": "新用户",
        "role": "unit",
        "region": world.county.pk,
        "unit": world.water.pk,
        "leader": "",
        "phone": "",
        "email": "",
        "is_active": "on",
        "password": password,
    }
    response = client.post("/manage/users/new/", data)
    assert User.objects.filter(username="newclerk").exists() is ok
    if not ok:
        assert response.status_code == 200 and response.context["form"].errors["password"]


def test_it_lets_the_office_create_a_unit_user_who_then_sees_their_projects(world):
    data = {
        "username": "water2",
        "first_name": "水利局填报员",
        "role": "unit",
        "region": world.county.pk,
        "unit": world.water.pk,
        "leader": "",
        "phone": "",
        "email": "",
        "is_active": "on",
        "password": "Reservoir#88",
    }
    assert login(world.office).post("/manage/users/new/", data).status_code == 302
    client = Client()
    assert client.post("/login/", {"username": "water2", "password": "Reservoir#88"}).status_code == 302
    names = {plan.project.name for _, plan in client.get("/projects/?year=2020").context["rows"]}
    assert names == {"洪安水库工程", "中和至平凯公路改造"}


def test_it_refuses_a_unit_user_without_a_unit(world):
    data = {
        "username": "nounit",
        "role": "unit",
        "region": world.county.pk,
        "unit": "",
        "leader": "",
        "first_name": "",
        "phone": "",
        "email": "",
        "is_active": "on",
        "password": "Reservoir#88",
    }
    response = login(world.office).post("/manage/users/new/", data)
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert not User.objects.filter(username="nounit").exists()
