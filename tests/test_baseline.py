"""The original baseline (projects/baseline.py): recorded on every creation path, revised by the office
or requested by a unit, and the variance arithmetic."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import translation

from lib.concurrency import Stale, WrongState
from lists import services as lists
from projects import baseline
from projects.models import Baseline, BaselineRevision, Project

from . import factories as f
from .list_builders import ready_candidate
from .project_forms import office_data
from .sheets import xlsx

pytestmark = pytest.mark.django_db


# -- arithmetic -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "original, current, pct",
    [
        ("12000.00", "13500.00", D("12.50")),
        ("3.00", "4.00", D("33.33")),  # 33.333… to two places
        ("3.00", "5.00", D("66.67")),  # half up
        ("8000.00", "7600.00", D("-5.00")),  # under the estimate: negative
        ("100.00", "100.00", D("0.00")),
    ],
)
def test_it_computes_the_overrun_in_percent_to_two_places(original, current, pct):
    assert baseline.overrun_pct(D(original), D(current)) == pct


def test_it_gives_no_overrun_for_a_zero_or_missing_original():
    assert baseline.overrun_pct(D("0.00"), D("100.00")) is None
    assert baseline.overrun_pct(None, D("100.00")) is None


@pytest.mark.parametrize(
    "original, current, actual, months",
    [
        ("2020-06-30", "2020-12-31", None, 6),
        ("2020-06-30", "2020-12-29", None, 5),  # not a whole sixth month
        ("2020-01-31", "2020-02-29", None, 1),  # to the month's end is a whole month
        ("2020-06-15", "2020-06-30", None, 0),
        ("2020-06-30", "2021-06-30", None, 12),
        ("2020-12-31", "2021-06-30", "2020-10-31", -2),  # completed early: the actual counts, negative
        ("2020-06-30", "2020-06-30", "2020-09-30", 3),  # completed late although the plan was kept
    ],
)
def test_it_counts_whole_months_late(original, current, actual, months):
    day = dt.date.fromisoformat
    assert baseline.months_late(day(original), day(current), day(actual) if actual else None) == months


def test_it_gives_no_delay_without_both_completion_dates():
    assert baseline.months_late(None, dt.date(2020, 12, 31)) is None
    assert baseline.months_late(dt.date(2020, 12, 31), None) is None


# -- recording ---------------------------------------------------------------------------------------
def test_it_records_the_baseline_when_a_project_is_created(world):
    base = Baseline.objects.get(project=world.reservoir)
    assert base.total_investment == D("12000.00") and base.how == Baseline.How.CREATED
    assert base.recorded_at is not None and base.as_of == world.reservoir.created


def test_it_records_the_baseline_of_a_project_created_on_the_office_form(world, as_user):
    response = as_user(world.office).post("/projects/new/", office_data(world))
    assert response.status_code == 302
    base = Project.objects.get(code="XS-NEW-1").baseline
    assert base.total_investment == D("3500.50") and base.recorded_by == world.office


def test_it_records_the_baseline_of_an_imported_project(world, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    path = tmp_path / "ok.xlsx"
    path.write_bytes(
        xlsx(
            [
                ["项目名称", "行业", "责任单位", "总投资", "2020年计划投资"],
                ["新水厂", "水利", "县水利局", 100, 50],
            ]
        )
    )
    with translation.override("en"):
        call_command("import_projects", str(path), "--year", "2020", "--region", "500241", "--user", "office")
    base = Project.objects.get(name="新水厂").baseline
    assert base.total_investment == D("100.00") and base.recorded_by == world.office


def test_an_import_that_changes_the_total_investment_records_an_approved_revision(world, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    path = tmp_path / "ok.xlsx"
    header = ["项目名称", "行业", "责任单位", "总投资", "2020年计划投资"]
    path.write_bytes(xlsx([header, ["洪安水库工程", "水利", "县水利局", 13200, 3000]]))
    with translation.override("en"):
        call_command("import_projects", str(path), "--year", "2020", "--region", "500241", "--user", "office")
    revision = BaselineRevision.objects.get(project=world.reservoir)
    assert (revision.state, revision.old_total_investment, revision.new_total_investment) == (
        "approved",
        D("12000.00"),
        D("13200.00"),
    )
    assert revision.decided_by == world.office and revision.reason
    assert Project.objects.get(pk=world.reservoir.pk).baseline.total_investment == D("12000.00")


def test_it_records_the_baseline_of_a_project_published_from_the_pool(reported):
    w = reported
    candidate = ready_candidate(region=w.county, lead_unit=w.water, sector=w.reservoir.sector)
    year_list = lists.list_draft(user=w.office, year=2021)
    lists.entries_add_candidates(user=w.office, year_list=year_list, candidate_ids=[candidate.pk])
    lists.list_publish(user=w.office, year_list=year_list)
    project = Project.objects.get(name="梅江河防洪堤")
    assert project.baseline.total_investment == D("9000.00")  # the candidate's estimate
    assert project.baseline.planned_start == project.planned_start
    assert project.baseline.recorded_by == w.office


def test_it_records_missing_baselines_for_rows_written_in_bulk(world):
    Baseline.objects.filter(project=world.bridge).delete()
    assert baseline.record_missing(Project.objects.filter(region=world.county)) == 1
    assert baseline.record_missing(Project.objects.filter(region=world.county)) == 0
    assert Project.objects.get(pk=world.bridge.pk).baseline.total_investment == D("1500.00")


# -- revisions ----------------------------------------------------------------------------------------
def test_a_unit_request_keeps_the_project_until_the_office_approves(world):
    p = world.reservoir
    revision = baseline.revision_request(
        user=world.water_user, project=p, new={"total_investment": D("13800.00")}, reason="设计变更增加投资"
    )
    p.refresh_from_db()
    assert p.total_investment == D("12000.00") and revision.state == BaselineRevision.State.REQUESTED
    assert revision.new_total_investment == D("13800.00")  # what was typed is kept

    approved = baseline.revision_approve(
        user=world.office, revision=revision, seen=revision.version, approval_number="秀发改〔2020〕88号"
    )
    p.refresh_from_db()
    assert p.total_investment == D("13800.00")
    assert approved.state == BaselineRevision.State.APPROVED and approved.decided_by == world.office
    assert baseline.variance(p).overrun_pct == D("15.00")
    assert p.baseline.total_investment == D("12000.00")  # the original never moves


def test_approving_applies_only_the_fields_the_request_changes(world):
    p = world.reservoir
    revision = baseline.revision_request(
        user=world.water_user,
        project=p,
        new={"planned_end": dt.date(2021, 6, 30)},
        reason="征地拆迁滞后顺延工期",
    )
    Project.objects.filter(pk=p.pk).update(total_investment=D("12500.00"))  # meanwhile, by the office
    baseline.revision_approve(user=world.office, revision=revision, seen=revision.version)
    p.refresh_from_db()
    revision.refresh_from_db()
    assert p.planned_end == dt.date(2021, 6, 30) and p.total_investment == D("12500.00")
    assert revision.old_total_investment == revision.new_total_investment == D("12500.00")


def test_the_office_rejects_with_a_reason_and_nothing_changes(world):
    p = world.reservoir
    revision = baseline.revision_request(
        user=world.water_user, project=p, new={"total_investment": D("20000.00")}, reason="材料价格上涨"
    )
    with pytest.raises(ValidationError):
        baseline.revision_reject(user=world.office, revision=revision, seen=revision.version, reason=" ")
    baseline.revision_reject(
        user=world.office, revision=revision, seen=revision.version, reason="未经概算批复"
    )
    p.refresh_from_db()
    revision.refresh_from_db()
    assert p.total_investment == D("12000.00") and revision.state == BaselineRevision.State.REJECTED
    assert revision.rejection_reason == "未经概算批复"


def test_deciding_twice_is_a_wrong_state_message_not_an_error(world):
    revision = baseline.revision_request(
        user=world.water_user, project=world.reservoir, new={"total_investment": D("1.00")}, reason="x"
    )
    baseline.revision_approve(user=world.office, revision=revision, seen=revision.version)
    with translation.override("en"), pytest.raises(WrongState, match="approved already by office"):
        baseline.revision_reject(user=world.office, revision=revision, seen=None, reason="no")


def test_a_stale_decision_is_refused(world):
    revision = baseline.revision_request(
        user=world.water_user, project=world.reservoir, new={"total_investment": D("1.00")}, reason="x"
    )
    with pytest.raises(Stale):
        baseline.revision_approve(user=world.office, revision=revision, seen=revision.version + 1)
    assert BaselineRevision.objects.get(pk=revision.pk).state == BaselineRevision.State.REQUESTED


def test_one_request_waits_at_a_time_and_a_reason_is_required(world):
    p = world.reservoir
    with pytest.raises(ValidationError):
        baseline.revision_request(
            user=world.water_user, project=p, new={"total_investment": D("1.00")}, reason=""
        )
    baseline.revision_request(
        user=world.water_user, project=p, new={"total_investment": D("1.00")}, reason="x"
    )
    with pytest.raises(WrongState):
        baseline.revision_request(
            user=world.water_user, project=p, new={"total_investment": D("2.00")}, reason="y"
        )
    assert BaselineRevision.objects.filter(project=p).count() == 1


def test_a_unit_cannot_request_for_another_units_project_and_readers_cannot_decide(world):
    with pytest.raises(PermissionDenied):
        baseline.revision_request(
            user=world.water_user, project=world.bridge, new={"total_investment": D("1.00")}, reason="x"
        )
    for reader in (world.viewer, world.leader_user):
        with pytest.raises(PermissionDenied):
            baseline.revision_request(
                user=reader, project=world.reservoir, new={"total_investment": D("1.00")}, reason="x"
            )
    revision = baseline.revision_request(
        user=world.water_user, project=world.reservoir, new={"total_investment": D("1.00")}, reason="x"
    )
    for reader in (world.viewer, world.leader_user, world.supervisor, world.water_user):
        with pytest.raises(PermissionDenied):
            baseline.revision_approve(user=reader, revision=revision, seen=revision.version)
    with pytest.raises(BaselineRevision.DoesNotExist):  # another county's office does not see it
        baseline.revision_approve(user=world.outsider, revision=revision, seen=revision.version)
    assert baseline.pending(world.outsider).count() == 0
    assert list(baseline.pending(world.office)) == [revision]


def test_an_approval_that_puts_completion_before_start_is_refused(world):
    p = world.reservoir
    Project.objects.filter(pk=p.pk).update(
        planned_start=dt.date(2020, 3, 1), planned_end=dt.date(2021, 12, 31)
    )
    p.refresh_from_db()
    revision = baseline.revision_request(
        user=world.water_user, project=p, new={"planned_end": dt.date(2020, 1, 1)}, reason="x"
    )
    with pytest.raises(ValidationError):
        baseline.revision_approve(user=world.office, revision=revision, seen=revision.version)
    p.refresh_from_db()
    assert p.planned_end == dt.date(2021, 12, 31)


def test_a_project_without_a_baseline_has_no_variance(world):
    Baseline.objects.filter(project=world.bridge).delete()
    project = Project.objects.select_related("baseline").get(pk=world.bridge.pk)
    assert baseline.variance(project) == baseline.Variance(None, None)


def test_the_variance_reads_the_selected_baseline_without_a_query(world, django_assert_num_queries):
    project = Project.objects.select_related("baseline").get(pk=world.reservoir.pk)
    with django_assert_num_queries(0):
        assert baseline.variance(project).overrun_pct == D("0.00")


def test_zero_original_is_shown_as_no_percentage(world):
    p = f.project(region=world.county, lead_unit=world.water, sector=world.reservoir.sector, total="0.00")
    Project.objects.filter(pk=p.pk).update(total_investment=D("50.00"))
    project = Project.objects.select_related("baseline").get(pk=p.pk)
    assert baseline.variance(project).overrun_pct is None
