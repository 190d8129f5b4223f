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


def late(projects: QuerySet, year: int) -> Iterator[ProjectWarning]:
    """Both kinds from one read of the open nodes and the calendar: a submitted node over its time limit
    ("环评批复超期12个工作日", DEPARTMENT_LATE) and a node not submitted by its planned date (OWNER_LATE)."""
    for node, lateness in with_lateness(_open_nodes(projects)):
        if node.submitted_on is not None and lateness.department_late:
            yield ProjectWarning(
                DEPARTMENT_LATE,
                node.project_id,
                _("%(node)s %(days)s working days over its limit")
                % {"node": node.name, "days": lateness.department_late},
                reverse("approvals:plan", args=[node.project_id]),
            )
        elif node.submitted_on is None and node.planned_on is not None and lateness.owner_late:
            yield ProjectWarning(
                OWNER_LATE,
                node.project_id,
                _("%(node)s not submitted, %(days)s working days past its planned date")
                % {"node": node.name, "days": lateness.owner_late},
                reverse("approvals:plan", args=[node.project_id]),
            )
