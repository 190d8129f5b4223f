"""Quality and safety under /api/v1/hazards, from the app's scoped queryset and its one overdue rule."""

from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from lib.today import today
from safety import selectors
from safety.models import Hazard

from .params import Id, Paging
from .schemas import answers

router = Router(tags=["safety"])


class HazardOut(Schema):
    id: int
    project: dict = Field(description="id, code and name")
    inspection: dict = Field(
        description="id, date, body (supervising_unit, regulator, quality_station, safety_station, supervision_office) and body_name"
    )
    level: str = Field(description="general (一般隐患) or major (重大隐患)")
    category: str
    description: str
    deadline: str = Field(description="rectification deadline, YYYY-MM-DD")
    responsible_unit: dict = Field(description="id and name")
    contractor: str
    state: str = Field(description="open, rectified (awaiting verification) or verified")
    overdue: bool = Field(description="open and its deadline before today")
    days_overdue: int
    measures: str
    rectified_on: str | None
    verified_on: str | None


class HazardList(Schema):
    count: int
    results: list[HazardOut]


class HazardQuery(Schema):
    project: Id | None = Field(None, description="a project's id")
    state: Literal["open", "rectified", "verified", "pending"] | None = Field(
        None, description="open, rectified, verified, or pending (open or rectified: not yet verified)"
    )
    level: Literal["general", "major"] | None = None
    overdue: bool | None = Field(None, description="true: overdue only; false: not overdue")


@router.get("hazards", response=answers(HazardList), url_name="hazards")
def hazards(request: HttpRequest, query: Query[HazardQuery], paging: Query[Paging]):
    """隐患 of the projects in the caller's scope: open first (overdue at the top), then rectified, then
    verified; by deadline."""
    on = today()
    rows = Hazard.objects.for_user(request.auth)
    if query.project is not None:
        rows = rows.filter(project_id=query.project)
    if query.state == "pending":
        rows = rows.not_verified()
    elif query.state:
        rows = rows.filter(state=query.state)
    if query.level:
        rows = rows.filter(level=query.level)
    if query.overdue is not None:
        overdue = Hazard.objects.overdue_on(on).values("pk")
        rows = rows.filter(pk__in=overdue) if query.overdue else rows.exclude(pk__in=overdue)
    count, page = paging.cut(selectors.listed(selectors.register_order(rows, on)))
    return {
        "count": count,
        "results": [
            {
                "id": h.pk,
                "project": {"id": h.project_id, "code": h.project.code, "name": h.project.name},
                "inspection": {
                    "id": h.inspection_id,
                    "date": h.inspection.date.isoformat(),
                    "body": h.inspection.body,
                    "body_name": h.inspection.body_name,
                },
                "level": h.level,
                "category": h.category,
                "description": h.description,
                "deadline": h.deadline.isoformat(),
                "responsible_unit": {"id": h.responsible_unit_id, "name": h.responsible_unit.name},
                "contractor": h.contractor,
                "state": h.state,
                "overdue": h.is_overdue(on),
                "days_overdue": h.days_overdue(on),
                "measures": h.measures,
                "rectified_on": h.rectified_on.isoformat() if h.rectified_on else None,
                "verified_on": h.verified_on.isoformat() if h.verified_on else None,
            }
            for h in page
        ],
    }
