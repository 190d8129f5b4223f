"""Bad parameters give 400 with {"detail"} on every endpoint; strangers get 401 on every endpoint; an
unknown path under the API answers JSON too."""

from __future__ import annotations

import pytest
from django.test import Client

from .conftest import login

pytestmark = pytest.mark.django_db

GET_ENDPOINTS = [
    "summary",
    "figures",
    "lights",
    "dashboard",
    "wallchart",
    "map",
    "projects",
    "projects/{id}",
    "reports",
    "reports/{id}",
    "blockers",
    "tasks",
    "meetings",
]
PERIOD = ["summary", "figures", "lights", "dashboard", "wallchart", "map", "projects", "projects/{id}"]
PAGED = ["projects", "reports", "blockers", "tasks", "meetings"]
BAD_PERIODS = ["year=1999", "year=2101", "year=abc", "month=0", "month=13", "month=9.5"]
BAD_PAGES = ["page=0", "page=-1", "page=x", "page_size=0", "page_size=501", "page_size=all"]


def url(world, endpoint: str, query: str = "") -> str:
    return f"/api/v1/{endpoint.format(id=world.reservoir.pk)}" + (f"?{query}" if query else "")


@pytest.mark.parametrize("endpoint", PERIOD)
@pytest.mark.parametrize("query", BAD_PERIODS)
def test_a_bad_year_or_month_is_400_everywhere(world, endpoint, query):
    response = login(world.office).get(url(world, endpoint, query))
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert ("2000" in detail and "2100" in detail) if "year" in query else ("1" in detail and "12" in detail)


@pytest.mark.parametrize("endpoint", PAGED + ["wallchart"])
@pytest.mark.parametrize("query", BAD_PAGES)
def test_a_bad_page_is_400_everywhere(world, endpoint, query):
    response = login(world.office).get(url(world, endpoint, query))
    assert response.status_code == 400 and set(response.json()) == {"detail"}


@pytest.mark.parametrize(
    "endpoint_query",
    [
        "figures?by=nonsense",
        "wallchart?by=township",
        "projects?light=blue",
        "projects?started=maybe",
        "projects?stage=x",
        "projects?sector=0",
        "projects?unit=abc",
        f"projects?region={2**64}",
        "reports?status=lost",
        "reports?project=0",
        "blockers?kind=weather",
        "blockers?overdue=perhaps",
        "tasks?status=x",
        "meetings?year=1900",
    ],
)
def test_other_bad_parameters_are_400_with_a_message(world, endpoint_query):
    response = login(world.office).get(f"/api/v1/{endpoint_query}")
    assert response.status_code == 400
    assert response.json()["detail"]


def test_the_message_is_in_the_callers_language(world):
    client = login(world.office)
    assert client.get("/api/v1/summary?month=13").json() == {"detail": "month 必须是 1 到 12 之间的整数。"}
    english = client.get("/api/v1/summary?month=13", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english == {"detail": "month must be a whole number from 1 to 12."}


def test_a_bad_json_body_is_400(world):
    client = login(world.water_user)
    for content in ("not json", "[1, 2]", '{"project": "x", "year": 2020, "month": 9}', '{"year": 2020}'):
        response = client.post("/api/v1/reports", content, content_type="application/json")
        assert response.status_code == 400, content
        assert response.json()["detail"]


@pytest.mark.parametrize("endpoint", GET_ENDPOINTS + ["openapi.json", "no-such-thing"])
def test_a_stranger_gets_401_and_the_error_shape(world, endpoint):
    response = Client().get(url(world, endpoint))
    assert response.status_code == 401
    assert set(response.json()) == {"detail"}


def test_posting_as_a_stranger_is_401_not_a_redirect(world):
    response = Client().post("/api/v1/reports", {}, content_type="application/json")
    assert response.status_code == 401


def test_an_unknown_path_or_a_wrong_method_answers_json(world):
    client = login(world.office)
    missing = client.get("/api/v1/no-such-thing")
    assert missing.status_code == 404 and missing.json()["detail"]
    assert client.get("/api/v1/projects/x").status_code == 400  # not an id
    assert client.delete("/api/v1/summary").status_code == 405
