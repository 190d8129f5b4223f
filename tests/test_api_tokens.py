"""API tokens: issued by the office on /manage/tokens/, stored hashed and shown once, acting exactly
as their user, refused when revoked and on HTML pages, rate-limited, every call logged."""

from __future__ import annotations

import hashlib

import pytest
from django.core.cache import cache
from django.test import Client

from api.models import ApiCall, ApiToken

from .conftest import login
from .report_builders import report, started

pytestmark = pytest.mark.django_db
SUMMARY = "/api/v1/summary?year=2020&month=9"


@pytest.fixture(autouse=True)
def fresh_rate_counts():
    cache.clear()


def bearer(secret: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def issue(world, user, name="省平台") -> str:
    office = world.city_office if user.region == world.city else world.office
    response = login(office).post("/manage/tokens/", {"name": name, "user": user.pk})
    assert response.status_code == 200
    return response.context["secret"]


def test_it_issues_a_token_shown_once_and_stores_only_its_hash(world):
    response = login(world.office).post("/manage/tokens/", {"name": "省平台", "user": world.water_user.pk})
    secret = response.context["secret"]
    assert secret.startswith("kp_") and secret in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    token = ApiToken.objects.get()
    assert (token.name, token.user, token.created_by) == ("省平台", world.water_user, world.office)
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert not any(secret in str(value) for value in ApiToken.objects.values().get().values())
    page = login(world.office).get("/manage/tokens/").content.decode()
    assert "省平台" in page and token.prefix in page and secret not in page


def test_it_acts_with_exactly_its_users_scope(world):
    for project in (world.reservoir, world.bridge, world.far):
        started(project)
        report(project, 9, "100.00")
    for user in (world.water_user, world.leader_user, world.office, world.city_office):
        by_token = bearer(issue(world, user, name=user.username)).get(SUMMARY).json()
        by_session = login(user).get(SUMMARY).json()
        assert by_token == by_session, user.username
    water = bearer(issue(world, world.water_user, name="w2"))
    names = [row["name"] for row in water.get("/api/v1/projects?year=2020&month=9").json()["results"]]
    assert sorted(names) == ["中和至平凯公路改造", "洪安水库工程"]
    assert water.get(f"/api/v1/projects/{world.bridge.pk}").status_code == 404


def test_it_refuses_a_revoked_or_unknown_token_with_401(world):
    secret = issue(world, world.viewer)
    client = bearer(secret)
    assert client.get(SUMMARY).status_code == 200
    token = ApiToken.objects.get()
    assert login(world.office).post(f"/manage/tokens/{token.pk}/revoke/").status_code == 302
    response = client.get(SUMMARY)
    assert response.status_code == 401 and "detail" in response.json() and "projects" not in response.json()
    assert bearer("kp_not-a-token").get(SUMMARY).status_code == 401
    assert Client(HTTP_AUTHORIZATION="Basic dXNlcjpwYXNz").get(SUMMARY).status_code == 401


def test_a_bad_token_does_not_fall_back_to_the_session(world):
    client = login(world.office)
    assert client.get(SUMMARY, HTTP_AUTHORIZATION="Bearer kp_wrong").status_code == 401


def test_it_refuses_a_token_on_html_pages(world):
    client = bearer(issue(world, world.office))
    for url in ("/", "/projects/", "/manage/tokens/", "/api/v1/docs"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/"), url
    assert "_auth_user_id" not in client.session


def test_it_records_last_use_and_logs_every_call(world):
    secret = issue(world, world.transport_user)
    bearer(secret).get(SUMMARY)
    bearer(secret).get("/api/v1/projects/999999")
    login(world.water_user).get("/api/v1/lights?year=2020&month=9")
    Client().get(SUMMARY)  # nobody: nothing to record
    token = ApiToken.objects.get()
    assert token.last_used is not None
    calls = list(ApiCall.objects.order_by("pk").values_list("via", "token", "user", "path", "status"))
    assert calls == [
        ("token", token.pk, world.transport_user.pk, "/api/v1/summary", 200),
        ("token", token.pk, world.transport_user.pk, "/api/v1/projects/999999", 404),
        ("session", None, world.water_user.pk, "/api/v1/lights", 200),
    ]
    page = login(world.office).get("/manage/tokens/").content.decode()
    assert "/api/v1/projects/999999" in page and "/api/v1/lights" in page
    assert (
        "/api/v1/lights" not in login(world.office).get(f"/manage/tokens/?token={token.pk}").content.decode()
    )


def test_it_answers_429_past_the_rate(world, settings):
    settings.KEYPROJ_API_RATE = "3/min"
    client = bearer(issue(world, world.viewer))
    assert [client.get(SUMMARY).status_code for _ in range(3)] == [200, 200, 200]
    response = client.get(SUMMARY)
    assert response.status_code == 429 and response.json()["detail"] and int(response["Retry-After"]) >= 1
    other = bearer(issue(world, world.viewer, name="another"))
    assert other.get(SUMMARY).status_code == 200  # per token
    assert login(world.viewer).get(SUMMARY).status_code == 200  # sessions are not limited


def test_only_the_office_manages_tokens_of_its_own_region(world):
    assert login(world.viewer).get("/manage/tokens/").status_code == 403
    outsider = login(world.outsider).post("/manage/tokens/", {"name": "x", "user": world.water_user.pk})
    assert outsider.status_code == 400 and not ApiToken.objects.exists()
    issue(world, world.water_user)
    token = ApiToken.objects.get()
    assert login(world.outsider).post(f"/manage/tokens/{token.pk}/revoke/").status_code == 404
    assert ApiToken.objects.get().is_active
    assert "省平台" not in login(world.outsider).get("/manage/tokens/").content.decode()


def test_a_token_writes_only_what_its_user_may(world):
    body = {"project": world.reservoir.pk, "year": 2020, "month": 9, "amount": "10.00", "progress": "施工中"}
    viewer = bearer(issue(world, world.viewer, name="v"))
    assert viewer.post("/api/v1/reports", body, content_type="application/json").status_code == 403
    water = bearer(issue(world, world.water_user, name="w"))
    response = water.post("/api/v1/reports", body, content_type="application/json")
    assert response.status_code == 201 and response.json()["status"] == "draft"
