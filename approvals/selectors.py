"""Reads of the node plans: what a project still lacks, the register, the departments' figures."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet

from lib.today import today
from workdays.calendar import WorkCalendar

from .lateness import Lateness, assess
from .models import ApprovalNode


def missing_nodes(holders: QuerySet | Iterable, *, of: str = "project") -> dict[int, list[ApprovalNode]]:
    """Project id (or candidate id, `of="candidate"`) → its nodes required to start construction
    that are not yet approved, in plan order (department loaded); those lacking none are absent. One
    query whatever their number."""
    found: dict[int, list[ApprovalNode]] = defaultdict(list)
    nodes = (
        ApprovalNode.objects.filter(
            **{f"{of}__in": holders}, required_for_start=True, approved_on__isnull=True
        )
        .select_related("department")
        .order_by(f"{of}_id", "sort", "pk")
    )
    for node in nodes:
        found[getattr(node, f"{of}_id")].append(node)
    return dict(found)


def with_lateness(
    nodes: QuerySet, *, on: dt.date | None = None, calendar: WorkCalendar | None = None
) -> list[tuple[ApprovalNode, Lateness]]:
    """Each node with its lateness on `on` (today by default): three queries for the nodes, their
    suspensions and the calendar, whatever their number."""
    on = on or today()
    calendar = calendar or WorkCalendar.load()
    nodes = nodes.select_related("project", "department").prefetch_related("suspensions")
    return [(node, assess(node, calendar, on)) for node in nodes]


@dataclass
class DepartmentFigures:
    department_id: int | None
    name: str
    nodes: int = 0
    pending: int = 0  # submitted, not yet approved
    overdue: int = 0  # pending and over the limit
    approved: int = 0
    approved_late: int = 0
    _days: list[int] = field(default_factory=list)

    @property
    def average_days(self) -> float | None:
        """Average working days (net of suspensions) from complete submission to approval."""
        return round(sum(self._days) / len(self._days), 1) if self._days else None


def department_figures(rows: list[tuple[ApprovalNode, Lateness]]) -> list[DepartmentFigures]:
    """Per approving department: nodes, pending, overdue, approved (late), average working days —
    most overdue first."""
    per: dict[int | None, DepartmentFigures] = {}
    for node, late in rows:
        key = node.department_id
        if key not in per:
            per[key] = DepartmentFigures(key, node.department.name if node.department else "")
        figures = per[key]
        figures.nodes += 1
        if node.approved_on is not None:
            figures.approved += 1
            figures.approved_late += late.department_late > 0
            figures._days.append(late.used or 0)
        elif node.submitted_on is not None:
            figures.pending += 1
            figures.overdue += late.department_late > 0
    return sorted(per.values(), key=lambda f: (-f.overdue, -f.pending, f.name))


def register_rows(
    user,
    *,
    node: str = "",
    department: int | None = None,
    project: int | None = None,
    unit: int | None = None,
    state: str = "",
    overdue: bool = False,
    on: dt.date | None = None,
) -> list[tuple[ApprovalNode, Lateness]]:
    """The approvals register (page, export and API): the nodes in the user's scope by node name,
    approving department, project, lead unit and state ("pending", "approved"); `overdue` keeps the
    nodes not yet approved that are late, for the department or for the owner."""
    nodes = ApprovalNode.objects.for_user(user)
    if node:
        nodes = nodes.filter(name=node)
    if department is not None:
        nodes = nodes.filter(department_id=department)
    if project is not None:
        nodes = nodes.filter(project_id=project)
    if unit is not None:
        nodes = nodes.filter(project__lead_unit_id=unit)
    if state == "pending" or overdue:
        nodes = nodes.filter(approved_on__isnull=True)
    elif state == "approved":
        nodes = nodes.filter(approved_on__isnull=False)
    rows = with_lateness(nodes.order_by("project__code", "sort", "pk"), on=on)
    return [(n, late) for n, late in rows if late.overdue] if overdue else rows
