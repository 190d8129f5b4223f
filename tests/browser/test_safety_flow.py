"""Issue 16's browser test: the office records a tender award on the project's bidding page, a supervisor
records a 重大隐患 found in an inspection, the project's unit rectifies it, the supervisor verifies it —
and the project's hazard warning is on its page before the verification and gone after."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from safety.models import Hazard
from works.models import Kind, Method, TenderPackage

from .conftest import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WARNING = "重大隐患未销号：深基坑支护结构出现裂缝（整改期限 2020-10-20）"


def settle(page) -> None:
    page.wait_for_load_state("networkidle")


def visit(page, path: str) -> None:
    page.goto(page.base + path)
    settle(page)


def switch_to(page, username: str) -> None:
    settle(page)
    page.context.clear_cookies()
    sign_in(page, username)
    settle(page)


def warnings_text(page, project_id: int) -> str:
    visit(page, f"/projects/{project_id}/")
    return page.locator("main").inner_text()


def test_a_major_hazard_is_recorded_rectified_and_verified_and_its_warning_clears(page, world, pinned_today):
    project = world.reservoir  # the water bureau's
    package = TenderPackage.objects.create(
        project=project,
        kind=Kind.CONSTRUCTION,
        name="洪安水库大坝施工",
        method=Method.OPEN,
        budget=Decimal("5000.00"),
        announced_on=dt.date(2020, 5, 20),
        opened_on=dt.date(2020, 6, 10),
    )

    # 0. The office records the tender award on the project's bidding page.
    sign_in(page, "office")
    settle(page)
    visit(page, f"/works/project/{project.pk}/")
    page.click(f"a[data-award='{package.pk}']")
    page.wait_for_selector("#award-form")
    page.fill("#id_awarded_on", "2020-06-15")
    page.fill("#id_winner", "重庆某水利水电建设有限公司")
    page.fill("#id_contract_price", "4,650.00")
    page.click("#award-save")
    row = page.locator(f"#tender-packages tr[data-package='{package.pk}'][data-state='awarded']")
    row.wait_for()
    assert (
        "重庆某水利水电建设有限公司" in row.inner_text()
        and row.locator("[data-rate]").inner_text() == "7.00%"
    )
    package.refresh_from_db()
    assert (package.awarded_on, package.contract_price) == (dt.date(2020, 6, 15), Decimal("4650.00"))

    # 1. A supervisor records an inspection and the 重大隐患 it found.
    switch_to(page, "supervisor")
    visit(page, f"/safety/project/{project.pk}/")
    page.fill("#id_date", "2020-10-08")
    page.select_option("#id_body", "safety_station")
    page.fill("#id_inspectors", "安监站监督员2名")
    page.click("#inspection-form button[type=submit]")
    page.wait_for_selector("#project-inspections td:has-text('安监站')")
    page.select_option("#id_level", "major")
    page.select_option("#id_category", "excavation")
    page.fill("#id_description", "深基坑支护结构出现裂缝")
    page.fill("#id_deadline", "2020-10-20")
    page.fill("#id_contractor", "施工单位项目部")
    page.click("#hazard-form button[type=submit]")
    page.wait_for_selector("#hazard-state [data-level='major']")
    settle(page)
    hazard = Hazard.objects.get(project=project)
    assert hazard.state == Hazard.State.OPEN and hazard.responsible_unit == world.water
    assert WARNING in warnings_text(page, project.pk)
    shot(page, "safety-flow-1-warning")

    # 2. The water bureau records the rectification on the hazard's page.
    switch_to(page, "water")
    visit(page, f"/safety/hazards/{hazard.pk}/")
    assert page.locator("#verify-form").count() == 0
    page.fill("#id_measures", "已停止基坑作业，补强支护结构并开展第三方监测")
    page.fill("#id_rectified_on", "2020-10-10")
    page.click("#rectify-form button[type=submit]")
    page.wait_for_selector("#hazard-state [data-state='rectified']")
    settle(page)
    assert WARNING in warnings_text(page, project.pk)  # rectified is not yet verified

    # 3. The supervisor verifies it: the warning is gone from the project's page.
    switch_to(page, "supervisor")
    visit(page, f"/safety/hazards/{hazard.pk}/")
    assert "已停止基坑作业" in page.locator("#hazard-measures").inner_text()
    page.click("#verify-form button[name=verify]")
    page.wait_for_selector("#hazard-state [data-state='verified']")
    settle(page)
    hazard.refresh_from_db()
    assert hazard.state == Hazard.State.VERIFIED
    text = warnings_text(page, project.pk)
    assert "重大隐患未销号" not in text
    shot(page, "safety-flow-2-cleared")
    assert not page.console_errors
