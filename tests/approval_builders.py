"""Builders for approval node plans (shared by the approvals tests and whoever reads the plans)."""

from __future__ import annotations

import datetime as dt

from approvals.models import ApprovalNode, NodeSuspension
from projects.models import Project, Unit

_sort = iter(range(10, 100000, 10))


def node(project: Project, name: str, *, department: Unit | None = None, **fields) -> ApprovalNode:
    fields.setdefault("procedure", "approval")
    fields.setdefault("sort", next(_sort))
    fields.setdefault("time_limit", 20)
    return ApprovalNode.objects.create(project=project, name=name, department=department, **fields)


def suspend(
    target: ApprovalNode, starts: dt.date, ends: dt.date | None, reason: str = "expert"
) -> NodeSuspension:
    return NodeSuspension.objects.create(node=target, starts_on=starts, ends_on=ends, reason=reason)


def late_eia(project: Project, department: Unit) -> ApprovalNode:
    """环评批复 submitted on 3 August 2020 with a 30-working-day limit, suspended for expert review
    1–3 September: on 11 October 2020 it has taken 42 working days, 12 over its limit."""
    eia = node(project, "环评批复", department=department, submitted_on=dt.date(2020, 8, 3), time_limit=30)
    suspend(eia, dt.date(2020, 9, 1), dt.date(2020, 9, 3))
    return eia


def unsubmitted(project: Project, department: Unit | None = None) -> ApprovalNode:
    """可研批复 planned for 30 September 2020, not submitted: on 11 October, 2 working days late
    (9 October, and 10 October, a Saturday worked)."""
    return node(project, "可研批复", department=department, planned_on=dt.date(2020, 9, 30), time_limit=10)
