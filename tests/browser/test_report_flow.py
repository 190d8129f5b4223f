"""Issue 3's browser test: water files September's report, the office returns it with a reason, water
corrects and resubmits, the office approves; the project's light and the county totals follow."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from reports.models import MonthlyReport

from ..report_builders import create_report
from .conftest import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
REASON = "9月完成投资与形象进度不符，请核实"


@pytest.fixture
def reservoir(world, pinned_today):
    """Started, 3000 planned, 1800 done by August: 60% against September's 75% — red until September."""
    project = world.reservoir
    project.actual_start = dt.date(2019, 5, 1)
    project.save()
    for month in range(1, 9):
        create_report(
            project=project,
            year=2020,
            month=month,
            amount=Decimal("225.00"),
            progress="施工中",
            status="approved",
            started=True,
            start_date=project.actual_start,
            created_by=world.water_user,
        )
    return project


def switch_user(page, username: str) -> None:
    page.wait_for_load_state("networkidle")
    page.context.clear_cookies()
    sign_in(page, username)


def september_light(page, project) -> str:
    page.goto(f"{page.base}/projects/{project.pk}/")
    page.wait_for_load_state("networkidle")  # the blockers tab loads by htmx; let it finish
    return page.locator('#light-history tr[data-month="9"]').get_attribute("data-light")


def county_ytd(page) -> str:
    page.goto(page.base + "/")
    return page.locator("#stat-ytd").inner_text().strip()


def test_it_walks_a_report_through_return_and_approval(page, world, reservoir):
    report_url = f"{page.base}/reports/{reservoir.pk}/2020/9/"
    sign_in(page, "office")
    assert september_light(page, reservoir) == "red"
    assert county_ytd(page) == "1,800.00"

    switch_user(page, "water")
    page.goto(report_url)
    page.fill("#id_amount", "450.00")
    page.fill("#id_progress", "大坝填筑至高程420米")
    page.fill("#id_completion_pct", "70")
    page.fill("#id_workers", "120")
    page.click("button[name=submit]")
    page.wait_for_selector("#report-view")
    assert MonthlyReport.objects.get(project=reservoir, month=9).status == "submitted"
    shot(page, "report-flow-1-submitted")

    switch_user(page, "office")
    assert september_light(page, reservoir) == "green"  # submitted reports count at once
    page.goto(report_url)
    page.fill("#review textarea[name=reason]", REASON)
    page.click("#return")
    page.wait_for_selector("#return-reason")
    assert september_light(page, reservoir) == "red"  # a returned report does not count
    assert county_ytd(page) == "1,800.00"

    switch_user(page, "water")
    page.goto(page.base + "/")
    assert REASON in page.locator("#returned").inner_text()
    page.goto(report_url)
    assert REASON in page.locator("#return-reason").inner_text()
    page.fill("#id_amount", "600.00")
    page.click("button[name=submit]")
    page.wait_for_selector("#report-view")
    shot(page, "report-flow-2-resubmitted")

    switch_user(page, "office")
    page.goto(report_url)
    page.click("#approve")
    page.wait_for_selector("#reopen")
    actions = list(
        MonthlyReport.objects.get(project=reservoir, month=9).events.values_list("action", flat=True)
    )
    assert actions == ["created", "submitted", "returned", "saved", "resubmitted", "approved"]
    assert september_light(page, reservoir) == "green"
    shot(page, "report-flow-3-project-lights")
    assert county_ytd(page) == "2,400.00"
    page.goto(page.base + "/projects/?year=2020")
    assert page.locator('[data-total="ytd"]').inner_text().strip() == "2,400.00"
    assert not page.console_errors
