"""Two people editing one row (issue 13 item 3): the second to save with a form drawn before the
first saved is shown "changed by X at T", both values side by side, and keeps what they typed;
nothing is overwritten. A form drawn after the other's save saves as before.

Each of the five versioned models through its own form, posted as the browser would post the page:
project (the office's funding edit against the unit's start date), year plan, monthly report draft,
blocker (edit and measures), supervision task."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.urls import reverse

from blockers import services as blocker_services
from blockers.models import Blocker
from projects.models import Project, YearPlan
from reports.models import MonthlyReport
from supervision import services as task_services
from supervision.models import SupervisionTask

from .conftest import login
from .form_builders import form_values, page_form, says_who_and_when, stale_box

pytestmark = pytest.mark.usefixtures("pinned_today")


# -- projects ------------------------------------------------------------------------------------
def test_it_keeps_the_offices_funding_edit_from_a_units_stale_start_date(world):
    url = reverse("projects:edit", args=[world.reservoir.pk])
    office, unit = login(world.office), login(world.water_user)
    office_form, unit_form = page_form(office, url), page_form(unit, url)
    assert office_form["version"] == unit_form["version"]
    # A change of total investment is a baseline revision: it carries its reason (projects/baseline.py).
    office_form.update(
        funding_sources="中央预算内投资", total_investment="15000.00", revision_reason="设计变更"
    )
    assert office.post(url, office_form).status_code == 302

    unit_form["actual_start"] = "2020-03-15"
    response = unit.post(url, unit_form)
    page = response.content.decode()
    assert response.status_code == 409
    box = stale_box(page)
    says_who_and_when(box, "office")
    assert "中央预算内投资" in box  # the office's value, beside the unit's
    # Nothing overwritten, nothing of the unit's saved yet.
    project = Project.objects.get(pk=world.reservoir.pk)
    assert (project.funding_sources, project.total_investment) == ("中央预算内投资", D("15000.00"))
    assert project.actual_start is None
    # What the unit typed is still in the form; the field it left alone now shows the office's value.
    shown = form_values(page)
    assert shown["actual_start"] == "2020-03-15"
    assert shown["funding_sources"] == "中央预算内投资"

    # Saving the form as shown is deliberate now, and keeps both changes.
    assert unit.post(url, shown).status_code == 302
    project.refresh_from_db()
    assert (project.actual_start, project.funding_sources) == (dt.date(2020, 3, 15), "中央预算内投资")
    assert project.total_investment == D("15000.00")


def test_it_shows_both_values_when_both_changed_the_same_field(world):
    url = reverse("projects:edit", args=[world.reservoir.pk])
    first, second = login(world.water_user), login(world.office)
    first_form, second_form = page_form(first, url), page_form(second, url)
    assert first.post(url, {**first_form, "location": "洪安镇东侧"}).status_code == 302
    response = second.post(url, {**second_form, "location": "洪安镇西侧"})
    page = response.content.decode()
    assert response.status_code == 409
    box = stale_box(page)
    says_who_and_when(box, "water")
    assert "洪安镇东侧" in box and "洪安镇西侧" in box
    assert Project.objects.get(pk=world.reservoir.pk).location == "洪安镇东侧"
    assert form_values(page)["location"] == "洪安镇西侧"


def test_it_saves_forms_drawn_after_each_save(world):
    url = reverse("projects:edit", args=[world.reservoir.pk])
    client = login(world.water_user)
    assert client.post(url, {**page_form(client, url), "location": "甲"}).status_code == 302
    assert client.post(url, {**page_form(client, url), "location": "乙"}).status_code == 302
    project = Project.objects.get(pk=world.reservoir.pk)
    assert project.location == "乙"
    assert project.version == world.reservoir.version + 2


def test_it_counts_a_version_on_every_save_by_any_writer(world):
    project = Project.objects.get(pk=world.reservoir.pk)
    before = project.version
    project.location = "x"
    project.save(update_fields=["location"])
    assert Project.objects.get(pk=project.pk).version == before + 1


# -- year plans ----------------------------------------------------------------------------------
def test_it_refuses_a_stale_year_plan_and_keeps_what_was_typed(world):
    url = reverse("projects:plan_edit", args=[world.reservoir.pk, 2020])
    tab1, tab2 = login(world.office), login(world.office)
    form1, form2 = page_form(tab1, url), page_form(tab2, url)
    assert tab1.post(url, {**form1, "planned_investment": "3500.00"}).status_code == 302
    response = tab2.post(url, {**form2, "progress_target": "主体完工"})
    page = response.content.decode()
    assert response.status_code == 409
    box = stale_box(page)
    says_who_and_when(box, "office")
    assert "3500.00" in box
    plan = YearPlan.objects.get(project=world.reservoir, year=2020)
    assert (plan.planned_investment, plan.progress_target) == (D("3500.00"), "")
    shown = form_values(page)
    assert shown["progress_target"] == "主体完工"  # typed, kept
    assert shown["planned_investment"] == "3500.00"  # left alone: the other's value


# -- monthly report drafts -----------------------------------------------------------------------
REPORT = {"amount": "300.00", "progress": "大坝填筑完成60%", "completion_pct": "45", "workers": "80"}


def test_it_refuses_a_stale_report_draft_and_keeps_what_was_typed(world):
    url = reverse("reports:report", args=[world.reservoir.pk, 2020, 9])
    unit, office = login(world.water_user), login(world.office)
    assert unit.post(url, {**page_form(unit, url, "report-form"), **REPORT}).status_code == 302
    unit_form, office_form = page_form(unit, url, "report-form"), page_form(office, url, "report-form")
    assert office.post(url, {**office_form, "amount": "350.00"}).status_code == 302
    response = unit.post(url, {**unit_form, "workers": "95", "problems": "征地未完成"})
    page = response.content.decode()
    assert response.status_code == 409
    box = stale_box(page)
    says_who_and_when(box, "office")
    assert "350.00" in box
    report = MonthlyReport.objects.get(project=world.reservoir, year=2020, month=9)
    assert (report.amount, report.workers, report.problems) == (D("350.00"), 80, "")
    shown = form_values(page, "report-form")
    assert (shown["workers"], shown["problems"]) == ("95", "征地未完成")
    assert shown["amount"] == "350.00"  # the unit left it alone
    assert unit.post(url, shown).status_code == 302
    report.refresh_from_db()
    assert (report.amount, report.workers, report.problems) == (D("350.00"), 95, "征地未完成")


def test_it_refuses_a_new_report_form_when_someone_filed_another_meanwhile(world):
    url = reverse("reports:report", args=[world.reservoir.pk, 2020, 9])
    unit, office = login(world.water_user), login(world.office)
    unit_form, office_form = page_form(unit, url, "report-form"), page_form(office, url, "report-form")
    assert unit_form["version"] == "0"
    assert office.post(url, {**office_form, **REPORT, "amount": "120.00"}).status_code == 302
    response = unit.post(url, {**unit_form, **REPORT})
    assert response.status_code == 409
    assert "120.00" in stale_box(response.content.decode())
    assert MonthlyReport.objects.get(project=world.reservoir, month=9).amount == D("120.00")


# -- blockers ------------------------------------------------------------------------------------
def a_blocker(world):
    return blocker_services.blocker_raise(
        project=world.reservoir, by=world.water_user, kind="land", description="征地拆迁未完成"
    )


def test_it_refuses_a_stale_blocker_edit_and_keeps_what_was_typed(world):
    blocker = a_blocker(world)
    url = reverse("blockers:edit", args=[blocker.pk])
    office, supervisor = login(world.office), login(world.supervisor)
    office_form, supervisor_form = page_form(office, url), page_form(supervisor, url)
    assert supervisor.post(url, {**supervisor_form, "deadline": "2020-10-31"}).status_code == 302
    response = office.post(url, {**office_form, "description": "征地拆迁涉及12户未签约"})
    page = response.content.decode()
    assert response.status_code == 409
    box = stale_box(page)
    says_who_and_when(box, "supervisor")
    assert "2020-10-31" in box
    blocker.refresh_from_db()
    assert (blocker.description, blocker.deadline) == ("征地拆迁未完成", dt.date(2020, 10, 31))
    shown = form_values(page)
    assert (shown["description"], shown["deadline"]) == ("征地拆迁涉及12户未签约", "2020-10-31")


def test_it_refuses_stale_measures_and_keeps_them(world):
    blocker = a_blocker(world)
    url = reverse("blockers:detail", args=[blocker.pk])
    measures = reverse("blockers:measures", args=[blocker.pk])
    unit, office = login(world.water_user), login(world.office)
    unit_form, office_form = page_form(unit, url, "measures-form"), page_form(office, url, "measures-form")
    assert office.post(measures, {**office_form, "measures": "县政府协调补偿标准"}).status_code == 302
    response = unit.post(measures, {**unit_form, "measures": "逐户上门做工作"})
    page = response.content.decode()
    assert response.status_code == 409
    box = stale_box(page)
    says_who_and_when(box, "office")
    assert "县政府协调补偿标准" in box
    assert form_values(page, "measures-form")["measures"] == "逐户上门做工作"
    blocker.refresh_from_db()
    assert blocker.measures == "县政府协调补偿标准"


def test_it_refuses_a_stale_escalation_by_its_version_not_by_its_level(world):
    blocker = a_blocker(world)
    url = reverse("blockers:detail", args=[blocker.pk])
    escalate = reverse("blockers:escalate", args=[blocker.pk])
    office, supervisor = login(world.office), login(world.supervisor)
    office_form = page_form(office, url, "escalate-form")
    supervisor_form = page_form(supervisor, url, "escalate-form")
    to_leader = {"level": "2", "reason": "协调补偿标准"}
    assert supervisor.post(escalate, {**supervisor_form, **to_leader}).status_code == 302
    # The office's form was drawn at level 1 and still offers "leader in charge", no longer a choice.
    response = office.post(escalate, {**office_form, "level": "3", "reason": "需县领导出面"})
    page = response.content.decode()
    assert response.status_code == 409
    box = stale_box(page)
    says_who_and_when(box, "supervisor")
    assert "分管领导" in box and "县长办公会" in box  # their level beside the office's
    assert form_values(page, "escalate-form")["reason"] == "需县领导出面"
    blocker.refresh_from_db()
    assert (blocker.level, blocker.escalation_reason) == (2, "协调补偿标准")
    # Drawn again, the form offers only the level above, and a level not above is a message.
    fresh = page_form(office, url, "escalate-form")
    assert office.post(escalate, {**fresh, "level": "2", "reason": "x"}).status_code == 400
    assert office.post(escalate, {**fresh, "level": "3", "reason": "上会研究"}).status_code == 302
    assert Blocker.objects.get(pk=blocker.pk).level == 3


# -- supervision tasks ---------------------------------------------------------------------------
def test_it_refuses_a_task_report_drawn_before_the_send_back(world):
    task = task_services.task_assign(
        region=world.county,
        title="完成征地补偿协议签订",
        assignee_unit=world.water,
        deadline=dt.date(2020, 10, 20),
        by=world.supervisor,
        project=world.reservoir,
    )
    url = reverse("supervision:task", args=[task.pk])
    report = reverse("supervision:task_report", args=[task.pk])
    tab1, tab2 = login(world.water_user), login(world.water_user)
    form1, form2 = page_form(tab1, url, "report-form"), page_form(tab2, url, "report-form")
    assert tab1.post(report, {**form1, "text": "已全部签订"}).status_code == 302
    supervisor = login(world.supervisor)
    verify = {**page_form(supervisor, url, "verify-form"), "text": "尚缺3户", "decision": "send_back"}
    assert supervisor.post(reverse("supervision:task_verify", args=[task.pk]), verify).status_code == 302
    # The task is open again; the second tab's report was drawn before all that.
    response = tab2.post(report, {**form2, "text": "协议已签订，附清单"})
    page = response.content.decode()
    assert response.status_code == 409
    assert "已被supervisor于" in page
    assert form_values(page, "report-form")["text"] == "协议已签订，附清单"
    task = SupervisionTask.objects.get(pk=task.pk)
    assert task.status == SupervisionTask.Status.OPEN
    assert not task.feedback.filter(text="协议已签订，附清单").exists()


# -- the API -------------------------------------------------------------------------------------
def api_post(client, data: dict):
    return client.post("/api/v1/reports", data, content_type="application/json")


def test_it_answers_409_to_an_api_save_from_an_old_version(world):
    unit, office = login(world.water_user), login(world.office)
    body = {
        "project": world.reservoir.pk,
        "year": 2020,
        "month": 9,
        "amount": "120.50",
        "progress": "大坝浇筑",
    }
    created = api_post(unit, body).json()
    assert created["version"] == 1
    assert api_post(office, {**body, "amount": "130.00", "version": 1}).status_code == 200
    response = api_post(unit, {**body, "problems": "征地未完成", "version": 1})
    assert response.status_code == 409
    assert "office" in response.json()["detail"]
    report = MonthlyReport.objects.get(project=world.reservoir, month=9)
    assert (report.amount, report.problems, report.version) == (D("130.00"), "", 2)
    # Without a version: the fields left out keep the report's values as this request read them.
    again = api_post(
        unit, {"project": world.reservoir.pk, "year": 2020, "month": 9, "problems": "征地未完成"}
    )
    assert (again.status_code, again.json()["amount"], again.json()["problems"]) == (
        200,
        "130.00",
        "征地未完成",
    )


@pytest.mark.parametrize(
    ("version", "seen"), [("²", "{"), ("99999999999999999999", "[1]"), ("", "x" * 30000)]
)
def test_it_takes_a_garbled_version_for_a_stale_form_and_saves_nothing(world, version, seen):
    url = reverse("projects:edit", args=[world.reservoir.pk])
    client = login(world.water_user)
    response = client.post(
        url, {**page_form(client, url), "location": "甲", "version": version, "seen": seen}
    )
    assert response.status_code == 409
    assert "甲" in stale_box(response.content.decode())  # compared with what was typed
    assert Project.objects.get(pk=world.reservoir.pk).location == ""


# -- rows edited inline: the special team, the monthly plan ------------------------------------------
def _prefix(form: dict, ending: str) -> str:
    [key] = [k for k in form if k.endswith(ending)]
    return key[: -len(ending)]


def test_a_stale_project_form_shows_both_teams(world):
    url = reverse("projects:edit", args=[world.reservoir.pk])
    office, unit = login(world.office), login(world.water_user)
    office_form, unit_form = page_form(office, url), page_form(unit, url)
    team = _prefix(office_form, "-TOTAL_FORMS")
    row = office_form[f"{team}-INITIAL_FORMS"]
    office_form.update({f"{team}-{row}-name": "张专班", f"{team}-{row}-phone": "13900000011"})
    assert office.post(url, office_form).status_code == 302
    unit_form.update({f"{team}-{row}-name": "李专人", "location": "洪安镇东侧"})
    response = unit.post(url, unit_form)
    assert response.status_code == 409
    box = stale_box(response.content.decode())
    assert "工作专班" in box and "张专班 13900000011" in box and "李专人" in box
    assert list(Project.objects.get(pk=world.reservoir.pk).team.values_list("name", flat=True)) == ["张专班"]
    assert form_values(response.content.decode())[f"{team}-{row}-name"] == "李专人"  # typed, kept


def test_a_stale_year_plan_shows_both_monthly_plans(world):
    url = reverse("projects:plan_edit", args=[world.reservoir.pk, 2020])
    tab1, tab2 = login(world.office), login(world.office)
    form1, form2 = page_form(tab1, url), page_form(tab2, url)
    months = _prefix(form1, "-TOTAL_FORMS")
    assert (
        tab1.post(url, {**form1, f"{months}-0-month": "3", f"{months}-0-amount": "100.00"}).status_code == 302
    )
    response = tab2.post(url, {**form2, f"{months}-0-month": "4", f"{months}-0-amount": "200.00"})
    assert response.status_code == 409
    box = stale_box(response.content.decode())
    assert "月度计划" in box and "3月 100.00" in box and "4月 200.00" in box
    plan = YearPlan.objects.get(project=world.reservoir, year=2020)
    assert [(m.month, m.amount) for m in plan.months.all()] == [(3, D("100.00"))]
