"""The demo county's approvals: every 2020 project not yet started has its node plan, some nodes late
for the department and some for the owner, each a warning with its reason; the reserve pool's
candidates in approvals or ready to start have node plans that agree with their maturity."""

import datetime as dt

import pytest

from approvals.models import ApprovalNode, NodeTemplate
from approvals.readiness import missing
from approvals.warnings import DEPARTMENT_LATE, OWNER_LATE
from pool.models import Candidate
from projects.models import Project
from reports import warnings

pytestmark = pytest.mark.django_db
MEETING = dt.date(2020, 10, 11)


def test_every_unstarted_2020_project_has_a_node_plan_with_some_nodes_late(demo):
    county = Project.objects.filter(plans__year=2020).first().region
    assert NodeTemplate.objects.filter(region=county, procedure="approval", name="环评批复").exists()
    unstarted = Project.objects.filter(region=county, plans__year=2020, actual_start__isnull=True).distinct()
    assert unstarted.exists()
    planned = set(ApprovalNode.objects.values_list("project_id", flat=True))
    assert set(unstarted.values_list("pk", flat=True)) <= planned
    found = warnings.for_projects(unstarted, 2020)
    kinds = {w.kind for ws in found.values() for w in ws}
    assert {DEPARTMENT_LATE, OWNER_LATE} <= kinds
    reasons = [w.reason for ws in found.values() for w in ws if w.kind == DEPARTMENT_LATE]
    assert all("超期" in r and "个工作日" in r for r in reasons)
    # Nothing is recorded as approved after the meeting day, nor before its submission.
    for node in ApprovalNode.objects.exclude(approved_on=None):
        assert node.submitted_on <= node.approved_on <= MEETING


def test_the_pools_candidates_ready_to_start_are_ready_by_their_node_plans(demo):
    """The pool's maturity 可开工 and the computed readiness agree in the demo: the ready candidates have
    every node approved; those in approvals still lack some, each named with its department."""
    in_pool = Candidate.objects.filter(project__isnull=True)
    lacking = missing(in_pool, of="candidate")
    ready = in_pool.filter(maturity=Candidate.Maturity.READY)
    preparing = in_pool.filter(maturity=Candidate.Maturity.PREPARATORY)
    assert ready.exists() and preparing.exists()
    assert not any(c.pk in lacking for c in ready)
    for candidate in preparing:
        assert candidate.approval_nodes.filter(approved_on__isnull=False).exists()
        assert lacking[candidate.pk] and all(item.owner for item in lacking[candidate.pk])
