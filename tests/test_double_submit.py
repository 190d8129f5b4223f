"""A double click (issue 13 item 3): the same form sent twice answers with the report the first one
saved, with a message — no error, no second report, no second workflow step.

These send the two requests one after the other; tests/test_two_connections.py makes them collide
on two real database connections."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from reports.models import MonthlyReport

from .conftest import login
from .form_builders import form_values

pytestmark = pytest.mark.usefixtures("pinned_today")

REPORT = {"amount": "300.00", "progress": "大坝填筑完成60%", "completion_pct": "45", "workers": "80"}


def new_report_form(client, project) -> tuple[str, dict]:
    url = reverse("reports:report", args=[project.pk, 2020, 9])
    return url, {**form_values(client.get(url).content.decode(), "report-form"), **REPORT}


def said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.parametrize("who", ["water_user", "office"])
def test_it_answers_a_second_save_and_submit_with_the_saved_report(world, who):
    client = login(getattr(world, who))
    url, form = new_report_form(client, world.reservoir)
    first = client.post(url, {**form, "submit": "1"})
    second = client.post(url, {**form, "submit": "1"})
    assert first.status_code == second.status_code == 302
    assert second["Location"] == url  # lands on the saved report
    assert any("已是" in m for m in said(second)), said(second)  # "already submitted", who and when
    report = MonthlyReport.objects.get(project=world.reservoir, year=2020, month=9)
    assert (report.status, report.amount) == ("submitted", D("300.00"))
    assert list(report.events.values_list("action", flat=True)) == ["created", "submitted"]
    page = client.get(url).content.decode()
    assert "已报送" in page


def test_it_answers_a_second_draft_save_with_the_saved_draft(world):
    client = login(world.water_user)
    url, form = new_report_form(client, world.reservoir)
    assert client.post(url, form).status_code == 302
    second = client.post(url, form)
    assert second.status_code == 302
    assert second["Location"] == url
    report = MonthlyReport.objects.get(project=world.reservoir, year=2020, month=9)
    assert report.status == "draft"
    assert list(report.events.values_list("action", flat=True)) == ["created"]


def test_it_does_not_take_a_different_form_for_a_repeat(world):
    """The second form says something else: it is not the same click, it is a stale form."""
    client = login(world.water_user)
    url, form = new_report_form(client, world.reservoir)
    assert client.post(url, {**form, "submit": "1"}).status_code == 302
    response = client.post(url, {**form, "amount": "310.00", "submit": "1"})
    assert response.status_code == 403  # a unit no longer changes a submitted report
    assert MonthlyReport.objects.get(project=world.reservoir, month=9).amount == D("300.00")


def test_it_answers_save_and_submit_on_a_report_someone_submitted_meanwhile(world):
    """The office corrects a submitted report with "save and submit": a message in the user's
    language on the form, what it typed kept, nothing saved (the submit would have been refused)."""
    unit, office = login(world.water_user), login(world.office)
    url, form = new_report_form(unit, world.reservoir)
    assert unit.post(url, {**form, "submit": "1"}).status_code == 302
    office_form = form_values(office.get(url).content.decode(), "report-form")
    response = office.post(url, {**office_form, "amount": "280.00", "submit": "1"})
    page = response.content.decode()
    assert response.status_code == 409
    assert "已是" in page
    assert form_values(page, "report-form")["amount"] == "280.00"
    assert MonthlyReport.objects.get(project=world.reservoir, month=9).amount == D("300.00")
