"""A reserve candidate's approval nodes follow it onto its project when next year's list is published:
the node plan, its recorded approvals and their history appear on the project's plan page."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from approvals.models import ApprovalNode
from lists import services
from projects.models import Project

from .list_builders import ready_candidate

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_today")]


def test_a_candidates_nodes_move_onto_its_project_when_the_list_is_published(world, as_user):
    candidate = ready_candidate(region=world.county, lead_unit=world.water, sector=world.reservoir.sector)
    kyb = ApprovalNode.objects.create(
        candidate=candidate,
        name="可研批复",
        procedure="approval",
        submitted_on=dt.date(2020, 8, 3),
        approved_on=dt.date(2020, 8, 14),
        doc_number="秀发改投〔2020〕66号",
    )
    ApprovalNode.objects.create(
        candidate=candidate, name="环评批复", procedure="approval", planned_on=dt.date(2020, 12, 1)
    )
    year_list = services.list_draft(user=world.office, year=2021)
    services.entries_add_candidates(user=world.office, year_list=year_list, candidate_ids=[candidate.pk])
    services.list_publish(user=world.office, year_list=year_list)

    project = Project.objects.get(name="梅江河防洪堤")
    assert sorted(project.approval_nodes.values_list("name", flat=True)) == ["可研批复", "环评批复"]
    kyb.refresh_from_db()
    assert (kyb.project, kyb.candidate, kyb.doc_number) == (project, None, "秀发改投〔2020〕66号")
    assert kyb.history.count() == 2  # created on the candidate, moved to the project
    page = as_user(world.water_user).get(f"/approvals/project/{project.pk}/").content.decode()
    assert "秀发改投〔2020〕66号" in page


def test_a_node_belongs_to_a_project_or_a_candidate_never_both_nor_neither(world):
    candidate = ready_candidate(region=world.county, lead_unit=world.water, sector=world.reservoir.sector)
    with pytest.raises(IntegrityError), transaction.atomic():
        ApprovalNode.objects.create(project=world.bridge, candidate=candidate, name="x", procedure="approval")
    with pytest.raises(IntegrityError), transaction.atomic():
        ApprovalNode.objects.create(name="y", procedure="approval")
