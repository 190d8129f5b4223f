"""A reserve candidate's land plans follow it onto its project when next year's list is published,
with their months; a plan belongs to a project or a candidate, never both nor neither."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from land.models import LandMonth, LandPlan
from lists import services
from projects.models import Project

from .conftest import login
from .list_builders import ready_candidate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]


def test_a_candidates_land_moves_onto_its_project_when_the_list_is_published(world):
    candidate = ready_candidate(region=world.county, lead_unit=world.water, sector=world.reservoir.sector)
    plan = LandPlan.objects.create(
        candidate=candidate, township=world.hongan_town, area_needed=Decimal("64"), households=7
    )
    LandMonth.objects.create(plan=plan, year=2020, month=9, acquired=Decimal("20"), households_relocated=2)
    year_list = services.list_draft(user=world.office, year=2021)
    services.entries_add_candidates(user=world.office, year_list=year_list, candidate_ids=[candidate.pk])
    services.list_publish(user=world.office, year_list=year_list)

    project = Project.objects.get(name="梅江河防洪堤")
    plan.refresh_from_db()
    assert (plan.project, plan.candidate) == (project, None)
    assert plan.months.get().acquired == Decimal("20.00")
    page = login(world.water_user).get(f"/land/project/{project.pk}/")
    assert [p.township.name for p in page.context["plans"]] == ["洪安镇"]


def test_a_plan_belongs_to_a_project_or_a_candidate_never_both_nor_neither(world):
    candidate = ready_candidate(region=world.county, lead_unit=world.water, sector=world.reservoir.sector)
    with pytest.raises(IntegrityError), transaction.atomic():
        LandPlan.objects.create(
            project=world.bridge, candidate=candidate, township=world.hongan_town, area_needed=Decimal("1")
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        LandPlan.objects.create(township=world.hongan_town, area_needed=Decimal("1"))
    assert not LandPlan.objects.exists()
