"""The deadline-day path (issue 17 item 5): a unit's "save and submit" of a new monthly report, as the
form sends it. The report is locked once, its month summary (ProjectMonth) is written once, from the
submitted report, and equals a rebuild; the statements are as many however large the world is."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.models import Project
from reports import months, services
from reports.models import MonthlyReport, ProjectMonth

from .conftest import login
from .factories import project as new_project
from .form_builders import form_values

pytestmark = pytest.mark.usefixtures("pinned_today")

REPORT = {
    "amount": "128.50",
    "progress": "按计划推进，主体工程施工中",
    "completion_pct": "40",
    "workers": "35",
}
COLUMNS = ("project_id", "year", "month", "month_amount", "ytd", "started", "report_status")
# The request as a whole: the session, the signed-in user with its region and unit (one read); the
# project through the user's scope, the month's report; the transaction (begin … commit); the save's
# savepoint, the report locked, written and recorded (event + audit entry); the submit of the row the
# save locked (no second lock nor savepoint), recorded; the summary's lock, delete and insert, once.
STATEMENTS = 18


def summary() -> list[tuple]:
    return list(ProjectMonth.objects.order_by("project_id", "year", "month").values_list(*COLUMNS))


def save_and_submit(client, project) -> tuple[object, list[str]]:
    url = reverse("reports:report", args=[project.pk, 2020, 9])
    form = form_values(client.get(url).content.decode(), "report-form")
    form.update(REPORT, started="on", start_date="2020-03-01", submit="1")
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, form)
    assert response.status_code == 302
    assert response["Location"] == url
    return response, [q["sql"] for q in queries.captured_queries]


def test_it_submits_a_new_report_writing_its_summary_once(world):
    client = login(world.transport_user)
    _response, statements = save_and_submit(client, world.bridge)
    report = MonthlyReport.objects.get(project=world.bridge, year=2020, month=9)
    assert (report.status, report.amount, report.version) == ("submitted", D("128.50"), 2)
    assert list(report.events.values_list("action", flat=True)) == ["created", "submitted"]
    assert sum("DELETE FROM reports_projectmonth" in s for s in statements) == 1
    assert sum(s.lstrip().startswith("INSERT INTO reports_projectmonth") for s in statements) == 1
    assert ProjectMonth.objects.get(project=world.bridge, year=2020, month=9).report_status == "submitted"
    kept = summary()
    ProjectMonth.objects.all().delete()
    months.rebuild()
    assert summary() == kept


def test_it_issues_as_many_statements_in_a_larger_world(world):
    client = login(world.transport_user)
    _response, small = save_and_submit(client, world.bridge)
    extras = [
        new_project(region=world.county, lead_unit=world.transport, sector=world.road.sector, name=f"道路{n}")
        for n in range(12)
    ]
    for project in [world.road, *extras]:  # the road now has its earlier months reported too
        for month in range(1, 9):
            data = {"amount": D("10.00"), "progress": "施工中"}
            report = services.report_save(
                project=project, year=2020, month=month, data=data, by=world.transport_user
            )
            services.report_submit(report=report, by=world.transport_user)
    assert Project.objects.filter(lead_unit=world.transport).count() == 14
    _response, large = save_and_submit(client, world.road)
    assert len(small) == len(large) == STATEMENTS, "\n".join(large)


@pytest.mark.django_db(transaction=True)
def test_it_leaves_neither_report_nor_summary_when_the_block_fails_after_the_save(world):
    data = {"amount": D("10.00"), "progress": "施工中"}
    with pytest.raises(RuntimeError), months.refreshed_once():
        services.report_save(project=world.bridge, year=2020, month=9, data=data, by=world.transport_user)
        raise RuntimeError("the submit failed")
    assert not MonthlyReport.objects.filter(project=world.bridge).exists()
    assert not ProjectMonth.objects.filter(project=world.bridge).exists()


def test_it_refreshes_the_summary_at_each_step_outside_the_block(world):
    data = {"amount": D("10.00"), "progress": "施工中"}
    by = world.transport_user
    report = services.report_save(project=world.bridge, year=2020, month=9, data=data, by=by)
    september = ProjectMonth.objects.get(project=world.bridge, year=2020, month=9)
    assert (september.month_amount, september.report_status) == (D("0"), "draft")
    services.report_submit(report=report, by=by)
    september = ProjectMonth.objects.get(project=world.bridge, year=2020, month=9)  # rows are rewritten
    assert (september.month_amount, september.report_status) == (D("10.00"), "submitted")
