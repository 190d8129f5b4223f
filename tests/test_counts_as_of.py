"""Open and overdue blockers and tasks agree on every surface (home, dashboard, big screen, the monthly
study pack's page and document, the API): counted today for the latest reporting month, on the
month's last day for an earlier month (blockers.selectors.counts_as_of), and labelled with that day.
The lights are listed in one order (red, yellow, green) on the home page and the dashboard."""

from __future__ import annotations

import datetime as dt

import docx
import pytest

from blockers.selectors import counts_as_of
from cadence.periods import month_period
from cadence.services import document_generate
from supervision.models import SupervisionTask

from .blocker_builders import at, blocker
from .conftest import login

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]

D = dt.date
# (open, overdue) of blockers and of tasks in the county: on 11 October (September's figures,
# counted today), on 31 August (August's) — and on 30 September, which no surface may show.
SEPTEMBER = {"blockers": (3, 1), "tasks": (3, 2), "label": "截至10月11日"}
AUGUST = {"blockers": (3, 2), "tasks": (2, 1), "label": "截至8月31日"}


def task(project, *, created: dt.date, deadline: dt.date, closed: dt.date | None = None):
    return SupervisionTask.objects.create(
        region=project.region,
        project=project,
        title="完成征地",
        assignee_unit=project.lead_unit,
        deadline=deadline,
        created_at=at(created),
        closed_at=at(closed) if closed else None,
        status=SupervisionTask.Status.CLOSED if closed else SupervisionTask.Status.OPEN,
    )


@pytest.fixture
def counted(world):
    p = world.reservoir
    blocker(p, raised=D(2020, 7, 1))
    blocker(p, raised=D(2020, 8, 1), deadline=D(2020, 8, 10), resolved=D(2020, 9, 10))
    blocker(p, raised=D(2020, 8, 2), deadline=D(2020, 8, 20), resolved=D(2020, 9, 20))
    blocker(p, raised=D(2020, 9, 15), deadline=D(2020, 9, 20), resolved=D(2020, 10, 3))
    blocker(p, raised=D(2020, 10, 2), deadline=D(2020, 10, 8))
    blocker(p, raised=D(2020, 10, 5))
    task(p, created=D(2020, 9, 1), deadline=D(2020, 9, 25), closed=D(2020, 10, 4))
    task(p, created=D(2020, 10, 1), deadline=D(2020, 10, 9))
    task(p, created=D(2020, 8, 1), deadline=D(2020, 8, 15), closed=D(2020, 9, 1))
    task(p, created=D(2020, 7, 1), deadline=D(2020, 12, 31))
    task(p, created=D(2020, 10, 2), deadline=D(2020, 10, 5))
    return world


def test_it_counts_the_latest_reporting_month_today_and_an_earlier_one_at_its_end():
    assert counts_as_of(2020, 9) == D(2020, 10, 11)
    assert counts_as_of(2020, 10) == D(2020, 10, 11)
    assert counts_as_of(2020, 8) == D(2020, 8, 31)
    assert counts_as_of(2019, 12) == D(2019, 12, 31)


def headline_counts(headline: dict) -> dict:
    return {
        "blockers": (headline["blockers_open"], headline["blockers_overdue"]),
        "tasks": (headline["tasks_open"], headline["tasks_overdue"]),
        "label": headline["as_of_label"],
    }


@pytest.mark.parametrize(("month", "expected"), [(9, SEPTEMBER), (8, AUGUST)])
def test_the_dashboard_its_api_and_the_big_screen_agree(counted, month, expected):
    client = login(counted.office)
    page = client.get(f"/battlemap/?year=2020&month={month}")
    assert headline_counts(page.context["headline"]) == expected
    assert expected["label"] in page.content.decode()
    api = client.get(f"/api/v1/dashboard?year=2020&month={month}").json()
    assert headline_counts(api["headline"]) == expected
    summary = client.get(f"/api/v1/summary?year=2020&month={month}").json()
    blockers, tasks = expected["blockers"], expected["tasks"]
    assert (summary["blockers_open"], summary["blockers_overdue"], summary["tasks_overdue"]) == (
        *blockers,
        tasks[1],
    )
    screen = client.get(f"/battlemap/screen/?year=2020&month={month}").content.decode()
    assert f'data-stat="blockers_open">{blockers[0]}<' in screen
    assert f'data-stat="tasks_overdue">{tasks[1]}<' in screen
    assert f'data-stat="as_of_label">{expected["label"]}<' in screen


def test_the_default_dashboard_counts_today(counted):
    page = login(counted.office).get("/battlemap/")
    assert (page.context["month"], page.context["headline"]["as_of"]) == (9, "2020-10-11")


def test_the_home_page_counts_as_the_dashboard_does(counted):
    response = login(counted.office).get("/")
    assert response.context["blockers"] == {"open": 3, "overdue": 1}
    assert response.context["tasks"] == {"open": 3, "overdue": 2}
    assert response.content.decode().count("截至10月11日") == 2


@pytest.mark.parametrize(("month", "expected"), [(9, SEPTEMBER), (8, AUGUST)])
def test_the_monthly_study_pack_page_and_document_agree(counted, month, expected):
    page = login(counted.office).get(f"/cadence/monthly/?year=2020&month={month}")
    data = page.context["data"]
    assert (data.blockers_open, data.blockers_overdue) == expected["blockers"]
    assert (data.tasks_open, data.tasks_overdue) == expected["tasks"]
    assert expected["label"] in page.content.decode()
    doc = document_generate(kind="monthly", region=counted.county, period=month_period(2020, month))
    with doc.file.open("rb") as fh:
        body = "\n".join(p.text for p in docx.Document(fh).paragraphs)
    open_, overdue = expected["blockers"]
    assert f"{expected['label']}，未解决卡点{open_}个，其中逾期{overdue}个。" in body


def test_the_home_page_and_the_dashboard_list_the_lights_in_one_order(reported):
    client = login(reported.office)
    for path in ("/", "/battlemap/?year=2020&month=9"):
        html = client.get(path).content.decode()
        lights = html.split('id="stat-lights"')[1][:1500]
        positions = [lights.index(f"kp-light {colour}") for colour in ("red", "yellow", "green")]
        assert positions == sorted(positions), path
