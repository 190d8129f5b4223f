"""Password expiry and the first change (issue 17 item 3): a password older than
KEYPROJ_PASSWORD_DAYS (real clock, frozen here), or one an administrator set, leaves only the
password change page open until a new, different password is chosen."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from accounts.models import User

from .conftest import login
from .factories import PASSWORD
from .security_builders import sign_in

pytestmark = pytest.mark.django_db

SET_ON = dt.datetime(2026, 1, 5, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
NEW = "Reservoir#2026"


@pytest.fixture
def expiring(settings, time_machine):
    settings.KEYPROJ_PASSWORD_DAYS = 90
    time_machine.move_to(SET_ON, tick=False)
    return time_machine


def change(client, old: str, new: str):
    return client.post("/manage/password/", {"old_password": old, "new_password1": new, "new_password2": new})


def test_a_password_of_89_days_opens_the_pages_and_of_90_does_not(world, expiring):
    world.water_user.set_password(PASSWORD)
    world.water_user.save()
    expiring.move_to(SET_ON + dt.timedelta(days=89, hours=23), tick=False)
    client, _ = sign_in("water")
    assert client.get("/projects/").status_code == 200
    expiring.move_to(SET_ON + dt.timedelta(days=90), tick=False)
    client, _ = sign_in("water")  # the idle session above has ended: a sign-in on day 90
    for url in ("/", "/projects/", "/reports/", "/api/v1/summary?year=2020&month=9"):
        answer = client.get(url)
        assert answer.status_code == 302 and answer["Location"] == "/manage/password/", url
    page = client.get("/manage/password/").content.decode()
    assert "您的密码已使用超过90天" in page


def test_the_same_password_again_is_refused_and_a_new_one_opens_the_pages(world, expiring):
    world.water_user.set_password(PASSWORD)
    world.water_user.save()
    expiring.move_to(SET_ON + dt.timedelta(days=120), tick=False)
    client, _ = sign_in("water")
    same = change(client, PASSWORD, PASSWORD)
    assert same.status_code == 200 and "新密码不能与当前密码相同" in same.content.decode()
    assert client.get("/projects/")["Location"] == "/manage/password/"
    assert change(client, PASSWORD, NEW).status_code == 302
    assert client.get("/projects/").status_code == 200
    changed = User.objects.get(pk=world.water_user.pk).password_changed_at
    assert changed == SET_ON + dt.timedelta(days=120)  # the real clock, not the demo's "today"


def test_no_expiry_when_the_days_are_zero(world, settings, time_machine):
    settings.KEYPROJ_PASSWORD_DAYS = 0
    time_machine.move_to(SET_ON, tick=False)
    world.water_user.set_password(PASSWORD)
    world.water_user.save()
    time_machine.move_to(SET_ON + dt.timedelta(days=1000), tick=False)
    client, _ = sign_in("water")
    assert client.get("/projects/").status_code == 200


@pytest.fixture
def first_change(settings):
    settings.KEYPROJ_PASSWORD_FIRST_CHANGE = True


def new_user_data(world) -> dict:
    return {
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


def test_a_user_the_office_created_chooses_their_own_password_first(world, first_change):
    assert login(world.office).post("/manage/users/new/", new_user_data(world)).status_code == 302
    client, signed_in = sign_in("water2", "Reservoir#88")
    assert signed_in.status_code == 302
    assert client.get("/projects/")["Location"] == "/manage/password/"
    assert client.post("/reports/", {})["Location"] == "/manage/password/"
    page = client.get("/manage/password/").content.decode()
    assert "当前密码由管理员设置" in page
    assert change(client, "Reservoir#88", NEW).status_code == 302
    assert client.get("/projects/").status_code == 200
    assert not User.objects.get(username="water2").must_change_password


def test_a_password_the_office_resets_is_changed_at_the_next_sign_in(world, first_change):
    data = {**new_user_data(world), "username": "water", "password": "Reset#2026x"}
    assert login(world.office).post(f"/manage/users/{world.water_user.pk}/", data).status_code == 302
    client, _ = sign_in("water", "Reset#2026x")
    assert client.get("/projects/")["Location"] == "/manage/password/"
    # Saving the account without a new password sets nothing.
    User.objects.filter(pk=world.transport_user.pk).update(must_change_password=False)
    keep = {**new_user_data(world), "username": "transport", "unit": world.transport.pk, "password": ""}
    login(world.office).post(f"/manage/users/{world.transport_user.pk}/", keep)
    assert not User.objects.get(pk=world.transport_user.pk).must_change_password


def test_the_first_change_is_not_asked_when_off(world, settings):
    settings.KEYPROJ_PASSWORD_FIRST_CHANGE = False
    assert login(world.office).post("/manage/users/new/", new_user_data(world)).status_code == 302
    client, _ = sign_in("water2", "Reservoir#88")
    assert client.get("/projects/").status_code == 200
