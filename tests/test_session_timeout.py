"""The session: ended after thirty idle minutes, not written on every request."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from .factories import PASSWORD

pytestmark = pytest.mark.django_db


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
