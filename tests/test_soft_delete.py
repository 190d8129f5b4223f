"""Deletions are recorded soft deletes (issue 13 item 6, lib/softdelete.py): what a user deletes leaves
its page, the project's page, the registers, exports and the API, yet stays in its table marked who
and when; the audit log lists it as a deletion (删除) with its values; the same thing can be added
again; `manage.py restore_deleted` brings it back, and still brings back rows hard-deleted before."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from approvals.models import ApprovalNode, NodeSuspension, NodeTemplate
from audit.models import AuditEntry
from lists import services as list_services
from lists.models import ListEntry
from milestones.models import Milestone
from pool.models import FundingApplication
from projects.models import TeamMember

from .approval_builders import node, suspend
from .conftest import login
from .form_builders import page_form
from .pool_builders import application, candidate, channel

pytestmark = pytest.mark.usefixtures("pinned_today")


def _deletion(label: str, pk: int) -> AuditEntry:
    return AuditEntry.objects.get(model=label, object_id=str(pk), action="deleted")


def _audit_page(world, q: str) -> str:
    return login(world.office).get("/manage/audit/", {"q": q}).content.decode()


def test_a_removed_milestone_leaves_every_page_export_and_the_api_and_is_kept_with_who(world):
    m = Milestone.objects.create(
        project=world.reservoir, year=2020, name="大坝封顶", planned_date=dt.date(2020, 9, 30)
    )
    client = login(world.water_user)
    assert client.post(reverse("milestones:delete", args=[m.pk])).status_code == 302

    office = login(world.office)
    page = reverse("milestones:project", args=[world.reservoir.pk]) + "?year=2020"
    assert "大坝封顶" not in office.get(page).content.decode()
    register = reverse("milestones:register") + "?year=2020&state=all"
    assert "大坝封顶" not in office.get(register).content.decode()
    assert (
        "大坝封顶" not in office.get(reverse("projects:detail", args=[world.reservoir.pk])).content.decode()
    )
    sheet = openpyxl.load_workbook(
        io.BytesIO(office.get(reverse("milestones:export") + "?year=2020&state=all").content)
    )
    assert "大坝封顶" not in {c for row in sheet.active.iter_rows(values_only=True) for c in row}
    assert office.get("/api/v1/milestones?year=2020").json()["count"] == 0

    kept = Milestone.all_objects.get(pk=m.pk)
    assert kept.deleted_by == world.water_user and kept.deleted_at is not None
    entry = _deletion("milestones.milestone", m.pk)
    assert entry.by == world.water_user
    assert {"field": "name", "old": "大坝封顶", "new": "—"} in entry.changes
    assert {"field": "planned_date", "old": "2020-09-30", "new": "—"} in entry.changes
    shown = _audit_page(world, "大坝封顶")
    assert "删除" in shown and "2020-09-30" in shown


def test_a_milestone_of_the_same_name_is_added_again_and_a_restore_over_it_is_refused(world):
    m = Milestone.objects.create(
        project=world.reservoir, year=2020, name="大坝封顶", planned_date=dt.date(2020, 9, 30)
    )
    client = login(world.water_user)
    client.post(reverse("milestones:delete", args=[m.pk]))
    url = reverse("milestones:create", args=[world.reservoir.pk])
    again = client.post(url, {"year": "2020", "name": "大坝封顶", "planned_date": "2020-10-31"})
    assert again.status_code == 302
    assert Milestone.objects.get(project=world.reservoir).planned_date == dt.date(2020, 10, 31)
    with pytest.raises(CommandError, match="in the way"):
        call_command("restore_deleted", "milestones.milestone", str(m.pk))
    assert Milestone.objects.count() == 1


def test_a_restored_milestone_is_back_on_its_page_and_the_restore_is_audited(world):
    m = Milestone.objects.create(
        project=world.reservoir, year=2020, name="大坝封顶", planned_date=dt.date(2020, 9, 30)
    )
    login(world.water_user).post(reverse("milestones:delete", args=[m.pk]))
    call_command("restore_deleted", "milestones.milestone", str(m.pk))
    page = reverse("milestones:project", args=[world.reservoir.pk]) + "?year=2020"
    assert "大坝封顶" in login(world.office).get(page).content.decode()
    back = Milestone.objects.get(pk=m.pk)
    assert (back.deleted_at, back.deleted_by) == (None, None)
    restored = AuditEntry.objects.filter(model="milestones.milestone", object_id=str(m.pk)).latest("pk")
    assert (restored.action, restored.by) == ("restored", None)
    assert "已恢复" in _audit_page(world, "大坝封顶")


def test_a_row_hard_deleted_before_soft_deletes_still_comes_back_from_its_history(world):
    m = Milestone.objects.create(
        project=world.reservoir, year=2020, name="大坝封顶", planned_date=dt.date(2020, 9, 30), note="汛前"
    )
    pk = m.pk
    m.delete()  # as the delete button did before issue 13 item 6
    assert not Milestone.all_objects.filter(pk=pk).exists()
    call_command("restore_deleted", "milestones.milestone", str(pk))
    back = Milestone.objects.get(pk=pk)
    assert (back.name, back.note, back.deleted_at) == ("大坝封顶", "汛前", None)


def test_a_removed_approval_node_leaves_the_plan_the_register_and_the_api_and_is_added_again(world):
    eia = node(world.bridge, "环评批复", planned_on=dt.date(2020, 9, 1))
    suspend(eia, dt.date(2020, 9, 1), dt.date(2020, 9, 3))
    office = login(world.office)
    assert office.post(reverse("approvals:node_delete", args=[eia.pk])).status_code == 302

    plan = reverse("approvals:plan", args=[world.bridge.pk])
    assert "环评批复" not in office.get(plan).content.decode()
    assert "环评批复" not in office.get(reverse("approvals:register")).content.decode()
    sheet = openpyxl.load_workbook(io.BytesIO(office.get(reverse("approvals:export")).content))
    assert "环评批复" not in {c for row in sheet.active.iter_rows(values_only=True) for c in row}
    assert office.get("/api/v1/approvals").json()["count"] == 0
    assert ApprovalNode.all_objects.get(pk=eia.pk).deleted_by == world.office
    assert _deletion("approvals.approvalnode", eia.pk).by == world.office

    again = office.post(
        reverse("approvals:node_add", args=[world.bridge.pk]),
        {"new-name": "环评批复", "new-time_limit": "30", "new-limit_basis": "statutory"},
    )
    assert again.status_code == 302
    assert ApprovalNode.objects.get(project=world.bridge).time_limit == 30
    assert ApprovalNode.all_objects.filter(project=world.bridge, name="环评批复").count() == 2


def test_a_removed_suspension_no_longer_stops_the_clock_and_is_kept(world):
    eia = node(world.bridge, "环评批复", submitted_on=dt.date(2020, 8, 3), time_limit=30)
    pause = suspend(eia, dt.date(2020, 9, 1), dt.date(2020, 9, 3))
    office = login(world.office)
    assert office.post(reverse("approvals:suspension_delete", args=[pause.pk])).status_code == 302
    assert not eia.suspensions.exists()
    assert NodeSuspension.all_objects.get(pk=pause.pk).deleted_by == world.office
    assert _deletion("approvals.nodesuspension", pause.pk).by == world.office
    call_command("restore_deleted", "approvals.nodesuspension", str(pause.pk))
    assert eia.suspensions.get() == pause


def test_a_suspension_of_a_removed_node_is_restored_only_after_its_node(world):
    eia = node(world.bridge, "环评批复", submitted_on=dt.date(2020, 8, 3))
    pause = suspend(eia, dt.date(2020, 9, 1), dt.date(2020, 9, 3))
    pause.soft_delete(by=world.office)
    eia.soft_delete(by=world.office)
    with pytest.raises(CommandError, match="restore that first"):
        call_command("restore_deleted", "approvals.nodesuspension", str(pause.pk))
    call_command("restore_deleted", "approvals.approvalnode", str(eia.pk))
    call_command("restore_deleted", "approvals.nodesuspension", str(pause.pk))
    assert ApprovalNode.objects.get().suspensions.get() == pause


def test_a_node_removed_from_the_template_is_added_again_by_the_same_name(world):
    kept = NodeTemplate.objects.create(
        region=world.county, procedure="approval", sort=3, name="水土保持方案审批", time_limit=20
    )
    office = login(world.office)
    assert office.post(reverse("approvals:template_delete", args=[kept.pk])).status_code == 302
    assert "水土保持方案审批" not in office.get(reverse("approvals:templates")).content.decode()
    again = office.post(
        reverse("approvals:templates"),
        {
            "procedure": "approval",
            "sort": "3",
            "name": "水土保持方案审批",
            "time_limit": "15",
            "limit_basis": "promised",
            "required_for_start": "on",
        },
    )
    assert again.status_code == 302
    assert NodeTemplate.objects.get(region=world.county).time_limit == 15
    assert NodeTemplate.all_objects.get(pk=kept.pk).deleted_by == world.office


def test_a_removed_funding_application_leaves_the_candidate_page_and_the_api(world):
    item = candidate(region=world.county, lead_unit=world.water, sector=world.reservoir.sector)
    funding = application(item, channel(world.county, "中央预算内投资"), "512.34")
    office = login(world.office)
    detail = reverse("pool:detail", args=[item.pk])
    assert "512.34" in office.get(detail).content.decode()
    assert office.post(reverse("pool:application_delete", args=[item.pk, funding.pk])).status_code == 302
    assert "512.34" not in office.get(detail).content.decode()
    assert office.get(f"/api/v1/pool/{item.pk}").json()["applications"] == []
    assert FundingApplication.all_objects.get(pk=funding.pk).deleted_by == world.office
    entry = _deletion("pool.fundingapplication", funding.pk)
    assert entry.by == world.office and any(c["old"] == "512.34" for c in entry.changes)


def test_an_entry_taken_off_the_draft_leaves_it_and_goes_back_on_again(reported):
    w = reported
    draft = list_services.list_draft(user=w.office, year=2021)
    bridge = ListEntry.objects.get(year_list=draft, project=w.bridge)
    office = login(w.office)
    assert office.post(f"/lists/2021/entries/{bridge.pk}/remove/").status_code in (200, 302)
    office.get("/lists/2021/")  # the message that names it, shown once
    assert "梅江河大桥" not in office.get("/lists/2021/").content.decode()
    entries = office.get("/api/v1/lists?year=2021").json()["entries"]
    assert "梅江河大桥" not in {e["name"] for e in entries}
    assert ListEntry.all_objects.get(pk=bridge.pk).deleted_by == w.office
    assert _deletion("lists.listentry", bridge.pk).by == w.office

    office.post("/lists/2021/add/", {"project": [str(w.bridge.pk)]})
    assert ListEntry.objects.filter(year_list=draft, project=w.bridge).count() == 1
    assert "梅江河大桥" in office.get("/lists/2021/").content.decode()


def test_a_team_member_deleted_on_the_edit_page_leaves_the_project_page_and_is_kept(world):
    member = TeamMember.objects.create(project=world.reservoir, name="冉光明", position="副局长")
    office = login(world.office)
    edit = reverse("projects:edit", args=[world.reservoir.pk])
    data = page_form(office, edit)
    assert data["team-0-id"] == str(member.pk)
    data["team-0-DELETE"] = "on"
    assert office.post(edit, data).status_code == 302
    page = office.get(reverse("projects:detail", args=[world.reservoir.pk])).content.decode()
    assert "<td>冉光明</td>" not in page  # the team tab
    assert "专班成员 冉光明 删除" in page  # the history tab
    assert not world.reservoir.team.exists()
    assert TeamMember.all_objects.get(pk=member.pk).deleted_by == world.office
    assert _deletion("projects.teammember", member.pk).by == world.office
