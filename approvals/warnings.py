"""The approvals' warnings (预警) beside the light: a node the department holds past its limit, and a
node the owner has not submitted by its planned date. Registered in ApprovalsConfig.ready."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from reports.warnings import ProjectWarning

from .models import ApprovalNode
from .selectors import with_lateness

DEPARTMENT_LATE = "approval_department_late"
OWNER_LATE = "approval_owner_late"


def _open_nodes(projects: QuerySet) -> QuerySet:
    return ApprovalNode.objects.filter(project__in=projects, approved_on__isnull=True).order_by(
        "project_id", "sort", "pk"
    )


def department_late(projects: QuerySet, year: int) -> Iterator[ProjectWarning]:
    """A submitted node over its time limit: "环评批复超期12个工作日"."""
    for node, late in with_lateness(_open_nodes(projects).filter(submitted_on__isnull=False)):
        if late.department_late:
            yield ProjectWarning(
                DEPARTMENT_LATE,
                node.project_id,
                _("%(node)s %(days)s working days over its limit")
                % {"node": node.name, "days": late.department_late},
                reverse("approvals:plan", args=[node.project_id]),
            )


def owner_late(projects: QuerySet, year: int) -> Iterator[ProjectWarning]:
    """A node not submitted by its planned date."""
    nodes = _open_nodes(projects).filter(submitted_on__isnull=True, planned_on__isnull=False)
    for node, late in with_lateness(nodes):
        if late.owner_late:
            yield ProjectWarning(
                OWNER_LATE,
                node.project_id,
                _("%(node)s not submitted, %(days)s working days past its planned date")
                % {"node": node.name, "days": late.owner_late},
                reverse("approvals:plan", args=[node.project_id]),
            )
