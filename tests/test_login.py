"""Sign-in: the form and its log, anonymous users sent to sign in, lockout after five failures."""

from __future__ import annotations

import pytest
from axes.models import AccessFailureLog, AccessLog
from django.test import Client

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
