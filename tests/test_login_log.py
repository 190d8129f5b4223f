"""The login log (/manage/login-log/) with failures, scoped to the office's county."""

from __future__ import annotations

import pytest
from django.test import Client

from .conftest import login
from .factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_it_shows_the_office_the_login_log_with_failures(world):
    Client().post("/login/", {"username": "water", "password": "wrong-Password1"})
    Client().post("/login/", {"username": "water", "password": PASSWORD})
    client = login(world.office)
    assert "water" in client.get("/manage/login-log/").content.decode()
    failed = client.get("/manage/login-log/?kind=failed")
    assert len(failed.context["page"].object_list) == 1
    outsider = login(world.outsider).get("/manage/login-log/?kind=failed")
    assert len(outsider.context["page"].object_list) == 0
