"""A reserve candidate's approvals in the browser: from the candidate's page the office opens its node plan
and applies the filing template; the proposing unit records the approvals; the pool list's ready-to-start
column goes from "node plan missing" to ready."""

from __future__ import annotations

import pytest

from approvals.models import ApprovalNode
from approvals.services import templates_load_standard

from ..list_builders import ready_candidate
from .conftest import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def settle(page) -> None:
    page.wait_for_load_state("networkidle")


def visit(page, path: str) -> None:
    page.goto(page.base + path)
    settle(page)


def readiness(page, candidate) -> str:
    return page.locator(f"td.kp-readiness[data-candidate='{candidate.pk}']").inner_text().strip()


def test_a_candidates_node_plan_set_and_approved_makes_it_ready_on_the_pool_list(page, world, pinned_today):
    for name in ("县发展改革委", "县规划自然资源局", "县生态环境局", "县住房城乡建委"):
        world.county.units.create(name=name)
    templates_load_standard(region=world.county)
    levee = ready_candidate(region=world.county, lead_unit=world.water, sector=world.reservoir.sector)

    # 1. The office finds the candidate lacking a node plan, and sets one from its page.
    sign_in(page, "office")
    settle(page)
    visit(page, "/pool/")
    assert readiness(page, levee).startswith("缺 1 项") and "前期手续节点计划" in readiness(page, levee)
    visit(page, f"/pool/{levee.pk}/")
    page.click("#candidate-readiness a:has-text('前期手续节点计划')")
    page.wait_for_url(f"**/approvals/candidate/{levee.pk}/")
    settle(page)
    page.select_option("#id_procedure", "filing")
    page.fill("#id_start", "2020-08-03")
    page.click("form[action$='/apply/'] button[type=submit]")
    page.wait_for_selector("#node-plan td:has-text('施工许可证')")
    settle(page)
    shot(page, "candidate-flow-1-plan")
    visit(page, "/pool/")
    assert readiness(page, levee).startswith("缺 4 项") and "施工许可证" in readiness(page, levee)

    # 2. The water bureau, which proposed it, records each approval.
    settle(page)
    page.context.clear_cookies()
    sign_in(page, "water")
    settle(page)
    for i, node in enumerate(ApprovalNode.objects.filter(candidate=levee).order_by("sort")):
        visit(page, f"/approvals/candidate/{levee.pk}/")
        page.click(f"#node-{node.pk} + tr summary")
        page.fill(f"#id_r{node.pk}-submitted_on", f"2020-08-{10 + i * 3:02d}")
        page.fill(f"#id_r{node.pk}-approved_on", f"2020-08-{11 + i * 3:02d}")
        page.fill(f"#id_r{node.pk}-doc_number", f"秀审〔2020〕{60 + i}号")
        page.click(f"form[action$='/node/{node.pk}/record/'] button[type=submit]")
        page.wait_for_selector(f"#node-{node.pk} td:has-text('秀审〔2020〕{60 + i}号')")
        settle(page)

    # 3. The pool list and the candidate's page now say it is ready to start.
    visit(page, "/pool/")
    assert readiness(page, levee) == "具备开工条件"
    visit(page, f"/pool/{levee.pk}/")
    assert "具备开工条件：所需审批均已批复" in page.locator("#candidate-readiness").inner_text()
    shot(page, "candidate-flow-2-ready")
    assert page.console_errors == []
