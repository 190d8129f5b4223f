"""The ProjectMonth summary: kept right by every report service, rebuilt identically by the command."""

from __future__ import annotations

import io
from decimal import Decimal as D

import pytest
from django.core.management import call_command

from reports import services
from reports.figures import month_plans
from reports.models import MonthlyReport, ProjectMonth
from reports.months import refresh

from .report_builders import corrected, report

pytestmark = pytest.mark.django_db

DATA = {"amount": D("300.00"), "progress": "施工中", "completion_pct": D("40"), "workers": 20}


def months(project, year: int = 2020) -> dict[int, tuple]:
    rows = ProjectMonth.objects.filter(project=project, year=year)
    return {r.month: (r.month_amount, r.ytd, r.started, r.report_status) for r in rows}


def snapshot() -> list[tuple]:
    return list(
        ProjectMonth.objects.order_by("project_id", "year", "month").values_list(
            "project_id", "year", "month", "month_amount", "ytd", "started", "report_status"
        )
    )


def filed(world, month: int, **data):
    return services.report_save(
        project=world.reservoir, year=2020, month=month, data={**DATA, **data}, by=world.water_user
    )


def test_it_has_no_rows_before_a_report_and_counts_nothing_for_a_draft(world):
    assert months(world.reservoir) == {}
    filed(world, 3)
    table = months(world.reservoir)
    assert sorted(table) == list(range(3, 13))  # from the first report to December
    assert table[3] == (D("0.00"), D("0.00"), False, "draft")
    assert table[12] == (D("0.00"), D("0.00"), False, None)


def test_it_follows_submit_return_resubmit_approve_and_reopen(world):
    draft = filed(world, 9)
    services.report_submit(report=draft, by=world.water_user)
    assert months(world.reservoir)[9] == (D("300.00"), D("300.00"), False, "submitted")
    assert months(world.reservoir)[12][1] == D("300.00")

    services.report_return(report=draft, by=world.office, reason="金额有误")
    assert months(world.reservoir)[9] == (D("0.00"), D("0.00"), False, "returned")

    services.report_save(
        project=world.reservoir, year=2020, month=9, data={"amount": D("280.00")}, by=world.water_user
    )
    services.report_submit(report=draft, by=world.water_user)
    services.report_approve(report=draft, by=world.office)
    assert months(world.reservoir)[9] == (D("280.00"), D("280.00"), False, "approved")

    services.report_reopen(report=draft, by=world.office, reason="复核")
    assert months(world.reservoir)[9] == (D("0.00"), D("0.00"), False, "returned")


def test_it_carries_a_started_report_into_the_later_months(world):
    report(world.reservoir, 4, "100.00", started=True, start_date="2020-04-10")
    report(world.reservoir, 6, "50.00")
    table = months(world.reservoir)
    assert [table[m][2] for m in (4, 5, 6, 12)] == [True, True, True, True]
    assert [table[m][1] for m in (4, 5, 6, 12)] == [D("100.00"), D("100.00"), D("150.00"), D("150.00")]


def test_it_changes_the_later_ytd_when_an_earlier_month_is_corrected(world):
    for m in (1, 2, 3):
        report(world.reservoir, m, "100.00")
    corrected(world.reservoir, 1, "160.00", by=world.office)
    assert [months(world.reservoir)[m][1] for m in (1, 2, 3, 12)] == [
        D("160.00"),
        D("260.00"),
        D("360.00"),
    ] + [D("360.00")]
    corrected(world.reservoir, 2, "0.00", by=world.office)
    assert months(world.reservoir)[3][1] == D("260.00")
    assert month_plans(world.office, year=2020, month=3).figures().ytd == D("260.00")


def test_it_drops_the_rows_when_the_reports_go(world):
    report(world.reservoir, 5, "100.00")
    # No service deletes reports; code that does refreshes the project-year, as for any write.
    MonthlyReport.objects.filter(project=world.reservoir).delete()
    refresh(world.reservoir.pk, 2020)
    assert months(world.reservoir) == {}
    row = month_plans(world.office, year=2020, month=9).with_projects().get(project=world.reservoir)
    assert (row.ytd, row.started_flag, row.report_status) == (D("0.00"), False, None)


def test_it_moves_the_rows_with_a_report_moved_to_another_year(world):
    moved = report(world.reservoir, 5, "100.00")
    MonthlyReport.objects.filter(pk=moved.pk).update(year=2019)
    refresh(world.reservoir.pk, 2020)
    refresh(world.reservoir.pk, 2019)
    assert months(world.reservoir, 2020) == {}
    assert months(world.reservoir, 2019)[5][1] == D("100.00")


def test_the_command_rebuilds_exactly_what_the_database_kept(world):
    for m in range(1, 10):
        report(world.reservoir, m, "250.00", started=m == 1, status="approved" if m < 9 else "submitted")
        report(world.road, m, "100.00", status="draft" if m == 5 else "approved")
    report(world.far, 9, "10.00", year=2019)
    kept = snapshot()
    ProjectMonth.objects.all().delete()
    call_command("rebuild_project_months", stdout=io.StringIO())
    assert snapshot() == kept

    ProjectMonth.objects.filter(year=2019).update(ytd=D("1.00"))
    ProjectMonth.objects.filter(year=2020, month=9).delete()
    call_command("rebuild_project_months", "--year", "2019", stdout=io.StringIO())
    call_command("rebuild_project_months", "--year", "2020", stdout=io.StringIO())
    assert snapshot() == kept


def test_it_counts_an_actual_start_without_any_report(world):
    world.bridge.actual_start = "2020-08-15"
    world.bridge.save()
    started = {
        m: month_plans(world.office, year=2020, month=m)
        .with_projects()
        .get(project=world.bridge)
        .started_flag
        for m in (7, 8)
    }
    assert started == {7: False, 8: True}
