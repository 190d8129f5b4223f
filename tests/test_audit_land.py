"""Land plans and their months are in the audit trail (issue 13 item 6): who changed what, old → new,
in the office's region, and a removed plan as a deletion."""

from __future__ import annotations

import datetime as dt

import pytest

from audit.models import AuditEntry
from land.models import LandMonth, LandPlan

from .conftest import login
from .form_builders import page_form
from .land_builders import land_plan

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]


def latest(model: str, pk) -> AuditEntry:
    return AuditEntry.objects.filter(model=model, object_id=str(pk)).latest("pk")


def test_a_plan_edited_and_a_month_recorded_say_who_and_old_new(world):
    plan = land_plan(world.reservoir, world.hongan_town, households=20, due=dt.date(2020, 8, 31))
    office, unit = login(world.office), login(world.water_user)
    form = page_form(office, f"/land/plan/{plan.pk}/edit/")
    assert office.post(f"/land/plan/{plan.pk}/edit/", {**form, "households": "21"}).status_code == 302
    edited = latest("land.landplan", plan.pk)
    assert edited.action == AuditEntry.Action.CHANGED and edited.by == world.office
    assert {c["field"]: (c["old"], c["new"]) for c in edited.changes}["households"] == ("20", "21")
    assert edited.region == world.reservoir.region

    month_form = page_form(unit, f"/land/project/{plan.project_id}/", f"land-month-{plan.pk}")
    month = {**month_form, "year": "2020", "month": "9", "acquired": "30", "handed_over": "20"}
    assert unit.post(f"/land/plan/{plan.pk}/month/", month).status_code == 302
    recorded = LandMonth.objects.get(plan=plan, year=2020, month=9)
    entry = latest("land.landmonth", recorded.pk)
    assert entry.action == AuditEntry.Action.CREATED and entry.by == world.water_user
    assert entry.region == world.reservoir.region
    assert office.get("/manage/audit/", {"q": str(plan)}).status_code == 200


def test_a_removed_plan_is_a_deletion_in_the_audit_log(world):
    """The only removal is a reserve candidate's copy dropped when it is promoted (land.services)."""
    plan = land_plan(world.reservoir, world.hongan_town, households=20)
    plan.soft_delete(by=world.office)
    assert not LandPlan.objects.filter(pk=plan.pk).exists()
    assert LandPlan.all_objects.filter(pk=plan.pk).exists()
    removed = latest("land.landplan", plan.pk)
    assert removed.action == AuditEntry.Action.DELETED and removed.by == world.office
