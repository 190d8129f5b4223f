"""Issue 4's browser test: a supervisor records an inspection that opens a blocker; the unit adds measures;
the leader escalates it to the executive meeting; the meeting decides and creates a task; the unit reports
the task done (and the blocker resolved); the supervisor closes both."""

from __future__ import annotations

import pytest

from blockers.models import Blocker
from supervision.models import SupervisionTask

from .conftest import shot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def settle(page) -> None:
    """Let the page's own requests (the sidebar's unread badge) finish before the next step, so the
    test's live server (an in-memory SQLite database) never sees two session writes at once."""
    page.wait_for_load_state("networkidle")


def visit(page, path: str) -> None:
    """Open a page and wait until its own requests are done."""
    page.goto(page.base + path)
    settle(page)


def switch_to(page, username: str) -> None:
    settle(page)
    page.context.clear_cookies()
    sign_in(page, username)
    settle(page)


def test_it_runs_a_blocker_from_inspection_to_closure(page, world, pinned_today):
    # 1. The supervisor, on a phone-sized screen, records an inspection that opens a blocker.
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, "supervisor")
    settle(page)
    visit(page, "/supervision/inspections/new/")
    page.select_option("#id_project", str(world.reservoir.pk))
    page.fill("#id_findings", "库区尚有5户未签订征地补偿协议，施工便道无法贯通。")
    page.check("input[name=follow_up][value=blocker]")
    page.select_option("#id_blocker_kind", "land")
    page.fill("#id_deadline", "2020-10-25")
    shot(page, "blocker-flow-1-inspection")
    page.click("#inspection-form button[type=submit]")
    page.wait_for_url("**/supervision/inspections/*/")
    settle(page)
    page.click(
        "a[href^='/blockers/']:has-text('征地拆迁')"
    )  # the inspection's blocker, not the menu's 征地拆迁
    page.wait_for_url("**/blockers/*/")
    settle(page)
    blocker = Blocker.objects.get()
    assert blocker.source == "inspection" and blocker.lead_unit == world.water
    page.set_viewport_size({"width": 1440, "height": 900})

    # 2. The water bureau adds its measures.
    switch_to(page, "water")
    visit(page, f"/blockers/{blocker.pk}/")
    page.fill("#measures-form textarea", "镇村干部逐户上门，10月20日前完成签约。")
    page.click("#measures-form button[type=submit]")
    page.wait_for_selector("#blocker-measures:has-text('逐户上门')")
    settle(page)

    # 3. The leader in charge escalates it to the county executive meeting.
    switch_to(page, "leader")
    visit(page, f"/blockers/{blocker.pk}/")
    page.select_option("#escalate-form select[name=level]", "3")
    page.fill("#escalate-form textarea", "涉及安置政策，需县长办公会研究。")
    page.click("#escalate-form button[type=submit]")
    page.wait_for_selector(
        "#blocker-status:has-text('县长办公会'), #blocker-status:has-text('County executive meeting')"
    )
    settle(page)

    # 4. The office records the meeting (the escalated blocker is on the agenda) and its decision with a task.
    switch_to(page, "office")
    visit(page, "/meetings/new/")
    page.fill("#id_title", "县长办公会")
    page.fill("#id_date", "2020-10-11")
    page.click("form button[type=submit]")
    page.wait_for_url("**/meetings/*/")
    settle(page)
    assert page.locator("#agenda-blockers").inner_text().count("洪安水库工程") == 1
    page.fill("#decision-form #id_text", "县水利局牵头，洪安镇配合，10月20日前完成全部签约。")
    page.select_option("#decision-form #id_blocker", str(blocker.pk))
    page.fill("#decision-form #id_task_title", "完成库区征地签约")
    page.fill("#decision-form #id_task_deadline", "2020-10-20")
    page.click("#decision-form button[type=submit]")
    page.wait_for_selector("#decisions:has-text('完成库区征地签约')")
    settle(page)
    shot(page, "blocker-flow-4-meeting")
    task = SupervisionTask.objects.get()

    # 5. The unit reports the task done and the blocker resolved.
    switch_to(page, "water")
    visit(page, "/")
    visit(page, f"/supervision/tasks/{task.pk}/")
    page.fill("#report-form textarea", "5户已全部签约，便道已贯通。")
    page.click("#report-form button[type=submit]")
    page.wait_for_selector("#task-status .text-bg-info")
    settle(page)
    visit(page, f"/blockers/{blocker.pk}/")
    page.select_option("#move-form select[name=to]", "resolved")
    page.click("#move-form button[type=submit]")
    page.wait_for_selector("#blocker-status .text-bg-success")
    settle(page)

    # 6. The supervisor verifies and closes both.
    switch_to(page, "supervisor")
    visit(page, f"/supervision/tasks/{task.pk}/")
    page.fill("#verify-form textarea", "现场核实，签约资料齐全。")
    page.click("#verify-form button[value=close]")
    page.wait_for_selector("#task-status .text-bg-secondary")
    settle(page)
    visit(page, f"/blockers/{blocker.pk}/")
    page.select_option("#move-form select[name=to]", "closed")
    page.click("#move-form button[type=submit]")
    page.wait_for_selector("#blocker-status .text-bg-secondary")
    settle(page)
    shot(page, "blocker-flow-6-closed")

    blocker.refresh_from_db()
    task.refresh_from_db()
    assert blocker.status == "closed" and task.status == "closed"
    assert blocker.level == Blocker.Level.MEETING and blocker.escalated_by.username == "leader"
    kinds = list(blocker.events.values_list("kind", flat=True))
    assert kinds == ["created", "measures", "escalated", "agenda", "decided", "status", "status"]
    assert page.console_errors == []
