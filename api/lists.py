"""The lists endpoints under /api/v1/, each from its app's scoped queryset."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from lib.money import q2
from lists.models import YearList
from lists.selectors import entry_rows

from .schemas import answers

router = Router(tags=["lists"])


def money(value) -> str:
    return f"{q2(value):.2f}"


class EntryNamed(Schema):
    id: int
    name: str


class EntryOut(Schema):
    id: int
    name: str
    project_id: int | None = Field(
        description="the key project: a continuing one, or once published the promoted one"
    )
    candidate_id: int | None = Field(description="the pool candidate it was promoted from, if any")
    sector: EntryNamed
    lead_unit: EntryNamed
    stage: str = Field(description="new, continuing, completing or preparatory")
    total_investment: str = Field(description="万元, two decimals (a candidate's estimate)")
    invested_before: str = Field(description="completed before the year, 万元")
    invested_before_live: bool = Field(
        description="true while it follows the year before's reports (a draft, December not approved)"
    )
    planned_investment: str = Field(description="annual planned investment, 万元")
    planned_start_month: int | None
    progress_target: str


class YearListOut(Schema):
    year: int
    region: str
    state: str = Field(description="draft or published (a draft is shown to the office only)")
    published_at: str | None
    count: int
    planned_investment: str
    entries: list[EntryOut]


class ListQuery(Schema):
    year: int = Field(..., ge=2000, le=2100, description="the list's year, 2000..2100")


def _named(obj) -> dict:
    return {"id": obj.pk, "name": obj.name}


@router.get("lists", response=answers(YearListOut, 404), url_name="lists")
def year_list(request: HttpRequest, query: Query[ListQuery]):
    """The caller's region's list of `year` with its entries in the caller's scope (a unit its own
    projects and candidates); a draft is answered to the office only, for everyone else it does not
    exist until it is published."""
    user = request.auth
    found = get_object_or_404(
        YearList.objects.for_user(user).select_related("region"), region_id=user.region_id, year=query.year
    )
    entries = entry_rows(user, found)
    return {
        "year": found.year,
        "region": found.region.name,
        "state": found.state,
        "published_at": found.published_at.isoformat() if found.published_at else None,
        "count": len(entries),
        "planned_investment": money(sum(e.planned_investment for e in entries)),
        "entries": [
            {
                "id": e.pk,
                "name": e.name,
                "project_id": e.project_id or (e.plan.project_id if e.plan_id else None),
                "candidate_id": e.candidate_id,
                "sector": _named(e.sector),
                "lead_unit": _named(e.lead_unit),
                "stage": e.stage,
                "total_investment": money(e.total_investment),
                "invested_before": money(e.before),
                "invested_before_live": e.live,
                "planned_investment": money(e.planned_investment),
                "planned_start_month": e.planned_start_month,
                "progress_target": e.progress_target,
            }
            for e in entries
        ],
    }
