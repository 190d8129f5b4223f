"""The approvals' warnings (预警) beside the light: a node the department holds past its limit, and a
node the owner has not submitted by its planned date. Registered in ApprovalsConfig.ready."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet, prefetch_related_objects
from django.utils.translation import gettext as _

from lib.today import today
from reports import warnings
from reports.ledger import detail_link
from reports.warnings import ProjectWarning
from workdays.calendar import WorkCalendar

from .lateness import assess
from .models import ApprovalNode

DEPARTMENT_LATE = "approval_department_late"
OWNER_LATE = "approval_owner_late"
_READ = ("pk", "project_id", "name", "planned_on", "submitted_on", "approved_on", "time_limit")


def _open_nodes(projects: QuerySet) -> QuerySet:
    return ApprovalNode.objects.filter(project__in=projects, approved_on__isnull=True).order_by(
        "project_id", "sort", "pk"
    )


def late(projects: QuerySet, year: int) -> Iterator[ProjectWarning]:
    """Both kinds from one read of the open nodes and the calendar: a submitted node over its time limit
    ("环评批复超期12个工作日", DEPARTMENT_LATE) and a node not submitted by its planned date (OWNER_LATE).
    One query for the nodes; their suspensions and the calendar only when there are open nodes (the
    lateness is approvals.lateness.assess, the one rule)."""
    rows = warnings.read(projects, (DEPARTMENT_LATE,), lambda within: _open_nodes(within).values_list(*_READ))
    if not rows:
        return
    nodes = [ApprovalNode(**dict(zip(_READ, row, strict=True))) for row in rows]
    prefetch_related_objects(nodes, "suspensions")
    calendar, on, url = WorkCalendar.load(), today(), detail_link("approvals:plan")
    over = _("%(node)s %(days)s working days over its limit")
    unsent = _("%(node)s not submitted, %(days)s working days past its planned date")
    for node in nodes:
        lateness = assess(node, calendar, on)
        if node.submitted_on is not None and lateness.department_late:
            reason = over % {"node": node.name, "days": lateness.department_late}
            yield ProjectWarning(DEPARTMENT_LATE, node.project_id, reason, url(node.project_id))
        elif node.submitted_on is None and node.planned_on is not None and lateness.owner_late:
            reason = unsent % {"node": node.name, "days": lateness.owner_late}
            yield ProjectWarning(OWNER_LATE, node.project_id, reason, url(node.project_id))
