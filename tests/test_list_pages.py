"""Next year's list, its pages and endpoint: the office drafts, edits inline, adds candidates,
compares, publishes and exports; units see their own entries of a published list only; the pages
keep a fixed number of queries."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from lists import services
from lists.models import ListEntry, YearList

from . import factories as f
from .conftest import login
from .list_builders import ready_candidate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]
D = Decimal


@pytest.fixture
def draft(reported):
    return services.list_draft(user=reported.office, year=2021)


def test_the_office_drafts_next_years_list(reported):
    office = login(reported.office)
    response = office.post("/lists/", follow=True)
    assert response.redirect_chain[-1][0] == "/lists/2021/"
    body = response.content.decode()
    assert "洪安水库工程" in body and "梅江河大桥" in body and "酉阳水厂" not in body
    assert YearList.objects.get().is_draft
    assert office.post("/lists/", follow=True).status_code == 200  # a second draft: refused, a message
    assert YearList.objects.count() == 1


def test_a_unit_cannot_draft_or_see_a_draft(draft, reported):
    water = login(reported.water_user)
    assert water.post("/lists/").status_code == 403
    assert water.get("/lists/2021/").status_code == 404
    assert water.get("/api/v1/lists?year=2021").status_code == 404
    assert login(reported.outsider).get("/lists/2021/").status_code == 404


def test_the_office_edits_a_plan_inline(draft, reported):
    office = login(reported.office)
    entry = ListEntry.objects.get(project=reported.reservoir)
    url = f"/lists/2021/entries/{entry.pk}/edit/"
    form = office.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'name="planned_investment"' in form and "<html" not in form
    data = {
        "stage": "completing",
        "planned_investment": "4,500.50",
        "planned_start_month": "",
        "progress_target": "主体完工",
    }
    row = office.post(url, data, HTTP_HX_REQUEST="true").content.decode()
    assert "4,500.50" in row or "4500.50" in row
    entry.refresh_from_db()
    assert entry.planned_investment == D("4500.50") and entry.stage == "completing"


def test_bad_input_is_refused_with_a_message_and_changes_nothing(draft, reported):
    office = login(reported.office)
    entry = ListEntry.objects.get(project=reported.reservoir)
    url = f"/lists/2021/entries/{entry.pk}/edit/"
    for bad in (
        {"planned_investment": "-5"},
        {"planned_investment": "abc"},
        {"planned_start_month": "13"},
        {"stage": "x"},
    ):
        data = {
            "stage": "continuing",
            "planned_investment": "1.00",
            "planned_start_month": "",
            "progress_target": "",
            **bad,
        }
        response = office.post(url, data)
        assert response.status_code == 400
        assert "invalid-feedback" in response.content.decode()
    entry.refresh_from_db()
    assert entry.planned_investment == D("3000.00")
    assert office.post("/lists/2021/entries/999999/edit/", {}).status_code == 404
    assert office.post("/lists/2021/add/", {"project": ["x", "99999999"]}).status_code == 200


def test_the_office_adds_a_ready_candidate_and_takes_a_project_off(draft, reported):
    w = reported
    candidate = ready_candidate(region=w.county, lead_unit=w.water, sector=w.reservoir.sector)
    not_ready = ready_candidate(
        region=w.county, lead_unit=w.water, sector=w.reservoir.sector, name="未成熟项目", maturity="packaged"
    )
    office = login(w.office)
    page = office.get("/lists/2021/add/").content.decode()
    assert "梅江河防洪堤" in page and "未成熟项目" not in page
    office.post("/lists/2021/add/", {"candidate": [str(candidate.pk)]})
    assert ListEntry.objects.filter(candidate=candidate).exists()
    office.post("/lists/2021/add/", {"candidate": [str(not_ready.pk)]})
    assert not ListEntry.objects.filter(candidate=not_ready).exists()

    bridge = ListEntry.objects.get(project=w.bridge)
    office.post(f"/lists/2021/entries/{bridge.pk}/remove/")
    assert not ListEntry.objects.filter(project=w.bridge).exists()
    assert "梅江河大桥" in office.get("/lists/2021/add/").content.decode()  # back in the picker


def test_the_comparison_shows_the_draft_beside_this_year(draft, reported):
    w = reported
    candidate = ready_candidate(
        region=w.county, lead_unit=w.water, sector=w.reservoir.sector, estimated="6000.00"
    )
    services.entries_add_candidates(user=w.office, year_list=draft, candidate_ids=[candidate.pk])
    bridge = ListEntry.objects.get(project=w.bridge)
    services.entry_remove(user=w.office, entry=bridge)
    response = login(w.office).get("/lists/2021/compare/")
    by_sector = {t["by"]: t for t in response.context["tables"]}["sector"]
    rows = {r.label: r for r in by_sector["rows"]}
    # 水利: the reservoir (3,000) and the candidate (6,000 / 3) against the reservoir alone in 2020.
    assert (rows["水利"].draft.projects, rows["水利"].this_year.projects) == (2, 1)
    assert (rows["水利"].draft.planned, rows["水利"].this_year.planned) == (D("5000.00"), D("3000.00"))
    # 交通: the road only (the bridge taken off) against road and bridge.
    assert (rows["交通"].draft.projects, rows["交通"].count_change) == (1, -1)
    assert rows["交通"].planned_change == D("-500.00")
    assert by_sector["total"].draft.projects == 3 and by_sector["total"].this_year.projects == 3
    by_unit = {t["by"]: t for t in response.context["tables"]}["unit"]
    assert {r.label: r.draft.projects for r in by_unit["rows"]} == {"县水利局": 2, "县交通局": 1}
    assert "酉阳" not in response.content.decode()


def test_publish_asks_first_then_publishes_and_exports_as_published(draft, reported):
    w = reported
    office = login(w.office)
    confirm = office.get("/lists/2021/publish/").content.decode()
    assert "3" in confirm and YearList.objects.get().is_draft
    assert office.get("/lists/2021/export.xlsx").status_code == 302  # a draft is not exported
    office.post("/lists/2021/publish/")
    assert not YearList.objects.get().is_draft
    assert w.reservoir.plans.filter(year=2021).exists()

    plan = w.reservoir.plans.get(year=2021)
    plan.planned_investment = D("1.00")  # changed after publishing: the export keeps the published
    plan.save()
    response = office.get("/lists/2021/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    reservoir = next(r for r in values if "洪安水库工程" in r)
    assert D(str(reservoir[8])) == D("3000.00") and D(str(reservoir[7])) == D("2250.00")
    total = next(r for r in values if r[3] and str(r[3]).startswith(("合计", "Total")))
    assert D(str(total[8])) == D("5500.00")
    # Published: nothing more is changed.
    entry = ListEntry.objects.get(project=w.road)
    data = {
        "stage": "continuing",
        "planned_investment": "9.00",
        "planned_start_month": "",
        "progress_target": "",
    }
    office.post(f"/lists/2021/entries/{entry.pk}/edit/", data)
    entry.refresh_from_db()
    assert entry.planned_investment == D("2000.00")


def test_a_unit_sees_only_its_own_entries_of_a_published_list(draft, reported):
    w = reported
    services.list_publish(user=w.office, year_list=draft)
    body = login(w.transport_user).get("/lists/2021/").content.decode()
    assert "梅江河大桥" in body and "中和至平凯公路改造" in body and "洪安水库工程" not in body
    data = login(w.transport_user).get("/api/v1/lists?year=2021").json()
    assert data["state"] == "published" and {e["name"] for e in data["entries"]} == {
        "梅江河大桥",
        "中和至平凯公路改造",
    }
    assert data["planned_investment"] == "2500.00"
    assert login(w.transport_user).post("/lists/2021/publish/").status_code == 403


def test_the_api_answers_the_draft_to_the_office(draft, reported):
    data = login(reported.office).get("/api/v1/lists?year=2021").json()
    assert data["state"] == "draft" and data["count"] == 3
    reservoir = next(e for e in data["entries"] if e["name"] == "洪安水库工程")
    assert reservoir["invested_before"] == "2250.00" and reservoir["invested_before_live"] is True
    assert login(reported.office).get("/api/v1/lists?year=1999").status_code in (400, 422)


def _grow(world, year_list, n: int) -> None:
    for _i in range(n):
        f.project(region=world.county, lead_unit=world.water, sector=world.reservoir.sector)
    candidates = [
        ready_candidate(
            region=world.county, lead_unit=world.transport, sector=f.sector(f"行业{i}"), name=f"候选{i}"
        )
        for i in range(n)
    ]
    services.entries_add_continuing(user=world.office, year_list=year_list, project_ids=None)
    services.entries_add_candidates(
        user=world.office, year_list=year_list, candidate_ids=[c.pk for c in candidates]
    )


def _queries(client) -> list[int]:
    counts = []
    for url in ("/lists/2021/", "/lists/2021/compare/", "/lists/2021/add/", "/api/v1/lists?year=2021"):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx))
    return counts


def test_the_pages_keep_a_fixed_number_of_queries_as_the_list_grows(world):
    year_list = services.list_draft(user=world.office, year=2021)
    office = login(world.office)
    _grow(world, year_list, 1)
    _queries(office)  # the first requests of a session also write the session
    small = _queries(office)
    _grow(world, year_list, 25)
    assert ListEntry.objects.count() == 3 + 2 + 50
    assert _queries(office) == small
