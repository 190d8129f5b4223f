"""The approvals endpoints under /api/v1/, each from its app's scoped queryset."""

from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from approvals.lateness import Lateness
from approvals.models import ApprovalNode
from approvals.selectors import department_figures, register_rows, with_lateness

from .params import Id, Paging
from .schemas import answers

router = Router(tags=["approvals"])


class NodeOut(Schema):
    id: int
    project: dict = Field(description="id, code and name")
    name: str = Field(description="the node, e.g. 环评批复")
    procedure: str = Field(description="approval (审批类), ratification (核准类) or filing (备案类)")
    department: dict | None = Field(description="the approving department's id and name")
    planned_on: str | None = Field(description="planned complete submission")
    time_limit: int = Field(description="working days")
    limit_basis: str = Field(description="statutory or promised")
    required_for_start: bool
    submitted_on: str | None
    approved_on: str | None
    doc_number: str
    working_days_used: int | None = Field(
        description="from submission to approval or today, less suspensions"
    )
    working_days_suspended: int
    department_late: int = Field(description="working days over the limit (0: within it)")
    owner_late: int = Field(description="working days the submission came (or is) after the planned date")


class NodeList(Schema):
    count: int
    results: list[NodeOut]


class NodeQuery(Schema):
    overdue: bool = Field(
        False, description="only nodes not yet approved that are late (department or owner)"
    )
    state: Literal["pending", "approved"] | None = None
    node: str | None = Field(None, max_length=60, description="node name, e.g. 环评批复")
    department: Id | None = None
    project: Id | None = None
    unit: Id | None = Field(None, description="the project's lead unit")


class DepartmentOut(Schema):
    department: dict | None
    nodes: int
    pending: int
    overdue: int
    approved: int
    approved_late: int
    average_working_days: float | None


def _node(node: ApprovalNode, late: Lateness) -> dict:
    return {
        "id": node.pk,
        "project": {"id": node.project_id, "code": node.project.code, "name": node.project.name},
        "name": node.name,
        "procedure": node.procedure,
        "department": {"id": node.department_id, "name": node.department.name} if node.department else None,
        "planned_on": node.planned_on.isoformat() if node.planned_on else None,
        "time_limit": node.time_limit,
        "limit_basis": node.limit_basis,
        "required_for_start": node.required_for_start,
        "submitted_on": node.submitted_on.isoformat() if node.submitted_on else None,
        "approved_on": node.approved_on.isoformat() if node.approved_on else None,
        "doc_number": node.doc_number,
        "working_days_used": late.used,
        "working_days_suspended": late.suspended,
        "department_late": late.department_late,
        "owner_late": late.owner_late,
    }


@router.get("approvals", response=answers(NodeList), url_name="approvals")
def approvals(request: HttpRequest, query: Query[NodeQuery], paging: Query[Paging]):
    """The approval nodes in scope (the register), page by page; `overdue=true` for the late ones."""
    rows = register_rows(
        request.auth,
        node=query.node or "",
        department=query.department,
        project=query.project,
        unit=query.unit,
        state=query.state or "",
        overdue=query.overdue,
    )
    start = (paging.page - 1) * paging.page_size
    return {
        "count": len(rows),
        "results": [_node(n, late) for n, late in rows[start : start + paging.page_size]],
    }


@router.get("approvals/departments", response=answers(list[DepartmentOut]), url_name="approval_departments")
def departments(request: HttpRequest):
    """Per approving department: pending, overdue and the average working days to approval."""
    figures = department_figures(with_lateness(ApprovalNode.objects.for_user(request.auth)))
    return [
        {
            "department": {"id": f.department_id, "name": f.name} if f.department_id else None,
            "nodes": f.nodes,
            "pending": f.pending,
            "overdue": f.overdue,
            "approved": f.approved,
            "approved_late": f.approved_late,
            "average_working_days": f.average_days,
        }
        for f in figures
    ]
