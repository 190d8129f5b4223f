"""Issue 14's browser test: a unit proposes a candidate, the office accepts it, later promotes it into
the 2021 draft, sets its plan inline, compares the draft with 2020 and publishes the list; the
candidate is then a key project with its project code and history."""

from __future__ import annotations

import pytest

from lists.models import YearList
from pool.models import Candidate
from projects.models import Project

from .conftest import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CODE = "2020-500241-76-01-000321"


def settle(page) -> None:
    """Let the page's own requests (the sidebar's unread badge) finish before the next step, so the
    live server (an in-memory SQLite database) never sees two session writes at once."""
    page.wait_for_load_state("networkidle")


def visit(page, path: str) -> None:
    page.goto(page.base + path)
    settle(page)


def switch_to(page, username: str) -> None:
    settle(page)
    page.context.clear_cookies()
    sign_in(page, username)
    settle(page)


def test_a_candidate_goes_from_a_units_proposal_to_a_published_list(page, reported, pinned_today):
    w = reported
    # 1. The water bureau proposes a candidate, ready to start, with its project code.
    sign_in(page, "water")
    settle(page)
    visit(page, "/pool/new/")
    page.fill("#id_name", "梅江河防洪治理工程")
    page.select_option("#id_sector", str(w.reservoir.sector_id))
    page.fill("#id_content", "新建堤防14公里")
    page.fill("#id_estimated_investment", "24,000")
    page.fill("#id_proposed_start_year", "2021")
    page.select_option("#id_maturity", "ready")
    page.fill("#id_national_code", CODE)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/pool/*/")
    settle(page)
    candidate = Candidate.objects.get(name="梅江河防洪治理工程")
    assert candidate.review_state == Candidate.Review.PROPOSED and candidate.lead_unit == w.water

    # 2. The office accepts it.
    switch_to(page, "office")
    visit(page, f"/pool/{candidate.pk}/")
    page.select_option("#id_decision", "accept")
    page.click(f'form[action="/pool/{candidate.pk}/review/"] button[type=submit]')
    settle(page)
    candidate.refresh_from_db()
    assert candidate.review_state == Candidate.Review.ACCEPTED

    # 3. Later, the office drafts 2021 and promotes the candidate into it.
    visit(page, "/lists/")
    page.click("text=编制2021年名单")
    page.wait_for_url("**/lists/2021/")
    settle(page)
    assert page.locator("#entries").get_by_text("洪安水库工程").count() == 1
    page.click("text=添加项目")
    page.wait_for_url("**/lists/2021/add/")
    settle(page)
    page.check(f"#candidate-{candidate.pk}")
    shot(page, "pool-flow-1-add")
    page.click("text=将所选加入名单")
    page.wait_for_url("**/lists/2021/")
    settle(page)

    # 4. It sets the candidate's plan in its row (htmx swaps the row in place).
    row = page.locator("#entries tr", has_text="梅江河防洪治理工程")
    row.locator("a[aria-label]").first.click()
    page.wait_for_selector("#entries input[name=planned_investment]")
    page.fill("#entries input[name=planned_investment]", "6000")
    page.fill("#entries input[name=planned_start_month]", "4")
    page.fill("#entries textarea[name=progress_target]", "完成堤防基础工程")
    page.click("#entries button:has-text('保存')")
    page.wait_for_selector("#entries tr:has-text('完成堤防基础工程')")
    assert page.locator("#entries input[name=planned_investment]").count() == 0
    shot(page, "pool-flow-2-draft")

    # 5. It compares the draft with 2020: water has one project more.
    page.click("text=与上年对比")
    page.wait_for_url("**/lists/2021/compare/")
    settle(page)
    water_row = page.locator("#compare-sector tr", has_text="水利")
    assert water_row.locator("td").nth(1).inner_text() == "2"
    assert water_row.locator("td").nth(3).inner_text() == "+1"
    shot(page, "pool-flow-3-compare")

    # 6. It publishes, after the confirm step.
    visit(page, "/lists/2021/publish/")
    shot(page, "pool-flow-4-confirm")
    page.click("text=发布名单")
    page.wait_for_url("**/lists/2021/")
    settle(page)
    assert not YearList.objects.get(year=2021).is_draft
    project = Project.objects.get(name="梅江河防洪治理工程")
    assert project.national_code == CODE and project.candidate == candidate
    assert project.plans.get(year=2021).planned_investment == 6000

    # 7. The new project's page shows its project code; the unit sees it in the 2021 ledger.
    page.click("#entries >> text=梅江河防洪治理工程")
    page.wait_for_url(f"**/projects/{project.pk}/")
    assert page.locator("#national-code").inner_text() == CODE
    switch_to(page, "water")
    visit(page, "/projects/?year=2021")
    assert page.get_by_text("梅江河防洪治理工程").count() >= 1
    assert page.console_errors == []
