"""Next year's list, its services: the rollover (live until December is approved, then frozen;
completed projects left out; stage set), promotion keeping history and documents, publish all or
nothing, and a draft that counts in no figure of its year until it is published."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from lists import services
from lists.models import ListEntry, YearList
from lists.selectors import entry_rows, rollover
from projects.models import Project, YearPlan
from reports import months
from reports.models import MonthlyReport

from .conftest import login
from .list_builders import ready_candidate
from .report_builders import corrected, started_report

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]
D = Decimal


def before(user, year_list) -> dict[str, Decimal]:
    return {e.name: e.before for e in entry_rows(user, year_list)}


def test_it_rolls_over_the_investment_completed_to_date(reported):
    w = reported
    plan = w.reservoir.plans.get(year=2020)
    plan.invested_before = D("4000.00")
    plan.save()
    year_list = services.list_draft(user=w.office, year=2021)
    # 4,000 before 2020 + 2,250 reported to September.
    assert before(w.office, year_list)["洪安水库工程"] == D("6250.00")
    assert before(w.office, year_list)["中和至平凯公路改造"] == D("900.00")


def test_it_follows_the_reports_until_december_is_approved_then_freezes(reported):
    w = reported
    year_list = services.list_draft(user=w.office, year=2021)
    started_report(w.reservoir, 10, "300.00", by=w.office)
    assert before(w.office, year_list)["洪安水库工程"] == D("2550.00")  # follows October
    started_report(w.reservoir, 11, "100.00", by=w.office)
    started_report(w.reservoir, 12, "50.00", by=w.office, status="submitted")
    services.entries_freeze(user=w.office, year_list=year_list)
    entry = ListEntry.objects.get(project=w.reservoir)
    assert entry.invested_before is None  # December only submitted: still live
    assert before(w.office, year_list)["洪安水库工程"] == D("2700.00")

    MonthlyReport.objects.filter(project=w.reservoir, year=2020, month=12).update(status="approved")
    months.refresh(w.reservoir.pk, 2020)
    assert services.entries_freeze(user=w.office, year_list=year_list) == 1
    corrected(w.reservoir, 6, "999.00", by=w.office)  # a late correction of June
    assert before(w.office, year_list)["洪安水库工程"] == D("2700.00")  # frozen
    assert ListEntry.objects.get(project=w.reservoir).invested_before == D("2700.00")


def test_it_leaves_completed_projects_out_and_sets_the_stage(reported):
    w = reported
    w.bridge.status = Project.Status.COMPLETED
    w.bridge.save()
    w.road.planned_end = dt.date(2021, 6, 30)
    w.road.save()
    year_list = services.list_draft(user=w.office, year=2021)
    stages = {e.project.name: e.stage for e in year_list.entries.select_related("project")}
    assert stages == {
        "洪安水库工程": YearPlan.Stage.CONTINUING,
        "中和至平凯公路改造": YearPlan.Stage.COMPLETING,
    }


def test_it_leaves_out_a_project_completed_during_the_year(reported):
    w = reported
    w.road.actual_end = dt.date(2020, 8, 1)
    w.road.save()
    assert w.road.pk not in rollover(w.office, YearList(region=w.county, year=2021))


def test_it_sets_an_unstarted_project_as_a_new_start_and_plans_what_remains(reported):
    w = reported
    w.road.planned_end = dt.date(2021, 6, 30)
    w.road.save()
    rolled = rollover(w.office, YearList(region=w.county, year=2021))
    assert rolled[w.bridge.pk].stage == YearPlan.Stage.NEW
    assert rolled[w.bridge.pk].default_plan == D("500.00")  # this year's plan again
    assert rolled[w.road.pk].default_plan == D("7100.00")  # completing: 8,000 − 900 remains


def test_promotion_keeps_the_candidates_history_and_documents(reported):
    w = reported
    candidate = ready_candidate(
        region=w.county,
        lead_unit=w.water,
        sector=w.reservoir.sector,
        national_code="2020-500241-48-01-000123",
    )
    candidate.townships.set([w.hongan_town])
    year_list = services.list_draft(user=w.office, year=2021)
    services.entries_add_candidates(user=w.office, year_list=year_list, candidate_ids=[candidate.pk])
    assert not Project.objects.filter(name="梅江河防洪堤").exists()  # a draft promotes nothing yet
    services.list_publish(user=w.office, year_list=year_list)

    project = Project.objects.get(name="梅江河防洪堤")
    assert project.national_code == "2020-500241-48-01-000123"
    assert project.candidate == candidate
    assert list(project.townships.all()) == [w.hongan_town]
    assert project.candidate.documents.get().approving_body == "县发展改革委"
    assert project.candidate.history.count() >= 2  # created, then promoted
    assert project.candidate.history.earliest().national_code == "2020-500241-48-01-000123"
    assert project.plans.get(year=2021).stage == YearPlan.Stage.NEW
    assert project.plans.get(year=2021).planned_investment == D("3000.00")  # a third of 9,000
    page = login(w.office).get(reverse("projects:detail", args=[project.pk])).content.decode()
    origin = page.split('id="pool-origin"')[1].split("</div>")[0]
    assert reverse("pool:detail", args=[candidate.pk]) in origin and "由谋划储备库转入" in origin
    assert (
        candidate.documents.get().get_kind_display() in origin
    )  # its documents are named on the project page


def test_publish_turns_every_entry_into_a_plan_of_the_year(reported):
    w = reported
    year_list = services.list_draft(user=w.office, year=2021)
    services.list_publish(user=w.office, year_list=year_list)
    year_list.refresh_from_db()
    assert year_list.state == YearList.State.PUBLISHED and year_list.published_by == w.office
    plan = w.reservoir.plans.get(year=2021)
    assert plan.invested_before == D("2250.00")  # frozen at publish
    assert plan.planned_investment == D("3000.00")
    with pytest.raises(ValidationError):
        services.list_publish(user=w.office, year_list=year_list)


def test_publish_is_all_or_nothing_and_names_each_conflict(reported):
    w = reported
    candidate = ready_candidate(region=w.county, lead_unit=w.water, sector=w.reservoir.sector)
    year_list = services.list_draft(user=w.office, year=2021)
    services.entries_add_candidates(user=w.office, year_list=year_list, candidate_ids=[candidate.pk])
    YearPlan.objects.create(project=w.road, year=2021, stage="continuing", planned_investment=D("1.00"))
    with pytest.raises(ValidationError) as refused, translation.override("en"):
        services.list_publish(user=w.office, year_list=year_list)
    assert "中和至平凯公路改造 already has a plan for 2021." in refused.value.messages
    assert not Project.objects.filter(name="梅江河防洪堤").exists()
    assert YearPlan.objects.filter(year=2021).count() == 1
    year_list.refresh_from_db()
    assert year_list.is_draft


def test_publish_rolls_back_when_a_later_entry_fails(reported, monkeypatch):
    w = reported
    year_list = services.list_draft(user=w.office, year=2021)
    saved = []
    original = YearPlan.save

    def failing_save(self, *args, **kwargs):
        if saved:
            raise RuntimeError("disk full")
        saved.append(self)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(YearPlan, "save", failing_save)
    with pytest.raises(RuntimeError):
        services.list_publish(user=w.office, year_list=year_list)
    assert not YearPlan.objects.filter(year=2021).exists()
    assert YearList.objects.get(pk=year_list.pk).is_draft


def test_only_the_office_drafts_and_publishes(reported):
    w = reported
    with pytest.raises(ValidationError):
        services.list_draft(user=w.water_user, year=2021)
    year_list = services.list_draft(user=w.office, year=2021)
    with pytest.raises(YearList.DoesNotExist):
        services.list_publish(user=w.outsider, year_list=year_list)  # out of sight


def test_a_draft_counts_in_no_figure_of_its_year_until_published(reported):
    w = reported
    office = login(w.office)
    year_list = services.list_draft(user=w.office, year=2021)
    summary = office.get("/api/v1/summary?year=2021&month=1").json()
    assert summary["projects"] == 0 and summary["planned_investment"] == "0.00"
    assert "洪安水库工程" not in office.get(reverse("ledger:list") + "?year=2021").content.decode()
    dashboard = office.get(reverse("battlemap:dashboard") + "?year=2021&month=1").content.decode()
    assert "5500.00" not in dashboard.replace(",", "")

    services.list_publish(user=w.office, year_list=year_list)
    summary = office.get("/api/v1/summary?year=2021&month=1").json()
    assert summary["projects"] == 3 and summary["planned_investment"] == "5500.00"
    assert "洪安水库工程" in office.get(reverse("ledger:list") + "?year=2021").content.decode()
