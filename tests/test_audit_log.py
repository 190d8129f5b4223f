"""The office's audit log page (/manage/audit/): scoped to its region, filtered, paginated with a
fixed number of queries, exported to .xlsx; and the login log keyed by user (issue 13 item 6)."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from accounts.models import SecurityEvent

from .conftest import login
from .factories import PASSWORD

pytestmark = pytest.mark.django_db


def rename(unit, name: str) -> None:
    unit.name = name
    unit.save()


def test_it_shows_the_office_its_regions_changes_only(world):
    rename(world.water, "县水务局")
    rename(world.other_unit, "酉阳县水务局")
    page = login(world.office).get("/manage/audit/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "县水利局 → 县水务局" in text and "酉阳县水务局" not in text
    assert "酉阳县水务局" in login(world.outsider).get("/manage/audit/").content.decode()
    assert login(world.water_user).get("/manage/audit/").status_code == 403


def test_it_filters_by_type_text_user_and_dates(world):
    rename(world.water, "县水务局")
    rename(world.transport, "县交通运输局")
    client = login(world.office)
    found = client.get("/manage/audit/", {"q": "交通运输", "model": "regions.unit"}).context["lines"]
    assert [line.entry.object_repr for line in found] == ["县交通运输局"]
    assert client.get("/manage/audit/", {"model": "meetings.meeting"}).context["lines"] == []
    assert client.get("/manage/audit/", {"start": "2000-01-01", "end": "2000-01-02"}).context["lines"] == []
    assert client.get("/manage/audit/", {"user": world.office.pk}).context["lines"] == []


@pytest.mark.parametrize(
    "params", [{"start": "2020-13-45"}, {"user": "²"}, {"user": "9" * 25}, {"model": "<x>"}, {"q": "x" * 500}]
)
def test_bad_filters_are_a_message_not_an_error(world, params):
    rename(world.water, "县水务局")
    client = login(world.office)
    response = client.get("/manage/audit/", params)
    assert response.status_code == 200
    assert response.context["form"].errors
    everything = client.get("/manage/audit/").context["lines"]
    assert len(response.context["lines"]) == len(everything)  # the bad filter filters nothing


def test_the_page_costs_the_same_queries_for_few_or_many_entries(world):
    client = login(world.office)
    rename(world.water, "a")
    client.get("/manage/audit/")  # the session's first page reads what later pages keep
    with CaptureQueriesContext(connection) as few:
        client.get("/manage/audit/")
    for n in range(60):
        rename(world.water, f"县水利局{n}")
    with CaptureQueriesContext(connection) as many:
        assert len(client.get("/manage/audit/").context["lines"]) == 50
    assert len(many.captured_queries) == len(few.captured_queries)


def test_it_exports_the_filtered_log_to_excel(world):
    rename(world.water, "县水务局")
    response = login(world.office).get("/manage/audit/", {"format": "xlsx", "model": "regions.unit"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    cells = [str(c) for row in load_workbook(io.BytesIO(response.content)).active.values for c in row if c]
    assert any("县水利局 → 县水务局" in c for c in cells)


def test_a_renamed_users_sign_ins_stay_theirs(world):
    Client().post("/login/", {"username": "water", "password": PASSWORD})
    world.water_user.username = "shuili"
    world.water_user.save()
    rows = login(world.office).get("/manage/login-log/").context["page"].object_list
    signed_in = [r for r in rows if r.kind == SecurityEvent.Kind.SIGNED_IN and r.username == "water"]
    assert [r.user.username for r in signed_in] == ["shuili"]
    assert "shuili" in login(world.office).get("/manage/login-log/").content.decode()
    assert login(world.office).get("/manage/login-log/", {"q": "shuili"}).context["page"].object_list


def test_failed_sign_ins_for_unknown_names_reach_the_top_office(world):
    Client().post("/login/", {"username": "no-such-name", "password": "x"})
    failed = {"kind": "failed"}
    top = login(world.city_office).get("/manage/login-log/", failed)
    assert [r.username for r in top.context["page"].object_list] == ["no-such-name"]
    assert "no such user" in top.content.decode() or "无此用户" in top.content.decode()
    # A county office has an office above it: the unknown names are the city's to read.
    assert list(login(world.office).get("/manage/login-log/", failed).context["page"].object_list) == []
