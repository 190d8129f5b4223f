"""keyproj.middleware.DatabaseUnavailable: a lost database answers 503 with Retry-After, in Chinese (JSON
for the API), and never says "saved" for what may not be, nor "not saved" for what was committed; any
other exception is still a 500, logged. The real restart against a private cluster: test_database_restart."""

from __future__ import annotations

import logging

import pytest
from django.db import OperationalError, connection, transaction
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import path

from projects.models import Sector
from reports.models import MonthlyReport

from .conftest import login

LOST = "server closed the connection unexpectedly"
NOT_SAVED = "本次操作未保存"
UNCONFIRMED = "未能确认是否已保存"
REPORT = "/reports/{pk}/2020/9/"
FORM = {
    "amount": "300.00",
    "progress": "大坝填筑完成60%",
    "completion_pct": "45",
    "workers": "80",
    "problems": "",
}


def lost(request: HttpRequest) -> HttpResponse:
    raise OperationalError(LOST)


def broken(request: HttpRequest) -> HttpResponse:
    return HttpResponse(str(1 / 0))


def bad_query(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT * FROM no_such_table"
        )  # SQLite: OperationalError; PostgreSQL: ProgrammingError
    return HttpResponse("never")


def lost_inside_a_transaction(request: HttpRequest) -> HttpResponse:
    with transaction.atomic():
        Sector.objects.create(name="rolled back")
        raise OperationalError(LOST)


def saved(request: HttpRequest) -> HttpResponse:
    with transaction.atomic():
        Sector.objects.create(name="kept")
    return HttpResponse("saved")


urlpatterns = [
    path("lost/", lost),
    path("broken/", broken),
    path("bad-query/", bad_query),
    path("inside/", lost_inside_a_transaction),
    path("saved/", saved),
    path("api/v1/lost/", lost),
]


def client() -> Client:
    return Client(raise_request_exception=False)


def lose_the_first_commit_after_it_ran(monkeypatch) -> None:
    """COMMIT reaches the server and commits; the answer is lost with the connection."""
    commit, calls = connection._commit, []

    def flaky():
        commit()
        if not calls:
            calls.append(1)
            raise OperationalError(LOST)

    monkeypatch.setattr(connection, "_commit", flaky)


def unavailable(response) -> str:
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    return response.content.decode()


@pytest.mark.urls(__name__)
@pytest.mark.django_db
def test_it_answers_a_page_with_retry_after_and_logs_it_when_the_database_is_lost(caplog):
    with caplog.at_level(logging.ERROR, logger="keyproj.database"):
        page = unavailable(client().get("/lost/"))
    assert "服务暂时不可用" in page and "数据库正在重启或暂时无法连接" in page and "刷新" in page
    assert "Database unavailable: GET /lost/ answered 503" in caplog.text and LOST in caplog.text
    assert NOT_SAVED in unavailable(client().post("/lost/"))


@pytest.mark.urls(__name__)
@pytest.mark.django_db
def test_it_answers_json_to_the_api_and_to_json_callers():
    assert set(client().get("/api/v1/lost/").json()) == {"detail"}
    response = client().post("/lost/", HTTP_ACCEPT="application/json")
    assert unavailable(response) and NOT_SAVED in response.json()["detail"]


@pytest.mark.urls(__name__)
@pytest.mark.django_db
def test_it_still_answers_a_bug_with_500_and_logs_it(caplog):
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client().get("/broken/")
    assert response.status_code == 500 and "Retry-After" not in response
    assert "ZeroDivisionError" in caplog.text
    assert client().get("/bad-query/").status_code == 500  # a bug in SQL is no outage, on SQLite either


@pytest.mark.urls(__name__)
@pytest.mark.django_db
def test_it_says_nothing_was_saved_when_the_transaction_was_rolled_back():
    assert NOT_SAVED in unavailable(client().post("/inside/"))
    assert not Sector.objects.filter(name="rolled back").exists()


@pytest.mark.urls(__name__)
@pytest.mark.django_db(transaction=True)
def test_it_cannot_confirm_a_change_whose_commit_lost_its_answer(monkeypatch):
    lose_the_first_commit_after_it_ran(monkeypatch)
    page = unavailable(client().post("/saved/"))
    assert UNCONFIRMED in page and NOT_SAVED not in page
    assert Sector.objects.filter(name="kept").exists()


@pytest.mark.django_db
def test_it_answers_503_when_the_session_cannot_be_loaded(world, monkeypatch):
    visitor = login(world.water_user)
    visitor.raise_request_exception = False

    def down(self):
        raise OperationalError(LOST)

    monkeypatch.setattr("django.contrib.sessions.backends.db.SessionStore.load", down)
    assert "服务暂时不可用" in unavailable(visitor.get("/"))


@pytest.mark.django_db
def test_it_submits_nothing_of_a_save_and_submit_whose_submit_lost_the_database(world, monkeypatch):
    def down(**kwargs):
        raise OperationalError(LOST)

    monkeypatch.setattr("reports.services.report_submit", down)
    visitor = login(world.water_user)
    visitor.raise_request_exception = False
    page = unavailable(visitor.post(REPORT.format(pk=world.reservoir.pk), {**FORM, "submit": "1"}))
    assert NOT_SAVED in page
    assert not MonthlyReport.objects.filter(project=world.reservoir).exists()  # the draft went with it


@pytest.mark.django_db(transaction=True)
def test_it_cannot_confirm_a_save_and_submit_whose_commit_lost_its_answer(world, monkeypatch):
    visitor = login(world.water_user)
    visitor.raise_request_exception = False
    lose_the_first_commit_after_it_ran(monkeypatch)
    page = unavailable(visitor.post(REPORT.format(pk=world.reservoir.pk), {**FORM, "submit": "1"}))
    assert UNCONFIRMED in page and "月报已报送" not in page
    # Saved and submitted together, as the page could not confirm; reloading shows it submitted.
    assert MonthlyReport.objects.get(project=world.reservoir).status == "submitted"
    assert "已报送" in login(world.water_user).get(REPORT.format(pk=world.reservoir.pk)).content.decode()
