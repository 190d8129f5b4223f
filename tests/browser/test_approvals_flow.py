"""Issue 15's browser test: the office sets a node plan for a project not yet started, the unit records
the approval, and the not-started board's "missing to start" column changes — first the approval and
the land, then the land alone."""

from __future__ import annotations

import datetime as dt

import pytest

from approvals.models import ApprovalNode

from .. import factories as f
from ..land_builders import land_plan
from ..page_builders import file_september
from .conftest import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
BOARD = "/reports/not-started/?year=2020&month=9"


def settle(page) -> None:
    """Let the page's own requests (the sidebar's unread badge) finish before the next step."""
    page.wait_for_load_state("networkidle")


def visit(page, path: str) -> None:
    page.goto(page.base + path)
    settle(page)


def switch_to(page, username: str) -> None:
    settle(page)
    page.context.clear_cookies()
    sign_in(page, username)
    settle(page)


def missing_cell(page) -> str:
    return page.locator(f"#board tr[data-project='{page.bridge}'] td.kp-missing").inner_text()


def test_a_node_plan_and_an_approval_change_the_boards_missing_column(page, world, pinned_today):
    file_september(world)  # the bridge was planned to start in June and has not
    eco = f.unit(world.county, "县生态环境局")
    land_plan(
        world.bridge,
        world.hongan_town,
        needed="40",
        due=dt.date(2020, 12, 31),
        months=[{"year": 2020, "month": 8, "acquired": "40", "handed_over": "28"}],
    )
    page.bridge = world.bridge.pk

    # 1. The office sets the bridge's node plan: 环评批复 by the ecology bureau, needed to start.
    sign_in(page, "office")
    settle(page)
    visit(page, BOARD)
    assert "前期手续节点计划" in missing_cell(page)  # no node plan yet: nothing says it is ready
    visit(page, f"/approvals/project/{world.bridge.pk}/")
    page.fill("#id_new-name", "环评批复")
    page.select_option("#id_new-department", str(eco.pk))
    page.fill("#id_new-planned_on", "2020-09-01")
    page.fill("#id_new-time_limit", "20")
    page.check("#id_new-required_for_start")
    page.click("form[action$='/add/'] button[type=submit]")
    page.wait_for_selector("#node-plan td:has-text('环评批复')")
    settle(page)
    node = ApprovalNode.objects.get(project=world.bridge)
    visit(page, BOARD)
    assert missing_cell(page) == "缺：环评批复（县生态环境局）；交地 12 亩（洪安镇）"
    shot(page, "approvals-flow-1-board-missing")

    # 2. The transport bureau (the bridge's unit) records the approval on the node plan.
    switch_to(page, "transport")
    visit(page, f"/approvals/project/{world.bridge.pk}/")
    page.click(f"#node-{node.pk} + tr summary")
    page.fill(f"#id_r{node.pk}-submitted_on", "2020-09-01")
    page.fill(f"#id_r{node.pk}-approved_on", "2020-09-20")
    page.fill(f"#id_r{node.pk}-doc_number", "秀环审〔2020〕45号")
    page.click(f"form[action$='/node/{node.pk}/record/'] button[type=submit]")
    page.wait_for_selector(f"#node-{node.pk} td:has-text('秀环审〔2020〕45号')")
    settle(page)
    shot(page, "approvals-flow-2-recorded")

    # 3. The board now lacks the land alone.
    visit(page, BOARD)
    assert missing_cell(page) == "缺：交地 12 亩（洪安镇）"
    shot(page, "approvals-flow-3-board-land-only")
    assert page.console_errors == []
