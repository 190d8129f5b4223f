"""The baseline on the pages: the project edit (office revision, unit request), the requests page,
the project card, the ledger and its export, the dashboard and the API."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal as D

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from projects import baseline
from projects.models import BaselineRevision, Project

from . import factories as f
from .form_builders import form_values
from .project_forms import edit_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def office_edit(client, project, **changes):
    page = client.get(reverse("projects:edit", args=[project.pk])).content.decode()
    data = form_values(page)
    data.update(changes)
    return client.post(reverse("projects:edit", args=[project.pk]), data)


def test_the_office_changes_the_total_investment_with_a_reason_as_an_approved_revision(world, as_user):
    client = as_user(world.office)
    refused = office_edit(client, world.reservoir, total_investment="13500.00")
    assert refused.status_code == 200 and "请填写调整总投资或计划日期的理由" in refused.content.decode()
    assert Project.objects.get(pk=world.reservoir.pk).total_investment == D("12000.00")

    done = office_edit(
        client,
        world.reservoir,
        total_investment="13500.00",
        revision_reason="设计变更增加投资",
        approval_number="秀发改〔2020〕88号",
        approving_authority="县发展改革委",
    )
    assert done.status_code == 302
    revision = BaselineRevision.objects.get(project=world.reservoir)
    assert revision.state == "approved" and revision.decided_by == world.office
    assert (revision.old_total_investment, revision.new_total_investment) == (D("12000.00"), D("13500.00"))
    page = client.get(reverse("projects:detail", args=[world.reservoir.pk])).content.decode()
    card = page.split('id="baseline-card"')[1].split('id="tab-plans"')[0]
    assert "12,000.00" in card and "13,500.00" in card and "+12.50%" in card
    assert "设计变更增加投资" in card and "秀发改〔2020〕88号" in card


def test_an_edit_that_leaves_the_baseline_alone_needs_no_reason(world, as_user):
    assert office_edit(as_user(world.office), world.reservoir, owner="县水务公司").status_code == 302
    assert not BaselineRevision.objects.exists()


def test_a_unit_edit_of_the_dates_files_a_request_and_keeps_the_rest(world, as_user):
    client = as_user(world.water_user)
    data = edit_data(
        world.reservoir, planned_end="2021-06-30", contact_phone="023-1", revision_reason="征地滞后"
    )
    response = client.post(reverse("projects:edit", args=[world.reservoir.pk]), data)
    assert response.status_code == 302
    project = Project.objects.get(pk=world.reservoir.pk)
    assert project.planned_end is None and project.contact_phone == "023-1"  # dates wait, the rest saved
    request = BaselineRevision.objects.get(project=project, state="requested")
    assert request.new_planned_end == dt.date(2021, 6, 30) and request.requested_by == world.water_user

    again = client.post(
        reverse("projects:edit", args=[world.reservoir.pk]),
        edit_data(Project.objects.get(pk=project.pk), planned_end="2021-09-30", revision_reason="再次顺延"),
    )
    assert again.status_code == 200 and "在等待重点项目办审批" in again.content.decode()
    assert BaselineRevision.objects.filter(project=project).count() == 1


def test_the_office_approves_and_rejects_on_the_requests_page(world, as_user):
    first = baseline.revision_request(
        user=world.water_user,
        project=world.reservoir,
        new={"total_investment": D("13000.00")},
        reason="材料涨价",
    )
    second = baseline.revision_request(
        user=world.transport_user, project=world.bridge, new={"total_investment": D("9.00")}, reason="误填"
    )
    office = as_user(world.office)
    page = office.get(reverse("projects:baseline_requests")).content.decode()
    assert (
        "材料涨价" in page
        and "误填" in page
        and reverse("projects:baseline_approve", args=[first.pk]) in page
    )
    url = reverse("projects:baseline_approve", args=[first.pk])
    assert (
        office.post(url, {"version": first.version, "approval_number": "秀发改〔2020〕9号"}).status_code
        == 302
    )
    assert Project.objects.get(pk=world.reservoir.pk).total_investment == D("13000.00")
    twice = office.post(url, {"version": first.version})
    assert twice.status_code == 409 and "该申请已由 office 于" in twice.content.decode()
    reject = reverse("projects:baseline_reject", args=[second.pk])
    assert office.post(reject, {"version": second.version, "reason": ""}).status_code == 400
    assert office.post(reject, {"version": second.version, "reason": "数据有误"}).status_code == 302
    assert Project.objects.get(pk=world.bridge.pk).total_investment == D("1500.00")


def test_only_the_office_decides_and_others_offices_requests_are_not_found(world, as_user):
    request = baseline.revision_request(
        user=world.water_user, project=world.reservoir, new={"total_investment": D("1.00")}, reason="x"
    )
    url = reverse("projects:baseline_approve", args=[request.pk])
    for reader in (world.viewer, world.leader_user, world.water_user, world.supervisor):
        assert as_user(reader).post(url, {"version": request.version}).status_code == 403
    assert as_user(world.outsider).post(url, {"version": request.version}).status_code == 404
    page = as_user(world.viewer).get(reverse("projects:baseline_requests")).content.decode()
    assert "/approve/" not in page and 'data-request="' in page
    assert (
        'data-request="'
        not in as_user(world.outsider).get(reverse("projects:baseline_requests")).content.decode()
    )
    assert BaselineRevision.objects.get(pk=request.pk).state == "requested"


def revise(project, *, total=None, end=None):
    """The project revised in place, as an approved revision would leave it."""
    changes = {}
    if total:
        changes["total_investment"] = D(total)
    if end:
        changes["planned_end"] = end
    Project.objects.filter(pk=project.pk).update(**changes)


def test_the_ledger_shows_original_overrun_and_months_late_and_exports_them(world, as_user):
    Project.objects.filter(pk=world.reservoir.pk).update(planned_end=dt.date(2020, 12, 31))
    baseline.record_missing(Project.objects.all())
    world.reservoir.baseline.planned_end = dt.date(2020, 12, 31)
    world.reservoir.baseline.save()
    revise(world.reservoir, total="13500.00", end=dt.date(2021, 6, 30))
    client = as_user(world.office)
    page = client.get(reverse("ledger:list") + "?year=2020").content.decode()
    row = page.split("洪安水库工程")[1].split("</tr>")[0]
    assert "12,000.00" in row and "+12.50%" in row and ">+6<" in row
    assert 'data-total="overrun"' in page
    export = client.get(reverse("ledger:export") + "?year=2020")
    sheet = load_workbook(io.BytesIO(export.content)).active
    header = [c.value for r in sheet.iter_rows(max_row=6) for c in r]
    assert "原始总投资" in header and "滞后月数" in header
    values = [[c.value for c in r] for r in sheet.iter_rows() if "洪安水库工程" in [c.value for c in r]][0]
    assert values[-3:] == [12000, 12.5, 6] or values[-3:] == [D("12000.00"), D("12.50"), 6]


def test_the_ledger_reads_the_baselines_in_a_fixed_number_of_queries(world, as_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = as_user(world.office)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("ledger:list") + "?year=2020&size=500").status_code == 200
        return len(queries)

    count()  # the first request of a session reads what later ones find cached
    few = count()
    for i in range(15):
        p = f.project(
            region=world.county, lead_unit=world.water, sector=world.reservoir.sector, name=f"项目{i}"
        )
        revise(p, total="9000.00")
    assert count() == few


def test_the_dashboard_lists_the_largest_overruns_and_delays_in_scope(world, as_user):
    Project.objects.filter(pk__in=[world.reservoir.pk, world.road.pk]).update(
        planned_end=dt.date(2020, 12, 31)
    )
    for p in (world.reservoir, world.road):
        p.baseline.planned_end = dt.date(2020, 12, 31)
        p.baseline.save()
    revise(world.reservoir, total="15000.00")  # +25%
    revise(world.road, total="8400.00", end=dt.date(2021, 9, 30))  # +5%, 9 months late
    revise(world.far, total="9999.00")  # another county's
    data = baseline.largest(world.office, year=2020)
    assert [p["name"] for p in data["overruns"]] == ["洪安水库工程", "中和至平凯公路改造"]
    assert data["overruns"][0]["overrun_pct"] == 25.0
    assert [(p["name"], p["months_late"]) for p in data["delays"]] == [("中和至平凯公路改造", 9)]
    mine = baseline.largest(world.transport_user, year=2020)
    assert [p["name"] for p in mine["overruns"]] == ["中和至平凯公路改造"]  # a unit sees its own
    page = as_user(world.office).get(reverse("battlemap:dashboard") + "?year=2020&month=9").content.decode()
    lists = page.split('id="largest-overruns"')[1]
    assert reverse("projects:detail", args=[world.reservoir.pk]) in lists and "+25.00%" in lists
    assert "酉阳水厂" not in lists


def test_the_dashboard_lists_cost_the_same_queries_for_few_and_many(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            baseline.largest(world.office, year=2020)
        return len(queries)

    revise(world.reservoir, total="15000.00")
    few = count()
    for i in range(25):
        p = f.project(
            region=world.county, lead_unit=world.water, sector=world.reservoir.sector, name=f"项目{i}"
        )
        revise(p, total="9000.00")
    assert count() == few == 1  # one query picks both lists' candidates
    assert len(baseline.largest(world.office, year=2020)["overruns"]) == 10


def test_the_api_gives_original_current_variance_and_revisions(world, as_user):
    baseline.revision_request(
        user=world.water_user,
        project=world.reservoir,
        new={"total_investment": D("12600.00")},
        reason="材料涨价",
    )
    revise(world.reservoir, total="13200.00")
    data = as_user(world.water_user).get(f"/api/v1/projects/{world.reservoir.pk}").json()
    assert data["original"] == {"total_investment": "12000.00", "planned_start": None, "planned_end": None}
    assert data["current"]["total_investment"] == "13200.00"
    assert data["variance"] == {"overrun_pct": 10.0, "months_late": None}
    assert [(r["state"], r["new"]["total_investment"], r["reason"]) for r in data["revisions"]] == [
        ("requested", "12600.00", "材料涨价")
    ]
    schema = as_user(world.office).get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert {"original", "current", "variance", "revisions"} <= set(schema["ProjectDetail"]["properties"])
