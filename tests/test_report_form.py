"""The report form (reports:report): it starts from what is known, a started project stays started
unless a correction says why, a photo upload keeps what was typed, "save draft" only for drafts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reports import services
from reports.figures import month_plans
from reports.models import MonthlyReport, ReportPhoto

from .conftest import login
from .report_builders import report, started
from .report_form_helpers import picture, typed, url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def started_in_figures(world, project, month: int) -> bool:
    row = month_plans(world.office, year=2020, month=month).filter(project=project).get()
    return row.started_flag


def test_it_opens_octobers_form_for_a_project_started_in_2019_as_started_with_last_months_figures(world):
    started(world.reservoir, on="2019-03-01")
    report(world.reservoir, 9, "200.00", completion_pct=D("62.50"), workers=85, started=True)
    form = login(world.water_user).get(url(world.reservoir, 10)).context["form"]
    assert form["started"].value() is True
    assert form["start_date"].value() == dt.date(2019, 3, 1)
    assert D(form["completion_pct"].value()) == D("62.50")
    assert form["workers"].value() == 85
    body = login(world.water_user).get(url(world.reservoir, 10)).content.decode()
    assert "已记录于2019-03-01开工" in body


def test_it_carries_the_start_date_of_the_first_counted_report_when_the_project_has_none(world):
    report(world.bridge, 3, "10.00", started=True, start_date=dt.date(2020, 3, 16), status="submitted")
    form = login(world.transport_user).get(url(world.bridge, 9)).context["form"]
    assert form["started"].value() is True and form["start_date"].value() == dt.date(2020, 3, 16)


def test_it_opens_a_project_never_started_unticked(world):
    form = login(world.transport_user).get(url(world.bridge, 9)).context["form"]
    assert not form["started"].value() and form["start_date"].value() is None
    assert "correction" not in login(world.transport_user).get(url(world.bridge, 9)).content.decode()


def test_it_refuses_september_saying_not_started_for_a_project_started_in_march(world):
    report(world.bridge, 3, "10.00", started=True, start_date=dt.date(2020, 3, 16))
    response = login(world.transport_user).post(url(world.bridge, 9), typed(submit="1"))
    assert response.status_code == 400
    assert "该项目已开工" in " ".join(response.context["form"].errors["correction"])
    assert not MonthlyReport.objects.filter(month=9).exists()
    assert response.context["form"]["amount"].value() == "120.50"  # what was typed stays


def test_a_correction_with_its_reason_says_not_started_and_the_figures_follow(world):
    report(world.bridge, 3, "10.00", started=True, start_date=dt.date(2020, 3, 16))
    assert started_in_figures(world, world.bridge, 9)
    reason = "3月误报开工，实际尚未开工"
    response = login(world.transport_user).post(url(world.bridge, 9), typed(correction=reason, submit="1"))
    assert response.status_code == 302
    september = MonthlyReport.objects.get(project=world.bridge, month=9)
    assert september.started is False and september.status == "submitted"
    assert september.events.get(action="created").reason == reason
    assert not started_in_figures(world, world.bridge, 9)
    assert started_in_figures(world, world.bridge, 8)  # the months before stay as reported
    # Saving the corrected report again needs no second reason.
    again = login(world.transport_user)
    services.report_return(report=september, by=world.office, reason="金额再核")
    assert again.post(url(world.bridge, 9), typed(amount="99")).status_code == 302


def test_a_correction_approved_withdraws_the_actual_start_it_contradicts(world):
    started(world.bridge, on="2020-03-16")
    login(world.transport_user).post(
        url(world.bridge, 9), typed(correction="未开工，开工日期登记有误", submit="1")
    )
    september = MonthlyReport.objects.get(project=world.bridge, month=9)
    services.report_approve(report=september, by=world.office)
    world.bridge.refresh_from_db()
    assert world.bridge.actual_start is None
    assert not started_in_figures(world, world.bridge, 9)


def test_a_photo_upload_keeps_what_was_typed(world):
    client = login(world.water_user)
    response = client.post(
        url(world.reservoir, 9), {**typed(amount="1,325.45"), "upload": "1", "image": picture()}
    )
    assert response.status_code == 302
    stored = MonthlyReport.objects.get(project=world.reservoir, month=9)
    assert stored.amount == D("1325.45") and stored.workers == 30 and stored.status == "draft"
    assert ReportPhoto.objects.filter(report=stored).count() == 1


def test_a_refused_photo_leaves_the_typed_figures_in_the_form(world):
    client = login(world.water_user)
    fake = SimpleUploadedFile("site.jpg", b"not a picture")
    response = client.post(url(world.reservoir, 9), {**typed(amount="777.70"), "upload": "1", "image": fake})
    assert response.status_code == 400
    assert response.context["form"]["amount"].value() == "777.70"
    assert "image" in response.context["photo_form"].errors
    assert not MonthlyReport.objects.exists() and not ReportPhoto.objects.exists()


def test_figures_refused_keep_the_photo_out_and_say_so(world):
    response = login(world.water_user).post(
        url(world.reservoir, 9), {**typed(amount="约3亿"), "upload": "1", "image": picture()}
    )
    assert response.status_code == 400
    assert response.context["form"]["amount"].value() == "约3亿"
    assert "照片未上传" in " ".join(response.context["photo_form"].errors["image"])
    assert not ReportPhoto.objects.exists()


def test_it_offers_save_draft_only_where_the_report_is_a_draft(world):
    report(world.reservoir, 8, "10.00", status="draft", by=world.water_user)
    report(world.reservoir, 9, "10.00", status="submitted", by=world.water_user)
    office = login(world.office)
    assert "保存草稿" in office.get(url(world.reservoir, 8)).content.decode()
    submitted = office.get(url(world.reservoir, 9)).content.decode()
    assert "保存草稿" not in submitted and "保存修改" in submitted
    response = office.post(url(world.reservoir, 9), typed(amount="12.00", save=""), follow=True)
    assert "修改已保存，月报仍为已报送" in response.content.decode()
    assert "已保存为草稿" not in response.content.decode()
    assert MonthlyReport.objects.get(month=9).status == "submitted"


def test_the_office_is_warned_of_a_report_saying_not_started_for_a_started_project(world):
    started(world.reservoir, on="2020-03-01")
    report(world.reservoir, 9, "10.00", status="submitted", by=world.water_user)  # filed before the rule
    body = login(world.office).get(url(world.reservoir, 9)).content.decode()
    assert "本月报填报为未开工，但该项目已记录于2020-03-01开工" in body
    report(world.reservoir, 8, "10.00", status="approved", started=True, start_date=dt.date(2020, 3, 1))
    assert "contradicts-start" not in login(world.office).get(url(world.reservoir, 8)).content.decode()
