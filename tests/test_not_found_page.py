"""The app's own 404 page under DEBUG as well (`make run` serves with DEBUG on): never Django's
English technical page listing the URL patterns."""

from __future__ import annotations

import pytest
from django.test import Client

from .conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def debug(settings):
    settings.DEBUG = True


def assert_app_page(response) -> None:
    body = response.content.decode()
    assert response.status_code == 404
    assert "kp-error" in body or "kp-login" in body  # the app's layout
    assert "URLconf" not in body and "urlpatterns" not in body and "Page not found at" not in body


def test_a_path_nothing_matches_gets_the_apps_page(world):
    response = login(world.water_user).get("/no-such-page/")
    assert_app_page(response)
    assert "该页面不存在，或超出您的权限范围" in response.content.decode()


def test_a_project_outside_the_scope_gets_the_apps_page(world):
    response = login(world.water_user).get(f"/projects/{world.far.pk}/")
    assert_app_page(response)


def test_a_signed_out_visitor_gets_it_too_with_a_way_to_sign_in():
    response = Client().get("/no-such-page/")
    assert_app_page(response)
    assert "/login/" in response.content.decode()


def test_a_missing_slash_still_redirects(world):
    response = login(world.water_user).get("/projects")
    assert response.status_code == 301 and response["Location"] == "/projects/"
