"""The office lifts a sign-in lockout from the user list; the lockout page says how long it lasts
and whom to ask."""

from __future__ import annotations

import pytest
from django.test import Client

from .conftest import login
from .factories import PASSWORD

pytestmark = pytest.mark.django_db


def lock_out(username: str) -> Client:
    client = Client()
    for _ in range(5):
        client.post("/login/", {"username": username, "password": "wrong-Password1"})
    return client


def test_the_lockout_page_says_how_long_and_whom_to_ask(world):
    response = lock_out("water").post("/login/", {"username": "water", "password": PASSWORD})
    body = response.content.decode()
    assert "连续5次登录失败，账户已锁定30分钟" in body
    assert "重点项目办" in body and "解锁" in body


def test_the_lockout_length_follows_the_setting(world, settings):
    settings.AXES_COOLOFF_TIME = 2.0  # hours
    response = lock_out("water").post("/login/", {"username": "water", "password": PASSWORD})
    assert "账户已锁定2小时" in response.content.decode()


def test_the_office_sees_the_lock_and_lifts_it(world):
    lock_out("water")
    office = login(world.office)
    listing = office.get("/manage/users/").content.decode()
    assert 'data-locked="water"' in listing and 'data-locked="transport"' not in listing
    response = office.post(f"/manage/users/{world.water_user.pk}/unlock/", follow=True)
    assert "water 已解锁" in response.content.decode()
    assert 'data-locked="water"' not in office.get("/manage/users/").content.decode()
    client = Client()
    assert client.post("/login/", {"username": "water", "password": PASSWORD}).status_code == 302


def test_only_the_office_of_the_users_region_unlocks(world):
    lock_out("water")
    url = f"/manage/users/{world.water_user.pk}/unlock/"
    assert login(world.water_user).post(url).status_code == 403
    assert login(world.outsider).post(url).status_code == 404
    assert login(world.office).get(url).status_code == 405
    assert 'data-locked="water"' in login(world.office).get("/manage/users/").content.decode()
