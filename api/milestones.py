"""Key milestones under /api/v1/milestones, from the app's scoped queryset and its one slip rule."""

from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from lib.today import current_year, today
from milestones import selectors
from milestones.models import Milestone

from .params import Paging
from .schemas import answers

router = Router(tags=["milestones"])


class MilestoneOut(Schema):
    id: int
    project: dict = Field(description="id, code and name")
    year: int
    name: str
    planned_date: str
    actual_date: str | None
    state: str = Field(
        description="reached, reached_late, slipped (planned date passed, not reached) or ahead"
    )
    days_late: int = Field(
        description="days past the planned date: to today while not reached, else to the actual date"
    )
    note: str


class MilestoneList(Schema):
    count: int
    results: list[MilestoneOut]


class MilestoneQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="2000..2100; this year by default")
    state: Literal["all", "slipped"] = Field("all", description="all, or the slipped ones only")


@router.get("milestones", response=answers(MilestoneList), url_name="milestones")
def milestones(request: HttpRequest, query: Query[MilestoneQuery], paging: Query[Paging]):
    """The year's key milestones of the projects in the caller's scope, slipped first."""
    year = query.year or current_year()
    on = today()
    rows = Milestone.objects.for_user(request.auth).filter(year=year)
    if query.state == "slipped":
        rows = selectors.slipped(rows, on)
    count, page = paging.cut(selectors.slipped_first(rows.select_related("project"), on))
    return {
        "count": count,
        "results": [
            {
                "id": m.pk,
                "project": {"id": m.project_id, "code": m.project.code, "name": m.project.name},
                "year": m.year,
                "name": m.name,
                "planned_date": m.planned_date.isoformat(),
                "actual_date": m.actual_date.isoformat() if m.actual_date else None,
                "state": selectors.state(m, on),
                "days_late": selectors.days_late(m, on),
                "note": m.note,
            }
            for m in page
        ],
    }
