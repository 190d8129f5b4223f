"""Sign-in, lockout, idle timeout, password rules, the office's user and unit management, login log."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from axes.models import AccessFailureLog, AccessLog
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from projects.models import Unit

from .conftest import login
from .factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_it_signs_in_through_the_form_and_records_the_login(world):
    client = Client()
    response = client.post("/login/", {"username": "water", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/projects/?year=2020").status_code == 200
    assert AccessLog.objects.filter(username="water").exists()


def test_it_sends_anonymous_users_to_sign_in(world):
    response = Client().get("/projects/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_it_locks_an_account_after_five_failures(world):
    client = Client()
    for _ in range(5):
        client.post("/login/", {"username": "water", "password": "wrong-Password1"})
    response = client.post("/login/", {"username": "water", "password": PASSWORD})
    assert response.status_code in (403, 429)
    assert (
        "Too many failed sign-in attempts" in response.content.decode()
        or "登录失败次数过多" in response.content.decode()
    )
    assert client.get("/projects/").status_code == 302  # still signed out
    assert AccessFailureLog.objects.filter(username="water").count() >= 5


def test_it_ends_a_session_after_thirty_idle_minutes(world):
    with time_machine.travel(dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        client = Client()
        client.post("/login/", {"username": "water", "password": PASSWORD})
        clock.shift(dt.timedelta(minutes=29))
        assert client.get("/projects/").status_code == 200
        clock.shift(dt.timedelta(minutes=29))  # active 29 minutes ago: still in
        assert client.get("/projects/").status_code == 200
        clock.shift(dt.timedelta(minutes=31))
        response = client.get("/projects/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_it_does_not_write_the_session_on_every_request(world):
    client = Client()
    client.post("/login/", {"username": "water", "password": PASSWORD})
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/projects/").status_code == 200
    writes = [
        q["sql"] for q in ctx.captured_queries if "django_session" in q["sql"] and "SELECT" not in q["sql"]
    ]
    assert writes == []


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


def test_it_lets_the_office_add_a_township_unit(world):
    data = {
        "name": "中和街道办事处",
        "kind": "township",
        "region": world.county.pk,
        "township": "",
        "contact_person": "",
        "contact_phone": "",
        "email": "",
        "is_active": "on",
    }
    client = login(world.office)
    response = client.post("/manage/units/new/", data)
    assert response.status_code == 200 and "township" in response.context["form"].errors
    data["township"] = world.hongan_town.pk
    assert client.post("/manage/units/new/", data).status_code == 302
    assert Unit.objects.filter(name="中和街道办事处", township=world.hongan_town).exists()


def test_it_shows_the_office_the_login_log_with_failures(world):
    Client().post("/login/", {"username": "water", "password": "wrong-Password1"})
    Client().post("/login/", {"username": "water", "password": PASSWORD})
    client = login(world.office)
    assert "water" in client.get("/manage/login-log/").content.decode()
    failed = client.get("/manage/login-log/?kind=failed")
    assert len(failed.context["page"].object_list) == 1
    outsider = login(world.outsider).get("/manage/login-log/?kind=failed")
    assert len(outsider.context["page"].object_list) == 0
