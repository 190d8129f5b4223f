"""The absolute session lifetime (issue 13 item 7): twelve hours from sign-in, however busy."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from .factories import PASSWORD

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 1, 5, 0, 30, tzinfo=dt.UTC)  # 08:30 in Asia/Shanghai


def busy_until(client: Client, clock, hours: float) -> None:
    """A request every twenty minutes: the idle timeout never ends the session."""
    for _ in range(int(hours * 3)):
        clock.shift(dt.timedelta(minutes=20))
        assert client.get("/projects/").status_code == 200


def test_it_ends_a_busy_session_twelve_hours_after_sign_in(world):
    with time_machine.travel(START, tick=False) as clock:
        client = Client()
        client.post("/login/", {"username": "water", "password": PASSWORD})
        busy_until(client, clock, 11.99)
        clock.shift(dt.timedelta(minutes=20))
        response = client.get("/projects/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert "_auth_user_id" not in client.session


def test_it_starts_a_new_lifetime_when_the_user_signs_in_again(world):
    with time_machine.travel(START, tick=False) as clock:
        client = Client()
        client.post("/login/", {"username": "water", "password": PASSWORD})
        busy_until(client, clock, 11)
        client.post("/logout/")
        client.post("/login/", {"username": "water", "password": PASSWORD})
        busy_until(client, clock, 3)  # 14 hours after the first sign-in, 3 after this one


def test_it_follows_the_setting(settings, world):
    settings.SESSION_ABSOLUTE_SECONDS = 3600
    with time_machine.travel(START, tick=False) as clock:
        client = Client()
        client.post("/login/", {"username": "water", "password": PASSWORD})
        busy_until(client, clock, 0.67)
        clock.shift(dt.timedelta(minutes=20))
        assert client.get("/projects/").status_code == 302
