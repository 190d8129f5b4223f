"""A session ended by the absolute lifetime (keyproj.middleware.SlidingSession) says so on the sign-in
page it leads to, once; an ordinary visit to the sign-in page says nothing of the kind."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.utils import translation

from .factories import PASSWORD

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 1, 5, 0, 30, tzinfo=dt.UTC)
ENDED = "Your session has ended; please sign in again."


@pytest.fixture(autouse=True)
def english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def test_it_tells_a_user_whose_session_reached_its_lifetime_to_sign_in_again(world, settings):
    settings.SESSION_COOKIE_AGE = 24 * 3600  # the idle timeout out of the way: the lifetime ends it
    with time_machine.travel(START, tick=False) as clock:
        client = Client()
        client.post("/login/", {"username": "water", "password": PASSWORD})
        clock.shift(dt.timedelta(hours=12, minutes=1))
        response = client.get("/projects/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/login/")
    assert ENDED in response.content.decode()
    assert ENDED not in client.get("/login/").content.decode()  # said once


def test_it_says_nothing_on_an_ordinary_visit_or_after_signing_out(world):
    client = Client()
    assert ENDED not in client.get("/login/").content.decode()
    client.post("/login/", {"username": "water", "password": PASSWORD})
    client.post("/logout/")
    assert ENDED not in client.get("/projects/", follow=True).content.decode()
