"""Funds by source (资金): arrival-rate arithmetic, to-date sums of in-month entries, paid never above
arrived, the funds_behind warning at its boundary (held to the figures core's year-to-date), the
project's page, the totals by source with their export, scoping per role, fixed queries, the API."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from funds import selectors, services
from funds.models import FundMonth, FundPlan, Source
from projects.models import Project
from reports import warnings
from reports.figures import month_plans

from . import factories as f
from .conftest import login
from .report_builders import started_report
from .tender_builders import awarded

pytestmark = [pytest.mark.django_db]


def fund(project, source=Source.COUNTY, planned="1000.00", months=(), year=2020) -> FundPlan:
    plan = FundPlan.objects.create(project=project, year=year, source=source, planned=Decimal(planned))
    for month, arrived, paid in months:
        FundMonth.objects.create(plan=plan, month=month, arrived=Decimal(arrived), paid=Decimal(paid))
    return plan


def test_the_arrival_rate_is_arrived_over_planned_to_two_places():
    assert selectors.arrival_rate(Decimal("800.00"), Decimal("3000.00")) == Decimal("26.67")
    assert selectors.arrival_rate(Decimal("0"), Decimal("0")) is None
    assert selectors.arrival_rate(Decimal("1200"), Decimal("1000")) == Decimal("120.00")


def test_to_date_figures_are_the_sums_of_the_months_and_totals_go_by_source(world):
    fund(world.reservoir, Source.COUNTY, "1000.00", [(3, "300.00", "200.00"), (6, "200.00", "250.00")])
    fund(world.reservoir, Source.BOND, "2000.00", [(6, "500.00", "0")])
    fund(world.road, Source.COUNTY, "500.00", [(9, "100.00", "100.00")])
    rows, total = selectors.by_source(FundPlan.objects.for_user(world.office).filter(year=2020))
    assert [(r.source, r.planned, r.arrived, r.paid, r.project_count) for r in rows] == [
        ("county", Decimal("1500.00"), Decimal("600.00"), Decimal("550.00"), 2),
        ("bond", Decimal("2000.00"), Decimal("500.00"), Decimal("0.00"), 1),
    ]
    assert (total.planned, total.arrived, total.rate) == (
        Decimal("3500.00"),
        Decimal("1100.00"),
        Decimal("31.43"),
    )
    (row,) = [r for r in rows if r.source == "bond"]
    assert row.rate == Decimal("25.00")


def test_payments_to_date_never_exceed_the_money_arrived(world):
    plan = fund(world.reservoir, months=[(3, "300.00", "300.00")])
    with pytest.raises(ValidationError) as refused:
        services.month_record(plan=plan, month=6, arrived=Decimal("0"), paid=Decimal("0.01"))
    assert "paid" in refused.value.message_dict
    with pytest.raises(ValidationError):  # correcting March down would leave June's payment uncovered
        services.month_record(plan=plan, month=3, arrived=Decimal("100.00"), paid=Decimal("100.00"))
        services.month_record(plan=plan, month=6, arrived=Decimal("0"), paid=Decimal("200.00"))
    assert list(plan.months.values_list("month", "arrived", "paid")) == [
        (3, Decimal("100.00"), Decimal("100.00"))
    ]
    services.month_record(plan=plan, month=3, arrived=Decimal("500.00"), paid=Decimal("100.00"))
    assert plan.months.get(month=3).arrived == Decimal("500.00")  # recording a month again corrects it


def test_reported_ytd_is_the_figures_cores_year_to_date(world, pinned_today):
    world.reservoir.actual_start = dt.date(2019, 5, 1)
    world.reservoir.save()
    for m in (1, 2, 9):
        started_report(world.reservoir, m, "250.00", by=world.office)
    started_report(world.road, 4, "75.50", by=world.office)
    core = {p.project_id: p.ytd for p in month_plans(world.office, year=2020, month=12)}
    ours = selectors.reported_ytd(Project.objects.for_user(world.office), 2020)
    assert ours == {pid: ytd for pid, ytd in core.items() if ytd}
    assert ours[world.reservoir.pk] == Decimal("750.00")


def test_funds_behind_is_warned_only_past_the_money_arrived(world, pinned_today):
    world.reservoir.actual_start = dt.date(2019, 5, 1)
    world.reservoir.save()
    awarded(world.reservoir)  # started under its construction contract: the bidding warning stays away
    started_report(world.reservoir, 9, "800.00", by=world.office)
    plan = fund(world.reservoir, planned="3000.00", months=[(6, "800.00", "0")])
    scoped = Project.objects.for_user(world.office)
    assert not warnings.for_projects(scoped, 2020)  # 800 invested, 800 arrived: not behind
    services.month_record(plan=plan, month=6, arrived=Decimal("799.99"), paid=Decimal("0"))
    (w,) = warnings.for_projects(scoped, 2020)[world.reservoir.pk]
    assert w.kind == "funds_behind"
    assert w.reason == "资金到位滞后：本年完成投资 800.00 万元，到位 799.99 万元"
    assert warnings.kind("funds_behind").blocker_kind == "funds"
    assert not warnings.for_projects(Project.objects.for_user(world.transport_user), 2020)


def test_a_project_without_a_fund_plan_carries_no_funds_warning(world, pinned_today):
    world.reservoir.actual_start = dt.date(2019, 5, 1)
    world.reservoir.save()
    awarded(world.reservoir)  # started under its construction contract: the bidding warning stays away
    started_report(world.reservoir, 9, "800.00", by=world.office)
    assert not warnings.for_projects(Project.objects.for_user(world.office), 2020)


def test_an_editor_plans_a_source_and_records_a_month_on_the_project_page(world, pinned_today):
    client = login(world.water_user)
    response = client.post(
        reverse("funds:plan_create", args=[world.reservoir.pk]),
        {"year": "2020", "source": "bond", "planned": "1,500.00", "note": "第三批"},
    )
    assert response.status_code == 302
    plan = FundPlan.objects.get(project=world.reservoir)
    response = client.post(
        reverse("funds:month", args=[world.reservoir.pk]),
        {"year": "2020", "plan": plan.pk, "month": "6", "arrived": "600", "paid": "700"},
    )
    assert response.status_code == 400 and "paid" in response.context["month_form"].errors
    assert not plan.months.exists()
    client.post(
        reverse("funds:month", args=[world.reservoir.pk]),
        {"year": "2020", "plan": plan.pk, "month": "6", "arrived": "600", "paid": "450"},
    )
    page = client.get(reverse("funds:project", args=[world.reservoir.pk]) + "?year=2020").content.decode()
    assert "专项债" in page and "600.00" in page and "40.00%" in page
    duplicate = client.post(
        reverse("funds:plan_create", args=[world.reservoir.pk]),
        {"year": "2020", "source": "bond", "planned": "1"},
    )
    assert duplicate.status_code == 400 and FundPlan.objects.count() == 1


def test_only_editors_change_funds_and_every_role_sees_its_scope(world, pinned_today):
    plan = fund(world.reservoir)
    fund(world.far, planned="10.00")
    for reader in (world.viewer, world.supervisor, world.leader_user):
        response = login(reader).post(
            reverse("funds:plan_create", args=[world.reservoir.pk]),
            {"year": "2020", "source": "own", "planned": "1"},
        )
        assert response.status_code == 403
        assert login(reader).get(reverse("funds:plan_edit", args=[plan.pk])).status_code == 403
    assert login(world.transport_user).get(reverse("funds:plan_edit", args=[plan.pk])).status_code == 404
    assert login(world.outsider).get(reverse("funds:project", args=[world.reservoir.pk])).status_code == 404

    def planned(user) -> Decimal:
        return selectors.by_source(FundPlan.objects.for_user(user).filter(year=2020))[1].planned

    assert planned(world.office) == planned(world.viewer) == planned(world.water_user) == Decimal("1000.00")
    assert planned(world.transport_user) == Decimal("0") and planned(world.outsider) == Decimal("10.00")


def test_the_totals_page_lists_projects_behind_and_exports_both_sheets(world, pinned_today):
    world.road.actual_start = dt.date(2019, 5, 1)
    world.road.save()
    started_report(world.road, 9, "300.00", by=world.office)
    fund(world.road, Source.LOAN, "2000.00", [(6, "100.00", "50.00")])
    fund(world.reservoir, Source.COUNTY, "1000.00", [(6, "100.00", "50.00")])
    client = login(world.office)
    page = client.get(reverse("funds:register") + "?year=2020").content.decode()
    assert (
        "银行贷款" in page
        and "中和至平凯公路改造" in page
        and "洪安水库工程" not in page.split('id="funds-behind"')[1]
    )
    book = openpyxl.load_workbook(io.BytesIO(client.get(reverse("funds:export") + "?year=2020").content))
    by_source, by_project = book.worksheets
    assert any(row[0] == "银行贷款" and row[2] == 2000 for row in by_source.iter_rows(values_only=True))
    flagged = {
        row[1]: row[8]
        for row in by_project.iter_rows(values_only=True)
        if row[0] and str(row[0]).startswith("T")
    }
    assert flagged == {"中和至平凯公路改造": "是", "洪安水库工程": None}


@pytest.mark.parametrize("rows", [3, 40])
def test_the_pages_keep_a_fixed_number_of_queries(world, pinned_today, rows, django_assert_max_num_queries):
    for _ in range(rows):
        p = f.project(region=world.county, lead_unit=world.water, sector=world.reservoir.sector)
        fund(p, months=[(3, "10.00", "5.00")])
        fund(p, Source.BOND, months=[(6, "10.00", "0")])
    client = login(world.office)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("funds:register") + "?year=2020").status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get("/api/v1/funds?year=2020").status_code == 200


def test_the_api_answers_the_year_by_source_and_project(world, pinned_today):
    fund(world.reservoir, Source.COUNTY, "1000.00", [(3, "250.00", "100.00")])
    fund(world.far, planned="10.00")
    body = login(world.office).get("/api/v1/funds?year=2020").json()
    assert body["year"] == 2020
    (county,) = body["by_source"]
    assert (county["source"], county["planned"], county["arrived"], county["arrival_rate"]) == (
        "county",
        "1000.00",
        "250.00",
        "25.00",
    )
    assert body["total"]["source"] == "" and body["projects"]["count"] == 1
    assert body["projects"]["results"][0]["project"]["name"] == "洪安水库工程"
    assert login(world.transport_user).get("/api/v1/funds?year=2020").json()["projects"]["count"] == 0
    assert login(world.office).get("/api/v1/funds?year=1999").status_code == 400
    assert "/api/v1/funds" in login(world.office).get("/api/v1/openapi.json").json()["paths"]
