"""A bug is still a bug (issue 13 item 2): strict parsing answers bad input with a 400, but nothing
turns an unexpected exception into one. A view that raises answers 500 with the 500 page and is
logged by django.request, with DEBUG off; an API endpoint that raises too, whatever DEBUG says
(django-ninja's own handler would answer DEBUG's traceback, logged nowhere)."""

from __future__ import annotations

import logging

import pytest
from django.contrib.auth.decorators import login_required
from django.test import Client
from django.urls import include, path

from api import figures

from .conftest import login

pytestmark = pytest.mark.django_db


class Bug(Exception):
    pass


def broken(request):
    raise Bug("a deliberate bug")


# This module is the URLconf of the first two tests: the project's own, plus two broken views.
urlpatterns = [
    path("broken/", broken),
    path("broken-signed-in/", login_required(broken)),
    path("", include("keyproj.urls")),
]


@pytest.fixture
def broken_site(settings):
    settings.ROOT_URLCONF = __name__
    settings.DEBUG = False


def bug_records(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "django.request" and r.exc_info and r.exc_info[0] is Bug]


@pytest.mark.parametrize("url", ["/broken/", "/broken/?project=²&year=9999", "/broken-signed-in/"])
def test_a_view_that_raises_answers_500_and_is_logged(world, broken_site, caplog, url):
    client = login(world.office) if "signed-in" in url else Client()
    client.raise_request_exception = False
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get(url)
    assert response.status_code == 500
    assert bug_records(caplog), caplog.text
    assert "a deliberate bug" not in response.content.decode()  # the 500 page, not the traceback


def test_a_post_that_raises_is_a_500_too(world, broken_site, caplog):
    client = login(world.office)
    client.raise_request_exception = False
    with caplog.at_level(logging.ERROR, logger="django.request"):
        assert client.post("/broken-signed-in/", {"next": "http://evil.example/"}).status_code == 500
    assert bug_records(caplog)


@pytest.mark.parametrize("debug", [False, True])
def test_an_api_endpoint_that_raises_answers_500_and_is_logged(world, settings, monkeypatch, caplog, debug):
    settings.DEBUG = debug
    monkeypatch.setattr(figures, "month_plans", broken_summary)
    client = login(world.office)
    client.raise_request_exception = False
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/api/v1/summary")
    assert response.status_code == 500
    assert bug_records(caplog), caplog.text


def broken_summary(*args, **kwargs):
    raise Bug("a deliberate bug")
