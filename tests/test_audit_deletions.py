"""Deletions in the lifecycle apps (issue 13 item 6): what a user deletes is in the audit log with who,
when and every value it had, and can be brought back as it was (`manage.py restore_deleted`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from audit.models import AuditEntry
from milestones.models import Milestone
from pool.models import FundingApplication

from .conftest import login
from .pool_builders import application, candidate, channel

pytestmark = pytest.mark.usefixtures("pinned_today")


def test_a_deleted_milestone_is_listed_with_who_and_its_values_and_comes_back(world):
    milestone = Milestone.objects.create(
        project=world.reservoir, year=2020, name="大坝封顶", planned_date=dt.date(2020, 9, 30), note="汛前"
    )
    pk = milestone.pk
    assert login(world.water_user).post(reverse("milestones:delete", args=[pk])).status_code == 302
    assert not Milestone.objects.filter(pk=pk).exists()

    entry = AuditEntry.objects.get(model="milestones.milestone", object_id=str(pk), action="deleted")
    assert entry.by == world.water_user
    assert {"field": "name", "old": "大坝封顶", "new": "—"} in entry.changes
    assert {"field": "planned_date", "old": "2020-09-30", "new": "—"} in entry.changes
    page = login(world.office).get("/manage/audit/", {"q": "大坝封顶"}).content.decode()
    assert "删除" in page and "water" in page and "2020-09-30" in page

    call_command("restore_deleted", "milestones.milestone", str(pk))
    back = Milestone.objects.get(pk=pk)
    assert (back.name, back.planned_date, back.note, back.project) == (
        "大坝封顶",
        dt.date(2020, 9, 30),
        "汛前",
        world.reservoir,
    )
    restored = AuditEntry.objects.filter(model="milestones.milestone", object_id=str(pk)).latest("pk")
    assert (restored.action, restored.by) == ("restored", None)  # by the system: the mark cleared
    with pytest.raises(CommandError, match="exists"):
        call_command("restore_deleted", "milestones.milestone", str(pk))


def test_a_deleted_funding_application_comes_back_with_its_amounts(world):
    item = candidate(region=world.county, lead_unit=world.water, sector=world.reservoir.sector)
    funding = application(item, channel(world.county, "中央预算内投资"), "500.00", approved="300.00")
    url = reverse("pool:application_delete", args=[item.pk, funding.pk])
    assert login(world.office).post(url).status_code == 302
    assert not FundingApplication.objects.filter(pk=funding.pk).exists()
    entry = AuditEntry.objects.get(model="pool.fundingapplication", action="deleted")
    assert entry.by == world.office and any(c["old"] == "500.00" for c in entry.changes)
    call_command("restore_deleted", "pool.fundingapplication", str(funding.pk))
    back = FundingApplication.objects.get(pk=funding.pk)
    assert (back.amount_applied, back.amount_approved, back.candidate) == (D("500.00"), D("300.00"), item)


@pytest.mark.parametrize(
    ("label", "pk", "said"),
    [("nothing.here", 1, "no model"), ("milestones.milestone", 999999, "no deletion")],
)
def test_what_cannot_be_restored_is_said(db, label, pk, said):
    with pytest.raises(CommandError, match=said):
        call_command("restore_deleted", label, str(pk))


def test_a_node_removed_from_the_template_is_in_the_audit_log_and_comes_back(world):
    from approvals.models import NodeTemplate

    node = NodeTemplate.objects.create(
        region=world.county, procedure="approval", sort=3, name="水土保持方案审批", time_limit=20
    )
    pk = node.pk
    assert login(world.office).post(reverse("approvals:template_delete", args=[pk])).status_code == 302
    assert not NodeTemplate.objects.filter(pk=pk).exists()
    entry = AuditEntry.objects.get(model="approvals.nodetemplate", object_id=str(pk), action="deleted")
    assert entry.by == world.office
    assert {"field": "name", "old": "水土保持方案审批", "new": "—"} in entry.changes
    call_command("restore_deleted", "approvals.nodetemplate", str(pk))
    back = NodeTemplate.objects.get(pk=pk)
    assert (back.name, back.sort, back.time_limit, back.region) == ("水土保持方案审批", 3, 20, world.county)
