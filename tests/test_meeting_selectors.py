"""meetings.selectors: the part of a meeting a user reads is the same on the meeting page and in the API."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from meetings.models import Decision, Meeting

from .conftest import login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]


@pytest.fixture
def meeting(world):
    m = Meeting.objects.create(
        region=world.county, title="县长办公会", date=dt.date(2020, 10, 11), chair=world.leader
    )
    m.projects.add(world.reservoir, world.bridge)
    Decision.objects.create(meeting=m, number=1, text="水库征地10月底前完成", project=world.reservoir)
    Decision.objects.create(meeting=m, number=2, text="大桥资金由财政局落实", project=world.bridge)
    Decision.objects.create(meeting=m, number=3, text="各单位按序时推进")
    return m


def page_decisions(user, meeting) -> list[int]:
    response = login(user).get(reverse("meetings:detail", args=[meeting.pk]))
    assert response.status_code == 200
    return [d.number for d in response.context["decisions"]]


def api_decisions(user) -> list[int]:
    return [d["number"] for d in login(user).get("/api/v1/meetings").json()["results"][0]["decisions"]]


def test_it_gives_a_unit_the_decisions_about_its_projects_or_none_on_page_and_api(world, meeting):
    assert page_decisions(world.water_user, meeting) == api_decisions(world.water_user) == [1, 3]
    assert page_decisions(world.transport_user, meeting) == api_decisions(world.transport_user) == [2, 3]


def test_it_gives_the_office_every_decision_on_page_and_api(world, meeting):
    assert page_decisions(world.office, meeting) == api_decisions(world.office) == [1, 2, 3]


def test_it_gives_a_unit_its_own_projects_of_the_agenda(world, meeting):
    response = login(world.water_user).get(reverse("meetings:detail", args=[meeting.pk]))
    assert [p.name for p in response.context["projects"]] == [world.reservoir.name]
    api = login(world.water_user).get("/api/v1/meetings").json()["results"][0]
    assert [p["name"] for p in api["projects"]] == [world.reservoir.name]
